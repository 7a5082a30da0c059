import { describe, expect, it } from 'vitest'
import {
  evaluateGate,
  gateFingerprint,
  unmetConditions,
  type ConditionKey,
  type GateCondition,
  type GateInput,
  type GateResult,
  type GateStage,
} from '~/domain/program/gate'

const shadow: GateStage = {
  id: 'shadow',
  name: 'Shadow',
  window: { minMonths: 3, maxMonths: 6 },
  exitTarget: { tolerance: 0.25, targets: { 'financial-literacy': 3, 'ml-fundamentals': 2 } },
}

const assistant: GateStage = {
  id: 'assistant-sto',
  name: 'Assistant STO',
  window: { minMonths: 6, maxMonths: 12 },
  exitTarget: { tolerance: 0.25, targets: { 'financial-literacy': 2, 'ml-fundamentals': 3 } },
}

const podLeadership: GateStage = {
  id: 'low-risk-pod-leadership',
  name: 'Low-Risk Pod Leadership',
  window: { minMonths: 12, maxMonths: null },
  exitTarget: { tolerance: 0.25, targets: { 'financial-literacy': 4, 'ml-fundamentals': 3 } },
}

const certification: GateStage = {
  id: 'full-sto-certification',
  name: 'Full STO Certification',
  window: null,
  exitTarget: null,
}

const mentor = { id: 7, name: 'Maria Mentor' }
const hr = { id: 9, name: 'Hana Hr', isHr: true }

/**
 * Everything met: Shadow entered 2026-01-10, so 3 months are complete on 2026-04-10 (90 days) and
 * the 6-month maximum falls on 2026-07-10; today is 2026-05-01. Both required milestones signed
 * off; the 360 clears both targets (3.1 >= 3 - 0.25, 2.2 >= 2 - 0.25); recommended; approved by HR.
 */
function input(overrides: Partial<GateInput> = {}): GateInput {
  return {
    stage: shadow,
    nextStageName: 'Assistant STO',
    enteredOn: '2026-01-10',
    pauses: [],
    today: '2026-05-01',
    milestones: [
      { title: 'Shadow a month-end close', required: true, signedOff: true },
      { title: 'Present to the risk committee', required: true, signedOff: true },
      { title: 'Read the model-risk handbook', required: false, signedOff: false },
    ],
    latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 3.1, 'ml-fundamentals': 2.2 } },
    capabilityNames: { 'financial-literacy': 'Financial Literacy', 'ml-fundamentals': 'ML Fundamentals' },
    recommendation: { byName: 'Maria Mentor', on: '2026-04-25' },
    mentor,
    approver: hr,
    ...overrides,
  }
}

function condition(result: GateResult, key: ConditionKey): GateCondition {
  const c = result.conditions.find((x) => x.key === key)
  if (!c) throw new Error(`no ${key} condition`)
  return c
}

describe('evaluateGate: the baseline', () => {
  it('meets the first four conditions, in order; the approval stays pending until someone approves', () => {
    const r = evaluateGate(input())
    expect(r.conditions.map((c) => c.key)).toEqual(['time', 'milestones', 'competency', 'recommendation', 'approval'])
    expect(r.conditions.filter((c) => c.key !== 'approval').every((c) => c.met)).toBe(true)
    expect(condition(r, 'approval')).toMatchObject({ met: false, pending: true })
    expect(r.readyForApproval).toBe(true)
    expect(r.allMet).toBe(true)
    expect(r.earliestTimeOn).toBe('2026-04-10')
    expect(r.overdue).toBe(false)
    expect(r.overdueSince).toBeNull()
    expect(r.paused).toBe(false)
    expect(r.final).toBe(false)
  })
})

