import { describe, expect, it } from 'vitest'
import {
  BLIND_SPOT_THRESHOLD,
  computeReport,
  computeReportWithProvenance,
  raterCapabilityScore,
  type CapabilityResult,
  type Report,
  type ReportInput,
} from '~/domain/assessment/scoring'
import type { Answers, RaterSubmission, Relationship, Score } from '~/domain/assessment/types'

import { realistic, small } from '../helpers/scoring-frameworks'

/** Answers from capability id -> scores of its statements in order; undefined = not answered. */
function answers(spec: Record<string, Array<Score | undefined>>): Answers {
  const out: Answers = {}
  for (const [cap, scores] of Object.entries(spec))
    scores.forEach((s, i) => {
      if (s !== undefined) out[`${cap}.b${i + 1}`] = s
    })
  return out
}

let seq = 0
function rater(
  relationship: Relationship,
  spec: Record<string, Array<Score | undefined>>,
  comments: Record<string, string> = {},
): RaterSubmission {
  seq += 1
  return { raterKey: `rater-${relationship}-${seq}`, relationship, answers: answers(spec), comments }
}

function input(partial: Partial<ReportInput>): ReportInput {
  return { framework: small, self: null, raters: [], targets: null, tolerance: 0.25, commentSeed: 'seed', ...partial }
}

function cap(report: Report, id: string): CapabilityResult {
  const found = report.capabilities.find((c) => c.capabilityId === id)
  if (!found) throw new Error(`no capability ${id}`)
  return found
}

describe('raterCapabilityScore (the half rule)', () => {
  const three = ['a', 'b', 'c']
  const two = ['a', 'b']

  it('does not count 1 scored statement of 3', () => {
    // 1 * 2 = 2 < 3
    expect(raterCapabilityScore({ a: 4 }, three)).toBeNull()
    expect(raterCapabilityScore({ a: 4, b: null, c: null }, three)).toBeNull()
  })

  it('counts 2 scored statements of 3, leaving "not observed" out of the mean', () => {
    // 2 * 2 = 4 >= 3; mean (4 + 2) / 2 = 3
    expect(raterCapabilityScore({ a: 4, b: null, c: 2 }, three)).toBe(3)
    // unanswered is treated like not observed: (5 + 4) / 2 = 4.5
    expect(raterCapabilityScore({ a: 5, b: 4 }, three)).toBe(4.5)
  })

  it('counts 1 scored statement of 2', () => {
    // 1 * 2 = 2 >= 2; mean 5
    expect(raterCapabilityScore({ a: 5, b: null }, two)).toBe(5)
    expect(raterCapabilityScore({ b: 2 }, two)).toBe(2)
  })

  it('gives null when nothing is scored', () => {
    expect(raterCapabilityScore({}, two)).toBeNull()
    expect(raterCapabilityScore({ a: null, b: null }, two)).toBeNull()
    expect(raterCapabilityScore({ a: 3 }, [])).toBeNull()
  })

  it('ignores answers to other statements', () => {
    // only a counts: (3) of 2 statements -> 3
    expect(raterCapabilityScore({ a: 3, z: 1 }, two)).toBe(3)
  })
})

