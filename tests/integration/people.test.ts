import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { sessions } from '#db/schema/auth'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { getPerson } from '~/models/people.server'
import { action as editAction, loader as editLoader } from '~/routes/admin.people.$personId'
import { loader as adminListLoader } from '~/routes/admin.people._index'
import { action as newAction, loader as newLoader } from '~/routes/admin.people.new'
import { loader as candidateLoader } from '~/routes/candidates.$personId'
import { loader as peopleLoader } from '~/routes/people'
import { loader as setupLoader } from '~/routes/setup'
import { getOptionalUser, login } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { TEST_PASSWORD, call, loggedIn, makePerson, request } from '../helpers/db'
import { noticeOf } from '../helpers/cycles'

const NEW_PASSWORD = 'violet kettle under moonlight'

type Reply = {
  result?: { error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> | null }
  message?: string | null
}
const errorsOf = (data: unknown) => (data as Reply).result?.error ?? {}

const count = (table: typeof people | typeof roleAssignments | typeof candidateProfiles | typeof auditLog) =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .get()!.n
const counts = () => ({
  people: count(people),
  roles: count(roleAssignments),
  profiles: count(candidateProfiles),
  audit: count(auditLog),
})
const sessionsOf = (personId: number) => getDb().select().from(sessions).where(eq(sessions.personId, personId)).all()

const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} }) as never

let n = 0
function candidateForm(overrides: Record<string, string | string[] | undefined> = {}) {
  n++
  const form: Record<string, string | string[] | undefined> = {
    name: `New Candidate ${n}`,
    email: `new-candidate-${n}@example.com`,
    roles: ['candidate'],
    background: 'technical-product-manager',
    stage: 'assistant-sto',
    joinedOn: '2026-03-01',
    password: NEW_PASSWORD,
    ...overrides,
  }
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | string[]
  >
}

