/**
 * Confidentiality of 360 reports, checked over many random cycles: no shown number, nor the
 * difference of two shown numbers of a capability, rests on 1 or 2 non-manager responses; and every
 * figure is shipped as coded (decision 0016): block means at one decimal, non-manager blocks top-
 * and bottom-coded, every other figure computed from the coded block values only.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  computeReport,
  computeReportWithProvenance,
  raterCapabilityScore,
  type CapabilityResult,
  type Provenance,
  type Report,
  type ReportInput,
} from '~/domain/assessment/scoring'
import {
  groupMinimums,
  relationships,
  type Answers,
  type RaterSubmission,
  type Relationship,
  type Score,
  type ScoringFramework,
} from '~/domain/assessment/types'

import { realistic, small } from '../helpers/scoring-frameworks'

// ---- plain arithmetic helpers ----

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}
/** One decimal, half up (the slack absorbs binary error only: 4.35 is 4.3499999... in floating point). */
function round1(x: number): number {
  return Math.round(x * 10 + 1e-9) / 10
}
type Coded = { mean: number; censored: 'above' | 'below' | null }
/** A block mean as decision 0016 ships it: rounded; unless attributable, >= 4.75 is "at least 4.8", < 1.25 "at most 1.2". */
function coded(x: number, attributable: boolean): Coded {
  const r = round1(x)
  if (!attributable && r >= 4.8) return { mean: 4.8, censored: 'above' }
  if (!attributable && r <= 1.2) return { mean: 1.2, censored: 'below' }
  return { mean: r, censored: null }
}

// ---- random cycles ----

/** A statement's answer: mostly a score, sometimes "not observed" (null), sometimes unanswered. */
const answerArb: fc.Arbitrary<Score | undefined> = fc.oneof(
  { arbitrary: fc.constantFrom<Score>(1, 2, 3, 4, 5), weight: 6 },
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: fc.constant(undefined), weight: 2 },
)

function answersArb(fw: ScoringFramework): fc.Arbitrary<Answers> {
  const ids = fw.capabilities.flatMap((c) => c.statementIds)
  return fc.array(answerArb, { minLength: ids.length, maxLength: ids.length }).map((scores) => {
    const out: Answers = {}
    ids.forEach((id, i) => {
      const s = scores[i]
      if (s !== undefined) out[id] = s
    })
    return out
  })
}

function commentsArb(fw: ScoringFramework): fc.Arbitrary<Record<string, string>> {
  const text = fc.oneof(fc.constantFrom('', '   ', 'Good in incidents', ' Needs focus '), fc.string({ maxLength: 20 }))
  return fc
    .tuple(...fw.domains.map((d) => fc.option(text, { nil: undefined }).map((t) => [d.id, t] as const)))
    .map((pairs) => {
      const out: Record<string, string> = {}
      for (const [id, t] of pairs) if (t !== undefined) out[id] = t
      return out
    })
}

type RawRater = { id: string; answers: Answers; comments: Record<string, string> }
function ratersArb(fw: ScoringFramework, max: number): fc.Arbitrary<RawRater[]> {
  return fc.array(fc.record({ id: fc.uuid(), answers: answersArb(fw), comments: commentsArb(fw) }), { maxLength: max })
}

/** Per capability: whose scores to change, and to what (keeping which statements are scored). */
type Perturbation = { who: number; scores: number[] }

type Cycle = { input: ReportInput; perturbations: Perturbation[] }

