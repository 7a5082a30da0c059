/** Nomination limits, pure: what a candidate may nominate and what must be approved before invitations go out. */
import { MAX_RATERS, nominationLimits, relationshipLabels, relationships, type Relationship } from './types'

export type NominationCount = Record<Relationship, number>

export const emptyCount = (): NominationCount => ({ manager: 0, peer: 0, direct_report: 0, stakeholder: 0 })

export function countByRelationship(items: Array<{ relationship: Relationship }>): NominationCount {
  const count = emptyCount()
  for (const item of items) count[item.relationship]++
  return count
}

/** Whether one more nomination of `relationship` fits the maxima; null or the reason it does not. */
export function nominationRoomProblem(current: NominationCount, relationship: Relationship): string | null {
  const total = relationships.reduce((n, r) => n + current[r], 0)
  if (total >= MAX_RATERS) return `You can nominate at most ${MAX_RATERS} raters in all.`
  const { max } = nominationLimits[relationship]
  if (current[relationship] >= max)
    return `You can nominate at most ${max} ${relationshipLabels[relationship].many.toLowerCase()}.`
  return null
}

/** Problems with the approved set before invitations are sent: each minimum and maximum, and the total. */
export function approvedSetProblems(approved: NominationCount): string[] {
  const problems: string[] = []
  for (const r of relationships) {
    const { min, max } = nominationLimits[r]
    const label = relationshipLabels[r]
    if (approved[r] < min)
      problems.push(
        `Approve at least ${min} ${min === 1 ? label.one.toLowerCase() : label.many.toLowerCase()} (now ${approved[r]}).`,
      )
    if (approved[r] > max) problems.push(`Approve at most ${max} ${label.many.toLowerCase()} (now ${approved[r]}).`)
  }
  const total = relationships.reduce((n, r) => n + approved[r], 0)
  if (total > MAX_RATERS) problems.push(`Approve at most ${MAX_RATERS} raters in all (now ${total}).`)
  return problems
}

/** What is known about the person behind a nominated email when they hold an account. */
export type NomineeFacts = {
  /** The nominee is the candidate of the cycle. */
  isCandidate: boolean
  /** The nominee may read this candidate's report (their mentor, HR, or anyone the permissions let). */
  readsReport: boolean
}

/**
 * Whether this person may be a rater in this relationship; null or the reason, in words.
 * Someone who will read the report knows their own answers, so inside a non-manager block they would
 * know one of the at least three answers the block's figure rests on and learn more about the others.
 * They may rate only as the manager, whose answers are attributable anyway.
 */
export function raterEligibilityProblem(relationship: Relationship, nominee: NomineeFacts): string | null {
  if (nominee.isCandidate) return 'The candidate cannot be their own rater; the self-assessment is for that.'
  if (nominee.readsReport && relationship !== 'manager')
    return 'This person can read the report (as the mentor, as HR, or by another role), so they can give feedback only as the manager, whose answers are shown with their role.'
  return null
}

/** Nobody approves their own nomination: it takes someone other than the nominee. */
export function selfApprovalProblem(approverEmail: string, nomineeEmail: string): string | null {
  return approverEmail.trim().toLowerCase() === nomineeEmail.trim().toLowerCase()
    ? 'You cannot approve your own nomination; another approver (HR, or the mentor if that is not you) must decide it.'
    : null
}