describe('adding a person (admin.people.new)', () => {
  it('creates a candidate with roles, profile and an audit entry, then shows their page', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const mentor = await makePerson({ roles: ['mentor'], name: 'Mara Mentor' })
    const before = counts()
    const form = candidateForm({
      name: 'Nadia Newcomer',
      email: 'Nadia.Newcomer@Example.com',
      mentorId: String(mentor.id),
    })
    const res = await call(() => newAction(args(request('/admin/people/new', { cookie: admin.cookie, form }))))

    expect(res).toMatchObject({ thrown: true, status: 302 })
    const location = res.headers.get('Location')!
    const match = location.match(/^\/admin\/people\/(\d+)$/)
    expect(match, location).not.toBeNull()
    const id = Number(match![1])

    expect(getPerson(getDb(), id)).toMatchObject({
      name: 'Nadia Newcomer',
      email: 'nadia.newcomer@example.com',
      active: true,
      roles: ['candidate'],
      candidate: {
        background: 'technical-product-manager',
        stage: 'assistant-sto',
        joinedOn: '2026-03-01',
        mentorId: mentor.id,
        mentorName: 'Mara Mentor',
      },
    })
    expect(counts()).toEqual({
      people: before.people + 1,
      roles: before.roles + 1,
      profiles: before.profiles + 1,
      audit: before.audit + 1,
    })
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.create'), eq(auditLog.entityId, String(id))))
      .get()
    expect(audit).toMatchObject({ actorId: admin.id, entityType: 'person' })
    expect(JSON.parse(audit!.after!)).toMatchObject({ name: 'Nadia Newcomer', roles: ['candidate'] })
    expect(audit!.after).not.toContain(NEW_PASSWORD)

    // The new person can log in with the initial password.
    expect(await login({ email: 'nadia.newcomer@example.com', password: NEW_PASSWORD, ip: '192.0.2.1' })).toMatchObject(
      { ok: true, personId: id },
    )
  })

  it('creates a non-candidate with several roles and no profile', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const before = counts()
    const form = candidateForm({
      roles: ['mentor', 'hr'],
      background: undefined,
      stage: undefined,
      joinedOn: undefined,
    })
    const res = await call(() => newAction(args(request('/admin/people/new', { cookie: admin.cookie, form }))))
    expect(res.status).toBe(302)
    const id = Number(res.headers.get('Location')!.match(/\/admin\/people\/(\d+)/)![1])
    expect(getPerson(getDb(), id)).toMatchObject({ roles: ['mentor', 'hr'], candidate: null })
    expect(counts()).toEqual({ ...before, people: before.people + 1, roles: before.roles + 2, audit: before.audit + 1 })
  })

  it('refuses an email already in use, differing only in case: 409 on the email field, nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const existing = await makePerson({ roles: ['hr'], email: 'taken.address@example.com' })
    const before = counts()
    const res = await call(() =>
      newAction(
        args(
          request('/admin/people/new', {
            cookie: admin.cookie,
            form: candidateForm({ email: 'Taken.Address@EXAMPLE.com' }),
          }),
        ),
      ),
    )
    expect(res).toMatchObject({ thrown: false, status: 409 })
    expect(errorsOf(res.data).email).toEqual(['Someone already has this email address.'])
    expect(counts()).toEqual(before)
    expect(getPerson(getDb(), existing.id)?.email).toBe('taken.address@example.com')
    // The initial password is not sent back into the form.
    expect(JSON.stringify(res.data)).not.toContain(NEW_PASSWORD)
  })

  it('refuses a candidate without a background: 400 on background, nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const before = counts()
    const res = await call(() =>
      newAction(
        args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ background: undefined }) })),
      ),
    )
    expect(res.status).toBe(400)
    expect(errorsOf(res.data).background).toEqual(['Choose the candidate’s background.'])
    expect(counts()).toEqual(before)
  })

  it('refuses a background id that is not in the content: 400, nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const before = counts()
    const res = await call(() =>
      newAction(
        args(
          request('/admin/people/new', {
            cookie: admin.cookie,
            form: candidateForm({ background: 'astronaut', stage: 'no-such-stage' }),
          }),
        ),
      ),
    )
    expect(res.status).toBe(400)
    expect(errorsOf(res.data).background).toEqual(['Choose one of the listed backgrounds.'])
    expect(errorsOf(res.data).stage).toEqual(['Choose one of the listed stages.'])
    expect(counts()).toEqual(before)
  })

  it('refuses a mentor who does not hold the mentor role: error on mentorId, nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const notMentor = await makePerson({ roles: ['hr'] })
    const before = counts()
    for (const mentorId of [String(notMentor.id), '999999']) {
      const res = await call(() =>
        newAction(args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ mentorId }) }))),
      )
      expect(res.status, mentorId).toBe(400)
      expect(errorsOf(res.data).mentorId, mentorId).toEqual(['Choose an active person who holds the mentor role.'])
    }
    expect(counts()).toEqual(before)
  })

  it('refuses a deactivated mentor', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const mentor = await makePerson({ roles: ['mentor'] })
    const off = await call(() =>
      editAction(
        args(request(`/admin/people/${mentor.id}`, { cookie: admin.cookie, form: { intent: 'deactivate' } }), {
          personId: String(mentor.id),
        }),
      ),
    )
    expect(off.status).toBe(302)
    const before = counts()
    const res = await call(() =>
      newAction(
        args(
          request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ mentorId: String(mentor.id) }) }),
        ),
      ),
    )
    expect(errorsOf(res.data).mentorId).toEqual(['Choose an active person who holds the mentor role.'])
    expect(counts()).toEqual(before)
  })

  it('refuses a common or short initial password: error on password, nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const before = counts()
    const common = await call(() =>
      newAction(
        args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ password: 'qwerty123456' }) })),
      ),
    )
    expect(common.status).toBe(400)
    expect(errorsOf(common.data).password).toEqual(['This password is too common. Choose another.'])
    const short = await call(() =>
      newAction(
        args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ password: 'short' }) })),
      ),
    )
    expect(short.status).toBe(400)
    expect(errorsOf(short.data).password).toEqual(['Use at least 12 characters.'])
    expect(counts()).toEqual(before)
  })

  it('refuses a person with no roles or an unknown role', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const before = counts()
    const none = await call(() =>
      newAction(
        args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ roles: undefined }) })),
      ),
    )
    expect(none.status).toBe(400)
    expect(errorsOf(none.data).roles).toEqual(['Choose at least one role.'])
    const bogus = await call(() =>
      newAction(
        args(request('/admin/people/new', { cookie: admin.cookie, form: candidateForm({ roles: ['superuser'] }) })),
      ),
    )
    expect(bogus.status).toBe(400)
    expect(counts()).toEqual(before)
  })

  it('is forbidden (403) to candidates, mentors and HR, for the page and the action', async () => {
    const before = counts()
    for (const role of ['candidate', 'mentor', 'hr'] as const) {
      const user = await loggedIn({ roles: [role] })
      const after = counts()
      const page = await call(() => newLoader(args(request('/admin/people/new', { cookie: user.cookie }))))
      expect(page, `${role} loader`).toMatchObject({ thrown: true, status: 403 })
      const post = await call(() =>
        newAction(args(request('/admin/people/new', { cookie: user.cookie, form: candidateForm() }))),
      )
      expect(post, `${role} action`).toMatchObject({ thrown: true, status: 403 })
      expect(counts().people).toBe(after.people)
    }
    expect(counts().people).toBe(before.people + 3)
  })

  it('sends an anonymous visitor to log in', async () => {
    const res = await call(() => newLoader(args(request('/admin/people/new'))))
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fadmin%2Fpeople%2Fnew')
  })

  it('offers the content’s backgrounds and stages and the active mentors', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const mentor = await makePerson({ roles: ['mentor'], name: 'Options Mentor' })
    const res = await call(() => newLoader(args(request('/admin/people/new', { cookie: admin.cookie }))))
    const data = res.data as {
      backgrounds: { value: string }[]
      stages: { value: string; label: string }[]
      mentors: { value: string; label: string }[]
    }
    expect(data.backgrounds.map((b) => b.value)).toEqual([
      'technical-product-manager',
      'senior-data-scientist',
      'engineering-manager',
      'strategy-consultant',
    ])
    expect(data.stages.map((s) => s.label)).toEqual([
      'Shadow',
      'Assistant STO',
      'Low-Risk Pod Leadership',
      'Full STO Certification',
    ])
    expect(data.mentors).toContainEqual({ value: String(mentor.id), label: 'Options Mentor' })
  })
})