const cycleArb: fc.Arbitrary<Cycle> = fc.constantFrom(small, realistic).chain((fw) =>
  fc
    .record({
      self: fc.option(answersArb(fw), { nil: null }),
      manager: ratersArb(fw, 2),
      peer: ratersArb(fw, 8),
      direct_report: ratersArb(fw, 8),
      stakeholder: ratersArb(fw, 8),
      targets: fc.option(
        fc.array(fc.integer({ min: 1, max: 5 }), {
          minLength: fw.capabilities.length,
          maxLength: fw.capabilities.length,
        }),
        {
          nil: null,
        },
      ),
      tolerance: fc.constantFrom(0, 0.25, 0.5),
      commentSeed: fc.string({ maxLength: 12 }),
      order: fc.array(fc.nat(), { minLength: 26, maxLength: 26 }),
      perturbations: fc.array(
        fc.record({ who: fc.nat(), scores: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }) }),
        { minLength: fw.capabilities.length, maxLength: fw.capabilities.length },
      ),
    })
    .map((r) => {
      let index = 0
      const raters: RaterSubmission[] = relationships.flatMap((g) =>
        r[g].map((raw) => ({
          raterKey: `rater-${raw.id}-${index++}`,
          relationship: g,
          answers: raw.answers,
          comments: raw.comments,
        })),
      )
      // interleave the groups in a random order
      const keyed = raters.map((rater, i) => ({ rater, sortKey: r.order[i] ?? 0, i }))
      keyed.sort((a, b) => a.sortKey - b.sortKey || a.i - b.i)
      const targets =
        r.targets === null ? null : Object.fromEntries(fw.capabilities.map((c, i) => [c.id, r.targets![i]!]))
      const input: ReportInput = {
        framework: fw,
        self: r.self,
        raters: keyed.map((k) => k.rater),
        targets,
        tolerance: r.tolerance,
        commentSeed: r.commentSeed,
      }
      return { input, perturbations: r.perturbations }
    }),
)

// ---- reading figures back ----

function cap(report: Report, id: string): CapabilityResult {
  const found = report.capabilities.find((c) => c.capabilityId === id)
  if (!found) throw new Error(`no capability ${id}`)
  return found
}

/** The number a provenance entry names. */
function valueOf(report: Report, capabilityId: string, figure: string): number | null {
  const c = cap(report, capabilityId)
  if (figure.startsWith('group:')) return c.groups[figure.slice('group:'.length) as Relationship]?.mean ?? null
  switch (figure) {
    case 'self':
      return c.self
    case 'allOthers':
      return c.allOthers?.mean ?? null
    case 'gap':
      return c.gap
    case 'selfMinusOthers':
      return c.selfMinusOthers
    default:
      throw new Error(`unknown figure ${figure}`)
  }
}

function relationshipOf(input: ReportInput): Map<string, Relationship> {
  return new Map(input.raters.map((r) => [r.raterKey, r.relationship]))
}

function nonManagers(keys: Iterable<string>, rel: Map<string, Relationship>): number {
  let n = 0
  for (const k of keys) {
    const g = rel.get(k)
    if (g === undefined) throw new Error(`provenance names unknown rater ${k}`)
    if (g !== 'manager') n += 1
  }
  return n
}

function statementsOf(input: ReportInput, capabilityId: string): string[] {
  return input.framework.capabilities.find((c) => c.id === capabilityId)!.statementIds
}

/**
 * Checks an entry against the raters it names: recomputes its number from their answers, coded as
 * decision 0016 says (exactly: shipped figures are whole tenths, so no tolerance is needed).
 */
