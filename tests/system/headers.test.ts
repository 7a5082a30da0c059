/**
 * Headers and sessions on the real production server: an enforced CSP with a fresh nonce per
 * request (no inline script without it), no framing, nosniff, a referrer policy, HSTS when served
 * securely, no-store on pages with personal data, the session cookie's flags, the login and
 * rater-link limits (the 11th attempt in a minute is refused), and changes only by same-site POST.
 */
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, demoDatabase, demoLogins, logIn, postForm, startServer, type RunningServer } from './server'

let server: RunningServer
let secure: RunningServer
let file: string

beforeAll(async () => {
  file = demoDatabase().file
  server = await startServer(file)
  // The same app as served behind HTTPS (SECURE_COOKIES): HSTS and Secure cookies.
  secure = await startServer(demoDatabase().file, { SECURE_COOKIES: 'true' })
})
afterAll(async () => {
  await server?.stop()
  await secure?.stop()
})

const scriptSrcOf = (csp: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src')) ?? ''

describe('security headers', () => {
  it('sends an enforced CSP whose nonce changes per request and is on every script tag', async () => {
    const [a, b] = await Promise.all([fetch(`${server.origin}/login`), fetch(`${server.origin}/login`)])
    const csp = a.headers.get('content-security-policy') ?? ''
    expect(a.headers.get('content-security-policy-report-only')).toBeNull()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("default-src 'self'")
    const scriptSrc = scriptSrcOf(csp)
    expect(scriptSrc).not.toContain('unsafe-inline')
    expect(scriptSrc).not.toContain('unsafe-eval')
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1]
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{16,}$/)
    expect(/'nonce-([^']+)'/.exec(scriptSrcOf(b.headers.get('content-security-policy') ?? ''))?.[1]).not.toBe(nonce)
    const html = await a.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
  })

  it('forbids framing and sniffing, limits referrers; HSTS only when served securely', async () => {
    const res = await fetch(`${server.origin}/login`)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
    expect(res.headers.get('strict-transport-security')).toBeNull()
    const overHttps = await fetch(`${secure.origin}/login`)
    expect(overHttps.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}; includeSubDomains$/)
  })

  it('never lets a page or data request with personal data be cached', async () => {
    const cookie = await logIn(server.origin, demoLogins.hr)
    for (const path of ['/', '/pipeline', '/people', '/_root.data', '/pipeline.data']) {
      const res = await fetch(`${server.origin}${path}`, { headers: { cookie } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('cache-control'), path).toBe('no-store')
    }
  })
})

describe('session cookie and limits', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, without Max-Age; Secure when served securely', async () => {
    const setCookieOf = async (origin: string) => {
      const res = await fetch(`${origin}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'x-forwarded-for': '198.19.250.1' },
        body: new URLSearchParams({ email: demoLogins.candidate, password: DEMO_PASSWORD, redirectTo: '/' }),
      })
      expect(res.status).toBe(302)
      return res.headers.getSetCookie().find((c) => c.startsWith('sto_session=')) ?? ''
    }
    const plain = await setCookieOf(server.origin)
    expect(plain).toMatch(/; HttpOnly/i)
    expect(plain).toMatch(/; SameSite=Lax/i)
    expect(plain).toMatch(/; Path=\//i)
    expect(plain).not.toMatch(/Max-Age|Expires/i)
    expect(plain).not.toMatch(/; Secure/i)
    expect(await setCookieOf(secure.origin)).toMatch(/; Secure/i)
  })

  it('refuses the 11th log-in attempt from one address within a minute', async () => {
    // Ten accounts, one guess each (one account's own delays begin after five failures), then the mentor's.
    const attempt = (i: number) =>
      fetch(`${server.origin}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: server.origin,
          'x-forwarded-for': '198.19.251.7',
        },
        body: new URLSearchParams({
          email: i < 10 ? `guess-${i}@example.com` : demoLogins.mentor,
          password: 'not the password at all',
          redirectTo: '/',
        }),
      })
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await attempt(i)).status)
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true)
    expect(statuses[10]).toBe(429)
  })

  it('refuses the 11th rater-link exchange from one address within a minute', async () => {
    const open = (i: number) =>
      fetch(`${server.origin}/r/not-a-real-token-${i}`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': '198.19.252.9' },
      })
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await open(i)).status)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404))
    expect(statuses[10]).toBe(429)
  })
})

describe('changes only by same-site POST', () => {
  it('refuses a POST whose Origin is another site, before the app runs, and changes nothing', async () => {
    const cookie = await logIn(server.origin, demoLogins.candidate)
    const db = new Database(file, { readonly: true })
    const sessionsBefore = db.prepare('select count(*) from sessions').pluck().get()
    const res = await fetch(`${server.origin}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Cross-site request refused')
    expect(db.prepare('select count(*) from sessions').pluck().get()).toBe(sessionsBefore)
    db.close()
    // The session still works; a same-site POST logs out.
    expect((await fetch(`${server.origin}/account`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200)
    expect((await postForm(server.origin, '/logout', cookie, {})).status).toBe(302)
    expect((await fetch(`${server.origin}/account`, { headers: { cookie }, redirect: 'manual' })).status).toBe(302)
  })

  it('a GET never changes anything: GET /logout keeps the session', async () => {
    const cookie = await logIn(server.origin, demoLogins.candidate)
    expect((await fetch(`${server.origin}/logout`, { headers: { cookie }, redirect: 'manual' })).status).toBe(302)
    expect((await fetch(`${server.origin}/account`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200)
  })
})
