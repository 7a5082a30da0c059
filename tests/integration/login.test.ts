import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { loginAttempts, sessions } from '#db/schema/auth'
import {
  ACCOUNT_ATTACK_FAILURES_PER_HOUR,
  ADDRESS_ATTEMPTS_PER_MINUTE,
  ADDRESS_FAILURES_PER_HOUR,
  PAIR_FREE_FAILURES,
  PAIR_MAX_DELAY_MS,
} from '~/domain/login-throttle'
import { action as personAction, loader as personLoader } from '~/routes/admin.people.$personId'
import { action, loader } from '~/routes/login'
import { login, safeRedirect, type LoginResult } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { deactivatePerson } from '~/models/people.server'
import { TEST_PASSWORD, call, loggedIn, makePerson, request } from '../helpers/db'
import { noticeOf } from '../helpers/cycles'
import { args, auditFor } from '../helpers/program'

const INVALID = 'That email and password do not match an active account.'

let ipCounter = 0
/** Each test its own client address, so the per-IP limit of one test does not leak into another. */
const freshIp = () => `203.0.113.${++ipCounter}`

type FormReply = {
  result: {
    status?: string
    error?: Record<string, string[] | null> | null
    initialValue?: Record<string, unknown> | null
  }
}

function postLogin(form: Record<string, string>, ip = freshIp()) {
  return call(() =>
    action({
      request: request('/login', { form, headers: { 'X-STO-Remote-Address': ip } }),
      params: {},
      context: {},
    } as never),
  )
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
    expect(ADDRESS_ATTEMPTS_PER_MINUTE).toBe(10)
    const p = await makePerson({ roles: ['candidate'] })
    const ip = '198.51.100.7'
    for (let i = 1; i <= 10; i++) {
      const res = await postLogin({ email: `guess${i}@example.com`, password: 'wrong password here' }, ip)
      expect(res.status, `attempt ${i}`).toBe(400)
    }
    const eleventh = await postLogin({ email: p.email, password: TEST_PASSWORD }, ip)
    expect(eleventh.status).toBe(429)
    expect((eleventh.data as FormReply).result.error?.[''] ?? []).toEqual([
      'Too many login attempts from this network. Try again in 1 minute.',
    ])
    const retryAfter = Number(eleventh.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(55)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(eleventh.headers.get('Set-Cookie')).toBeNull()
    expect(sessionCount(p.id)).toBe(0)
    // Another address is not affected.
    expect((await postLogin({ email: p.email, password: TEST_PASSWORD })).status).toBe(302)
  })

  it('returns 400 with field errors for malformed input, and writes nothing', async () => {
    const attemptsBefore = getDb()
      .select({ n: sql<number>`count(*)` })
      .from(loginAttempts)
      .get()!.n
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
    expect(
      getDb()
        .select({ n: sql<number>`count(*)` })
        .from(loginAttempts)
        .get()!.n,
    ).toBe(attemptsBefore)
  })
})

const failureRows = (email: string) =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email.toLowerCase()), eq(loginAttempts.succeeded, false)))
    .get()!.n
/** One line per result, so a sequence of them compares as a whole. */
const outcome = (r: LoginResult) => (r.ok ? 'ok' : r.reason === 'invalid' ? 'invalid' : `${r.reason} ${r.retryAfterMs}`)
const INVALID_RESULT = { ok: false, reason: 'invalid' }

