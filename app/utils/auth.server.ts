/**
 * Authentication: login with rate limits, the signed-in user of a request, logout.
 * Same message and similar timing for an unknown email and a wrong password.
 */
import { redirect } from '@remix-run/node'
import { and, eq, gte, lt, sql } from 'drizzle-orm'
import { loginAttempts } from '#db/schema/auth'
import { findLoginByEmail, getActiveUser, normalizeEmail, type User } from '~/models/people.server'
import { getDb, type Db } from './db.server'
import { getEnv } from './env.server'
import { verifyAgainstDummy, verifyPassword } from './password.server'
import { checkSession, createSession } from './session.server'

export const LOGIN_LIMIT_PER_IP_PER_MINUTE = 10
export const FAILED_LOGIN_LIMIT_PER_ACCOUNT_PER_HOUR = 100
const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The client address: the socket's, or the proxy's X-Forwarded-For entry when TRUST_PROXY is set. */
export function clientIp(request: Request): string {
  const hops = getEnv().TRUST_PROXY
  if (hops > 0) {
    const forwarded = (request.headers.get('X-Forwarded-For') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    const ip = forwarded[forwarded.length - hops]
    if (ip) return ip
  }
  // Set by server.mjs from the socket; never trusted from the client (the server overwrites it).
  return request.headers.get('X-STO-Remote-Address') ?? 'unknown'
}

export type LoginResult =
  | { ok: true; personId: number; setCookie: string }
  | { ok: false; reason: 'invalid' | 'rate-limited-ip' | 'rate-limited-account' }

export async function login(
  { email, password, ip }: { email: string; password: string; ip: string },
  db: Db = getDb(),
  now = Date.now(),
): Promise<LoginResult> {
  const normalized = normalizeEmail(email)
  const count = (where: ReturnType<typeof and>) =>
    db.select({ n: sql<number>`count(*)` }).from(loginAttempts).where(where).get()?.n ?? 0

  if (count(and(eq(loginAttempts.ip, ip), gte(loginAttempts.at, now - MINUTE))) >= LOGIN_LIMIT_PER_IP_PER_MINUTE)
    return { ok: false, reason: 'rate-limited-ip' }
  if (
    count(and(eq(loginAttempts.email, normalized), eq(loginAttempts.succeeded, false), gte(loginAttempts.at, now - HOUR))) >=
    FAILED_LOGIN_LIMIT_PER_ACCOUNT_PER_HOUR
  )
    return { ok: false, reason: 'rate-limited-account' }

  // Record the attempt before the slow hash, so parallel guesses count against the limit too.
  const attempt = db
    .insert(loginAttempts)
    .values({ email: normalized, ip, at: now, succeeded: false })
    .returning({ id: loginAttempts.id })
    .get()
  db.delete(loginAttempts).where(lt(loginAttempts.at, now - 24 * HOUR)).run()

  const person = findLoginByEmail(db, normalized)
  const valid =
    person && person.active && person.passwordHash
      ? await verifyPassword(password, person.passwordHash)
      : await verifyAgainstDummy(password)
  if (!valid || !person) return { ok: false, reason: 'invalid' }

  db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attempt.id)).run()
  return { ok: true, personId: person.id, setCookie: await createSession(person.id, db, now) }
}

export async function getOptionalUser(request: Request, db: Db = getDb()): Promise<User | null> {
  const session = await checkSession(request, db)
  if (session.status !== 'valid') return null
  return getActiveUser(db, session.personId)
}

/** The signed-in user; otherwise a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request, db: Db = getDb()): Promise<User> {
  const user = await getOptionalUser(request, db)
  if (user) return user
  const url = new URL(request.url)
  const back = url.pathname + url.search
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`, { headers: { 'Cache-Control': 'no-store' } })
}

/** Only same-site relative paths, so a login link cannot bounce a person to another site. */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  // Browsers drop tabs and newlines from URLs ("/\t/evil.com" becomes "//evil.com"): refuse them all.
  if (/[\u0000-\u0020\u007f\\]/.test(to)) return fallback
  const base = 'http://same.invalid'
  try {
    return new URL(to, base).origin === base ? to : fallback
  } catch {
    return fallback
  }
}