describe('evaluateGate: time in stage', () => {
  it('is met exactly on the earliest day and not the day before', () => {
    // 2026-01-10 + 3 months = 2026-04-10.
    const before = evaluateGate(input({ today: '2026-04-09' }))
    expect(condition(before, 'time')).toEqual({
      key: 'time',
      label: 'At least 3 months of active time in Shadow',
      met: false,
      reasons: ['Not before 2026-04-10.'],
    })
    expect(before.earliestTimeOn).toBe('2026-04-10')
    expect(before.readyForApproval).toBe(false)
    expect(before.allMet).toBe(false)

    const on = evaluateGate(input({ today: '2026-04-10' }))
    expect(condition(on, 'time').met).toBe(true)
    expect(condition(on, 'time').reasons).toEqual(['Met on 2026-04-10.'])
    expect(on.allMet).toBe(true)
  })

  it('clamps the earliest day at a month end', () => {
    // Assistant STO, entered 2026-01-31: + 6 months = July has 31 days -> 2026-07-31.
    expect(evaluateGate(input({ stage: assistant, enteredOn: '2026-01-31', today: '2026-03-01' })).earliestTimeOn).toBe(
      '2026-07-31',
    )
    // Entered 2027-08-31: + 6 months = February 2028 (leap year) -> 2028-02-29.
    expect(evaluateGate(input({ stage: assistant, enteredOn: '2027-08-31', today: '2027-09-01' })).earliestTimeOn).toBe(
      '2028-02-29',
    )
  })

  it('is moved back 20 days by a 20-day pause', () => {
    // Pause 2026-02-01 -> 2026-02-21 = 20 days; 2026-04-10 + 20 = 2026-04-30.
    const pauses = [{ startedOn: '2026-02-01', endedOn: '2026-02-21' }]
    const dayBefore = evaluateGate(input({ pauses, today: '2026-04-29' }))
    expect(dayBefore.earliestTimeOn).toBe('2026-04-30')
    expect(condition(dayBefore, 'time').met).toBe(false)
    expect(condition(dayBefore, 'time').reasons).toEqual(['Not before 2026-04-30.'])
    expect(dayBefore.paused).toBe(false)

    const on = evaluateGate(input({ pauses, today: '2026-04-30' }))
    expect(condition(on, 'time').met).toBe(true)
    expect(condition(on, 'time').reasons).toEqual(['Met on 2026-04-30.'])
  })

  it('adds up two pauses', () => {
    // 10 days (Feb 1 -> Feb 11) + 5 days (Mar 1 -> Mar 6) = 15; 2026-04-10 + 15 = 2026-04-25.
    const pauses = [
      { startedOn: '2026-02-01', endedOn: '2026-02-11' },
      { startedOn: '2026-03-01', endedOn: '2026-03-06' },
    ]
    expect(evaluateGate(input({ pauses, today: '2026-04-24' })).earliestTimeOn).toBe('2026-04-25')
  })

  it('with a stage window of null (final stage) is met, with no earliest day and never overdue', () => {
    const r = evaluateGate(
      input({ stage: certification, nextStageName: null, enteredOn: '2020-01-01', today: '2030-01-01' }),
    )
    expect(condition(r, 'time')).toEqual({
      key: 'time',
      label: 'Time in stage',
      met: true,
      reasons: ['This stage has no minimum length.'],
    })
    expect(r.earliestTimeOn).toBeNull()
    expect(r.overdue).toBe(false)
    expect(r.overdueSince).toBeNull()
    expect(r.final).toBe(true)
  })
})

describe('evaluateGate: an open pause', () => {
  it('holds the time condition back and says the candidate is paused', () => {
    // Open pause since 2026-04-01, today 2026-04-15: 14 paused days; 2026-04-10 + 14 = 2026-04-24.
    const r = evaluateGate(input({ pauses: [{ startedOn: '2026-04-01', endedOn: null }], today: '2026-04-15' }))
    expect(r.paused).toBe(true)
    expect(r.earliestTimeOn).toBe('2026-04-24')
    const time = condition(r, 'time')
    expect(time.met).toBe(false)
    expect(time.reasons).toEqual([
      'Not before 2026-04-24 (later still: the candidate is paused, and paused time does not count).',
    ])
    expect(time.reasons[0]).toMatch(/paused/)
    expect(r.readyForApproval).toBe(false)
    expect(r.allMet).toBe(false)
  })

  it('keeps allMet false even when every condition is otherwise met', () => {
    // Open pause since 2026-04-20, after the threshold 2026-04-10 was reached: the date stays 2026-04-10.
    const r = evaluateGate(input({ pauses: [{ startedOn: '2026-04-20', endedOn: null }] }))
    expect(r.paused).toBe(true)
    expect(r.earliestTimeOn).toBe('2026-04-10')
    expect(r.conditions.find((c) => c.key === 'time')!.reasons.join(' ')).toMatch(/paused/)
    expect(r.conditions.filter((c) => c.key !== 'approval').every((c) => c.met)).toBe(true)
    expect(r.readyForApproval).toBe(true)
    expect(r.allMet).toBe(false)
  })

  it('is over once the pause has ended (endedOn is the first active day again)', () => {
    const pauses = [{ startedOn: '2026-04-20', endedOn: '2026-05-01' }]
    expect(evaluateGate(input({ pauses, today: '2026-04-30' })).paused).toBe(true)
    const r = evaluateGate(input({ pauses, today: '2026-05-01' }))
    expect(r.paused).toBe(false)
    expect(r.allMet).toBe(true)
  })
})