describe('login(): a lockout an attacker cannot aim', () => {
  it('strangers at 50 other addresses failing 1,000 times do not stop the real user at their address', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const start = Date.UTC(2032, 0, 1, 8)
    const tally = { invalid: 0, 'rate-limited-pair': 0, other: 0 }
    // 20 rounds, a minute apart; in each, every one of 50 addresses tries once.
    for (let round = 0; round < 20; round++)
      for (let a = 0; a < 50; a++) {
        const r = await login(
          { email: p.email, password: `stranger guess ${round}`, ip: `10.50.0.${a}` },
          getDb(),
          start + round * 60_000 + a * 100,
        )
        if (!r.ok && (r.reason === 'invalid' || r.reason === 'rate-limited-pair')) tally[r.reason]++
        else tally.other++
      }
    expect(tally.invalid + tally['rate-limited-pair']).toBe(1000)
    expect(tally.other).toBe(0)
    // The delays held the strangers back: half of their tries were never checked.
    expect(tally['rate-limited-pair']).toBeGreaterThanOrEqual(500)
    expect(failureRows(p.email)).toBe(tally.invalid)
    expect(failureRows(p.email)).toBeGreaterThanOrEqual(ACCOUNT_ATTACK_FAILURES_PER_HOUR)

    const end = start + 20 * 60_000
    // The real user at their own address is in at once, with the right password…
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '192.0.2.10' }, getDb(), end)).toMatchObject({
      ok: true,
      personId: p.id,
    })
    // …and a typo of theirs during the attack costs them a second, not the account.
    expect(await login({ email: p.email, password: 'a typo of mine', ip: '192.0.2.11' }, getDb(), end + 1000)).toEqual(
      INVALID_RESULT,
    )
    expect(
      await login({ email: p.email, password: TEST_PASSWORD, ip: '192.0.2.11' }, getDb(), end + 2000),
    ).toMatchObject({ ok: true, personId: p.id })
    // A stranger's pair still waits, even with the right password: its attempt is not checked.
    expect(
      await login({ email: p.email, password: TEST_PASSWORD, ip: '10.50.0.7' }, getDb(), end + 3000),
    ).toMatchObject({ ok: false, reason: 'rate-limited-pair' })
  })

  it('gives one (account, address) pair growing delays after five failures: 1 s, 2 s, 4 s … at most 15 minutes', async () => {
    expect(PAIR_FREE_FAILURES).toBe(5)
    expect(PAIR_MAX_DELAY_MS).toBe(15 * 60_000)
    const p = await makePerson({ roles: ['candidate'] })
    const ip = '198.51.100.77'
    const start = Date.UTC(2032, 1, 1, 8)
    let last = start
    for (let i = 0; i < 5; i++) {
      last = start + i * 10_000
      expect(
        await login({ email: p.email, password: `typo ${i}`, ip }, getDb(), last),
        `free failure ${i + 1}`,
      ).toEqual(INVALID_RESULT)
    }
    const delays: number[] = []
    for (let k = 0; k < 12; k++) {
      // Right after a failure the pair is held back, and told exactly how long for…
      const early = await login({ email: p.email, password: 'still wrong', ip }, getDb(), last + 1)
      if (early.ok || early.reason !== 'rate-limited-pair')
        throw new Error(`failure ${5 + k} did not hold the pair back: ${outcome(early)}`)
      const delay = early.retryAfterMs + 1
      // …a millisecond before the wait ends it is still refused; when it ends, it is checked again.
      expect(await login({ email: p.email, password: 'still wrong', ip }, getDb(), last + delay - 1)).toEqual({
        ok: false,
        reason: 'rate-limited-pair',
        retryAfterMs: 1,
      })
      expect(await login({ email: p.email, password: 'still wrong', ip }, getDb(), last + delay)).toEqual(
        INVALID_RESULT,
      )
      delays.push(delay)
      last += delay
    }
    expect(delays.map((d) => d / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
    // The refused tries were not recorded: only the 17 checked failures count.
    expect(failureRows(p.email)).toBe(17)
    // Meanwhile the account is open from any other address.
    expect(
      await login({ email: p.email, password: TEST_PASSWORD, ip: '198.51.100.78' }, getDb(), last + 1),
    ).toMatchObject({ ok: true })
    // Once the wait is over, the right password works at the pair, and the pair starts afresh.
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip }, getDb(), last + 1)).toMatchObject({
      ok: false,
      reason: 'rate-limited-pair',
    })
    last += PAIR_MAX_DELAY_MS
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip }, getDb(), last)).toMatchObject({
      ok: true,
      personId: p.id,
    })
    for (let i = 1; i <= 5; i++)
      expect(await login({ email: p.email, password: 'typo', ip }, getDb(), last + i * 10_000)).toEqual(INVALID_RESULT)
    expect(await login({ email: p.email, password: 'typo', ip }, getDb(), last + 50_999)).toEqual({
      ok: false,
      reason: 'rate-limited-pair',
      retryAfterMs: 1,
    })
  })

  it('delays an unknown email exactly as a known one, also while the account is under attack', async () => {
    const known = await makePerson({ roles: ['candidate'] })
    const unknown = `nobody-${known.id}@example.com`
    /** Tries every 700 ms from one address; returns each answer, delays included. */
    async function sequence(email: string, ip: string, start: number, attackers: number) {
      // Failures of other addresses in the last hour, as many as `attackers`.
      if (attackers > 0)
        getDb()
          .insert(loginAttempts)
          .values(
            Array.from({ length: attackers }, (_, i) => ({
              email,
              ip: `10.77.${i >> 8}.${i & 255}`,
              at: start - 10 * 60_000 + i,
              succeeded: false,
            })),
          )
          .run()
      const out: string[] = []
      for (let i = 0; i < 24; i++)
        out.push(outcome(await login({ email, password: 'wrong password here', ip }, getDb(), start + i * 700)))
      return out
    }
    const calm = {
      known: await sequence(known.email, '192.0.2.50', Date.UTC(2033, 0, 1), 0),
      unknown: await sequence(unknown, '192.0.2.51', Date.UTC(2033, 0, 1), 0),
    }
    expect(calm.unknown).toEqual(calm.known)
    expect(calm.known.slice(0, 5)).toEqual(Array(5).fill('invalid'))
    expect(calm.known).toContain('rate-limited-pair 300')

    const attacked = {
      known: await sequence(known.email, '192.0.2.52', Date.UTC(2033, 1, 1), ACCOUNT_ATTACK_FAILURES_PER_HOUR),
      unknown: await sequence(unknown, '192.0.2.53', Date.UTC(2033, 1, 1), ACCOUNT_ATTACK_FAILURES_PER_HOUR),
    }
    expect(attacked.unknown).toEqual(attacked.known)
    // Under attack the delays start after the first failure, not the fifth.
    expect(attacked.known.slice(0, 2)).toEqual(['invalid', 'rate-limited-pair 300'])

    // Through the page (now, with an account not attacked): the same status, message and Retry-After for both.
    const known2 = await makePerson({ roles: ['candidate'] })
    const unknown2 = `nobody-${known2.id}@example.com`
    const now = Date.now()
    const seed = (email: string, ip: string) =>
      getDb()
        .insert(loginAttempts)
        .values(
          Array.from({ length: 14 }, (_, i) => ({ email, ip, at: now - 2000 - (13 - i) * 1000, succeeded: false })),
        )
        .run()
    seed(known2.email, '192.0.2.54')
    seed(unknown2, '192.0.2.55')
    const pages = [
      await postLogin({ email: known2.email, password: TEST_PASSWORD }, '192.0.2.54'),
      await postLogin({ email: unknown2, password: TEST_PASSWORD }, '192.0.2.55'),
    ]
    for (const res of pages) {
      expect(res.status).toBe(429)
      // 14 failures: 2 ** 9 s = 512 s after the last one, which was 2 s ago.
      expect((res.data as FormReply).result.error?.['']).toEqual([
        'Too many failed attempts to log in with this email from here. Try again in 9 minutes, or ask an administrator to clear them.',
      ])
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(505)
      expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(510)
      expect(res.headers.get('Set-Cookie')).toBeNull()
    }
    expect(sessionCount(known2.id)).toBe(0)
  })

  it('counts an IPv6 network (/64) as one address: rotating addresses inside it buys no free tries', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const start = Date.UTC(2032, 3, 1)
    for (let i = 1; i <= 5; i++)
      expect(await login({ email: p.email, password: 'guess', ip: `2001:db8:77:1::${i}` }, getDb(), start + i)).toEqual(
        INVALID_RESULT,
      )
    expect(
      await login({ email: p.email, password: 'guess', ip: '2001:db8:77:1:aaaa:bbbb:cccc:dddd' }, getDb(), start + 6),
    ).toEqual({ ok: false, reason: 'rate-limited-pair', retryAfterMs: 999 })
    // The next /64 is another address, and IPv4 written IPv4-mapped is the IPv4 address.
    expect(
      await login({ email: p.email, password: TEST_PASSWORD, ip: '2001:db8:77:2::1' }, getDb(), start + 7),
    ).toMatchObject({ ok: true })
    for (let i = 1; i <= 5; i++)
      expect(await login({ email: p.email, password: 'guess', ip: '198.51.100.66' }, getDb(), start + 10 + i)).toEqual(
        INVALID_RESULT,
      )
    expect(
      await login({ email: p.email, password: 'guess', ip: '::ffff:198.51.100.66' }, getDb(), start + 16),
    ).toMatchObject({ ok: false, reason: 'rate-limited-pair' })
  })

  it('limits one address to 100 failures an hour over all accounts (credential stuffing)', async () => {
    expect(ADDRESS_FAILURES_PER_HOUR).toBe(100)
    const p = await makePerson({ roles: ['candidate'] })
    const ip = '198.51.100.99'
    const start = Date.UTC(2034, 0, 1)
    // One guess each for 100 accounts, 7 s apart (below the burst limit of 10 a minute).
    for (let i = 0; i < 100; i++)
      expect(
        await login({ email: `stuffed${i}@example.com`, password: 'leaked password', ip }, getDb(), start + i * 7000),
      ).toEqual(INVALID_RESULT)
    const now = start + 100 * 7000
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip }, getDb(), now)).toEqual({
      ok: false,
      reason: 'rate-limited-address',
      retryAfterMs: start + 60 * 60_000 - now,
    })
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '198.51.100.100' }, getDb(), now)).toMatchObject({
      ok: true,
    })
    // When the first failure has left the hour, the address may try again.
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip }, getDb(), start + 60 * 60_000)).toMatchObject({
      ok: true,
    })
  })

  it('does not count successful logins against the account or the address', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const start = Date.UTC(2031, 0, 1)
    for (let i = 0; i < 105; i++) {
      const r = await login({ email: p.email, password: TEST_PASSWORD, ip: '10.2.0.1' }, getDb(), start + i * 7000)
      expect(r.ok, `login ${i}`).toBe(true)
    }
  })
})

