import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { loginAttempts, sessions } from '#db/schema/auth'
import { action, loader } from '~/routes/login'
import { FAILED_LOGIN_LIMIT_PER_ACCOUNT_PER_HOUR, LOGIN_LIMIT_PER_IP_PER_MINUTE, login, safeRedirect } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { deactivatePerson } from '~/models/people.server'
import { TEST_PASSWORD, call, makePerson, request } from '../helpers/db'

const INVALID = 'That email and password do not match an active account.'

let ipCounter = 0
/** Each test its own client address, so the per-IP limit of one test does not leak into another. */
const freshIp = () => `203.0.113.${++ipCounter}`

type FormReply = { result: { status?: string; error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> | null } }

function postLogin(form: Record<string, string>, ip = freshIp()) {
  return call(() => action({ request: request('/login', { form, headers: { 'X-STO-Remote-Address': ip } }), params: {}, context: {} } as never))
}

const sessionCount = (personId?: number) =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(sessions)
    .where(personId === undefined ? undefined : eq(sessions.personId, personId))
    .get()!.n

describe('login action', () => {
  it('logs in with the right credentials: a redirect with a fresh session cookie and a session row', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const res = await postLogin({ email: p.email, password: TEST_PASSWORD, redirectTo: '/candidates/1?tab=x' })
    expect(res.thrown).toBe(true)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/candidates/1?tab=x')
    expect(res.headers.get('Set-Cookie')).toMatch(/^sto_session=[^;]+;/)
    expect(sessionCount(p.id)).toBe(1)
  })

  it('accepts the email in another case and with surrounding spaces', async () => {
    const p = await makePerson({ roles: ['mentor'] })
    const res = await postLogin({ email: `  ${p.email.toUpperCase()} `, password: TEST_PASSWORD })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    expect(sessionCount(p.id)).toBe(1)
  })

  it('gives a wrong password and an unknown email the same 400 and the same message, and no session', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const before = sessionCount()
    const wrong = await postLogin({ email: p.email, password: 'not the password at all' })
    const unknown = await postLogin({ email: 'nobody-here@example.com', password: TEST_PASSWORD })
    for (const res of [wrong, unknown]) {
      expect(res.thrown).toBe(false)
      expect(res.status).toBe(400)
      expect((res.data as FormReply).result.error?.['']).toEqual([INVALID])
      expect(res.headers.get('Set-Cookie')).toBeNull()
    }
    // The password is never echoed back into the form.
    expect(JSON.stringify(wrong.data)).not.toContain('not the password at all')
    expect(sessionCount()).toBe(before)
  })

  it('refuses a deactivated person with the same message', async () => {
    const admin = await makePerson({ roles: ['admin'] })
    const p = await makePerson({ roles: ['candidate'] })
    transaction((tx) => deactivatePerson(tx, admin.id, p.id))
    const res = await postLogin({ email: p.email, password: TEST_PASSWORD })
    expect(res.status).toBe(400)
    expect((res.data as FormReply).result.error?.['']).toEqual([INVALID])
    expect(sessionCount(p.id)).toBe(0)
  })

  it('refuses a person without a password with the same message', async () => {
    const p = await makePerson({ roles: ['hr'], password: null })
    const res = await postLogin({ email: p.email, password: TEST_PASSWORD })
    expect(res.status).toBe(400)
    expect((res.data as FormReply).result.error?.['']).toEqual([INVALID])
  })

  it('sends a redirectTo of another site ("//evil.com") home instead', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    for (const redirectTo of ['//evil.com', 'https://evil.com/', '/\\evil.com', 'evil.com']) {
      const res = await postLogin({ email: p.email, password: TEST_PASSWORD, redirectTo })
      expect(res.status, redirectTo).toBe(302)
      expect(res.headers.get('Location'), redirectTo).toBe('/')
    }
  })

  // Browsers strip ASCII tab/newline from URLs, so "/\t/evil.com" would become "//evil.com".
  it('does not let a redirectTo with a tab ("/\\t/evil.com") lead to another host', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const res = await postLogin({ email: p.email, password: TEST_PASSWORD, redirectTo: '/\t/evil.com' })
    expect(res.status).toBe(302)
    const location = res.headers.get('Location')!
    // Where a browser following this Location ends up:
    expect(new URL(location, 'https://sto.example.com/login').host).toBe('sto.example.com')
  })

  it('limits one address to 10 attempts a minute: the 11th gets 429', async () => {
    expect(LOGIN_LIMIT_PER_IP_PER_MINUTE).toBe(10)
    const p = await makePerson({ roles: ['candidate'] })
    const ip = '198.51.100.7'
    for (let i = 1; i <= 10; i++) {
      const res = await postLogin({ email: `guess${i}@example.com`, password: 'wrong password here' }, ip)
      expect(res.status, `attempt ${i}`).toBe(400)
    }
    const eleventh = await postLogin({ email: p.email, password: TEST_PASSWORD }, ip)
    expect(eleventh.status).toBe(429)
    expect((eleventh.data as FormReply).result.error?.[''] ?? []).toEqual([
      'Too many login attempts from this network. Wait a minute and try again.',
    ])
    expect(eleventh.headers.get('Set-Cookie')).toBeNull()
    expect(sessionCount(p.id)).toBe(0)
    // Another address is not affected.
    expect((await postLogin({ email: p.email, password: TEST_PASSWORD })).status).toBe(302)
  })

  it('returns 400 with field errors for malformed input, and writes nothing', async () => {
    const attemptsBefore = getDb().select({ n: sql<number>`count(*)` }).from(loginAttempts).get()!.n
    const sessionsBefore = sessionCount()

    const missing = await postLogin({ password: TEST_PASSWORD })
    expect(missing.status).toBe(400)
    expect((missing.data as FormReply).result.error?.email).toEqual(['Enter an email address.'])

    const long = await postLogin({ email: `${'a'.repeat(4990)}@example.com`, password: TEST_PASSWORD })
    expect(long.status).toBe(400)
    expect((long.data as FormReply).result.error?.email).toEqual(['An email address has at most 254 characters.'])

    const noPassword = await postLogin({ email: 'someone@example.com', password: '' })
    expect(noPassword.status).toBe(400)
    expect((noPassword.data as FormReply).result.error?.password).toEqual(['Enter your password.'])

    expect(sessionCount()).toBe(sessionsBefore)
    expect(getDb().select({ n: sql<number>`count(*)` }).from(loginAttempts).get()!.n).toBe(attemptsBefore)
  })
})

