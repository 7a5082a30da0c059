/** Shared steps of the cycle routes: load a cycle by URL id, authorize against its candidate and mentor. */
import { canAccess, type PermissionAction, type PermissionEntity } from '~/domain/permissions'
import { closeCycle, getCycle } from '~/models/assessments.server'
import { isOpen, isPastDue } from '~/domain/assessment/cycle'
import type { User } from '~/models/people.server'
import { getFramework } from './content.server'
import { getDb, transaction } from './db.server'
import { getEnv } from './env.server'
import { parseId } from './forms.server'
import { forbidden, notFound } from './permissions.server'

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

/** Closes a cycle past its due date (idempotent: a cycle already closed by someone else is left alone). */
export function closeIfStillDue(cycleId: number, now = new Date()) {
  transaction((tx) => {
    const current = getCycle(tx, cycleId)
    if (current && isOpen(current.cycle.state) && isPastDue(current.cycle.dueOn, now))
      closeCycle(tx, null, cycleId, getFramework(), now)
  })
}

/**
 * Base of emailed links: APP_URL (required in production), else http://HOST:PORT of this server.
 * Never the request's Host or X-Forwarded-Host: a forged header must not redirect anyone's link.
 */
export function appBaseUrl() {
  const env = getEnv()
  return (env.APP_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '')
}
