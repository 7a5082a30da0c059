import { describe, expect, it } from 'vitest'
import {
  DAYS_PER_MILESTONE,
  DAYS_TO_CLOSE_COMPETENCY_GAP,
  FALLING_TREND,
  MIN_CANDIDATES_FOR_AGGREGATE,
  STALLED_AFTER_DAYS,
  fallingDomains,
  readiness,
  readinessLabels,
  suppressed,
  trackStatus,
} from '~/domain/pipeline/signals'
import {
  evaluateGate,
  type GateCondition,
  type GateInput,
  type GateResult,
  type GateStage,
} from '~/domain/program/gate'

describe('constants', () => {
  it('match the model', () => {
    expect(STALLED_AFTER_DAYS).toBe(60)
    expect(DAYS_PER_MILESTONE).toBe(30)
    expect(DAYS_TO_CLOSE_COMPETENCY_GAP).toBe(180)
    expect(FALLING_TREND).toBe(0.3)
    expect(MIN_CANDIDATES_FOR_AGGREGATE).toBe(3)
    expect(readinessLabels).toEqual({
      'ready-now': 'Ready now',
      'within-6-months': 'Within 6 months',
      'within-12-months': 'Within 12 months',
      later: 'Later',
    })
  })
})

describe('trackStatus', () => {
  // 2026-03-01 -> 2026-04-30 = 30 (rest of March) + 30 (April 1..30) = 60 days; -> 2026-04-29 = 59.
  it('reports overdue first, however idle or active', () => {
    const overdue = { status: 'overdue', reason: 'Past the stage’s maximum window.' }
    expect(
      trackStatus({ overdue: true, lastActivityOn: '2025-01-01', enteredOn: '2024-12-01', today: '2026-04-30' }),
    ).toEqual(overdue)
    expect(
      trackStatus({ overdue: true, lastActivityOn: '2026-04-30', enteredOn: '2025-01-01', today: '2026-04-30' }),
    ).toEqual(overdue)
  })

  it('is stalled after exactly 60 idle days and on track at 59', () => {
    expect(
      trackStatus({ overdue: false, lastActivityOn: '2026-03-01', enteredOn: '2026-01-01', today: '2026-04-30' }),
    ).toEqual({
      status: 'stalled',
      reason: 'No milestone activity, plan update or assessment for 60 days (since 2026-03-01).',
    })
    expect(
      trackStatus({ overdue: false, lastActivityOn: '2026-03-01', enteredOn: '2026-01-01', today: '2026-04-29' }),
    ).toEqual({
      status: 'on-track',
      reason: 'Active within the last 59 days.',
    })
  })

  it('counts from the stage entry when there has been no activity', () => {
    // enteredOn 2026-03-01, no activity: 60 days on 2026-04-30.
    expect(trackStatus({ overdue: false, lastActivityOn: null, enteredOn: '2026-03-01', today: '2026-04-30' })).toEqual(
      {
        status: 'stalled',
        reason: 'No milestone activity, plan update or assessment for 60 days (since 2026-03-01).',
      },
    )
    expect(
      trackStatus({ overdue: false, lastActivityOn: null, enteredOn: '2026-03-01', today: '2026-04-29' }).status,
    ).toBe('on-track')
  })

  it('ignores activity from before the stage entry', () => {
    // Activity on 2026-02-01 (87 days before 2026-04-29) predates entering on 2026-03-01: count 59 days from entry.
    expect(
      trackStatus({ overdue: false, lastActivityOn: '2026-02-01', enteredOn: '2026-03-01', today: '2026-04-29' }),
    ).toEqual({
      status: 'on-track',
      reason: 'Active within the last 59 days.',
    })
    // Activity on the entry day itself: same count.
    expect(
      trackStatus({ overdue: false, lastActivityOn: '2026-03-01', enteredOn: '2026-03-01', today: '2026-04-30' })
        .status,
    ).toBe('stalled')
  })

  it('is on track with activity today', () => {
    expect(
      trackStatus({ overdue: false, lastActivityOn: '2026-04-30', enteredOn: '2025-01-01', today: '2026-04-30' }),
    ).toEqual({
      status: 'on-track',
      reason: 'Active within the last 0 days.',
    })
  })
})