describe('login() per-account limit', () => {
  it('after 100 failed attempts in an hour from many addresses, refuses even the right password', async () => {
    expect(FAILED_LOGIN_LIMIT_PER_ACCOUNT_PER_HOUR).toBe(100)
    const p = await makePerson({ roles: ['candidate'] })
    const start = Date.UTC(2030, 5, 1, 8, 0, 0)
    for (let i = 0; i < 100; i++) {
      // One attempt every 30 s from a different address: no per-IP limit applies.
      const r = await login({ email: p.email, password: `wrong guess ${i}`, ip: `10.0.${i >> 8}.${i & 255}` }, getDb(), start + i * 30_000)
      expect(r).toEqual({ ok: false, reason: 'invalid' })
    }
    const now = start + 100 * 30_000
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '10.9.9.9' }, getDb(), now)).toEqual({
      ok: false,
      reason: 'rate-limited-account',
    })
    // The account is counted by its normalised email.
    expect(await login({ email: p.email.toUpperCase(), password: TEST_PASSWORD, ip: '10.9.9.10' }, getDb(), now)).toMatchObject({
      reason: 'rate-limited-account',
    })
    // An hour after the early failures have aged out, the right password works again.
    const later = start + 60 * 60_000 + 30 * 60_000 + 1
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '10.9.9.11' }, getDb(), later)).toMatchObject({ ok: true, personId: p.id })
  })

  it('shows the account-limit message through the action with 429', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const now = Date.now()
    getDb()
      .insert(loginAttempts)
      .values(Array.from({ length: 100 }, (_, i) => ({ email: p.email, ip: `10.1.0.${i}`, at: now - i * 1000, succeeded: false })))
      .run()
    const res = await postLogin({ email: p.email, password: TEST_PASSWORD })
    expect(res.status).toBe(429)
    expect((res.data as FormReply).result.error?.['']).toEqual([
      'Too many failed attempts for this account. Try again later, or ask an administrator.',
    ])
    expect(sessionCount(p.id)).toBe(0)
  })

  it('does not count successful logins against the account', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const start = Date.UTC(2031, 0, 1)
    for (let i = 0; i < 105; i++) {
      const r = await login({ email: p.email, password: TEST_PASSWORD, ip: `10.2.${i >> 8}.${i & 255}` }, getDb(), start + i * 1000)
      expect(r.ok, `login ${i}`).toBe(true)
    }
  })
})

describe('login loader and safeRedirect', () => {
  it('sends a signed-in person home from the login page', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const ok = await login({ email: p.email, password: TEST_PASSWORD, ip: freshIp() })
    if (!ok.ok) throw new Error('login failed')
    const res = await call(() => loader({ request: request('/login', { cookie: ok.setCookie.split(';')[0]! }), params: {}, context: {} } as never))
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/')
    const anon = await call(() => loader({ request: request('/login'), params: {}, context: {} } as never))
    expect(anon).toMatchObject({ thrown: false, status: 200, data: null })
  })

  it('keeps same-site paths and refuses everything else', () => {
    expect(safeRedirect('/people?role=hr')).toBe('/people?role=hr')
    expect(safeRedirect('//evil.com')).toBe('/')
    expect(safeRedirect('/\\evil.com')).toBe('/')
    expect(safeRedirect('https://evil.com')).toBe('/')
    expect(safeRedirect(undefined, '/home')).toBe('/home')
    expect(safeRedirect(42)).toBe('/')
  })
})
