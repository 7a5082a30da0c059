/**
 * The login_attempts table: what the login throttle counts (rules in app/domain/login-throttle.ts),
 * and an admin's view and clearing of one account's failures. Rows hold the normalised email as
 * typed (an account need not exist) and the client address; addresses never leave this module.
 * Times are epoch milliseconds.
 */
import { and, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm'
import { loginAttempts } from '#db/schema/auth'
import {
  ACCOUNT_ATTACK_FAILURES_PER_HOUR,
  ADDRESS_ATTEMPTS_PER_MINUTE,
  ADDRESS_FAILURES_PER_HOUR,
  FAILURE_MEMORY_MS,
  HOUR,
  MINUTE,
  pairDelayMs,
} from '~/domain/login-throttle'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { getPerson, normalizeEmail } from './people.server'

/** Why an attempt is not checked yet: its address is too busy, or its (account, address) pair must wait. */
export type LoginThrottle = { reason: 'address' | 'pair'; retryAfterMs: number }

const failed = eq(loginAttempts.succeeded, false)

/**
 * The time of the `k`-th newest attempt matching `where`, or null if there are fewer. For a
 * sliding window of `k` per window, that attempt's leaving the window lets the next one in.
 */
function kthNewestAt(db: Db, where: SQL | undefined, k: number): number | null {
  return (
    db
      .select({ at: loginAttempts.at })
      .from(loginAttempts)
      .where(where)
      .orderBy(desc(loginAttempts.at))
      .limit(1)
      .offset(k - 1)
      .get()?.at ?? null
  )
}

/**
 * Failures of this pair since its last success (within the memory), and the latest one's time.
 * Read through the address index: an attacked account can have tens of thousands of rows, one
 * address only what the address limits let through. (The unary + keeps SQLite from choosing the
 * email index: "disqualifying WHERE clause terms using unary-+", sqlite.org/optoverview.html.)
 */
function pairFailures(db: Db, email: string, ip: string, now: number) {
  const pair = and(
    sql`+${loginAttempts.email} = ${email}`,
    eq(loginAttempts.ip, ip),
    gt(loginAttempts.at, now - FAILURE_MEMORY_MS),
  )
  const lastSuccess =
    db
      .select({ at: sql<number | null>`max(${loginAttempts.at})` })
      .from(loginAttempts)
      .where(and(pair, eq(loginAttempts.succeeded, true)))
      .get()?.at ?? null
  const row = db
    .select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(and(pair, failed, lastSuccess === null ? undefined : gt(loginAttempts.at, lastSuccess)))
    .get()
  return { failures: row?.n ?? 0, lastAt: row?.last ?? 0 }
}

/** Whether the account had the failures of an attack in the last hour; counts no further than that. */
function accountUnderAttack(db: Db, email: string, now: number): boolean {
  const recent = db
    .select({ one: sql`1` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), failed, gt(loginAttempts.at, now - HOUR)))
    .limit(ACCOUNT_ATTACK_FAILURES_PER_HOUR)
    .as('recent')
  return (
    (db
      .select({ n: sql<number>`count(*)` })
      .from(recent)
      .get()?.n ?? 0) >= ACCOUNT_ATTACK_FAILURES_PER_HOUR
  )
}

/**
 * Whether an attempt for `email` (normalised) from `ip` (an `addressKey`) may be checked now; if
 * not, the longest of the waits that apply (so one Retry-After is enough). Depends only on the
 * email as typed, never on whether an account has it.
 */
export function loginThrottle(db: Db, { email, ip }: { email: string; ip: string }, now: number): LoginThrottle | null {
  const waits: LoginThrottle[] = []
  const wait = (reason: LoginThrottle['reason'], until: number | null) => {
    if (until !== null && until > now) waits.push({ reason, retryAfterMs: until - now })
  }
  const fromIp = eq(loginAttempts.ip, ip)
  const burst = kthNewestAt(db, and(fromIp, gt(loginAttempts.at, now - MINUTE)), ADDRESS_ATTEMPTS_PER_MINUTE)
  wait('address', burst === null ? null : burst + MINUTE)
  const stuffing = kthNewestAt(db, and(fromIp, failed, gt(loginAttempts.at, now - HOUR)), ADDRESS_FAILURES_PER_HOUR)
  wait('address', stuffing === null ? null : stuffing + HOUR)

  const pair = pairFailures(db, email, ip, now)
  // A pair without failures is never held back, whatever happens to the account elsewhere.
  if (pair.failures > 0) {
    wait('pair', pair.lastAt + pairDelayMs(pair.failures, accountUnderAttack(db, email, now)))
  }
  return waits.sort((a, b) => b.retryAfterMs - a.retryAfterMs)[0] ?? null
}

/** Records an attempt as failed (until `markSucceeded`) and prunes attempts older than a day. */
export function recordAttempt(db: Db, { email, ip }: { email: string; ip: string }, now: number): number {
  const { id } = db
    .insert(loginAttempts)
    .values({ email, ip, at: now, succeeded: false })
    .returning({ id: loginAttempts.id })
    .get()
  db.delete(loginAttempts)
    .where(lt(loginAttempts.at, now - FAILURE_MEMORY_MS))
    .run()
  return id
}

export function markSucceeded(db: Db, attemptId: number) {
  db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId)).run()
}

/** For the admin's person page: how many failed logins the account had lately. Never where from. */
export function recentLoginFailures(db: Db, email: string, now: number) {
  const row = db
    .select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, normalizeEmail(email)), failed, gt(loginAttempts.at, now - FAILURE_MEMORY_MS)))
    .get()
  return { failures: row?.n ?? 0, lastAt: row?.last ?? null }
}

/**
 * An admin clears every recorded failure of a person's account, from every address, so no pair
 * waits any more; audited with the count only (no addresses). Call in a transaction.
 */
export function clearLoginFailures(tx: Db, actorId: number, personId: number, now = new Date()): number {
  const person = getPerson(tx, personId)
  if (!person) throw new RuleError('No such person.', undefined, 404)
  const cleared = tx
    .delete(loginAttempts)
    .where(and(eq(loginAttempts.email, normalizeEmail(person.email)), failed))
    .run().changes
  recordAudit(
    tx,
    { actorId, action: 'person.login-failures-clear', entityType: 'person', entityId: personId, after: { cleared } },
    now,
  )
  return cleared
}
