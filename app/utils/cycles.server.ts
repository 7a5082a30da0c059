/** Cycle infrastructure: closing past-due cycles, and the base of emailed links. (The route guards are in app/guards/cycles.server.ts.) */
import { closeCycle, getCycle } from '~/models/assessments.server'
import { isOpen, isPastDue } from '~/domain/assessment/cycle'
import { getFramework } from './content.server'
import { transaction } from './db.server'
import { getEnv } from './env.server'

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