/**
 * Readiness, with today 2026-05-01. Days ahead:
 *   +30  = 2026-05-31              +60  = 2026-06-30
 *   +100 = 2026-08-09  (Jun 1 = +31, Jul 1 = +61, Aug 1 = +92, + 8)
 *   +180 = 2026-10-28  (Oct 1 = +153, + 27)
 *   +183 = 2026-10-31  +184 = 2026-11-01
 *   +200 = 2026-11-17  (Nov 1 = +184, + 16)
 *   +366 = 2027-05-02  (2026-05-01 + 365 = 2027-05-01, no 29 February between)  +367 = 2027-05-03
 *   +400 = 2027-06-05  (2027-05-01 + 35)
 */
const TODAY = '2026-05-01'

const REASON = {
  milestones2: '2 required milestones to sign off (about a month each).',
  milestone1: '1 required milestone to sign off (about a month each).',
  competency: 'The latest 360 misses the exit profile (about six months to close the gaps and reassess).',
  paused: 'Paused: the estimate assumes the program resumes today.',
  waiting: 'Waiting for the mentor’s recommendation.',
  ready: 'Every condition of the gate is met; waiting for the recommendation and approval only.',
  time: (day: string) => `Time in stage is met from ${day}.`,
}

/** A hand-made gate result: only what readiness reads (conditions time/competency, earliestTimeOn, paused, readyForApproval). */
function gate(p: {
  time?: boolean
  earliestTimeOn?: string | null
  competency?: boolean | null
  ready?: boolean
  paused?: boolean
}): GateResult {
  const cond = (key: GateCondition['key'], met: boolean): GateCondition => ({ key, label: key, met, reasons: [] })
  const conditions: GateCondition[] = [cond('time', p.time ?? true), cond('milestones', true)]
  if (p.competency !== null) conditions.push(cond('competency', p.competency ?? true))
  conditions.push(cond('recommendation', p.ready ?? false), cond('approval', false))
  return {
    conditions,
    readyForApproval: p.ready ?? false,
    allMet: false,
    earliestTimeOn: p.earliestTimeOn === undefined ? '2026-01-01' : p.earliestTimeOn,
    overdue: false,
    overdueSince: null,
    paused: p.paused ?? false,
    final: false,
  }
}

const podLeadership: GateStage = {
  id: 'low-risk-pod-leadership',
  name: 'Low-Risk Pod Leadership',
  window: { minMonths: 12, maxMonths: null },
  exitTarget: { tolerance: 0.25, targets: { 'financial-literacy': 4, 'ml-fundamentals': 3 } },
}

function gateInput(overrides: Partial<GateInput> = {}): GateInput {
  return {
    stage: podLeadership,
    nextStageName: 'Full STO Certification',
    enteredOn: '2025-04-01',
    pauses: [],
    today: TODAY,
    milestones: [
      { title: 'Lead a quarterly planning', required: true, signedOff: true },
      { title: 'Run an incident review', required: true, signedOff: true },
    ],
    latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 4.1, 'ml-fundamentals': 3.0 } },
    capabilityNames: { 'financial-literacy': 'Financial Literacy', 'ml-fundamentals': 'ML Fundamentals' },
    recommendation: { byName: 'Maria Mentor', on: '2026-04-25' },
    mentor: { id: 7, name: 'Maria Mentor' },
    approver: null,
    ...overrides,
  }
}

describe('readiness from evaluateGate', () => {
  it('is ready now when the gate is ready for approval', () => {
    // Entered 2025-04-01 + 12 months = 2026-04-01 <= today; milestones signed; 360 clears; recommended.
    const g = evaluateGate(gateInput())
    expect(g.readyForApproval).toBe(true)
    expect(readiness(g, 0, TODAY)).toEqual({ bucket: 'ready-now', estimate: TODAY, reasons: [REASON.ready] })
  })

  it('takes the later of the time condition and the milestones', () => {
    // Entered 2025-08-09 + 12 months = 2026-08-09 = today + 100; 2 milestones -> today + 60 = 2026-06-30.
    const g = evaluateGate(
      gateInput({
        enteredOn: '2025-08-09',
        milestones: [
          { title: 'Lead a quarterly planning', required: true, signedOff: false },
          { title: 'Run an incident review', required: true, signedOff: false },
        ],
      }),
    )
    expect(g.earliestTimeOn).toBe('2026-08-09')
    expect(readiness(g, 2, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-08-09',
      reasons: [REASON.time('2026-08-09'), REASON.milestones2],
    })
  })

  it('adds six months when the 360 misses the exit profile', () => {
    // Financial literacy 3.5 < 4 - 0.25: unmet -> today + 180 = 2026-10-28.
    const g = evaluateGate(
      gateInput({ latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 3.5, 'ml-fundamentals': 3 } } }),
    )
    expect(readiness(g, 0, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-10-28',
      reasons: [REASON.competency],
    })
  })
})