describe('evaluateGate: overdue', () => {
  it('is overdue the day after the maximum window', () => {
    // Shadow entered 2026-01-10 + 6 months = 2026-07-10.
    const onLimit = evaluateGate(input({ today: '2026-07-10' }))
    expect(onLimit.overdue).toBe(false)
    expect(onLimit.overdueSince).toBeNull()

    const r = evaluateGate(input({ today: '2026-07-11' }))
    expect(r.overdue).toBe(true)
    expect(r.overdueSince).toBe('2026-07-10')
    // Being overdue does not change the conditions themselves.
    expect(r.allMet).toBe(true)
  })

  it('is not overdue when a 15-day pause pushes the maximum back', () => {
    // Pause 2026-03-01 -> 2026-03-16 = 15 days; limit 2026-07-10 + 15 = 2026-07-25.
    const pauses = [{ startedOn: '2026-03-01', endedOn: '2026-03-16' }]
    const r = evaluateGate(input({ pauses, today: '2026-07-11' }))
    expect(r.overdue).toBe(false)
    expect(r.overdueSince).toBeNull()

    expect(evaluateGate(input({ pauses, today: '2026-07-25' })).overdue).toBe(false)
    const later = evaluateGate(input({ pauses, today: '2026-07-26' }))
    expect(later.overdue).toBe(true)
    expect(later.overdueSince).toBe('2026-07-25')
  })

  it('is not overdue while an open pause keeps pushing the maximum back', () => {
    // Open since 2026-07-01, today 2026-07-15: 14 paused days; limit 2026-07-10 + 14 = 2026-07-24.
    const r = evaluateGate(input({ pauses: [{ startedOn: '2026-07-01', endedOn: null }], today: '2026-07-15' }))
    expect(r.overdue).toBe(false)
    expect(r.paused).toBe(true)
  })

  it('uses the stage maximum (Assistant STO: 12 months)', () => {
    // Entered 2026-01-10 + 12 months = 2027-01-10.
    const base = { stage: assistant, enteredOn: '2026-01-10' }
    expect(evaluateGate(input({ ...base, today: '2027-01-10' })).overdue).toBe(false)
    expect(evaluateGate(input({ ...base, today: '2027-01-11' })).overdueSince).toBe('2027-01-10')
  })

  it('is never overdue in a stage without a maximum', () => {
    const r = evaluateGate(
      input({ stage: podLeadership, nextStageName: 'Full STO Certification', today: '2031-01-01' }),
    )
    expect(r.earliestTimeOn).toBe('2027-01-10')
    expect(r.overdue).toBe(false)
    expect(r.overdueSince).toBeNull()
  })

  it('overdueSince is the day the maximum was passed, not moved later by a pause taken afterwards', () => {
    // No pause up to 2026-07-10: active days on 2026-07-10 = 181 = 6 calendar months from 2026-01-10,
    // so the candidate has been overdue since 2026-07-10. A later pause (2026-08-01 -> 2026-08-15,
    // 14 days) cannot change when the maximum was passed. dayAfterActiveMonths adds every paused
    // day up to today, so the gate reports 2026-07-10 + 14 = 2026-07-24 instead.
    const r = evaluateGate(input({ pauses: [{ startedOn: '2026-08-01', endedOn: '2026-08-15' }], today: '2026-09-01' }))
    expect(r.overdue).toBe(true)
    expect(r.overdueSince).toBe('2026-07-10')
  })
})

