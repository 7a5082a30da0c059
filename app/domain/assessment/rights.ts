/**
 * Who may take which 360 decision, pure and written once, like the program's rights
 * (app/domain/program/rights.ts): routes use them for what a page offers and to guard an action,
 * and the models check them again inside the transaction from the rows they read there.
 * Nobody manages their own 360, whatever roles they hold: a candidate who is also HR or a mentor
 * cannot open their own cycle, approve their own raters, invite, remind, close or cancel it.
 */
import { canAccess, hasPermission, type Viewer } from '~/domain/permissions'
import type { Right } from '~/domain/program/rights'

const allowed: Right = { ok: true }
const refused = (reason: string): Right => ({ ok: false, reason })

type CycleFacts = { candidateId: number; mentorId: number | null }

export const OWN_CYCLE = 'Nobody manages their own 360, whatever roles they hold.'

/** HR opens a 360 for any candidate, a mentor for their own mentees; never for oneself. */
export function canOpenCycle(viewer: Viewer, facts: CycleFacts): Right {
  if (viewer.id === facts.candidateId) return refused(OWN_CYCLE)
  if (!canAccess(viewer, 'create', 'cycle', { ownerId: facts.candidateId, mentorId: facts.mentorId }))
    return refused('Only HR, or the candidate’s mentor, opens a 360 for them.')
  return allowed
}

/**
 * Managing a cycle — approving or rejecting nominations, sending, revoking and reminding
 * invitations, closing or cancelling it: HR, or the candidate's mentor; never the candidate.
 */
export function canManageCycle(viewer: Viewer, facts: CycleFacts): Right {
  if (viewer.id === facts.candidateId) return refused(OWN_CYCLE)
  if (!canAccess(viewer, 'update', 'cycle', { ownerId: facts.candidateId, mentorId: facts.mentorId }))
    return refused('Only HR, or the candidate’s mentor, manages this 360.')
  return allowed
}

/** Only the candidate nominates (and withdraws) their own raters. */
export function canNominate(viewer: Viewer, facts: Pick<CycleFacts, 'candidateId'>): Right {
  if (viewer.id !== facts.candidateId || !hasPermission(viewer, 'create:nomination:own'))
    return refused('Only the candidate nominates their raters.')
  return allowed
}
