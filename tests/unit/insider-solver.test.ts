/**
 * Issue 11's insider solver over reports: no block of non-manager raters is ever recovered from
 * what a report shows. Exhaustive over block sizes and lattices, and a property over 300 random
 * cycles with realistic answers (fast-check). The legacy model (full-precision means and a spread,
 * as reports carried them before decision 0016) is solved too, to show the solver finds what it
 * should: there, many blocks are recovered.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeMean } from '~/domain/assessment/precision'
import { computeReport, raterCapabilityScore, type ReportInput } from '~/domain/assessment/scoring'
import {
  relationships,
  type Answers,
  type RaterSubmission,
  type Relationship,
  type Score,
} from '~/domain/assessment/types'
import { realistic, small } from '../helpers/scoring-frameworks'
import {
  checkCodedModel,
  checkDomains,
  multisetsBySum,
  scoreLattice,
  solveCoded,
  solveLegacy,
  type LegacyCapability,
} from '../helpers/solver'

describe('coded block figures (exhaustive)', () => {
  for (const statements of [2, 3, 4]) {
    it(`every coded value of 3-20 non-manager raters on a ${statements}-statement capability fits at least two sets of scores`, () => {
      const { unit, values } = scoreLattice(statements)
      for (let n = 3; n <= 20; n++) {
        const perCoded = new Map<string, number>()
        for (const [s, c] of multisetsBySum(values, n)) {
          const coded = codeMean(s / unit / n)
          const key = `${coded.value}|${coded.censored}`
          perCoded.set(key, (perCoded.get(key) ?? 0) + c)
        }
        const unique = [...perCoded].filter(([, c]) => c < 2).map(([k]) => k)
        expect(unique, `n=${n}`).toEqual([])
      }
    })
  }

  it('the lattice of a 3-statement capability has thirds and halves, and the DP counts multisets', () => {
    const { unit, values } = scoreLattice(3)
    expect(unit).toBe(6)
    expect(values).toEqual(expect.arrayContaining([6, 8, 9, 10, 27, 28, 30]))
    expect(values).not.toContain(29) // 4.833… is no rater's score
    // Three raters at 5 and nothing else: one multiset; sum 29 (units) is unreachable.
    const ways = multisetsBySum(values, 3, 10)
    expect(ways.get(90)).toBe(1)
    expect(ways.get(88)).toBe(1) // 5, 5, 4.667
    expect(ways.get(86)).toBe(2) // 5, 5, 4.333 or 5, 4.667, 4.667
  })
})

// ---- random cycles with realistic answers: a rater's level plus noise, some "not observed" ----

type Cycle = { input: ReportInput; scoresOf: Map<string, Map<string, number | null>> }

const levelAnswer = (level: number, noise: number): Score => Math.max(1, Math.min(5, level + noise)) as Score

function cycleArb(): fc.Arbitrary<Cycle> {
  return fc.constantFrom(small, realistic).chain((framework) => {
    const statementIds = framework.capabilities.flatMap((c) => c.statementIds)
    const rater = fc.record({
      relationship: fc.constantFrom<Relationship>('manager', 'peer', 'peer', 'direct_report', 'stakeholder'),
      level: fc.integer({ min: 2, max: 5 }),
      noise: fc.array(fc.constantFrom(-1, 0, 0, 0, 1, null), {
        minLength: statementIds.length,
        maxLength: statementIds.length,
      }),
    })
    return fc.array(rater, { minLength: 3, maxLength: 16 }).map((raw) => {
      const raters: RaterSubmission[] = raw.map((r, i) => {
        const answers: Answers = {}
        statementIds.forEach((id, j) => {
          const noise = r.noise[j]
          answers[id] = noise === null || noise === undefined ? null : levelAnswer(r.level, noise)
        })
        return { raterKey: `r${i}`, relationship: r.relationship, answers, comments: {} }
      })
      const input: ReportInput = { framework, self: null, raters, targets: null, tolerance: 0, commentSeed: 'x' }
      const scoresOf = new Map(
        framework.capabilities.map((c) => [
          c.id,
          new Map(raters.map((r) => [r.raterKey, raterCapabilityScore(r.answers, c.statementIds)])),
        ]),
      )
      return { input, scoresOf }
    })
  })
}

/** What the report showed before decision 0016, computed from the raw scores of the same blocks. */
function legacyFigures(cycle: Cycle, capabilityId: string, statements: number): LegacyCapability {
  const scores = cycle.scoresOf.get(capabilityId)!
  const counted = (g: Relationship) =>
    cycle.input.raters
      .filter((r) => r.relationship === g && scores.get(r.raterKey) != null)
      .map((r) => scores.get(r.raterKey)!)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const groups: LegacyCapability['groups'] = {}
  const shown = (g: Relationship) => counted(g).length >= (g === 'manager' ? 1 : 3)
  for (const g of relationships) if (shown(g)) groups[g] = { mean: mean(counted(g)), n: counted(g).length }
  const pool = relationships.filter((g) => g !== 'manager' && !shown(g)).flatMap(counted)
  const all = [...relationships.filter(shown).flatMap(counted), ...(pool.length >= 3 ? pool : [])]
  const m = all.length ? mean(all) : 0
  void statements
  return {
    groups,
    allOthers: all.length ? { mean: m, n: all.length } : null,
    spread: all.length >= 2 ? Math.sqrt(all.reduce((a, x) => a + (x - m) ** 2, 0) / all.length) : null,
  }
}

describe('insider solver over random cycles (property)', () => {
  it('recovers no non-manager block from a report, and every figure follows from the coded blocks', () => {
    let blocks = 0
    fc.assert(
      fc.property(cycleArb(), (cycle) => {
        const report = computeReport(cycle.input)
        expect(checkDomains(report)).toEqual([])
        for (const result of report.capabilities) {
          expect(checkCodedModel(result, cycle.input.tolerance)).toEqual([])
          const statements = cycle.input.framework.capabilities.find((c) => c.id === result.capabilityId)!.statementIds
            .length
          for (const b of solveCoded(result, statements)) {
            if (b.attributable) continue
            blocks++
            expect(b.solutions, `${result.capabilityId} ${b.label} (n=${b.n})`).toBeGreaterThanOrEqual(2)
          }
        }
      }),
      { numRuns: 300, seed: 20261202 },
    )
    console.info(`insider solver, generated cycles, coded reports: 0 of ${blocks} non-manager blocks recovered`)
    expect(blocks).toBeGreaterThan(300)
  })

  it('the same solver recovers many blocks from the legacy figures (full precision and spread)', () => {
    let recovered = 0
    let total = 0
    fc.assert(
      fc.property(cycleArb(), (cycle) => {
        for (const cap of cycle.input.framework.capabilities) {
          for (const b of solveLegacy(legacyFigures(cycle, cap.id, cap.statementIds.length), cap.statementIds.length)) {
            if (b.attributable) continue
            total++
            if (b.solutions === 1) recovered++
          }
        }
      }),
      { numRuns: 100, seed: 20261202 },
    )
    console.info(
      `insider solver, generated cycles, legacy figures: ${recovered} of ${total} non-manager blocks recovered`,
    )
    expect(total).toBeGreaterThan(100)
    expect(recovered / total).toBeGreaterThan(0.2)
  })
})