describe('evaluateGate: milestones', () => {
  it('are met when every required milestone is signed off; optional unsigned ones do not block', () => {
    const c = condition(evaluateGate(input()), 'milestones')
    expect(c).toEqual({
      key: 'milestones',
      label: 'Every required milestone signed off',
      met: true,
      reasons: ['All 2 required milestones are signed off.'],
    })
  })

  it('name each required milestone not signed off, and only those', () => {
    const r = evaluateGate(
      input({
        milestones: [
          { title: 'Shadow a month-end close', required: true, signedOff: false },
          { title: 'Present to the risk committee', required: true, signedOff: false },
          { title: 'Run a pod retro', required: true, signedOff: true },
          { title: 'Read the model-risk handbook', required: false, signedOff: false },
        ],
      }),
    )
    const c = condition(r, 'milestones')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual([
      'Shadow a month-end close: not signed off yet.',
      'Present to the risk committee: not signed off yet.',
    ])
    expect(r.readyForApproval).toBe(false)
    expect(r.allMet).toBe(false)
  })

  it('are met when the stage has no required milestones', () => {
    const c = condition(
      evaluateGate(input({ milestones: [{ title: 'Optional', required: false, signedOff: false }] })),
      'milestones',
    )
    expect(c.met).toBe(true)
    expect(c.reasons).toEqual(['All 0 required milestones are signed off.'])
  })
})

describe('evaluateGate: competency', () => {
  const with360 = (others: Record<string, number | null>) => input({ latest360: { closedOn: '2026-04-20', others } })

  it('is met when every capability clears target - tolerance', () => {
    const c = condition(evaluateGate(input()), 'competency')
    expect(c).toEqual({
      key: 'competency',
      label: 'Latest 360 meets the Shadow exit profile',
      met: true,
      reasons: ['The 360 closed 2026-04-20 meets every target (tolerance 0.25).'],
    })
  })

  it('names a capability below target by more than the tolerance, with both numbers to one decimal', () => {
    // Financial Literacy 2.4 < 3 - 0.25 = 2.75; ML Fundamentals 2.2 >= 2 - 0.25 = 1.75.
    const r = evaluateGate(with360({ 'financial-literacy': 2.4, 'ml-fundamentals': 2.2 }))
    const c = condition(r, 'competency')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['Financial Literacy: others rate 2.4, target 3.0.'])
    expect(r.readyForApproval).toBe(false)
  })

  it('names every capability that falls short', () => {
    // 2.4 < 2.75 and 1.5 < 1.75.
    const c = condition(evaluateGate(with360({ 'financial-literacy': 2.4, 'ml-fundamentals': 1.5 })), 'competency')
    expect(c.reasons).toEqual([
      'Financial Literacy: others rate 2.4, target 3.0.',
      'ML Fundamentals: others rate 1.5, target 2.0.',
    ])
  })

  it('is met exactly at target - tolerance, and not just below it', () => {
    // 3 - 0.25 = 2.75 and 2 - 0.25 = 1.75: both exactly on the line.
    expect(
      condition(evaluateGate(with360({ 'financial-literacy': 2.75, 'ml-fundamentals': 1.75 })), 'competency').met,
    ).toBe(true)
    // 2.74 < 2.75: not met; 2.74 shows as 2.7.
    const below = condition(
      evaluateGate(with360({ 'financial-literacy': 2.74, 'ml-fundamentals': 1.75 })),
      'competency',
    )
    expect(below.met).toBe(false)
    expect(below.reasons).toEqual(['Financial Literacy: others rate 2.7, target 3.0.'])
  })

  it('is met at target - tolerance even when the subtraction is inexact in floating point', () => {
    // Target 2, tolerance 0.36: the line is 1.64, but 2 - 0.36 === 1.6400000000000001 in binary floating point.
    const stage: GateStage = { ...shadow, exitTarget: { tolerance: 0.36, targets: { 'ml-fundamentals': 2 } } }
    expect(2 - 0.36).toBeGreaterThan(1.64)
    const r = evaluateGate(input({ stage, latest360: { closedOn: '2026-04-20', others: { 'ml-fundamentals': 1.64 } } }))
    expect(condition(r, 'competency').met).toBe(true)
  })

  it('is not met when a capability has no others figure, and says so', () => {
    const c = condition(evaluateGate(with360({ 'financial-literacy': 3.1, 'ml-fundamentals': null })), 'competency')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['ML Fundamentals: not enough ratings in the latest 360 to judge (target 2.0).'])
  })

  it('treats a capability missing from the 360 like a null figure', () => {
    const c = condition(evaluateGate(with360({ 'financial-literacy': 3.1 })), 'competency')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['ML Fundamentals: not enough ratings in the latest 360 to judge (target 2.0).'])
  })

  it('is not met without any closed 360', () => {
    const r = evaluateGate(input({ latest360: null }))
    const c = condition(r, 'competency')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['No closed 360 assessment yet.'])
    expect(r.readyForApproval).toBe(false)
  })

  it('falls back to the capability id when no name is known', () => {
    const c = condition(
      evaluateGate(
        input({
          capabilityNames: {},
          latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 2.4, 'ml-fundamentals': 2 } },
        }),
      ),
      'competency',
    )
    expect(c.reasons).toEqual(['financial-literacy: others rate 2.4, target 3.0.'])
  })

  it('does not exist for a stage without an exit target', () => {
    const stage: GateStage = { ...shadow, exitTarget: null }
    const r = evaluateGate(input({ stage, latest360: null }))
    expect(r.conditions.map((c) => c.key)).toEqual(['time', 'milestones', 'recommendation', 'approval'])
    expect(r.allMet).toBe(true)
  })
})