describe('readiness', () => {
  it('is ready now, estimated today, when ready for approval (even with stale inputs)', () => {
    expect(readiness(gate({ ready: true }), 0, TODAY)).toEqual({
      bucket: 'ready-now',
      estimate: TODAY,
      reasons: [REASON.ready],
    })
    expect(readiness(gate({ ready: true, competency: false }), 3, TODAY).bucket).toBe('ready-now')
  })

  it('uses the time condition’s date: 100 days ahead -> within 6 months', () => {
    expect(readiness(gate({ time: false, earliestTimeOn: '2026-08-09' }), 0, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-08-09',
      reasons: [REASON.time('2026-08-09')],
    })
  })

  it('allows a month per unsigned required milestone', () => {
    // 2 * 30 = 60 days -> 2026-06-30; 1 * 30 -> 2026-05-31 (singular wording).
    expect(readiness(gate({}), 2, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-06-30',
      reasons: [REASON.milestones2],
    })
    expect(readiness(gate({}), 1, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-05-31',
      reasons: [REASON.milestone1],
    })
  })

  it('allows 180 days for an unmet competency condition: still within 6 months (180 <= 183)', () => {
    expect(readiness(gate({ competency: false }), 0, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-10-28',
      reasons: [REASON.competency],
    })
  })

  it('takes the latest of all drivers and names each', () => {
    // time +100 (2026-08-09), 2 milestones +60 (2026-06-30), competency +180 (2026-10-28) -> 2026-10-28.
    expect(readiness(gate({ time: false, earliestTimeOn: '2026-08-09', competency: false }), 2, TODAY)).toEqual({
      bucket: 'within-6-months',
      estimate: '2026-10-28',
      reasons: [REASON.time('2026-08-09'), REASON.milestones2, REASON.competency],
    })
    // 7 milestones = 210 days (2026-11-27) beat the competency's 180 -> within 12 months.
    // 2026-05-01 + 210 = 2026-11-01 (+184) + 26 = 2026-11-27.
    const r = readiness(gate({ competency: false }), 7, TODAY)
    expect(r.estimate).toBe('2026-11-27')
    expect(r.bucket).toBe('within-12-months')
    expect(r.reasons).toEqual(['7 required milestones to sign off (about a month each).', REASON.competency])
  })

  it('buckets by days to the estimate: <= 183, <= 366, later', () => {
    const at = (day: string) => readiness(gate({ time: false, earliestTimeOn: day }), 0, TODAY)
    expect(at('2026-10-31').bucket).toBe('within-6-months') // +183
    expect(at('2026-11-01').bucket).toBe('within-12-months') // +184
    expect(at('2026-11-17')).toEqual({
      bucket: 'within-12-months',
      estimate: '2026-11-17',
      reasons: [REASON.time('2026-11-17')],
    }) // +200
    expect(at('2027-05-02').bucket).toBe('within-12-months') // +366
    expect(at('2027-05-03').bucket).toBe('later') // +367
    expect(at('2027-06-05')).toEqual({ bucket: 'later', estimate: '2027-06-05', reasons: [REASON.time('2027-06-05')] }) // +400
    expect(at('2026-05-02').bucket).toBe('within-6-months') // +1
  })

  it('ignores a met time condition, a missing one, and a time date in the past', () => {
    // Time met: its date is not a driver even if it is in the future.
    expect(readiness(gate({ time: true, earliestTimeOn: '2026-08-09' }), 0, TODAY)).toEqual({
      bucket: 'ready-now',
      estimate: TODAY,
      reasons: [REASON.waiting],
    })
    // Time unmet without a date: nothing to wait for.
    expect(readiness(gate({ time: false, earliestTimeOn: null }), 0, TODAY).estimate).toBe(TODAY)
    // No competency condition at all (stage without exit target).
    expect(readiness(gate({ competency: null }), 0, TODAY)).toEqual({
      bucket: 'ready-now',
      estimate: TODAY,
      reasons: [REASON.waiting],
    })
    // An unmet time condition dated in the past keeps the estimate at today (the reason is still given).
    expect(readiness(gate({ time: false, earliestTimeOn: '2026-04-01' }), 0, TODAY)).toEqual({
      bucket: 'ready-now',
      estimate: TODAY,
      reasons: [REASON.time('2026-04-01')],
    })
  })

  it('waits for the recommendation only when nothing else is missing', () => {
    expect(readiness(gate({}), 0, TODAY)).toEqual({ bucket: 'ready-now', estimate: TODAY, reasons: [REASON.waiting] })
  })

  it('adds a reason for a paused candidate, last', () => {
    expect(readiness(gate({ paused: true }), 0, TODAY)).toEqual({
      bucket: 'ready-now',
      estimate: TODAY,
      reasons: [REASON.paused],
    })
    expect(readiness(gate({ paused: true, time: false, earliestTimeOn: '2026-11-17' }), 1, TODAY)).toEqual({
      bucket: 'within-12-months',
      estimate: '2026-11-17',
      reasons: [REASON.time('2026-11-17'), REASON.milestone1, REASON.paused],
    })
  })
})