function expectRecomputable(input: ReportInput, report: Report, entry: Provenance[number]) {
  const fail = (why: string) => expect.fail(`${entry.capabilityId} ${entry.figure}: ${why}`)
  const exactly = (actual: number | null, expected: number) => {
    if (actual === null || !Object.is(actual, expected)) fail(`shows ${actual}, its raters give ${expected}`)
  }
  const statements = statementsOf(input, entry.capabilityId)
  const byKey = new Map(input.raters.map((r) => [r.raterKey, r]))
  const scored: Array<{ relationship: Relationship; score: number }> = []
  for (const k of entry.raterKeys) {
    const score = raterCapabilityScore(byKey.get(k)!.answers, statements)
    if (score === null) fail(`rests on ${k}, who does not count`)
    else scored.push({ relationship: byKey.get(k)!.relationship, score })
  }
  const c = cap(report, entry.capabilityId)
  const shown = valueOf(report, entry.capabilityId, entry.figure)
  const rawSelf = input.self === null ? null : raterCapabilityScore(input.self, statements)
  const self = rawSelf === null ? null : round1(rawSelf)
  // "all others" from its raters: each shown group is a coded block, the rest (hidden non-manager
  // groups) one coded pool; the n-weighted mean of the coded blocks, coded again.
  const othersOf = (): Coded => {
    const blocks: Array<{ value: Coded; n: number }> = []
    for (const g of relationships) {
      const block = scored.filter((x) => x.relationship === g && c.groups[g] !== null).map((x) => x.score)
      if (block.length > 0) blocks.push({ value: coded(mean(block), g === 'manager'), n: block.length })
    }
    const pool = scored.filter((x) => c.groups[x.relationship] === null)
    if (pool.some((x) => x.relationship === 'manager')) fail('a manager in the pool')
    if (pool.length > 0 && pool.length < 3) fail(`a pool of ${pool.length}`)
    if (pool.length > 0) blocks.push({ value: coded(mean(pool.map((x) => x.score)), false), n: pool.length })
    const n = blocks.reduce((a, b) => a + b.n, 0)
    return coded(blocks.reduce((a, b) => a + b.value.mean * b.n, 0) / n, false)
  }
  switch (entry.figure) {
    case 'self':
      if (entry.raterKeys.length > 0) fail('self rests on raters')
      exactly(shown, self!)
      return
    case 'gap':
      if (c.target !== input.targets![entry.capabilityId]) fail('wrong target')
      exactly(shown, round1(othersOf().mean - c.target!))
      return
    case 'selfMinusOthers':
      exactly(shown, round1(self! - othersOf().mean))
      return
    default: {
      // group:<g> or allOthers
      if (scored.length === 0) fail('shown figure on nobody')
      const g = entry.figure.startsWith('group:') ? (entry.figure.slice('group:'.length) as Relationship) : null
      if (g !== null && entry.raterKeys.some((k) => byKey.get(k)!.relationship !== g))
        fail('a group figure rests on another group')
      const expected = g === null ? othersOf() : coded(mean(scored.map((x) => x.score)), g === 'manager')
      const figure = g === null ? c.allOthers : c.groups[g]
      exactly(shown, expected.mean)
      if (figure?.censored !== expected.censored)
        fail(`censored is ${figure?.censored}, its raters give ${expected.censored}`)
      if (figure?.n !== scored.length) fail(`n is ${figure?.n}, provenance has ${scored.length}`)
    }
  }
}

/** Changes one rater's scores on one capability, keeping which statements are scored. */
function perturb(input: ReportInput, capabilityId: string, raterKey: string, scores: number[]): ReportInput {
  const statements = statementsOf(input, capabilityId)
  const raters = input.raters.map((r) => {
    if (r.raterKey !== raterKey) return r
    const answers: Answers = { ...r.answers }
    statements.forEach((id, i) => {
      if (typeof answers[id] === 'number') answers[id] = scores[i] as Score
    })
    return { ...r, answers }
  })
  return { ...input, raters }
}

const RUNS = 300