describe('editing a person (admin.people.$personId)', () => {
  it('answers 404 for an id that is not a number or does not exist', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    for (const personId of ['abc', '999999', '0', '-1', '1e3']) {
      const page = await call(() =>
        editLoader(args(request(`/admin/people/${personId}`, { cookie: admin.cookie }), { personId })),
      )
      expect(page, personId).toMatchObject({ thrown: true, status: 404 })
      const post = await call(() =>
        editAction(
          args(request(`/admin/people/${personId}`, { cookie: admin.cookie, form: { intent: 'deactivate' } }), {
            personId,
          }),
        ),
      )
      expect(post, personId).toMatchObject({ thrown: true, status: 404 })
    }
  })

  it('is forbidden to HR', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const other = await makePerson({ roles: ['candidate'] })
    const res = await call(() =>
      editLoader(args(request(`/admin/people/${other.id}`, { cookie: hr.cookie }), { personId: String(other.id) })),
    )
    expect(res).toMatchObject({ thrown: true, status: 403 })
  })

  it('saves changes to name, email, roles and profile, with an audit entry', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const p = await makePerson({ roles: ['candidate'] })
    const auditBefore = count(auditLog)
    const form = {
      intent: 'save',
      name: 'Renamed Person',
      email: 'renamed.person@example.com',
      roles: ['candidate', 'hr'],
      background: 'strategy-consultant',
      stage: 'shadow',
      joinedOn: '2025-12-01',
    }
    const res = await call(() =>
      editAction(args(request(`/admin/people/${p.id}`, { cookie: admin.cookie, form }), { personId: String(p.id) })),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/admin/people/${p.id}`)
    expect(await noticeOf(admin.cookie)).toBe('Changes saved.')
    expect(getPerson(getDb(), p.id)).toMatchObject({
      name: 'Renamed Person',
      email: 'renamed.person@example.com',
      roles: ['candidate', 'hr'],
      candidate: { background: 'strategy-consultant', stage: 'shadow', joinedOn: '2025-12-01' },
    })
    expect(count(auditLog)).toBe(auditBefore + 1)
  })

  it('never changes a candidate’s stage (issue 12 path 5): a forged stage is refused (400), nothing written', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const p = await makePerson({ roles: ['candidate'] })
    const before = { person: getPerson(getDb(), p.id), audit: count(auditLog) }
    const form = {
      intent: 'save',
      name: p.name,
      email: p.email,
      roles: ['candidate'],
      background: 'senior-data-scientist',
      stage: 'full-sto-certification',
      joinedOn: '2026-01-15',
    }
    const res = await call(() =>
      editAction(args(request(`/admin/people/${p.id}`, { cookie: admin.cookie, form }), { personId: String(p.id) })),
    )
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(errorsOf(res.data).stage).toEqual([
      'The program stage changes only through the development program (enrollment and the stage gate), not here.',
    ])
    expect({ person: getPerson(getDb(), p.id), audit: count(auditLog) }).toEqual(before)
  })

  it('refuses to let an admin remove their own admin role', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const me = getPerson(getDb(), admin.id)!
    const form = { intent: 'save', name: me.name, email: me.email, roles: ['hr'] }
    const res = await call(() =>
      editAction(
        args(request(`/admin/people/${admin.id}`, { cookie: admin.cookie, form }), { personId: String(admin.id) }),
      ),
    )
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(errorsOf(res.data).roles).toEqual(['You cannot remove your own admin role; ask another admin.'])
    expect(getPerson(getDb(), admin.id)?.roles).toEqual(['admin'])
  })

  it('refuses to let an admin deactivate themselves', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const res = await call(() =>
      editAction(
        args(request(`/admin/people/${admin.id}`, { cookie: admin.cookie, form: { intent: 'deactivate' } }), {
          personId: String(admin.id),
        }),
      ),
    )
    expect(res.status).toBe(400)
    expect((res.data as Reply).message).toBe('You cannot deactivate yourself; ask another admin.')
    expect(getPerson(getDb(), admin.id)?.active).toBe(true)
  })

  it('deactivating a person ends their sessions and stops them logging in; reactivating lets them back', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const victim = await loggedIn({ roles: ['candidate'] })
    const second = await login({ email: victim.email, password: TEST_PASSWORD, ip: '192.0.2.50' })
    expect(second.ok).toBe(true)
    expect(sessionsOf(victim.id)).toHaveLength(2)

    const res = await call(() =>
      editAction(
        args(request(`/admin/people/${victim.id}`, { cookie: admin.cookie, form: { intent: 'deactivate' } }), {
          personId: String(victim.id),
        }),
      ),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/admin/people/${victim.id}`)
    expect(sessionsOf(victim.id)).toHaveLength(0)
    expect(await getOptionalUser(request('/', { cookie: victim.cookie }))).toBeNull()
    expect(await login({ email: victim.email, password: TEST_PASSWORD, ip: '192.0.2.51' })).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(getPerson(getDb(), victim.id)?.active).toBe(false)

    const again = await call(() =>
      editAction(
        args(request(`/admin/people/${victim.id}`, { cookie: admin.cookie, form: { intent: 'deactivate' } }), {
          personId: String(victim.id),
        }),
      ),
    )
    expect(again.status).toBe(409)
    expect((again.data as Reply).message).toBe('This person is already deactivated.')

    const back = await call(() =>
      editAction(
        args(request(`/admin/people/${victim.id}`, { cookie: admin.cookie, form: { intent: 'reactivate' } }), {
          personId: String(victim.id),
        }),
      ),
    )
    expect(back.headers.get('Location')).toBe(`/admin/people/${victim.id}`)
    expect(await login({ email: victim.email, password: TEST_PASSWORD, ip: '192.0.2.52' })).toMatchObject({ ok: true })
  })

  it('refuses an unknown intent with 400', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const p = await makePerson({ roles: ['hr'] })
    const res = await call(() =>
      editAction(
        args(request(`/admin/people/${p.id}`, { cookie: admin.cookie, form: { intent: 'delete' } }), {
          personId: String(p.id),
        }),
      ),
    )
    expect(res).toMatchObject({ thrown: true, status: 400 })
    expect(getPerson(getDb(), p.id)).not.toBeNull()
  })
})

