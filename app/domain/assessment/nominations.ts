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
  if (current[relationship] >= max) return `You can nominate at most ${max} ${relationshipLabels[relationship].many.toLowerCase()}.`
  return null
}

/** Problems with the approved set before invitations are sent: each minimum and maximum, and the total. */
export function approvedSetProblems(approved: NominationCount): string[] {
  const problems: string[] = []
  for (const r of relationships) {
    const { min, max } = nominationLimits[r]
    const label = relationshipLabels[r]
    if (approved[r] < min) problems.push(`Approve at least ${min} ${min === 1 ? label.one.toLowerCase() : label.many.toLowerCase()} (now ${approved[r]}).`)
    if (approved[r] > max) problems.push(`Approve at most ${max} ${label.many.toLowerCase()} (now ${approved[r]}).`)
  }
  const total = relationships.reduce((n, r) => n + approved[r], 0)
  if (total > MAX_RATERS) problems.push(`Approve at most ${MAX_RATERS} raters in all (now ${total}).`)
  return problems
}
