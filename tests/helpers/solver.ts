/**
 * The insider's solver (issue 11, decision 0016): given what a report shows about one capability,
 * how many sets of individual scores (multisets: raters are unnamed within a block) could each
 * block of raters have given? A block with exactly one solution is "recovered": its raters'
 * scores are known, up to who gave which.
 *
 * Exact, by dynamic programming over the lattice of scores a rater can have on a capability (the
 * mean of the statements they scored, at least half of them, each 1..5), in integer units.
 *
 * Two models of what is visible:
 * - `coded` (today): per block only its coded figure (value, censored) and n; every other figure
 *   of the capability is a function of those. `checkCodedModel` proves that claim for a report
 *   (and fails when a report grows a statistic the model does not know).
 * - `legacy` (before decision 0016): exact means of every shown group and of all others, and the
 *   population spread of all others, as the report's loader data carried them.
 */
import { codeMean, roundShown, toTenths, type Censored } from '~/domain/assessment/precision'
import type { CapabilityResult, Report } from '~/domain/assessment/scoring'
import { relationships, type Relationship } from '~/domain/assessment/types'

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
const lcm = (a: number, b: number) => (a * b) / gcd(a, b)

/** The scores a rater can have on a capability of `statements` statements, in units of 1/unit. */
export function scoreLattice(statements: number): { unit: number; values: number[] } {
  const minAnswered = Math.ceil(statements / 2)
  let unit = 1
  for (let k = minAnswered; k <= statements; k++) unit = lcm(unit, k)
  const values = new Set<number>()
  for (let k = minAnswered; k <= statements; k++) for (let a = k; a <= 5 * k; a++) values.add((a * unit) / k)
  return { unit, values: [...values].sort((x, y) => x - y) }
}

/** ways[s] = number of multisets of `n` lattice values summing to s (capped at `cap`). */
export function multisetsBySum(values: number[], n: number, cap = 2): Map<number, number> {
  // dp[k]: sum -> count, values used with repetition (unbounded, k ascending).
  const dp: Array<Map<number, number>> = Array.from({ length: n + 1 }, () => new Map())
  dp[0]!.set(0, 1)
  for (const v of values) {
    for (let k = 1; k <= n; k++) {
      for (const [s, c] of dp[k - 1]!) {
        const next = Math.min(cap, (dp[k]!.get(s + v) ?? 0) + c)
        dp[k]!.set(s + v, next)
      }
    }
  }
  return dp[n]!
}

/** ways["s,q"] = multisets of n values with sum s and sum of squares q (capped). */
function multisetsBySumAndSquares(
  values: number[],
  n: number,
  cap = 2,
): Map<string, { s: number; q: number; c: number }> {
  const dp: Array<Map<string, { s: number; q: number; c: number }>> = Array.from({ length: n + 1 }, () => new Map())
  dp[0]!.set('0,0', { s: 0, q: 0, c: 1 })
  for (const v of values) {
    for (let k = 1; k <= n; k++) {
      for (const { s, q, c } of [...dp[k - 1]!.values()]) {
        const key = `${s + v},${q + v * v}`
        const prev = dp[k]!.get(key)
        dp[k]!.set(key, { s: s + v, q: q + v * v, c: Math.min(cap, (prev?.c ?? 0) + c) })
      }
    }
  }
  return dp[n]!
}

export type Block = { label: string; attributable: boolean; n: number }
export type BlockSolutions = Block & { solutions: number /* capped at 2 */ }

/** A visible figure as the report carries it. */
type Shown = { mean: number; n: number; censored?: Censored | null }

const sameCoded = (coded: { value: number; censored: Censored }, shown: Shown) =>
  toTenths(coded.value) === toTenths(shown.mean) && coded.censored === (shown.censored ?? null)

/** Blocks of one capability as an insider sees them: each shown group, and the pool if any. */
export function blocksOf(result: CapabilityResult): {
  groups: Array<Block & { g: Relationship; figure: Shown }>
  pool: Block | null
} {
  const groups = relationships.flatMap((g) => {
    const figure = result.groups[g]
    return figure ? [{ g, label: `group:${g}`, attributable: g === 'manager', n: figure.n, figure }] : []
  })
  const shownN = groups.reduce((sum, b) => sum + b.n, 0)
  const poolN = (result.allOthers?.n ?? 0) - shownN
  return { groups, pool: poolN > 0 ? { label: 'pool', attributable: false, n: poolN } : null }
}

/** Solutions per block under the coded model (what reports show today). */
export function solveCoded(result: CapabilityResult, statements: number): BlockSolutions[] {
  const { unit, values } = scoreLattice(statements)
  const { groups, pool } = blocksOf(result)
  const out: BlockSolutions[] = []
  for (const b of groups) {
    let solutions = 0
    for (const [s, c] of multisetsBySum(values, b.n))
      if (sameCoded(codeMean(s / unit / b.n, b.attributable), b.figure)) solutions += c
    out.push({ ...b, solutions: Math.min(2, solutions) })
  }
  if (pool && result.allOthers) {
    const shownTotal = groups.reduce((sum, b) => sum + b.figure.mean * b.n, 0)
    const total = result.allOthers.n
    let solutions = 0
    for (const [s, c] of multisetsBySum(values, pool.n)) {
      const poolCoded = codeMean(s / unit / pool.n)
      if (sameCoded(codeMean((shownTotal + poolCoded.value * pool.n) / total), result.allOthers)) solutions += c
    }
    out.push({ ...pool, solutions: Math.min(2, solutions) })
  }
  return out
}