describe('lists of people', () => {
  it('people (HR list) is forbidden to candidates and mentors and lists everyone for HR', async () => {
    const candidate = await loggedIn({ roles: ['candidate'] })
    const mentor = await loggedIn({ roles: ['mentor'] })
    for (const user of [candidate, mentor]) {
      expect(await call(() => peopleLoader(args(request('/people', { cookie: user.cookie }))))).toMatchObject({
        thrown: true,
        status: 403,
      })
    }
    const hr = await loggedIn({ roles: ['hr'] })
    const res = await call(() => peopleLoader(args(request('/people', { cookie: hr.cookie }))))
    expect(res.status).toBe(200)
    const data = res.data as {
      rows: Array<{ id: number; name: string; roles: string[]; background: string | null; stage: string | null }>
      isAdmin: boolean
    }
    expect(data.isAdmin).toBe(false)
    expect(data.rows).toHaveLength(
      getDb()
        .select({ n: sql<number>`count(*)` })
        .from(people)
        .get()!.n,
    )
    // Labels, not ids, for the candidate's background and stage (makePerson: senior data scientist, shadow).
    expect(data.rows.find((r) => r.id === candidate.id)).toMatchObject({
      name: candidate.name,
      roles: ['candidate'],
      background: 'Senior Data Scientist',
      stage: 'Shadow',
    })
    expect(data.rows.find((r) => r.id === mentor.id)).toMatchObject({
      roles: ['mentor'],
      background: null,
      stage: null,
    })
    const names = data.rows.map((r) => r.name)
    expect(names).toEqual([...names].sort())
  })

  it('people filters by role, and ignores an unknown role', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const filtered = await call(() => peopleLoader(args(request('/people?role=mentor', { cookie: hr.cookie }))))
    const rows = (filtered.data as { rows: Array<{ roles: string[] }>; role: string }).rows
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.roles).toContain('mentor')
    const bogus = await call(() => peopleLoader(args(request('/people?role=boss', { cookie: hr.cookie }))))
    expect((bogus.data as { role: string | null }).role).toBeNull()
  })

  it('admin people list is forbidden to HR', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    expect(await call(() => adminListLoader(args(request('/admin/people', { cookie: hr.cookie }))))).toMatchObject({
      thrown: true,
      status: 403,
    })
  })
})

