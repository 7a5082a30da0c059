import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sessions } from '#db/schema/auth'
import { getDb } from '~/utils/db.server'
import {
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  checkSession,
  createSession,
  destroySession,
  endAllSessionsOf,
  endOtherSessionsOf,
  hashToken,
  sessionState,
} from '~/utils/session.server'
import { makePerson } from '../helpers/db'

const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.UTC(2026, 0, 15, 9, 0, 0)

const withCookie = (setCookie: string) =>
  new Request('http://localhost/', { headers: { Cookie: setCookie.split(';')[0]! } })
const rowsOf = (personId: number) => getDb().select().from(sessions).where(eq(sessions.personId, personId)).all()

describe('sessionState (pure lifetime rule)', () => {
  const s = { createdAt: T0, lastSeenAt: T0, expiresAt: T0 + SESSION_ABSOLUTE_MS }

  it('is valid while recently used', () => {
    expect(SESSION_IDLE_MS).toBe(30 * MIN)
    expect(SESSION_ABSOLUTE_MS).toBe(12 * HOUR)
    expect(sessionState(s, T0)).toBe('valid')
    expect(sessionState(s, T0 + 29 * MIN)).toBe('valid')
  })

  it('is idle after 30 minutes without activity', () => {
    expect(sessionState(s, T0 + 30 * MIN)).toBe('idle')
    expect(sessionState({ ...s, lastSeenAt: T0 + 2 * HOUR }, T0 + 2 * HOUR + 31 * MIN)).toBe('idle')
  })

  it('is absolute after 12 hours even with activity a moment ago', () => {
    const busy = { ...s, lastSeenAt: T0 + 12 * HOUR - MIN }
    expect(sessionState(busy, T0 + 12 * HOUR - 1)).toBe('valid')
    expect(sessionState(busy, T0 + 12 * HOUR)).toBe('absolute')
    // The creation time rules even if expiresAt were later.
    expect(sessionState({ ...busy, expiresAt: T0 + 48 * HOUR }, T0 + 12 * HOUR)).toBe('absolute')
  })
})

describe('sessions in the database', () => {
  it('a fresh session is valid at +29 min and that check refreshes last_seen', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const setCookie = await createSession(p.id, getDb(), T0)
    const check = await checkSession(withCookie(setCookie), getDb(), T0 + 29 * MIN)
    expect(check).toMatchObject({ status: 'valid', personId: p.id })
    const [row] = rowsOf(p.id)
    expect(row).toMatchObject({ createdAt: T0, lastSeenAt: T0 + 29 * MIN, expiresAt: T0 + 12 * HOUR })
    // Stored is the token's hash, never the token.
    const token = decodeURIComponent(setCookie.split(';')[0]!.split('=').slice(1).join('='))
    expect(row!.idHash).not.toBe(token)
  })

  it('expires as idle 31 min after it was last seen, and deletes the row', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const setCookie = await createSession(p.id, getDb(), T0)
    expect((await checkSession(withCookie(setCookie), getDb(), T0 + 29 * MIN)).status).toBe('valid')
    expect(await checkSession(withCookie(setCookie), getDb(), T0 + 29 * MIN + 31 * MIN)).toEqual({
      status: 'expired',
      reason: 'idle',
    })
    expect(rowsOf(p.id)).toHaveLength(0)
    // And once gone it is simply no session.
    expect(await checkSession(withCookie(setCookie), getDb(), T0 + 61 * MIN)).toEqual({ status: 'none' })
  })

  it('expires as absolute at 12 h even with activity every 20 min', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const setCookie = await createSession(p.id, getDb(), T0)
    for (let t = 20 * MIN; t < 12 * HOUR; t += 20 * MIN) {
      expect((await checkSession(withCookie(setCookie), getDb(), T0 + t)).status, `at +${t / MIN} min`).toBe('valid')
    }
    expect(await checkSession(withCookie(setCookie), getDb(), T0 + 12 * HOUR)).toEqual({
      status: 'expired',
      reason: 'absolute',
    })
    expect(rowsOf(p.id)).toHaveLength(0)
  })

  it('gives each login a new token', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const a = await createSession(p.id, getDb(), T0)
    const b = await createSession(p.id, getDb(), T0)
    expect(a.split(';')[0]).not.toBe(b.split(';')[0])
    expect(rowsOf(p.id)).toHaveLength(2)
  })

  it('treats a missing, unknown or garbled cookie as no session', async () => {
    const none = new Request('http://localhost/')
    expect(await checkSession(none)).toEqual({ status: 'none' })
    const p = await makePerson({ roles: ['candidate'] })
    const ended = await createSession(p.id)
    endAllSessionsOf(p.id)
    expect(await checkSession(withCookie(ended))).toEqual({ status: 'none' })
    expect(
      await checkSession(new Request('http://localhost/', { headers: { Cookie: 'sto_session=garbage' } })),
    ).toEqual({ status: 'none' })
    expect(await checkSession(new Request('http://localhost/', { headers: { Cookie: 'other=1' } }))).toEqual({
      status: 'none',
    })
  })

  it('destroySession deletes the row and clears the cookie', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const keep = await createSession(p.id)
    const setCookie = await createSession(p.id)
    const cleared = await destroySession(withCookie(setCookie))
    expect(cleared).toMatch(/^sto_session=;/)
    expect(cleared).toMatch(/Max-Age=0/i)
    expect(rowsOf(p.id)).toHaveLength(1)
    expect((await checkSession(withCookie(setCookie))).status).toBe('none')
    expect((await checkSession(withCookie(keep))).status).toBe('valid')
  })

  it('endAllSessionsOf ends every session of that person only', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const other = await makePerson({ roles: ['mentor'] })
    const cookies = [await createSession(p.id), await createSession(p.id), await createSession(p.id)]
    const otherCookie = await createSession(other.id)
    endAllSessionsOf(p.id)
    expect(rowsOf(p.id)).toHaveLength(0)
    for (const c of cookies) expect((await checkSession(withCookie(c))).status).toBe('none')
    expect(await checkSession(withCookie(otherCookie))).toMatchObject({ status: 'valid', personId: other.id })
  })

  it('endOtherSessionsOf keeps only the given session', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const mine = await createSession(p.id)
    const elsewhere = await createSession(p.id)
    const check = await checkSession(withCookie(mine))
    if (check.status !== 'valid') throw new Error('expected a valid session')
    endOtherSessionsOf(p.id, check.idHash)
    expect(rowsOf(p.id).map((r) => r.idHash)).toEqual([check.idHash])
    expect((await checkSession(withCookie(elsewhere))).status).toBe('none')
    expect(hashToken('x')).toMatch(/^[0-9a-f]{64}$/)
  })

  it('sets an HttpOnly, SameSite=Lax, path=/ session cookie without Max-Age (not Secure under test)', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const setCookie = await createSession(p.id)
    expect(setCookie).toMatch(/^sto_session=[^;]+;/)
    const attrs = setCookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase())
    expect(attrs).toContain('httponly')
    expect(attrs).toContain('samesite=lax')
    expect(attrs).toContain('path=/')
    expect(attrs.some((a) => a.startsWith('max-age') || a.startsWith('expires'))).toBe(false)
    expect(attrs).not.toContain('secure')
  })
})
