/**
 * Server-side sessions: a random 256-bit token in an HttpOnly cookie, its SHA-256 in the
 * `sessions` table. 12 h absolute lifetime, 30 min idle lifetime, a new token at every login.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createCookie } from '@remix-run/node'
import { and, eq, lt, ne } from 'drizzle-orm'
import { sessions } from '#db/schema/auth'
import { type Db, getDb } from './db.server'
import { secureCookies } from './env.server'

export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000
export const SESSION_IDLE_MS = 30 * 60 * 1000
/** last_seen_at is refreshed at most this often, to keep reads from becoming writes. */
const TOUCH_EVERY_MS = 60 * 1000

let cookie: ReturnType<typeof createCookie> | undefined
function sessionCookie() {
  cookie ??= createCookie('sto_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    // No maxAge: a browser session cookie; the server enforces both lifetimes.
  })
  return cookie
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export type SessionCheck =
  | { status: 'valid'; personId: number; idHash: string }
  | { status: 'none' }
  | { status: 'expired'; reason: 'absolute' | 'idle' }

/** Pure lifetime rule, unit-tested: is a session with these times still usable at `now`? */
export function sessionState(s: { createdAt: number; lastSeenAt: number; expiresAt: number }, now: number) {
  if (now >= s.expiresAt || now - s.createdAt >= SESSION_ABSOLUTE_MS) return 'absolute' as const
  if (now - s.lastSeenAt >= SESSION_IDLE_MS) return 'idle' as const
  return 'valid' as const
}

/** Creates a session row and returns the Set-Cookie header value. */
export async function createSession(personId: number, db: Db = getDb(), now = Date.now()): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  db.insert(sessions)
    .values({
      idHash: hashToken(token),
      personId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_ABSOLUTE_MS,
    })
    .run()
  // Sweep expired rows now and then, so the table does not grow without bound.
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run()
  return sessionCookie().serialize(token)
}

async function tokenFrom(request: Request): Promise<string | null> {
  const value = (await sessionCookie().parse(request.headers.get('Cookie'))) as unknown
  return typeof value === 'string' && value.length >= 32 && value.length <= 64 ? value : null
}

/** Looks the session up, enforcing both lifetimes; an expired row is deleted. */
export async function checkSession(request: Request, db: Db = getDb(), now = Date.now()): Promise<SessionCheck> {
  const token = await tokenFrom(request)
  if (!token) return { status: 'none' }
  const idHash = hashToken(token)
  const row = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get()
  if (!row) return { status: 'none' }
  const state = sessionState(row, now)
  if (state !== 'valid') {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run()
    return { status: 'expired', reason: state }
  }
  if (now - row.lastSeenAt >= TOUCH_EVERY_MS) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run()
  }
  return { status: 'valid', personId: row.personId, idHash }
}

/** Deletes the request's session row and returns a Set-Cookie header that clears the cookie. */
export async function destroySession(request: Request, db: Db = getDb()): Promise<string> {
  const token = await tokenFrom(request)
  if (token)
    db.delete(sessions)
      .where(eq(sessions.idHash, hashToken(token)))
      .run()
  return sessionCookie().serialize('', { maxAge: 0 })
}

export function endAllSessionsOf(personId: number, db: Db = getDb()) {
  db.delete(sessions).where(eq(sessions.personId, personId)).run()
}

export function endOtherSessionsOf(personId: number, keepIdHash: string, db: Db = getDb()) {
  db.delete(sessions)
    .where(and(eq(sessions.personId, personId), ne(sessions.idHash, keepIdHash)))
    .run()
}