/**
 * Checks that a capability result shows nothing the coded model does not account for: its keys are
 * the known ones, all others is the coded combination of the blocks, and gap, self-minus-others,
 * meets-target and the flag follow from shown values. Returns problems (empty: the model is exact).
 */
export function checkCodedModel(result: CapabilityResult, tolerance: number): string[] {
  const problems: string[] = []
  const known = [
    'capabilityId',
    'domainId',
    'name',
    'self',
    'groups',
    'allOthers',
    'target',
    'gap',
    'meetsTarget',
    'coverage',
    'selfMinusOthers',
    'flag',
  ]
  const extra = Object.keys(result).filter((k) => !known.includes(k))
  if (extra.length) problems.push(`unknown statistics ${extra.join(', ')}: teach the solver about them`)
  for (const g of relationships) {
    const f = result.groups[g]
    if (f && Object.keys(f).some((k) => !['mean', 'n', 'censored'].includes(k)))
      problems.push(`group ${g} carries more than mean, n, censored`)
    if (f && toTenths(f.mean) / 10 !== f.mean) problems.push(`group ${g} mean ${f.mean} is finer than one decimal`)
  }
  const { groups, pool } = blocksOf(result)
  if (result.allOthers) {
    if (pool && pool.n < 3) problems.push(`a pool of ${pool.n} is shown inside all others`)
    if (!pool) {
      const expected = codeMean(groups.reduce((sum, b) => sum + b.figure.mean * b.n, 0) / result.allOthers.n)
      if (!sameCoded(expected, result.allOthers))
        problems.push('all others is not the coded combination of the shown groups')
    }
  }
  const others = result.allOthers?.mean ?? null
  if (result.self !== null && roundShown(result.self) !== result.self) problems.push('self is finer than one decimal')
  if (others !== null && result.target !== null) {
    if (result.gap !== roundShown(others - result.target)) problems.push('gap is not shown others minus target')
    if (result.meetsTarget !== toTenths(others) >= toTenths(result.target - tolerance))
      problems.push('meetsTarget does not follow from shown figures')
  }
  if (others !== null && result.self !== null && result.selfMinusOthers !== roundShown(result.self - others))
    problems.push('selfMinusOthers does not follow from shown figures')
  return problems
}

/** Domain figures must be the rounded means of shown capability figures (they add nothing). */
export function checkDomains(report: Report): string[] {
  const problems: string[] = []
  const byDomain = new Map<string, CapabilityResult[]>()
  for (const c of report.capabilities) byDomain.set(c.domainId, [...(byDomain.get(c.domainId) ?? []), c])
  for (const d of report.domains) {
    const values = (byDomain.get(d.domainId) ?? []).flatMap((c) => (c.allOthers ? [c.allOthers.mean] : []))
    const expected = values.length ? roundShown(values.reduce((a, b) => a + b, 0) / values.length) : null
    if (d.allOthers !== expected)
      problems.push(
        `domain ${d.domainId}: all others ${d.allOthers} is not the mean of shown capability figures (${expected})`,
      )
  }
  return problems
}

/** A legacy capability figure set: exact means, n, and the spread of all others. */
export type LegacyCapability = {
  groups: Partial<Record<Relationship, { mean: number; n: number }>>
  allOthers: { mean: number; n: number } | null
  spread: number | null
}

/** Solutions per block under the legacy model (full-precision means plus spread). */
export function solveLegacy(result: LegacyCapability, statements: number): BlockSolutions[] {
  const { unit, values } = scoreLattice(statements)
  const groups = relationships.flatMap((g) => {
    const f = result.groups[g]
    return f
      ? [{ label: `group:${g}`, attributable: g === 'manager', n: f.n, sum: Math.round(f.mean * f.n * unit) }]
      : []
  })
  const shownN = groups.reduce((s, b) => s + b.n, 0)
  const all = result.allOthers
  const poolN = (all?.n ?? 0) - shownN
  const blocks = [...groups]
  if (all && poolN > 0)
    blocks.push({
      label: 'pool',
      attributable: false,
      n: poolN,
      sum: Math.round(all.mean * all.n * unit) - groups.reduce((s, b) => s + b.sum, 0),
    })
  // The total sum of squares, when the spread is shown: n * (sd^2 + mean^2), in units^2.
  const totalSquares =
    all && result.spread !== null ? Math.round(all.n * (result.spread ** 2 + all.mean ** 2) * unit * unit) : null
  // Per block: sum of squares -> count, among multisets with the block's known sum.
  const squaresOf = blocks.map((b) => {
    const bySquares = new Map<number, number>()
    for (const { s, q, c } of multisetsBySumAndSquares(values, b.n).values())
      if (s === b.sum) bySquares.set(q, Math.min(2, (bySquares.get(q) ?? 0) + c))
    return bySquares
  })
  return blocks.map((b, i) => {
    let solutions = 0
    if (totalSquares === null) {
      for (const c of squaresOf[i]!.values()) solutions += c
    } else {
      // Others' achievable totals of squares (a set), then B's squares that complete the total.
      let others = new Set<number>([0])
      squaresOf.forEach((m, j) => {
        if (j === i) return
        const next = new Set<number>()
        for (const t of others) for (const q of m.keys()) next.add(t + q)
        others = next
      })
      for (const [q, c] of squaresOf[i]!) if (others.has(totalSquares - q)) solutions += c
    }
    return { label: b.label, attributable: b.attributable, n: b.n, solutions: Math.min(2, solutions) }
  })
}
