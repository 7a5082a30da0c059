/**
 * Contention: another connection holds SQLite's write lock for longer than the busy timeout while
 * requests arrive. Writes get a 503 with Retry-After and a plain message (never a 500) and write
 * nothing; reads keep working (WAL); once the lock is released the same request succeeds.
 */
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoDatabase, demoLogins, logIn, postForm, startServer, type RunningServer } from './server'

let server: RunningServer
let file: string
let cookie: string
let candidateId: number

beforeAll(async () => {
  file = demoDatabase().file
  server = await startServer(file, { DATABASE_BUSY_TIMEOUT_MS: '300' })
  cookie = await logIn(server.origin, demoLogins.candidate)
  const db = new Database(file, { readonly: true })
  candidateId = db.prepare('select id from people where email = ?').pluck().get(demoLogins.candidate) as number
  db.close()
})
afterAll(async () => server?.stop())

const planItem = (action: string) => ({ intent: 'add-plan', capabilityId: 'ml-fundamentals', action, dueOn: '' })

it('answers 503 while the write lock is held, loses nothing, and recovers when it is released', async () => {
  const blocker = new Database(file)
  const countItems = (action: string) =>
    blocker.prepare('select count(*) from plan_items where action = ?').pluck().get(action) as number
  const action = 'Shadow a model review with the ML lead.'
  blocker.exec('BEGIN IMMEDIATE')
  try {
    const busy = await postForm(server.origin, `/program/${candidateId}`, cookie, planItem(action))
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('5')
    const page = await busy.text()
    expect(page).toContain('Busy right now')
    expect(page).toContain('nothing was saved')
    // A log-in writes a session: refused the same way.
    const login = await fetch(`${server.origin}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.origin,
        'x-forwarded-for': '198.19.200.1',
      },
      body: new URLSearchParams({ email: demoLogins.hr, password: 'pathway-demo-2026', redirectTo: '/' }),
    })
    expect(login.status).toBe(503)
    // Readers are not blocked by a writer in WAL mode.
    const read = await fetch(`${server.origin}/program/${candidateId}`, { headers: { cookie } })
    expect(read.status).toBe(200)
    expect(countItems(action)).toBe(0)
  } finally {
    blocker.exec('ROLLBACK')
  }
  const retried = await postForm(server.origin, `/program/${candidateId}`, cookie, planItem(action))
  expect(retried.status).toBeLessThan(400)
  expect(countItems(action)).toBe(1)
  blocker.close()
  expect(server.stderr()).not.toMatch(/SQLITE_BUSY|Unexpected Server Error/)
})
