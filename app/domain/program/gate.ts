/**
 * The stage gate, pure: may a candidate leave their stage? Five conditions, each met or not with
 * its reasons in plain words, and the earliest day the time condition is met.
 *   1. active time in stage (pauses excluded) >= the stage's minimum window;
 *   2. every required milestone of the stage signed off;
 *   3. the latest closed 360 meets the stage's exit target (others' mean >= target - tolerance);
 *   4. a recommendation from the mentor;
 *   5. approval by an HR person who is not that mentor (checked again when approving). Approval is
 *      the act itself, so the gate always shows it as pending (never met) until someone approves:
 *      its reasons say whether the person looking may give it. Who may decide is rights.ts's canApprove.
 */
import { createHash } from 'node:crypto'
import { dayAfterActiveMonths, isPaused, type Pause } from './dates'

export type GateStage = {
  id: string
  name: string
  window: { minMonths: number; maxMonths: number | null } | null
  exitTarget: { tolerance: number; targets: Record<string, number> } | null
}

export type GateMilestone = { title: string; required: boolean; signedOff: boolean }

export type GateInput = {
  stage: GateStage
  nextStageName: string | null
  enteredOn: string
  pauses: Pause[]
  today: string
  milestones: GateMilestone[]
  /** Others' mean per capability of the latest closed 360 (null where not enough ratings). */
  latest360: { closedOn: string; others: Record<string, number | null> } | null
  capabilityNames: Record<string, string>
  recommendation: { byName: string; on: string } | null
  mentor: { id: number; name: string } | null
  /** The HR person who would approve (null: nobody is approving right now). */
  approver: { id: number; name: string; isHr: boolean } | null
}

export type ConditionKey = 'time' | 'milestones' | 'competency' | 'recommendation' | 'approval'
/** `pending`: not met yet because it waits for a person's decision (the approval), not for a fact. */
export type GateCondition = { key: ConditionKey; label: string; met: boolean; pending?: boolean; reasons: string[] }

export type GateResult = {
  conditions: GateCondition[]
  /** Conditions 1-4: what the candidate and mentor can bring about. Approval is the act itself. */
  readyForApproval: boolean
  allMet: boolean
  earliestTimeOn: string | null
  overdue: boolean
  overdueSince: string | null
  paused: boolean
  final: boolean
}

const fmt = (v: number) => v.toFixed(1)

export function evaluateGate(input: GateInput): GateResult {
  const { stage, today, pauses } = input
  const paused = isPaused(pauses, today)
  const final = input.nextStageName === null
  const conditions: GateCondition[] = []

  // 1. Time in stage.
  let earliestTimeOn: string | null = null
  let overdueSince: string | null = null
  if (stage.window) {
    earliestTimeOn = dayAfterActiveMonths(input.enteredOn, stage.window.minMonths, pauses, today)
    const met = earliestTimeOn <= today
    conditions.push({
      key: 'time',
      label: `At least ${stage.window.minMonths} months of active time in ${stage.name}`,
      met,
      reasons: [
        met
          ? `Met on ${earliestTimeOn}.`
          : `Not before ${earliestTimeOn}${paused ? ' (later still: the candidate is paused, and paused time does not count)' : ''}.`,
      ],
    })
    if (paused && met)
      conditions.at(-1)!.reasons.push('The candidate is paused: advancement waits until the program resumes.')
    if (stage.window.maxMonths !== null) {
      const limit = dayAfterActiveMonths(input.enteredOn, stage.window.maxMonths, pauses, today)
      if (limit < today) overdueSince = limit
    }
  } else {
    conditions.push({ key: 'time', label: 'Time in stage', met: true, reasons: ['This stage has no minimum length.'] })
  }

  // 2. Milestones.
  const required = input.milestones.filter((m) => m.required)
  const missing = required.filter((m) => !m.signedOff)
  conditions.push({
    key: 'milestones',
    label: 'Every required milestone signed off',
    met: missing.length === 0,
    reasons:
      missing.length === 0
        ? [`All ${required.length} required milestones are signed off.`]
        : missing.map((m) => `${m.title}: not signed off yet.`),
  })

  // 3. Competency against the exit target.
  if (stage.exitTarget) {
    const reasons: string[] = []
    let met = true
    if (!input.latest360) {
      met = false
      reasons.push('No closed 360 assessment yet.')
    } else {
      for (const [capId, target] of Object.entries(stage.exitTarget.targets)) {
        const name = input.capabilityNames[capId] ?? capId
        const others = input.latest360.others[capId] ?? null
        if (others === null) {
          met = false
          reasons.push(`${name}: not enough ratings in the latest 360 to judge (target ${fmt(target)}).`)
        } else if (others < target - stage.exitTarget.tolerance - 1e-9) {
          met = false
          reasons.push(`${name}: others rate ${fmt(others)}, target ${fmt(target)}.`)
        }
      }
      if (met)
        reasons.push(
          `The 360 closed ${input.latest360.closedOn} meets every target (tolerance ${stage.exitTarget.tolerance}).`,
        )
    }
    conditions.push({ key: 'competency', label: `Latest 360 meets the ${stage.name} exit profile`, met, reasons })
  }

  // 4. Mentor's recommendation.
  conditions.push({
    key: 'recommendation',
    label: 'Recommended by the mentor',
    met: input.recommendation !== null,
    reasons: input.recommendation
      ? [`Recommended by ${input.recommendation.byName} on ${input.recommendation.on}.`]
      : [
          input.mentor
            ? `${input.mentor.name} has not recommended advancement yet.`
            : 'The candidate has no mentor to recommend them.',
        ],
  })

  // 5. Approval by HR, never the mentor.
  const approverOk = input.approver !== null && input.approver.isHr && input.approver.id !== input.mentor?.id
  conditions.push({
    key: 'approval',
    label: 'Approved by HR (someone other than the mentor)',
    met: false,
    pending: true,
    reasons: [
      'Pending: waiting for an HR approval.',
      ...(!input.approver
        ? []
        : !input.approver.isHr
          ? [`${input.approver.name} is not HR.`]
          : input.approver.id === input.mentor?.id
            ? [`${input.approver.name} is the candidate’s mentor; another HR person must approve.`]
            : [`${input.approver.name} may approve.`]),
    ],
  })

  const readyForApproval = conditions.filter((c) => c.key !== 'approval').every((c) => c.met)
  return {
    conditions,
    readyForApproval,
    allMet: readyForApproval && approverOk && !paused,
    earliestTimeOn,
    overdue: overdueSince !== null,
    overdueSince,
    paused,
    final,
  }
}

/**
 * A fingerprint of what the approver saw (each condition's verdict and reasons). The approval is
 * refused when the gate, recomputed inside the transaction, no longer matches it.
 */
export function gateFingerprint(result: GateResult): string {
  const seen = result.conditions.filter((c) => c.key !== 'approval').map((c) => [c.key, c.met, c.reasons])
  return createHash('sha256').update(JSON.stringify(seen)).digest('hex').slice(0, 32)
}

/** The unmet conditions an override must name and explain. */
export function unmetConditions(result: GateResult): GateCondition[] {
  return result.conditions.filter((c) => c.key !== 'approval' && !c.met)
}
