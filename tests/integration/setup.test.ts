/** Runs on an empty database (its own file): the one-time creation of the first administrator. */
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { people } from '#db/schema/people'
import { getPerson } from '~/models/people.server'
import { loader as loginLoader } from '~/routes/login'
import { action, loader } from '~/routes/setup'
import { checkSession } from '~/utils/session.server'
import { getDb } from '~/utils/db.server'
import { call, request } from '../helpers/db'

const args = (req: Request) => ({ request: req, params: {}, context: {} }) as never
const peopleCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(people)
    .get()!.n
const PASSWORD = 'first admin of the pathway'

type Reply = { result: { error?: Record<string, string[] | null> | null } }

describe('setup', () => {
  it('is offered on an empty database, and the login page sends there', async () => {
    expect(peopleCount()).toBe(0)
    expect(await call(() => loader())).toMatchObject({ thrown: false, status: 200, data: null })
    const login = await call(() => loginLoader(args(request('/login'))))
    expect(login).toMatchObject({ thrown: true, status: 302 })
    expect(login.headers.get('Location')).toBe('/setup')
  })

  it('refuses mismatched, short or common passwords and writes nothing', async () => {
    const base = { name: 'Ada Admin', email: 'ada@example.com' }
    const mismatch = await call(() =>
      action(args(request('/setup', { form: { ...base, password: PASSWORD, confirmPassword: `${PASSWORD}!` } }))),
    )
    expect(mismatch.status).toBe(400)
    expect((mismatch.data as Reply).result.error?.confirmPassword).toEqual(['The two passwords do not match.'])
    const short = await call(() =>
      action(args(request('/setup', { form: { ...base, password: 'short', confirmPassword: 'short' } }))),
    )
    expect((short.data as Reply).result.error?.password).toEqual(['Use at least 12 characters.'])
    const common = await call(() =>
      action(args(request('/setup', { form: { ...base, password: '1qaz2wsx3edc', confirmPassword: '1qaz2wsx3edc' } }))),
    )
    expect(common.status).toBe(400)
    expect((common.data as Reply).result.error?.password).toEqual(['This password is too common. Choose another.'])
    const noEmail = await call(() =>
      action(args(request('/setup', { form: { name: 'Ada', password: PASSWORD, confirmPassword: PASSWORD } }))),
    )
    expect((noEmail.data as Reply).result.error?.email).toEqual(['Enter an email address.'])
    expect(peopleCount()).toBe(0)
    expect(JSON.stringify(mismatch.data)).not.toContain(PASSWORD)
  })

  it('creates the first admin, signs them in and records it', async () => {
    const res = await call(() =>
      action(
        args(
          request('/setup', {
            form: { name: 'Ada Admin', email: 'Ada@Example.com', password: PASSWORD, confirmPassword: PASSWORD },
          }),
        ),
      ),
    )
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/')
    const cookie = res.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/^sto_session=/)

    expect(peopleCount()).toBe(1)
    const session = await checkSession(request('/', { cookie: cookie.split(';')[0]! }))
    expect(session.status).toBe('valid')
    if (session.status !== 'valid') return
    expect(getPerson(getDb(), session.personId)).toMatchObject({
      name: 'Ada Admin',
      email: 'ada@example.com',
      roles: ['admin'],
      candidate: null,
      active: true,
    })
    const entries = getDb().select().from(auditLog).all()
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'person.create', actorId: null, entityId: String(session.personId) })
  })

  it('is 404 afterwards, for the page and the form', async () => {
    expect(await call(() => loader())).toMatchObject({ thrown: true, status: 404 })
    const again = await call(() =>
      action(
        args(
          request('/setup', {
            form: { name: 'Mallory', email: 'mallory@example.com', password: PASSWORD, confirmPassword: PASSWORD },
          }),
        ),
      ),
    )
    expect(again).toMatchObject({ thrown: true, status: 404 })
    expect(peopleCount()).toBe(1)
  })
})