describe('confidentiality (property)', () => {
  it('every shown figure, and every difference of two, rests on 0 or >= 3 non-manager responses', () => {
    let pooled = 0
    let poolDropped = 0
    let differences = 0
    fc.assert(
      fc.property(cycleArb, ({ input }) => {
        const { report, provenance } = computeReportWithProvenance(input)
        const rel = relationshipOf(input)
        // a. each figure
        for (const entry of provenance) {
          const n = nonManagers(entry.raterKeys, rel)
          if (n > 0 && n < 3) expect.fail(`${entry.capabilityId} ${entry.figure} rests on ${n} non-managers`)
        }
        // b. each pair of figures of one capability
        for (const c of input.framework.capabilities) {
          const entries = provenance.filter((p) => p.capabilityId === c.id)
          for (let i = 0; i < entries.length; i++)
            for (let j = i + 1; j < entries.length; j++) {
              const a = new Set(entries[i]!.raterKeys)
              const b = new Set(entries[j]!.raterKeys)
              const diff = [...a].filter((k) => !b.has(k)).concat([...b].filter((k) => !a.has(k)))
              const n = nonManagers(diff, rel)
              if (n > 0) differences += 1
              if (n > 0 && n < 3)
                expect.fail(`${c.id} ${entries[i]!.figure} vs ${entries[j]!.figure}: ${n} non-managers`)
            }
          // how often the pool mattered, so the property is not vacuous
          const result = cap(report, c.id)
          const shownN = relationships.reduce((s, g) => s + (result.groups[g]?.n ?? 0), 0)
          const hiddenCounted = input.raters.filter(
            (r) =>
              r.relationship !== 'manager' &&
              result.groups[r.relationship] === null &&
              raterCapabilityScore(r.answers, c.statementIds) !== null,
          ).length
          if ((result.allOthers?.n ?? 0) > shownN) pooled += 1
          else if (hiddenCounted > 0) poolDropped += 1
        }
      }),
      { numRuns: RUNS },
    )
    expect(pooled).toBeGreaterThan(50)
    expect(poolDropped).toBeGreaterThan(50)
    expect(differences).toBeGreaterThan(50)
  })

  it('provenance is honest: its raters recompute the figure, and no other rater moves it', () => {
    fc.assert(
      fc.property(cycleArb, ({ input, perturbations }) => {
        const { report, provenance } = computeReportWithProvenance(input)
        for (const entry of provenance) expectRecomputable(input, report, entry)
        if (input.raters.length === 0) return
        input.framework.capabilities.forEach((c, ci) => {
          const p = perturbations[ci]!
          const who = input.raters[p.who % input.raters.length]!
          const changedInput = perturb(input, c.id, who.raterKey, p.scores)
          const changed = computeReportWithProvenance(changedInput)
          const before = provenance.filter((e) => e.capabilityId === c.id)
          const after = changed.provenance.filter((e) => e.capabilityId === c.id)
          // which figures are shown, and on whom, depends only on which statements are scored
          expect(JSON.stringify(after)).toBe(JSON.stringify(before))
          for (const entry of before) {
            const was = valueOf(report, c.id, entry.figure)
            const now = valueOf(changed.report, c.id, entry.figure)
            if (!entry.raterKeys.includes(who.raterKey) && !Object.is(was, now))
              expect.fail(
                `${c.id} ${entry.figure} moved from ${was} to ${now} when a rater not in its provenance changed`,
              )
          }
          // nor does the rest of a figure (its n, or whether it is a bound)
          for (const g of [...relationships.map((x) => `group:${x}`), 'allOthers']) {
            const entry = before.find((e) => e.figure === g)
            if (entry?.raterKeys.includes(who.raterKey)) continue
            const figureOf = (r: Report) =>
              JSON.stringify(
                g === 'allOthers'
                  ? cap(r, c.id).allOthers
                  : cap(r, c.id).groups[g.slice('group:'.length) as Relationship],
              )
            if (figureOf(changed.report) !== figureOf(report))
              expect.fail(
                `${c.id} ${g} changed from ${figureOf(report)} to ${figureOf(changed.report)} when a rater not in its provenance changed`,
              )
          }
          for (const entry of after) expectRecomputable(changedInput, changed.report, entry)
          // other capabilities are untouched
          const others = (r: Report) => JSON.stringify(r.capabilities.filter((x) => x.capabilityId !== c.id))
          expect(others(changed.report)).toBe(others(report))
        })
      }),
      { numRuns: RUNS },
    )
  })

  it('ships every figure at one decimal, codes non-manager blocks at the ends of the scale, and has no spread', () => {
    let above = 0
    let below = 0
    fc.assert(
      fc.property(cycleArb, ({ input }) => {
        const report = computeReport(input)
        expect(report.precision).toBe('coded-1dp')
        const oneDecimal = (x: number | null | undefined, what: string) => {
          if (typeof x === 'number' && !Object.is(round1(x), x)) expect.fail(`${what} is ${x}, finer than one decimal`)
        }
        for (const c of report.capabilities) {
          expect(c).not.toHaveProperty('spread')
          for (const [what, x] of Object.entries({ self: c.self, gap: c.gap, selfMinusOthers: c.selfMinusOthers }))
            oneDecimal(x, `${c.capabilityId} ${what}`)
          const figures = [...relationships.map((g) => [g, c.groups[g]] as const), ['allOthers', c.allOthers] as const]
          for (const [what, f] of figures) {
            if (f === null) continue
            oneDecimal(f.mean, `${c.capabilityId} ${what}`)
            if (what === 'manager') {
              expect(f.censored).toBeNull()
              continue
            }
            // a non-manager block is never shown beyond the codes, and a code is always a bound
            expect(f.mean).toBeGreaterThanOrEqual(1.2)
            expect(f.mean).toBeLessThanOrEqual(4.8)
            expect(f.censored).toBe(f.mean === 4.8 ? 'above' : f.mean === 1.2 ? 'below' : null)
            if (f.censored === 'above') above += 1
            if (f.censored === 'below') below += 1
          }
        }
        for (const d of report.domains)
          for (const x of [d.self, d.allOthers, d.target, ...relationships.map((g) => d.groups[g])])
            oneDecimal(x, `${d.domainId}`)
      }),
      { numRuns: RUNS },
    )
    // the codes were exercised, so the property is not vacuous
    expect(above).toBeGreaterThan(0)
    expect(below).toBeGreaterThan(0)
  })

  it('hides small groups entirely: no figure, no count, no comment', () => {
    fc.assert(
      fc.property(cycleArb, ({ input }) => {
        const report = computeReport(input)
        const submitted = (g: Relationship) => input.raters.filter((r) => r.relationship === g).length
        for (const c of report.capabilities)
          for (const g of relationships) {
            const figure = c.groups[g]
            if (figure !== null) expect(figure.n).toBeGreaterThanOrEqual(g === 'manager' ? 1 : 3)
          }
        for (const g of relationships) {
          const shown = submitted(g) >= groupMinimums[g]
          expect(report.groupsShown[g]).toEqual({ shown, responses: shown ? submitted(g) : null })
        }
        for (const comment of report.comments) expect(report.groupsShown[comment.relationship].shown).toBe(true)
        // and every non-blank comment of a shown group is there, trimmed
        const expected = input.raters
          .filter((r) => report.groupsShown[r.relationship].shown)
          .flatMap((r) =>
            input.framework.domains.flatMap((d) => {
              const text = (r.comments[d.id] ?? '').trim()
              return text === '' ? [] : [{ relationship: r.relationship, domainId: d.id, text }]
            }),
          )
        const canonical = (xs: Report['comments']) => xs.map((x) => JSON.stringify(x)).sort()
        expect(canonical(report.comments)).toEqual(canonical(expected))
        // the comment order does not depend on the order raters come in
        expect(computeReport({ ...input, raters: [...input.raters].reverse() }).comments).toEqual(report.comments)
      }),
      { numRuns: RUNS },
    )
  })

  it('puts no rater key in the serialised report, and the report survives JSON', () => {
    fc.assert(
      fc.property(cycleArb, ({ input }) => {
        const report = computeReport(input)
        const json = JSON.stringify(report)
        for (const r of input.raters) expect(json).not.toContain(r.raterKey)
        expect(json).not.toContain('rater-')
        expect(JSON.parse(json)).toEqual(report)
      }),
      { numRuns: RUNS },
    )
  })

  it('computes domain figures as means of the shown capability figures', () => {
    fc.assert(
      fc.property(cycleArb, ({ input }) => {
        const report = computeReport(input)
        // means of the shown (coded) capability figures, rounded to the one decimal shown
        const meanOrNull = (xs: Array<number | null | undefined>) => {
          const present = xs.filter((x): x is number => typeof x === 'number')
          return present.length === 0 ? null : round1(mean(present))
        }
        const expectSame = (actual: number | null, expected: number | null) => {
          if (expected === null) expect(actual).toBeNull()
          else expect(actual).toBe(expected)
        }
        for (const d of input.framework.domains) {
          const result = report.domains.find((x) => x.domainId === d.id)!
          const caps = d.capabilityIds.map((id) => cap(report, id))
          expectSame(result.self, meanOrNull(caps.map((c) => c.self)))
          expectSame(result.allOthers, meanOrNull(caps.map((c) => c.allOthers?.mean)))
          expectSame(result.target, meanOrNull(caps.map((c) => c.target)))
          for (const g of relationships) expectSame(result.groups[g], meanOrNull(caps.map((c) => c.groups[g]?.mean)))
        }
      }),
      { numRuns: RUNS },
    )
  })
})