describe('an admin clears an account’s failed logins (admin.people.$personId)', () => {
  const loadPerson = (cookie: string, id: number) =>
    call(() => personLoader(args(request(`/admin/people/${id}`, { cookie }), { personId: String(id) })))
  const postClear = (cookie: string, id: number) =>
    call(() =>
      personAction(
        args(request(`/admin/people/${id}`, { cookie, form: { intent: 'clear-login-failures' } }), {
          personId: String(id),
        }),
      ),
    )
  const auditCount = () =>
    getDb()
      .select({ n: sql<number>`count(*)` })
      .from(auditLog)
      .get()!.n
  const attemptRows = () => getDb().select().from(loginAttempts).all()

  /** 24 failures for `email` from three addresses, 8 each: every pair waits 8 s after its last. */
  async function failFromThreeAddresses(email: string, prefix: string) {
    const now = Date.now()
    for (let a = 0; a < 3; a++)
      for (let i = 0; i < 7; i++) {
        const r = await login({ email, password: 'not theirs', ip: `${prefix}.${a}` }, getDb(), now - 40_000 + i * 5000)
        expect(r).toEqual(INVALID_RESULT)
      }
    for (let a = 0; a < 3; a++)
      expect(await login({ email, password: 'not theirs', ip: `${prefix}.${a}` }, getDb(), now - 100)).toEqual(
        INVALID_RESULT,
      )
  }

  it('shows the count without addresses, clears every address’s failures in one audited step, and the person can try again at once', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const p = await makePerson({ roles: ['candidate'] })
    const other = await makePerson({ roles: ['candidate'] })
    await failFromThreeAddresses(p.email, '172.16.5')
    await failFromThreeAddresses(other.email, '172.16.6')
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '172.16.5.1' })).toMatchObject({
      ok: false,
      reason: 'rate-limited-pair',
    })

    const page = await loadPerson(admin.cookie, p.id)
    expect(page.status).toBe(200)
    const { loginFailures } = page.data as { loginFailures: { failures: number; lastAt: number } }
    expect(loginFailures.failures).toBe(24)
    expect(JSON.stringify(page.data)).not.toContain('172.16.')

    const res = await postClear(admin.cookie, p.id)
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe(`/admin/people/${p.id}`)
    expect(await noticeOf(admin.cookie)).toBe(
      'Failed logins cleared (24): they can try again from anywhere without waiting.',
    )
    expect(failureRows(p.email)).toBe(0)
    expect(failureRows(other.email)).toBe(24)
    const entries = auditFor('person.login-failures-clear', p.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      entityType: 'person',
      after: JSON.stringify({ cleared: 24 }),
    })
    expect(`${entries[0]!.before}${entries[0]!.after}`).not.toContain('172.16.')
    expect((await loadPerson(admin.cookie, p.id)).data).toMatchObject({ loginFailures: { failures: 0, lastAt: null } })
    // The pair that was waiting is checked again at once.
    expect(await login({ email: p.email, password: TEST_PASSWORD, ip: '172.16.5.1' })).toMatchObject({
      ok: true,
      personId: p.id,
    })
  })

  it('clears nothing when its audit entry cannot be written (one transaction)', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const p = await makePerson({ roles: ['candidate'] })
    await failFromThreeAddresses(p.email, '172.16.8')
    const sqlite = getDb().$client
    // A test-only trigger makes exactly this audit entry fail.
    sqlite.exec(`create temp trigger refuse_clear_audit before insert on main.audit_log when new.action = 'person.login-failures-clear'
      begin select raise(abort, 'audit refused for the test'); end`)
    try {
      await expect(postClear(admin.cookie, p.id)).rejects.toThrow('audit refused for the test')
    } finally {
      sqlite.exec('drop trigger refuse_clear_audit')
    }
    expect(failureRows(p.email)).toBe(24)
    expect(auditFor('person.login-failures-clear', p.id)).toEqual([])
  })

  it('is refused (403) to HR, mentors and candidates, and writes nothing', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    await failFromThreeAddresses(p.email, '172.16.7')
    for (const role of ['hr', 'mentor', 'candidate'] as const) {
      const viewer = await loggedIn({ roles: [role] })
      const before = { audit: auditCount(), attempts: attemptRows() }
      expect(await loadPerson(viewer.cookie, p.id), `${role} page`).toMatchObject({ thrown: true, status: 403 })
      expect(await postClear(viewer.cookie, p.id), `${role} clear`).toMatchObject({ thrown: true, status: 403 })
      expect(auditCount()).toBe(before.audit)
      expect(attemptRows()).toEqual(before.attempts)
    }
    expect(failureRows(p.email)).toBe(24)
  })
})

describe('login loader and safeRedirect', () => {
  it('sends a signed-in person home from the login page', async () => {
    const p = await makePerson({ roles: ['candidate'] })
    const ok = await login({ email: p.email, password: TEST_PASSWORD, ip: freshIp() })
    if (!ok.ok) throw new Error('login failed')
    const res = await call(() =>
      loader({ request: request('/login', { cookie: ok.setCookie.split(';')[0]! }), params: {}, context: {} } as never),
    )
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