describe('evaluateGate: recommendation', () => {
  it('is met with the mentor’s recommendation', () => {
    expect(condition(evaluateGate(input()), 'recommendation')).toEqual({
      key: 'recommendation',
      label: 'Recommended by the mentor',
      met: true,
      reasons: ['Recommended by Maria Mentor on 2026-04-25.'],
    })
  })

  it('is not met without one, naming the mentor', () => {
    const r = evaluateGate(input({ recommendation: null }))
    const c = condition(r, 'recommendation')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['Maria Mentor has not recommended advancement yet.'])
    expect(r.readyForApproval).toBe(false)
    expect(r.allMet).toBe(false)
  })

  it('says so when the candidate has no mentor', () => {
    const c = condition(evaluateGate(input({ recommendation: null, mentor: null })), 'recommendation')
    expect(c.met).toBe(false)
    expect(c.reasons).toEqual(['The candidate has no mentor to recommend them.'])
  })
})

describe('evaluateGate: approval', () => {
  it('waits when nobody is approving', () => {
    const r = evaluateGate(input({ approver: null }))
    expect(condition(r, 'approval')).toEqual({
      key: 'approval',
      label: 'Approved by HR (someone other than the mentor)',
      met: false,
      pending: true,
      reasons: ['Pending: waiting for an HR approval.'],
    })
    expect(r.readyForApproval).toBe(true)
    expect(r.allMet).toBe(false)
  })

  it('refuses an approver who is not HR', () => {
    const r = evaluateGate(input({ approver: { id: 12, name: 'Sam Staff', isHr: false } }))
    expect(condition(r, 'approval').met).toBe(false)
    expect(condition(r, 'approval').reasons).toEqual(['Pending: waiting for an HR approval.', 'Sam Staff is not HR.'])
    expect(r.allMet).toBe(false)
  })

  it('refuses the mentor even when the mentor is HR', () => {
    const r = evaluateGate(input({ approver: { id: mentor.id, name: mentor.name, isHr: true } }))
    const c = condition(r, 'approval')
    expect(c.met).toBe(false)
    expect(c.reasons).toHaveLength(2)
    expect(c.reasons[1]).toContain('Maria Mentor is the candidate')
    expect(c.reasons[1]).toContain('another HR person must approve')
    expect(r.readyForApproval).toBe(true)
    expect(r.allMet).toBe(false)
  })

  it('accepts a different HR person: still pending (approval is the act), and says they may approve', () => {
    const r = evaluateGate(input())
    expect(condition(r, 'approval')).toMatchObject({ met: false, pending: true })
    expect(condition(r, 'approval').reasons).toEqual(['Pending: waiting for an HR approval.', 'Hana Hr may approve.'])
    expect(r.allMet).toBe(true)
  })

  it('accepts an HR person when the candidate has no mentor (but the recommendation is still needed)', () => {
    const r = evaluateGate(input({ mentor: null }))
    expect(condition(r, 'approval').reasons).toContain('Hana Hr may approve.')
    expect(r.allMet).toBe(true)
  })
})

