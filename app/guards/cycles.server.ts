/**
 * The route guards of the cycle pages: load a cycle by URL id and authorize the viewer against its
 * candidate and mentor. Each throws a 404 or 403 response; the models check the full rights again.
 */
import { isOpen, isPastDue } from '~/domain/assessment/cycle'
import { canAccess, type PermissionAction, type PermissionEntity } from '~/domain/permissions'
import { getCycle } from '~/models/assessments.server'
import type { User } from '~/models/people.server'
import { closeIfStillDue } from '~/utils/cycles.server'
import { getDb } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { forbidden, notFound } from '~/utils/permissions.server'

/**
 * The cycle of `/cycles/:cycleId` if `user` may `action` it (as its candidate, their mentor, or
 * with `any`). A cycle whose due day is over is closed first, so nobody sees it "open" past due.
 */
export function loadCycleFor(
  user: User,
  cycleIdParam: string | undefined,
  action: PermissionAction,
  entity: PermissionEntity = 'cycle',
) {
  const id = parseId(cycleIdParam)
  if (id === null) throw notFound('There is no assessment cycle with that id.')
  let found = getCycle(getDb(), id)
  if (!found) throw notFound('There is no assessment cycle with that id.')
  if (!canAccess(user, action, entity, { ownerId: found.cycle.candidateId, mentorId: found.mentorId }))
    throw forbidden()
  if (isOpen(found.cycle.state) && isPastDue(found.cycle.dueOn, new Date())) {
    closeIfStillDue(id)
    found = getCycle(getDb(), id)!
  }
  return found
}

/** The cycle whose self-assessment `user` fills in: only its candidate, never their mentor or HR. */
export function loadOwnSelfAssessmentCycle(user: User, cycleIdParam: string | undefined) {
  const found = loadCycleFor(user, cycleIdParam, 'update', 'self-assessment')
  if (found.cycle.candidateId !== user.id) throw forbidden()
  return found
}

/** The cycle whose report suggestions `user` adds to their own plan: only its candidate. */
export function loadCycleForOwnPlan(user: User, cycleIdParam: string | undefined) {
  const found = loadCycleFor(user, cycleIdParam, 'read', 'report')
  if (found.cycle.candidateId !== user.id || !canAccess(user, 'create', 'plan-item', { ownerId: user.id }))
    throw forbidden()
  return found
}
