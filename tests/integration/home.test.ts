import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { candidateProfiles, people } from '#db/schema/people'
import { navFor } from '~/domain/navigation'
import { deactivatePerson, getPerson, updatePerson } from '~/models/people.server'
import { loader as rootLoader } from '~/root'
import { loader as homeLoader } from '~/routes/_index'
import { loader as menteesLoader } from '~/routes/mentees'
import { getDb, transaction } from '~/utils/db.server'
import { call, loggedIn, makePerson, request } from '../helpers/db'

const args = (req: Request) => ({ request: req, params: {}, context: {} }) as never
type Home = Awaited<ReturnType<typeof homeLoader>>
const home = async (cookie?: string) => {
  const res = await call(() => homeLoader(args(request('/', cookie ? { cookie } : {}))))
  return { ...res, home: res.data as Home }
}

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let admin: Viewer,
  hr: Viewer,
  mentor: Viewer,
  idleMentor: Viewer,
  cand: Viewer,
  candB: Viewer,
  candNoMentor: Viewer,
  both: Viewer

beforeAll(async () => {
  admin = await loggedIn({ roles: ['admin'], name: 'Alex Admin' })
  hr = await loggedIn({ roles: ['hr'], name: 'Hana HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Maya Mentor' })
  idleMentor = await loggedIn({ roles: ['mentor'], name: 'Ivo Idle' })
  cand = await loggedIn({
    roles: ['candidate'],
    name: 'Cara Candidate',
    candidate: { background: 'senior-data-scientist', stage: 'shadow', mentorId: mentor.id },
  })
  candB = await loggedIn({
    roles: ['candidate'],
    name: 'Ben Candidate',
    candidate: { background: 'engineering-manager', stage: 'assistant-sto', mentorId: mentor.id },
  })
  candNoMentor = await loggedIn({
    roles: ['candidate'],
    name: 'Nia Nomentor',
    candidate: { background: 'strategy-consultant', stage: 'shadow' },
  })
  both = await loggedIn({
    roles: ['candidate', 'mentor'],
    name: 'Bo Both',
    candidate: { background: 'technical-product-manager', stage: 'low-risk-pod-leadership', mentorId: idleMentor.id },
  })
  // A deactivated candidate of the mentor: counted nowhere.
  const gone = await makePerson({
    roles: ['candidate'],
    name: 'Gus Gone',
    candidate: { stage: 'assistant-sto', mentorId: mentor.id },
  })
  transaction((tx) => deactivatePerson(tx, admin.id, gone.id))
})

describe('home (_index loader)', () => {
  it('sends an anonymous visitor to log in and back', async () => {
    const res = await home()
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2F')
  })

  it('shows a candidate their stage, background, mentor and the stage’s required milestones', async () => {
    const { home: h, status } = await home(cand.cookie)
    expect(status).toBe(200)
    expect(h.user).toEqual({ id: cand.id, name: 'Cara Candidate', roles: ['candidate'] })
    expect(h.candidate).toMatchObject({
      stageName: 'Shadow',
      backgroundName: 'Senior Data Scientist',
      mentorName: 'Maya Mentor',
    })
    expect(h.candidate!.typicalGap).toMatch(/leadership/i)
    expect(h.candidate!.milestones.length).toBeGreaterThan(0)
    expect(h.mentees).toBeNull()
    expect(h.pipeline).toBeNull()
    expect(h.admin).toBeNull()
  })

  it('shows a candidate without a mentor that none is assigned', async () => {
    const { home: h } = await home(candNoMentor.cookie)
    expect(h.candidate).toMatchObject({ stageName: 'Shadow', backgroundName: 'Strategy Consultant', mentorName: null })
  })

  it('shows a mentor their active mentees with stage and background names, and nothing more', async () => {
    const { home: h } = await home(mentor.cookie)
    expect(h.candidate).toBeNull()
    expect(h.mentees).toEqual([
      { id: candB.id, name: 'Ben Candidate', stage: 'Assistant STO', background: 'Engineering Manager' },
      { id: cand.id, name: 'Cara Candidate', stage: 'Shadow', background: 'Senior Data Scientist' },
    ])
    expect(h.pipeline).toBeNull()
    expect(h.admin).toBeNull()
    expect((await home(idleMentor.cookie)).home.mentees).toEqual([
      { id: both.id, name: 'Bo Both', stage: 'Low-Risk Pod Leadership', background: 'Technical Product Manager' },
    ])
  })

  it('shows a person with two roles both sections', async () => {
    const { home: h } = await home(both.cookie)
    expect(h.candidate).toMatchObject({ stageName: 'Low-Risk Pod Leadership', mentorName: 'Ivo Idle' })
    expect(h.mentees).toEqual([])
  })

  it('shows HR the pipeline: active candidates per stage, summing to the number of active candidates', async () => {
    const { home: h } = await home(hr.cookie)
    expect(h.pipeline).toEqual([
      { id: 'shadow', name: 'Shadow', count: 2 },
      { id: 'assistant-sto', name: 'Assistant STO', count: 1 },
      { id: 'low-risk-pod-leadership', name: 'Low-Risk Pod Leadership', count: 1 },
      { id: 'full-sto-certification', name: 'Full STO Certification', count: 0 },
    ])
    const activeCandidates = getDb()
      .select({ n: sql<number>`count(*)` })
      .from(candidateProfiles)
      .innerJoin(people, sql`${people.id} = ${candidateProfiles.personId} and ${people.active} = 1`)
      .get()!.n
    expect(h.pipeline!.reduce((s, p) => s + p.count, 0)).toBe(activeCandidates)
    expect(activeCandidates).toBe(4)
    expect(h.admin).toBeNull()
    expect(h.candidate).toBeNull()
  })

  it('shows an admin the pipeline and the people counts', async () => {
    const { home: h } = await home(admin.cookie)
    expect(h.pipeline!.map((p) => p.count)).toEqual([2, 1, 1, 0])
    expect(h.admin).toEqual({ people: 9, inactive: 1 })
  })
})