describe('readyForApproval vs allMet', () => {
  it('readyForApproval covers conditions 1-4 only; allMet also needs the approval and no open pause', () => {
    // All of 1-4 met, no approver: ready, not all met.
    const waiting = evaluateGate(input({ approver: null }))
    expect([waiting.readyForApproval, waiting.allMet]).toEqual([true, false])
    // One of 1-4 unmet, a valid approver: neither.
    const notReady = evaluateGate(input({ recommendation: null }))
    expect(condition(notReady, 'approval').reasons).toContain('Hana Hr may approve.')
    expect([notReady.readyForApproval, notReady.allMet]).toEqual([false, false])
    // Everything: both.
    const done = evaluateGate(input())
    expect([done.readyForApproval, done.allMet]).toEqual([true, true])
  })
})

describe('gateFingerprint', () => {
  it('is a stable 32-hex-digit digest of the same result', () => {
    const a = gateFingerprint(evaluateGate(input()))
    const b = gateFingerprint(evaluateGate(input()))
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(b).toBe(a)
  })

  it('does not change from one day to the next when no verdict or reason changes', () => {
    // Time reason stays "Met on 2026-04-10." on both days.
    expect(gateFingerprint(evaluateGate(input({ today: '2026-05-02' })))).toBe(gateFingerprint(evaluateGate(input())))
  })

  it('does not depend on the approver', () => {
    const base = gateFingerprint(evaluateGate(input()))
    expect(gateFingerprint(evaluateGate(input({ approver: null })))).toBe(base)
    expect(gateFingerprint(evaluateGate(input({ approver: { id: 10, name: 'Other Hr', isHr: true } })))).toBe(base)
    expect(gateFingerprint(evaluateGate(input({ approver: { id: mentor.id, name: mentor.name, isHr: true } })))).toBe(
      base,
    )
  })

  it('changes when a reason changes, e.g. a milestone gets signed off', () => {
    const pending = input({
      milestones: [
        { title: 'Shadow a month-end close', required: true, signedOff: true },
        { title: 'Present to the risk committee', required: true, signedOff: false },
      ],
    })
    const signed = input({
      milestones: [
        { title: 'Shadow a month-end close', required: true, signedOff: true },
        { title: 'Present to the risk committee', required: true, signedOff: true },
      ],
    })
    expect(gateFingerprint(evaluateGate(pending))).not.toBe(gateFingerprint(evaluateGate(signed)))
  })

  it('changes when only the wording of a reason changes, not the verdict', () => {
    // Still not met, but a different capability is short.
    const a = evaluateGate(
      input({ latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 2.4, 'ml-fundamentals': 2.2 } } }),
    )
    const b = evaluateGate(
      input({ latest360: { closedOn: '2026-04-20', others: { 'financial-literacy': 2.3, 'ml-fundamentals': 2.2 } } }),
    )
    expect(condition(a, 'competency').met).toBe(condition(b, 'competency').met)
    expect(gateFingerprint(a)).not.toBe(gateFingerprint(b))
  })
})

describe('unmetConditions', () => {
  it('is empty when conditions 1-4 are met, even without an approver', () => {
    expect(unmetConditions(evaluateGate(input()))).toEqual([])
    expect(unmetConditions(evaluateGate(input({ approver: null })))).toEqual([])
  })

  it('lists only the unmet non-approval conditions, in order', () => {
    const r = evaluateGate(
      input({
        today: '2026-04-09',
        recommendation: null,
        approver: { id: 12, name: 'Sam Staff', isHr: false },
        milestones: [{ title: 'Shadow a month-end close', required: true, signedOff: false }],
      }),
    )
    const unmet = unmetConditions(r)
    expect(unmet.map((c) => c.key)).toEqual(['time', 'milestones', 'recommendation'])
    expect(unmet.every((c) => !c.met)).toBe(true)
    expect(unmet.find((c) => c.key === 'milestones')?.reasons).toEqual([
      'Shadow a month-end close: not signed off yet.',
    ])
  })
})