describe('fallingDomains', () => {
  it('flags a drop of exactly 0.3 despite floating point', () => {
    // 3.1 - 2.8 = 0.30000000000000027; 2.3 - 2.0 = 0.2999999999999998 (just under 0.3 in binary).
    expect(fallingDomains({ a: 3.1 }, { a: 2.8 })).toEqual(['a'])
    expect(fallingDomains({ a: 2.3 }, { a: 2.0 })).toEqual(['a'])
    expect(fallingDomains({ a: 4.0 }, { a: 3.7 })).toEqual(['a']) // 0.2999999999999998 too
  })

  it('does not flag a drop of 0.29, a rise or no change', () => {
    expect(fallingDomains({ a: 3.1 }, { a: 2.81 })).toEqual([])
    expect(fallingDomains({ a: 3.0 }, { a: 2.71 })).toEqual([])
    expect(fallingDomains({ a: 2.8 }, { a: 3.1 })).toEqual([])
    expect(fallingDomains({ a: 3 }, { a: 3 })).toEqual([])
  })

  it('ignores null and missing values on either side', () => {
    expect(fallingDomains({ a: null, b: 4 }, { a: 1, b: null })).toEqual([])
    expect(fallingDomains({}, { a: 1 })).toEqual([])
    // A domain only in the previous cycle is not reported.
    expect(fallingDomains({ gone: 5 }, {})).toEqual([])
  })

  it('lists every falling domain in the order of the latest cycle', () => {
    const previous = { a: 3.5, b: 3.0, c: 4.2, d: null, e: 2.0 }
    const latest = { e: 1.0, d: 1.0, c: 3.9, b: 2.9, a: 2.5 }
    // e: 1.0 drop, d: no previous, c: 0.3 (4.2 - 3.9 = 0.30000000000000027), b: 0.1, a: 1.0.
    expect(fallingDomains(previous, latest)).toEqual(['e', 'c', 'a'])
  })
})

describe('suppressed', () => {
  it('hides an aggregate over fewer than 3 candidates', () => {
    expect(suppressed(4.2, 0)).toBeNull()
    expect(suppressed(4.2, 2)).toBeNull()
    expect(suppressed({ mean: 3 }, 1)).toBeNull()
  })

  it('shows it from 3 candidates on, unchanged', () => {
    expect(suppressed(4.2, 3)).toBe(4.2)
    expect(suppressed(0, 3)).toBe(0)
    const value = { mean: 3 }
    expect(suppressed(value, 10)).toBe(value)
  })
})
