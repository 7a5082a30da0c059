/**
 * Sessions end when they should (issue 13's missing tests): a password change by the person ends
 * their other sessions and keeps this one; an admin's password reset ends every session of the
 * person; logging in while holding a session cookie issues a new session id (no fixation).
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { sessions } from '#db/schema/auth'
import { action as accountAction } from '~/routes/account'
import { action as personAction } from '~/routes/admin.people.$personId'
import { action as loginAction } from '~/routes/login'
import { getDb } from '~/utils/db.server'
import { checkSession, createSession } from '~/utils/session.server'
import { TEST_PASSWORD, call, loggedIn, makePerson, request } from '../helpers/db'

const sessionsOf = (personId: number) => getDb().select().from(sessions).where(eq(sessions.personId, personId)).all()
/** The stored id hash of the session a Cookie header carries (null when it is not valid). */
async function idHashOf(cookie: string) {
  const check = await checkSession(new Request('http://localhost/', { headers: { Cookie: cookie } }))
  return check.status === 'valid' ? check.idHash : null
}
const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} }) as never

describe('session lifecycle', () => {
  it('changing one’s own password ends one’s other sessions and keeps the current one', async () => {
    const me = await loggedIn({ roles: ['candidate'] })
    const other = (await createSession(me.id, getDb())).split(';')[0]!
    expect(sessionsOf(me.id)).toHaveLength(2)
    const otherHash = await idHashOf(other)
    const mine = await idHashOf(me.cookie)
    expect(otherHash).not.toBeNull()
    const res = await call(() =>
      accountAction(
        args(
          request('/account', {
            cookie: me.cookie,
            form: {
              currentPassword: TEST_PASSWORD,
              password: 'a brand new long passphrase',
              confirmPassword: 'a brand new long passphrase',
            },
          }),
        ),
      ),
    )
    expect(res.status).toBe(200)
    expect(sessionsOf(me.id).map((s) => s.idHash)).toEqual([mine])
    expect(await idHashOf(other)).toBeNull()
  })

  it('an admin’s password reset ends every session of the person', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const person = await loggedIn({ roles: ['mentor'] })
    await createSession(person.id, getDb())
    expect(sessionsOf(person.id)).toHaveLength(2)
    const res = await call(() =>
      personAction(
        args(
          request(`/admin/people/${person.id}`, {
            cookie: admin.cookie,
            form: { intent: 'set-password', password: 'an admin chosen passphrase' },
          }),
          { personId: String(person.id) },
        ),
      ),
    )
    expect(res.status).toBe(302)
    expect(sessionsOf(person.id)).toHaveLength(0)
  })

  it('logging in while holding a session cookie gives a new session id', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const old = (await createSession(p.id, getDb())).split(';')[0]!
    const oldHash = await idHashOf(old)
    expect(oldHash).not.toBeNull()
    const res = await call(() =>
      loginAction(
        args(
          request('/login', {
            cookie: old,
            form: { email: p.email, password: TEST_PASSWORD },
            headers: { 'X-STO-Remote-Address': '203.0.113.250' },
          }),
        ),
      ),
    )
    expect(res.status).toBe(302)
    const fresh = res.headers.get('Set-Cookie')!.split(';')[0]!
    expect(fresh).toMatch(/^sto_session=/)
    const freshHash = await idHashOf(fresh)
    expect(freshHash).not.toBeNull()
    expect(freshHash).not.toBe(oldHash)
  })
})