describe('computeReport', () => {
  it('leaves "not observed" out of the means and shows it as coverage', () => {
    const m1 = rater('manager', { c1: [3, null] }) // 3
    const p1 = rater('peer', { c1: [4, null] }) // 4
    const p2 = rater('peer', { c1: [2, 4] }) // 3
    const p3 = rater('peer', { c1: [5, 5] }) // 5
    const p4 = rater('peer', { c1: [null, null] }) // does not count
    const report = computeReport(input({ raters: [m1, p1, p2, p3, p4] }))
    const c1 = cap(report, 'c1')
    expect(c1.groups.manager).toEqual({ mean: 3, n: 1, censored: null })
    // peers: (4 + 3 + 5) / 3 = 4
    expect(c1.groups.peer).toEqual({ mean: 4, n: 3, censored: null })
    // all others from the coded blocks: (3 * 1 + 4 * 3) / 4 = 15 / 4 = 3.75, shown (half up) 3.8
    expect(c1.allOthers).toEqual({ mean: 3.8, n: 4, censored: null })
    // p4 is a submitted peer (peers shown) who did not count
    expect(c1.coverage).toEqual({ rated: 4, notObserved: 1, of: 5 })
    // no spread any more (decision 0016): with mean and n it could determine individual scores
    expect(c1).not.toHaveProperty('spread')
    expect(report.groupsShown.peer).toEqual({ shown: true, responses: 4 })
  })

  it('hides a group under its minimum: no score, no count, and its raters are not pooled when too few', () => {
    const m1 = rater('manager', { c1: [4, 4] }) // 4
    const p1 = rater('peer', { c1: [3, 3] }, { d1: 'p1 says' }) // 3
    const p2 = rater('peer', { c1: [5, 5] }, { d1: 'p2 says' }) // 5
    const two = computeReport(input({ raters: [m1, p1, p2] }))
    expect(cap(two, 'c1').groups.peer).toBeNull()
    expect(two.groupsShown.peer).toEqual({ shown: false, responses: null })
    expect(two.groupsShown.direct_report).toEqual({ shown: false, responses: null })
    expect(two.groupsShown.manager).toEqual({ shown: true, responses: 1 })
    // pool of 2 peers < 3: left out, so all others rests on the manager alone
    expect(cap(two, 'c1').allOthers).toEqual({ mean: 4, n: 1, censored: null })
    expect(cap(two, 'c1').coverage).toEqual({ rated: 1, notObserved: 0, of: 1 })
    expect(two.comments).toEqual([])

    const p3 = rater('peer', { c1: [4, 4] }) // 4
    const three = computeReport(input({ raters: [m1, p1, p2, p3] }))
    // peers: (3 + 5 + 4) / 3 = 4; all others: (4 + 3 + 5 + 4) / 4 = 4
    expect(cap(three, 'c1').groups.peer).toEqual({ mean: 4, n: 3, censored: null })
    expect(cap(three, 'c1').allOthers).toEqual({ mean: 4, n: 4, censored: null })
    expect(three.groupsShown.peer).toEqual({ shown: true, responses: 3 })
    expect(three.comments).toHaveLength(2)
  })

  it('hides a group for one capability when too few of it count there, though shown in the report', () => {
    const p1 = rater('peer', { c1: [3, 3], c2: [4, 4, null] }) // c2: 4
    const p2 = rater('peer', { c1: [3, 3], c2: [2, null, null] }) // c2: 1 of 3, not counted
    const p3 = rater('peer', { c1: [3, 3], c2: [2, 2, 2] }) // c2: 2
    const report = computeReport(input({ raters: [p1, p2, p3] }))
    expect(report.groupsShown.peer).toEqual({ shown: true, responses: 3 })
    expect(cap(report, 'c1').groups.peer).toEqual({ mean: 3, n: 3, censored: null })
    // c2: 2 peers count -> hidden; pool of 2 < 3 -> nothing at all
    expect(cap(report, 'c2').groups.peer).toBeNull()
    expect(cap(report, 'c2').allOthers).toBeNull()
    expect(cap(report, 'c2')).not.toHaveProperty('spread')
    // peers are not shown for c2, so p2 is not counted as "not observed" either
    expect(cap(report, 'c2').coverage).toEqual({ rated: 0, notObserved: 0, of: 0 })
  })

  it('pools 2 direct reports + 1 stakeholder (3) into all others, but not a pool of 2', () => {
    const m1 = rater('manager', { c1: [4, 4], c2: [4, 4, 4] }) // c1 4, c2 4
    const ps = [1, 2, 3].map(() => rater('peer', { c1: [3, 3], c2: [3, 3, 3] })) // 3 each
    const d1 = rater('direct_report', { c1: [2, 2], c2: [2, 2, 2] }) // 2
    const d2 = rater('direct_report', { c1: [1, 1], c2: [1, 1, 1] }) // 1
    const s1 = rater('stakeholder', { c1: [5, 5] }) // c1 5, nothing on c2
    const { report, provenance } = computeReportWithProvenance(input({ raters: [m1, ...ps, d1, d2, s1] }))

    const c1 = cap(report, 'c1')
    expect(c1.groups.manager).toEqual({ mean: 4, n: 1, censored: null })
    expect(c1.groups.peer).toEqual({ mean: 3, n: 3, censored: null })
    expect(c1.groups.direct_report).toBeNull()
    expect(c1.groups.stakeholder).toBeNull()
    // pool d1, d2, s1 = 3: (2 + 1 + 5) / 3 = 8 / 3, coded 2.7;
    // all others (4 * 1 + 3 * 3 + 2.7 * 3) / 7 = 21.1 / 7 = 3.01..., shown 3.0
    expect(c1.allOthers).toEqual({ mean: 3, n: 7, censored: null })
    // only manager and peers are shown for c1, and all of them counted
    expect(c1.coverage).toEqual({ rated: 7, notObserved: 0, of: 7 })
    const keys = provenance.find((p) => p.capabilityId === 'c1' && p.figure === 'allOthers')?.raterKeys
    expect(new Set(keys)).toEqual(new Set([m1, ...ps, d1, d2, s1].map((r) => r.raterKey)))

    // c2: pool d1, d2 = 2 -> left out: (4 + 3 + 3 + 3) / 4 = 13 / 4 = 3.25, shown 3.3
    const c2 = cap(report, 'c2')
    expect(c2.allOthers).toEqual({ mean: 3.3, n: 4, censored: null })
    expect(c2.coverage).toEqual({ rated: 4, notObserved: 0, of: 4 })
    expect(report.groupsShown.direct_report).toEqual({ shown: false, responses: null })
    expect(report.groupsShown.stakeholder).toEqual({ shown: false, responses: null })
  })

  it('shows all others resting on managers alone, with equal weight per manager', () => {
    const m1 = rater('manager', { c1: [4, 4] }) // 4
    const m2 = rater('manager', { c1: [2, 3] }) // 2.5
    const d1 = rater('direct_report', { c1: [1, 1] })
    const s1 = rater('stakeholder', { c1: [1, 1] })
    const { report, provenance } = computeReportWithProvenance(input({ raters: [m1, m2, d1, s1] }))
    const c1 = cap(report, 'c1')
    // (4 + 2.5) / 2 = 3.25, shown 3.3; all others is computed from that coded value, so 3.3 too
    expect(c1.groups.manager).toEqual({ mean: 3.3, n: 2, censored: null })
    expect(c1.allOthers).toEqual({ mean: 3.3, n: 2, censored: null })
    expect(c1).not.toHaveProperty('spread')
    expect(provenance.find((p) => p.capabilityId === 'c1' && p.figure === 'allOthers')?.raterKeys).toEqual([
      m1.raterKey,
      m2.raterKey,
    ])

    const one = computeReport(input({ raters: [m1] }))
    expect(cap(one, 'c1').allOthers).toEqual({ mean: 4, n: 1, censored: null })
  })

  it('weighs every rater equally, however many statements they scored', () => {
    const ps = [
      rater('peer', { c2: [5, 5, 5] }), // 5
      rater('peer', { c2: [1, 1, null] }), // 1
      rater('peer', { c2: [3, 3, 3] }), // 3
    ]
    // (5 + 1 + 3) / 3 = 3, not (15 + 2 + 9) / 8
    expect(cap(computeReport(input({ raters: ps })), 'c2').allOthers).toEqual({ mean: 3, n: 3, censored: null })
  })

  it('codes each block once: one decimal, non-manager blocks top- and bottom-coded, managers only rounded', () => {
    const peers = (...scores: Score[][]) => scores.map((c1) => rater('peer', { c1 }))
    const peerFigure = (ps: RaterSubmission[]) => cap(computeReport(input({ raters: ps })), 'c1').groups.peer
    // 5, 5, 5 -> 5: shown as "at least 4.8", so it never says all three gave the top score
    expect(peerFigure(peers([5, 5], [5, 5], [5, 5]))).toEqual({ mean: 4.8, n: 3, censored: 'above' })
    // 5, 5, 4.5, 4.5 -> 19 / 4 = 4.75 is already "at least 4.8"; 5, 5, 4.5, 4.5, 4.5 -> 4.7 is not
    expect(peerFigure(peers([5, 5], [5, 5], [4, 5], [5, 4]))).toEqual({ mean: 4.8, n: 4, censored: 'above' })
    expect(peerFigure(peers([5, 5], [5, 5], [4, 5], [5, 4], [4, 5]))).toEqual({ mean: 4.7, n: 5, censored: null })
    // 1, 1, 1, 1.5 -> 1.125: "at most 1.2"; 1, 1, 1.5, 1.5 -> 1.25, shown 1.3, is not coded
    expect(peerFigure(peers([1, 1], [1, 1], [1, 1], [1, 2]))).toEqual({ mean: 1.2, n: 4, censored: 'below' })
    expect(peerFigure(peers([1, 1], [1, 1], [1, 2], [2, 1]))).toEqual({ mean: 1.3, n: 4, censored: null })

    // managers are attributable: 5 stays 5 and 1 stays 1
    const m5 = rater('manager', { c1: [5, 5] })
    const m1 = rater('manager', { c1: [1, 1] })
    expect(cap(computeReport(input({ raters: [m5] })), 'c1').groups.manager).toEqual({ mean: 5, n: 1, censored: null })
    expect(cap(computeReport(input({ raters: [m1] })), 'c1').groups.manager).toEqual({ mean: 1, n: 1, censored: null })

    // all others combines the coded values: (5 * 1 + 4.8 * 3) / 4 = 4.85, coded again as "at least 4.8"
    const report = computeReport(input({ raters: [m5, ...peers([5, 5], [5, 5], [5, 5])] }))
    expect(report.precision).toBe('coded-1dp')
    expect(cap(report, 'c1').allOthers).toEqual({ mean: 4.8, n: 4, censored: 'above' })

    // a hidden pool is coded too: 2 direct reports + 1 stakeholder, all 5, with 3 peers at 3:
    // pool "at least 4.8" (4.8), all others (3 * 3 + 4.8 * 3) / 6 = 3.9, not (9 + 15) / 6 = 4
    const pooled = [
      ...peers([3, 3], [3, 3], [3, 3]),
      rater('direct_report', { c1: [5, 5] }),
      rater('direct_report', { c1: [5, 5] }),
      rater('stakeholder', { c1: [5, 5] }),
    ]
    expect(cap(computeReport(input({ raters: pooled })), 'c1').allOthers).toEqual({ mean: 3.9, n: 6, censored: null })
  })

  it('computes gap and meetsTarget with the tolerance', () => {
    // c1: 3, 3, 3, 2.5, 2.5 -> 14 / 5 = 2.8; c3: 2.5, 2.5, 3, 2.5, 3 -> 13.5 / 5 = 2.7
    const ps = [
      rater('peer', { c1: [3, 3], c3: [2, 3] }),
      rater('peer', { c1: [3, 3], c3: [2, 3] }),
      rater('peer', { c1: [3, 3], c3: [3, 3] }),
      rater('peer', { c1: [2, 3], c3: [2, 3] }),
      rater('peer', { c1: [2, 3], c3: [3, 3] }),
    ]
    const report = computeReport(input({ raters: ps, targets: { c1: 3, c3: 3, c4: 2 }, tolerance: 0.25 }))
    // every figure is shipped at one decimal: exactly 2.8, -0.2, not 2.8000000000000003
    const c1 = cap(report, 'c1')
    expect(c1.allOthers?.mean).toBe(2.8)
    expect(c1.target).toBe(3)
    expect(c1.gap).toBe(-0.2)
    expect(c1.meetsTarget).toBe(true) // 2.8 >= 3 - 0.25 = 2.75, in whole tenths 28 >= 28
    const c3 = cap(report, 'c3')
    expect(c3.allOthers?.mean).toBe(2.7)
    expect(c3.gap).toBe(-0.3)
    expect(c3.meetsTarget).toBe(false) // 2.7 < 2.75: 27 < 28
    // c2: no target; c4: target but nobody rated it
    expect(cap(report, 'c2')).toMatchObject({ target: null, gap: null, meetsTarget: null })
    expect(cap(report, 'c4')).toMatchObject({ target: 2, allOthers: null, gap: null, meetsTarget: null })

    // on the edge: 3, 3, 2.5, 2.5 -> 11 / 4 = 2.75, shown 2.8, which meets 2.75 (compared as shown)
    const edge = computeReport(input({ raters: ps.slice(1, 5), targets: { c1: 3 }, tolerance: 0.25 }))
    expect(cap(edge, 'c1').allOthers?.mean).toBe(2.8)
    expect(cap(edge, 'c1').gap).toBe(-0.2)
    expect(cap(edge, 'c1').meetsTarget).toBe(true)
    // the shown figure decides, not the raw mean: 3 - 0.3 = 2.7 meets a shown 2.7 exactly
    const exact = computeReport(input({ raters: ps, targets: { c3: 3 }, tolerance: 0.3 }))
    expect(cap(exact, 'c3')).toMatchObject({ allOthers: { mean: 2.7 }, gap: -0.3, meetsTarget: true })

    const none = computeReport(input({ raters: ps, targets: null }))
    expect(cap(none, 'c1')).toMatchObject({ target: null, gap: null, meetsTarget: null })
    expect(none.largestGaps).toEqual([])
  })

  it('flags a blind spot at exactly +1.0 and a hidden strength at exactly -1.0', () => {
    expect(BLIND_SPOT_THRESHOLD).toBe(1)
    const ps = [1, 2, 3].map(() => rater('peer', { c1: [3, 3], c2: [3, 3, 3], c3: [3, 3], c4: [3, 3, 3] })) // 3 everywhere
    const self = answers({ c1: [4, null], c2: [2, 2, 2], c3: [4, 3], c4: [null, 2, null] })
    const report = computeReport(input({ raters: ps, self }))
    // c1: self 4 (1 of 2 counts), 4 - 3 = +1.0
    expect(cap(report, 'c1')).toMatchObject({ self: 4, selfMinusOthers: 1, flag: 'blind-spot' })
    // c2: 2 - 3 = -1.0
    expect(cap(report, 'c2')).toMatchObject({ self: 2, selfMinusOthers: -1, flag: 'hidden-strength' })
    // c3: (4 + 3) / 2 = 3.5; 3.5 - 3 = 0.5
    expect(cap(report, 'c3')).toMatchObject({ self: 3.5, selfMinusOthers: 0.5, flag: null })
    // c4: 1 of 3 -> self null
    expect(cap(report, 'c4')).toMatchObject({ self: null, selfMinusOthers: null, flag: null })
    expect(report.blindSpots).toEqual(['c1'])
    expect(report.hiddenStrengths).toEqual(['c2'])
  })

  it('has no self figures when the candidate did not submit', () => {
    const ps = [1, 2, 3].map(() => rater('peer', { c1: [3, 3] }))
    const report = computeReport(input({ raters: ps, self: null }))
    for (const c of report.capabilities) expect(c).toMatchObject({ self: null, selfMinusOthers: null, flag: null })
    for (const d of report.domains) expect(d.self).toBeNull()
    expect(report.blindSpots).toEqual([])
  })

  it('orders strongest, weakest and largest gaps, breaking ties by framework order', () => {
    // all others: c1 3, c2 4, c3 3, c4 2; targets 4 -> gaps -1, 0, -1, -2
    const ps = [1, 2, 3].map(() => rater('peer', { c1: [3, 3], c2: [4, 4, 4], c3: [3, 3], c4: [2, 2, 2] }))
    const report = computeReport(input({ raters: ps, targets: { c1: 4, c2: 4, c3: 4, c4: 4 } }))
    expect(report.strongest).toEqual(['c2', 'c1', 'c3'])
    expect(report.weakest).toEqual(['c4', 'c1', 'c3'])
    // c2's gap of 0 is not a gap
    expect(report.largestGaps).toEqual(['c4', 'c1', 'c3'])

    // only capabilities with all others take part: c4 unrated
    const fewer = [1, 2, 3].map(() => rater('peer', { c1: [3, 3], c2: [4, 4, 4], c3: [3, 3] }))
    const partial = computeReport(input({ raters: fewer, targets: { c1: 4, c2: 4, c3: 4, c4: 4 } }))
    expect(partial.strongest).toEqual(['c2', 'c1', 'c3'])
    expect(partial.weakest).toEqual(['c1', 'c3', 'c2'])
    expect(partial.largestGaps).toEqual(['c1', 'c3'])
  })

  it('computes domain figures from the shown capability figures', () => {
    const m1 = rater('manager', { c1: [4, 4], c2: [3, 3, 3], c3: [2, 2], c4: [5, 5, 5] })
    const p1 = rater('peer', { c1: [3, 3], c2: [2, 2, 2], c3: [3, 3], c4: [4, 4, 4] })
    const p2 = rater('peer', { c1: [4, 4], c2: [4, 4, 4], c3: [3, 3], c4: [4, 4, 4] })
    const p3 = rater('peer', { c1: [5, 5], c2: [null, null, null], c3: [3, 3], c4: [4, 4, 4] })
    const self = answers({ c1: [4, 4], c2: [2, null, null], c3: [5, 4], c4: [3, 3, 3] })
    const report = computeReport(input({ raters: [m1, p1, p2, p3], self, targets: { c1: 3, c2: 4, c3: 3 } }))
    // c1: manager 4, peers (3 + 4 + 5) / 3 = 4, all others (4 + 3 + 4 + 5) / 4 = 4
    expect(cap(report, 'c1')).toMatchObject({
      groups: { manager: { mean: 4, n: 1 }, peer: { mean: 4, n: 3 } },
      allOthers: { mean: 4, n: 4, censored: null },
    })
    // c2: 2 peers count -> hidden, pool of 2 left out: all others = manager 3
    expect(cap(report, 'c2')).toMatchObject({
      groups: { manager: { mean: 3, n: 1 }, peer: null },
      allOthers: { mean: 3, n: 1 },
    })
    // c3: all others (2 + 3 * 3) / 4 = 2.75, shown 2.8; c4: (5 + 3 * 4) / 4 = 4.25, shown 4.3
    expect(cap(report, 'c3').allOthers).toEqual({ mean: 2.8, n: 4, censored: null })
    expect(cap(report, 'c4').allOthers).toEqual({ mean: 4.3, n: 4, censored: null })
    // the manager's 5 is attributable: rounded only, never top-coded
    expect(cap(report, 'c4').groups.manager).toEqual({ mean: 5, n: 1, censored: null })

    const [d1, d2] = report.domains
    // d1: self 4 (c2's self is 1 of 3 -> null); manager (4 + 3) / 2; peer: c1 only; all others (4 + 3) / 2
    expect(d1).toEqual({
      domainId: 'd1',
      name: 'Delivery',
      self: 4,
      groups: { manager: 3.5, peer: 4, direct_report: null, stakeholder: null },
      allOthers: 3.5,
      target: 3.5, // (3 + 4) / 2
    })
    // d2: self (4.5 + 3) / 2 = 3.75, shown 3.8; manager (2 + 5) / 2; peer (3 + 4) / 2;
    // all others from the shown capability figures (2.8 + 4.3) / 2 = 3.55, shown 3.6; target c3 only
    expect(d2).toEqual({
      domainId: 'd2',
      name: 'People',
      self: 3.8,
      groups: { manager: 3.5, peer: 3.5, direct_report: null, stakeholder: null },
      allOthers: 3.6,
      target: 3,
    })
  })

  it('shows comments of shown groups only, verbatim but trimmed, without rater keys, in a stable shuffled order', () => {
    const m1 = rater('manager', { c1: [4, 4] }, { d1: 'Clear priorities.', d2: '   ', unknown: 'Not a domain' })
    const p1 = rater('peer', { c1: [3, 3] }, { d1: 'Great at reviews.', d2: 'Shares context.' })
    const p2 = rater('peer', { c1: [3, 3] }, { d2: '  Listens well.  ' })
    const p3 = rater('peer', { c1: [3, 3] }, { d1: 'Runs calm incidents.' })
    const dr = rater('direct_report', { c1: [1, 1] }, { d1: 'Secret direct report comment' })
    const st = rater('stakeholder', { c1: [1, 1] }, { d2: 'Secret stakeholder comment' })
    const raters = [m1, p1, p2, p3, dr, st]
    const report = computeReport(input({ raters, commentSeed: 'cycle-42' }))

    const byContent = (a: { text: string }, b: { text: string }) => (a.text < b.text ? -1 : 1)
    expect([...report.comments].sort(byContent)).toEqual(
      [
        { relationship: 'manager', domainId: 'd1', text: 'Clear priorities.' },
        { relationship: 'peer', domainId: 'd1', text: 'Great at reviews.' },
        { relationship: 'peer', domainId: 'd2', text: 'Shares context.' },
        { relationship: 'peer', domainId: 'd2', text: 'Listens well.' },
        { relationship: 'peer', domainId: 'd1', text: 'Runs calm incidents.' },
      ].sort(byContent),
    )

    // same seed and comments -> same order, whatever order the raters come in
    expect(computeReport(input({ raters, commentSeed: 'cycle-42' })).comments).toEqual(report.comments)
    expect(computeReport(input({ raters: [...raters].reverse(), commentSeed: 'cycle-42' })).comments).toEqual(
      report.comments,
    )
    // other seeds give other orders (5 comments: 120 orders; 20 seeds cannot all agree)
    const orders = new Set(
      Array.from({ length: 20 }, (_, i) =>
        JSON.stringify(computeReport(input({ raters, commentSeed: `s${i}` })).comments),
      ),
    )
    expect(orders.size).toBeGreaterThan(1)

    const json = JSON.stringify(report)
    for (const r of raters) expect(json).not.toContain(r.raterKey)
    expect(json).not.toContain('raterKey')
    expect(json).not.toContain('Secret')
  })

  it('produces a JSON-serialisable report', () => {
    const ps = [1, 2, 3].map(() => rater('peer', { c1: [3, null], c2: [2, 4, 5] }))
    const report = computeReport(input({ raters: ps, self: answers({ c1: [2, 2] }), targets: { c1: 3 } }))
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('refuses a rater key given twice', () => {
    const p = rater('peer', { c1: [3, 3] })
    expect(() => computeReport(input({ raters: [p, { ...p }] }))).toThrow(/more than once/)
  })

  it('scores the real shape (4 domains x 4 capabilities x 3 statements)', () => {
    const all = (score: Score, except: Record<string, Array<Score | undefined>> = {}) =>
      Object.fromEntries(realistic.capabilities.map((c) => [c.id, except[c.id] ?? [score, score, score]]))
    const m = rater('manager', all(4))
    const peers = [1, 2, 3, 4].map(() => rater('peer', all(3)))
    const drs = [
      rater('direct_report', all(2, { 'cap-0': [2, null, null] })), // 1 of 3 on cap-0: not counted
      rater('direct_report', all(2)),
      rater('direct_report', all(2)),
    ]
    const sts = [1, 2].map(() => rater('stakeholder', all(5), { 'dom-0': 'Stakeholder words' }))
    const self = answers(all(3, { 'cap-5': [4, 4, 4] }))
    const targets = Object.fromEntries(realistic.capabilities.map((c) => [c.id, 3]))
    const report = computeReport({
      framework: realistic,
      self,
      raters: [m, ...peers, ...drs, ...sts],
      targets,
      tolerance: 0.25,
      commentSeed: 'x',
    })

    expect(report.groupsShown).toEqual({
      manager: { shown: true, responses: 1 },
      peer: { shown: true, responses: 4 },
      direct_report: { shown: true, responses: 3 },
      stakeholder: { shown: false, responses: null },
    })
    expect(report.comments).toEqual([])

    // cap-0: DR counted 2 -> hidden; pool = 2 DR + 2 stakeholders = 4 >= 3: (2 * 2 + 2 * 5) / 4 = 3.5
    // all others from the coded blocks (4 + 4 * 3 + 4 * 3.5) / 9 = 30 / 9, shown 3.3
    const c0 = cap(report, 'cap-0')
    expect(c0.groups).toEqual({
      manager: { mean: 4, n: 1, censored: null },
      peer: { mean: 3, n: 4, censored: null },
      direct_report: null,
      stakeholder: null,
    })
    expect(c0.allOthers).toEqual({ mean: 3.3, n: 9, censored: null })
    expect(c0.coverage).toEqual({ rated: 9, notObserved: 0, of: 9 })
    expect(c0).not.toHaveProperty('spread')
    // differences are of shown figures, rounded as shown: 3.3 - 3 and 3 - 3.3
    expect(c0).toMatchObject({ gap: 0.3, meetsTarget: true, self: 3, selfMinusOthers: -0.3, flag: null })

    // cap-1: DR shown; stakeholders alone (2) are a pool too small: (4 + 12 + 6) / 8 = 2.75, shown 2.8
    const c1 = cap(report, 'cap-1')
    expect(c1.groups).toEqual({
      manager: { mean: 4, n: 1, censored: null },
      peer: { mean: 3, n: 4, censored: null },
      direct_report: { mean: 2, n: 3, censored: null },
      stakeholder: null,
    })
    expect(c1.allOthers).toEqual({ mean: 2.8, n: 8, censored: null })
    expect(c1.coverage).toEqual({ rated: 8, notObserved: 0, of: 8 })
    expect(c1).toMatchObject({ target: 3, gap: -0.2, meetsTarget: true, self: 3, selfMinusOthers: 0.2, flag: null })
    // cap-5: self 4 - 2.8 = 1.2
    expect(cap(report, 'cap-5')).toMatchObject({ selfMinusOthers: 1.2, flag: 'blind-spot' })

    expect(report.strongest).toEqual(['cap-0', 'cap-1', 'cap-2'])
    expect(report.weakest).toEqual(['cap-1', 'cap-2', 'cap-3'])
    expect(report.largestGaps).toEqual(['cap-1', 'cap-2', 'cap-3'])
    expect(report.blindSpots).toEqual(['cap-5'])
    expect(report.hiddenStrengths).toEqual([])

    const [dom0, dom1] = report.domains
    // dom-0: DR shown on cap-1..3 only -> 2; all others from the shown figures (3.3 + 3 * 2.8) / 4 = 2.925, shown 2.9
    expect(dom0).toMatchObject({
      self: 3,
      target: 3,
      allOthers: 2.9,
      groups: { manager: 4, peer: 3, direct_report: 2, stakeholder: null },
    })
    // dom-1: self (3 + 4 + 3 + 3) / 4 = 3.25, shown 3.3
    expect(dom1).toMatchObject({ self: 3.3, allOthers: 2.8, target: 3 })
  })
})

describe('input checks and comment order (mutation testing)', () => {
  it('refuses an unknown relationship: the counts that confidentiality rests on would be wrong', () => {
    const odd = { ...rater('peer', { c1: [3, 3] }), relationship: 'boss' as Relationship }
    expect(() => computeReport(input({ raters: [odd] }))).toThrow('computeReport: unknown relationship')
  })

  it('orders comments of one group and domain by their text before shuffling, so rater order leaves no trace', () => {
    const peers = ['Zeal for quality.', 'Asks good questions.', 'Makes calm calls.', 'Brings data.'].map((t) =>
      rater('peer', { c1: [3, 3] }, { d1: t }),
    )
    const forward = computeReport(input({ raters: peers, commentSeed: 'x' })).comments
    const reversed = computeReport(input({ raters: [...peers].reverse(), commentSeed: 'x' })).comments
    const rotated = computeReport(
      input({ raters: [...peers.slice(2), ...peers.slice(0, 2)], commentSeed: 'x' }),
    ).comments
    expect(reversed).toEqual(forward)
    expect(rotated).toEqual(forward)
  })
})