describe('a candidate profile (candidates.$personId)', () => {
  it('is readable by the candidate, their mentor, HR and admins; not by others', async () => {
    const mentor = await loggedIn({ roles: ['mentor'] })
    const otherMentor = await loggedIn({ roles: ['mentor'] })
    const candidate = await loggedIn({
      roles: ['candidate'],
      candidate: { mentorId: mentor.id, background: 'engineering-manager', stage: 'shadow' },
    })
    const otherCandidate = await loggedIn({ roles: ['candidate'] })
    const hr = await loggedIn({ roles: ['hr'] })
    const admin = await loggedIn({ roles: ['admin'] })
    const open = (viewer: { cookie: string }, personId = String(candidate.id)) =>
      call(() => candidateLoader(args(request(`/candidates/${personId}`, { cookie: viewer.cookie }), { personId })))

    const own = await open(candidate)
    expect(own.status).toBe(200)
    expect(own.data).toMatchObject({
      isSelf: true,
      candidate: {
        id: candidate.id,
        name: candidate.name,
        mentorName: mentor.name,
        background: { name: 'Engineering Manager' },
        stage: { name: 'Shadow', window: { minMonths: 3, maxMonths: 6 } },
      },
    })
    expect(
      (own.data as { candidate: { background: { gapCapabilities: string[] } } }).candidate.background.gapCapabilities,
    ).toContain('Financial Literacy')

    expect(await open(otherCandidate)).toMatchObject({ thrown: true, status: 403 })
    expect(await open(mentor)).toMatchObject({ thrown: false, status: 200, data: { isSelf: false } })
    expect(await open(otherMentor)).toMatchObject({ thrown: true, status: 403 })
    expect((await open(hr)).status).toBe(200)
    expect((await open(admin)).status).toBe(200)
  })

  it('answers 404 for a non-numeric id, an unknown id, or a person who is not a candidate', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const notCandidate = await makePerson({ roles: ['mentor'] })
    for (const personId of ['abc', '999999', String(notCandidate.id)]) {
      const res = await call(() =>
        candidateLoader(args(request(`/candidates/${personId}`, { cookie: hr.cookie }), { personId })),
      )
      expect(res, personId).toMatchObject({ thrown: true, status: 404 })
    }
  })
})

describe('setup once someone exists', () => {
  it('setup is 404', async () => {
    await makePerson({ roles: ['admin'] })
    expect(await call(() => setupLoader())).toMatchObject({ thrown: true, status: 404 })
  })
})