describe('navigation (root loader)', () => {
  const nav = async (cookie?: string) => {
    const res = await call(() => rootLoader(args(request('/', cookie ? { cookie } : {}))))
    return res.data as Awaited<ReturnType<typeof rootLoader>>
  }

  it('gives an anonymous visitor no user and no links', async () => {
    expect(await nav()).toEqual({ user: null, nav: [] })
    expect(await nav('sto_session=not-a-real-session')).toEqual({ user: null, nav: [] })
  })

  it('gives each role its links, always with Home first and Framework last', async () => {
    const links = async (v: Viewer) => (await nav(v.cookie)).nav.map((l) => l.to)
    expect(await links(cand)).toEqual(['/', '/me', '/program', '/cycles', '/framework'])
    expect(await links(mentor)).toEqual(['/', '/program', '/queue', '/cycles', '/framework'])
    expect(await links(hr)).toEqual([
      '/',
      '/pipeline',
      '/people',
      '/program',
      '/queue',
      '/cycles',
      '/outbox',
      '/framework',
    ])
    expect(await links(admin)).toEqual(['/', '/admin/people', '/pipeline', '/admin/audit', '/outbox', '/framework'])
    // Both roles lead to /program and /cycles: each appears once, where the first role puts it.
    expect(await links(both)).toEqual(['/', '/me', '/program', '/cycles', '/queue', '/framework'])
    expect((await nav(admin.cookie)).user).toEqual({ id: admin.id, name: 'Alex Admin', roles: ['admin'] })
  })

  it('labels the links for people (navFor)', () => {
    expect(navFor(['admin', 'hr', 'mentor', 'candidate'])).toEqual([
      { to: '/', label: 'Home' },
      { to: '/me', label: 'My profile' },
      { to: '/program', label: 'My program' },
      { to: '/cycles', label: 'My 360s' },
      { to: '/queue', label: 'Sign-offs' },
      { to: '/pipeline', label: 'Pipeline' },
      { to: '/people', label: 'People' },
      { to: '/outbox', label: 'Outbox' },
      { to: '/admin/people', label: 'Administer people' },
      { to: '/admin/audit', label: 'Audit log' },
      { to: '/framework', label: 'Framework' },
    ])
    // A mentor's labels: the program page is their mentees', the queue their sign-offs.
    expect(navFor(['mentor'])).toEqual([
      { to: '/', label: 'Home' },
      { to: '/program', label: 'My mentees' },
      { to: '/queue', label: 'Sign-offs' },
      { to: '/cycles', label: '360 cycles' },
      { to: '/framework', label: 'Framework' },
    ])
    expect(navFor([])).toEqual([
      { to: '/', label: 'Home' },
      { to: '/framework', label: 'Framework' },
    ])
  })
})

// Last in the file: it changes who is a candidate.
describe('a person whose candidate role was removed', () => {
  // updatePerson keeps the candidate profile when the role is removed (their history stays theirs);
  // counts and mentee lists must still treat them as no longer a candidate.
  it('is no longer counted in the HR pipeline nor listed as a mentee', async () => {
    const p = getPerson(getDb(), candB.id)!
    transaction((tx) =>
      updatePerson(tx, admin.id, candB.id, { name: p.name, email: p.email, roles: ['hr'], candidate: null }),
    )
    expect(getPerson(getDb(), candB.id)!.roles).toEqual(['hr'])

    const mentees = (await call(() => menteesLoader(args(request('/mentees', { cookie: mentor.cookie }))))).data as {
      mentees: { id: number }[]
    }
    const pipeline = (await home(hr.cookie)).home.pipeline!
    expect({
      menteeIds: mentees.mentees.map((m) => m.id),
      assistantStoCount: pipeline.find((s) => s.id === 'assistant-sto')!.count,
    }).toEqual({ menteeIds: [cand.id], assistantStoCount: 0 })
  })
})
