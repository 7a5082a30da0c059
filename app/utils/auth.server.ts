/**
 * Authentication: login with rate limits, the signed-in user of a request, logout.
 * Same message and similar timing for an unknown email and a wrong password.
 */
import { redirect } from '@remix-run/node'
import { addressKey } from '~/domain/login-throttle'
import { loginThrottle, markSucceeded, recordAttempt } from '~/models/login-attempts.server'
import { findLoginByEmail, getActiveUser, normalizeEmail, type User } from '~/models/people.server'
import { getDb, type Db } from './db.server'
import { getEnv } from './env.server'
import { verifyAgainstDummy, verifyPassword } from './password.server'
import { checkSession, createSession } from './session.server'

/** The client address: the socket's, or the proxy's X-Forwarded-For entry when TRUST_PROXY is set. */
export function clientIp(request: Request): string {
  const hops = getEnv().TRUST_PROXY
  if (hops > 0) {
    const forwarded = (request.headers.get('X-Forwarded-For') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const ip = forwarded[forwarded.length - hops]
    if (ip) return ip
  }
  // Set by server.mjs from the socket; never trusted from the client (the server overwrites it).
  return request.headers.get('X-STO-Remote-Address') ?? 'unknown'
}

export type LoginResult =
  | { ok: true; personId: number; setCookie: string }
  | { ok: false; reason: 'invalid' }
  /** Not checked: this address is too busy, or this (account, address) pair must wait first. */
  | { ok: false; reason: 'rate-limited-address' | 'rate-limited-pair'; retryAfterMs: number }

/**
 * Checks a login. Failures slow the (account, address) pair that made them, never the account
 * everywhere (app/domain/login-throttle.ts), so strangers cannot lock a person out.
 */
export async function login(
  { email, password, ip }: { email: string; password: string; ip: string },
  db: Db = getDb(),
  now = Date.now(),
): Promise<LoginResult> {
  const normalized = normalizeEmail(email)
  const address = addressKey(ip)
  // Before any account lookup or hash: a refusal looks and takes the same for every email.
  const throttle = loginThrottle(db, { email: normalized, ip: address }, now)
  if (throttle)
    return {
      ok: false,
      reason: throttle.reason === 'address' ? 'rate-limited-address' : 'rate-limited-pair',
      retryAfterMs: throttle.retryAfterMs,
    }

  // Recorded (as failed) in the same synchronous step as the check and before the slow hash, so
  // parallel guesses count against the limits too.
  const attemptId = recordAttempt(db, { email: normalized, ip: address }, now)

  const person = findLoginByEmail(db, normalized)
  const valid =
    person && person.active && person.passwordHash
      ? await verifyPassword(password, person.passwordHash)
      : await verifyAgainstDummy(password)
  if (!valid || !person) return { ok: false, reason: 'invalid' }

  markSucceeded(db, attemptId)
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
