/**
 * Data-access export and erasure (admin.people_.$personId.export / .erase). One candidate with a
 * closed 360 (a manager, three peers — one of them a colleague with an account — and two direct
 * reports, a hidden group), milestones with evidence files, a plan with a mentor's comment.
 * Every rater has a distinctive name and comment, so a leak is found by searching the text.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, raters, selfAssessments } from '#db/schema/assessments'
import { auditLog, auditRedactions } from '#db/schema/audit'
import { sessions } from '#db/schema/auth'
import { people, roleAssignments } from '#db/schema/people'
import { evidenceFiles, milestoneSubmissions, planItemComments, planItems } from '#db/schema/program'
import { recordAudit, verifyAuditLog } from '~/models/audit.server'
import { erasePerson, erasedEmail, erasedName } from '~/models/erasure.server'
import type { PersonExport } from '~/models/privacy-export.server'
import { issueCertificate } from '~/models/program.server'
import { loader as exportLoader } from '~/routes/admin.people_.$personId.export'
import { action as eraseAction, loader as eraseLoader } from '~/routes/admin.people_.$personId.erase'
import { action as selfAction } from '~/routes/cycles.$cycleId.self'
import { action as accountAction } from '~/routes/account'
import { action as ownAction, loader as ownLoader } from '~/routes/account_.feedback-given'
import { setPasswordHash } from '~/models/people.server'
import { hashPassword } from '~/utils/password.server'
import { createSession } from '~/utils/session.server'
import { getOptionalUser, login } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import {
  allDomainIds,
  answerForm,
  collectingCycle,
  decide,
  latestLinkToken,
  minimumSet,
  nominate,
  noticeOf,
  openCycle,
  postCycle,
  postRate,
  raterBrowser,
  specs,
  type RaterSpec,
} from '../helpers/cycles'
import { TEST_PASSWORD, call, loggedIn, makePerson, request } from '../helpers/db'
import {
  args,
  auditFor,
  enrollVia,
  enrollmentOf,
  milestoneByTemplate,
  monthsAgo,
  pdfBytes,
  postEvidence,
  postMilestone,
  postTimeline,
  today,
  useTempUploads,
} from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>

const CANDIDATE = { name: 'Quentin Zephyrine-Marlowe', email: 'quentin.zephyrine@example.com' }
/** The mentor's sign-off note names the candidate: the append-only sign-off log must still forget it. */
const SIGNOFF_NOTE = `mentor-signoff-note: well done, ${CANDIDATE.name}`
const COLLEAGUE = { name: 'Rhea Vandermeer-Ostrova', email: 'rhea.vandermeer@example.com' }
type PlannedRater = RaterSpec & { handle: string; comment: string }
const others: PlannedRater[] = [
  {
    handle: 'mgr',
    name: 'Magnolia Thistlewood',
    email: 'magnolia.thistlewood@raters.example',
    relationship: 'manager',
    comment: 'comment-by-mgr',
  },
  // A comment naming the candidate: the frozen report keeps it, erasure must still find the name.
  {
    handle: 'peer1',
    name: 'Percival Quixbury',
    email: 'percival.quixbury@raters.example',
    relationship: 'peer',
    comment: `comment-by-peer1: ${CANDIDATE.name} shares context early.`,
  },
  {
    handle: 'peer2',
    name: 'Philippa Yarrowdale',
    email: 'philippa.yarrowdale@raters.example',
    relationship: 'peer',
    comment: 'comment-by-peer2',
  },
  {
    handle: 'dr1',
    name: 'Desmond Vellacourt',
    email: 'desmond.vellacourt@raters.example',
    relationship: 'direct_report',
    comment: 'comment-by-dr1',
  },
  {
    handle: 'dr2',
    name: 'Dorothea Ruxpin',
    email: 'dorothea.ruxpin@raters.example',
    relationship: 'direct_report',
    comment: 'comment-by-dr2',
  },
]
const colleagueAsRater: PlannedRater = {
  handle: 'rhea',
  ...COLLEAGUE,
  relationship: 'peer',
  comment: 'comment-by-rhea',
}
const allRaters = [...others, colleagueAsRater]

let uploads: string
let admin: Viewer, hr: Viewer, mentor: Viewer, cand: Viewer, colleague: Viewer, otto: Viewer
let cycleId: number
const raterIds = new Map<string, number>()
const sharedPdf = pdfBytes('shared between two candidates')
const ownPdf = pdfBytes('only quentin has this one')
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

const getExport = (cookie: string, id: number | string) =>
  call(() => exportLoader(args(request(`/admin/people/${id}/export`, { cookie }), { personId: String(id) })))
/** The export as the client receives it. */
async function download(cookie: string, id: number) {
  const res = (await exportLoader(
    args(request(`/admin/people/${id}/export`, { cookie }), { personId: String(id) }),
  )) as Response
  const text = await res.text()
  return { res, text, body: JSON.parse(text) as PersonExport }
}
const loadErase = (cookie: string, id: number | string) =>
  call(() => eraseLoader(args(request(`/admin/people/${id}/erase`, { cookie }), { personId: String(id) })))
const postErase = (cookie: string, id: number | string, confirm: string) =>
  call(() =>
    eraseAction(args(request(`/admin/people/${id}/erase`, { cookie, form: { confirm } }), { personId: String(id) })),
  )
const formErrorsOf = (res: { data: unknown }) => {
  const error = (res.data as { result?: { error?: Record<string, string[] | null> } }).result?.error ?? {}
  return Object.values(error).flat()
}
const auditCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .get()!.n
const personRow = (id: number) => getDb().select().from(people).where(eq(people.id, id)).get()!

/** Every column of every table but audit_log (any type, cast to text) that contains one of `needles`, case-insensitively. */
function textHits(needles: string[]): string[] {
  const sqlite = getDb().$client
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != 'audit_log'`)
    .all() as Array<{ name: string }>
  const hits: string[] = []
  for (const { name: table } of tables)
    for (const { name: column } of sqlite.prepare(`pragma table_info("${table}")`).all() as Array<{ name: string }>)
      for (const needle of needles) {
        const { n } = sqlite
          .prepare(`select count(*) as n from "${table}" where instr(lower(cast("${column}" as text)), lower(?)) > 0`)
          .get(needle) as { n: number }
        if (n > 0) hits.push(`${table}.${column} ∋ ${needle}`)
      }
  return hits
}

/** Audit actions whose payload mentions one of `needles`. */
const auditActionsMentioning = (needles: string[]) =>
  [
    ...new Set(
      getDb()
        .select()
        .from(auditLog)
        .all()
        .filter((e) => needles.some((n) => `${e.before ?? ''}${e.after ?? ''}`.toLowerCase().includes(n.toLowerCase())))
        .map((e) => e.action),
    ),
  ].sort()

beforeAll(async () => {
  uploads = useTempUploads()
  admin = await loggedIn({ roles: ['admin'], name: 'Ada Admin' })
  hr = await loggedIn({ roles: ['hr'], name: 'Henrik HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Marta Mentor' })
  cand = await loggedIn({ roles: ['candidate'], ...CANDIDATE, candidate: { mentorId: mentor.id } })
  colleague = await loggedIn({ roles: ['mentor'], ...COLLEAGUE })
  otto = await loggedIn({ roles: ['candidate'], name: 'Otto Other', candidate: { mentorId: mentor.id } })

  // Program: evidence with two files (one also uploaded by Otto), signed off by the mentor; a plan with a mentor's comment.
  enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  enrollVia(hr.id, { candidateId: otto.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  const m = milestoneByTemplate(cand.id, 'shadow-plan')
  const files = [
    { bytes: sharedPdf, name: 'plan.pdf', type: 'application/pdf' },
    { bytes: ownPdf, name: 'quentin-notes.pdf', type: 'application/pdf' },
  ]
  expect(
    (
      await postEvidence(cand.cookie, m.id, {
        summary: 'quentin-summary: my shadowing plan',
        links: 'https://example.com/quentin-plan',
        files,
      })
    ).status,
  ).toBe(302)
  expect(
    (
      await postEvidence(otto.cookie, milestoneByTemplate(otto.id, 'shadow-plan').id, {
        summary: 'Otto’s shadowing plan, agreed with the host STO.',
        files: [files[0]!],
      })
    ).status,
  ).toBe(302)
  expect((await postMilestone(mentor.cookie, m.id, { intent: 'sign', note: SIGNOFF_NOTE })).status).toBe(302)
  const capabilityId = getFramework().capabilities[0]!.id
  expect(
    (
      await postTimeline(cand.cookie, cand.id, {
        intent: 'add-plan',
        capabilityId,
        action: 'quentin-plan-action: shadow the pricing review',
      })
    ).status,
  ).toBe(302)
  const item = getDb().select().from(planItems).where(eq(planItems.candidateId, cand.id)).get()!
  expect(
    (
      await postTimeline(mentor.cookie, cand.id, {
        intent: 'plan-comment',
        itemId: String(item.id),
        body: 'mentor-plan-comment',
      })
    ).status,
  ).toBe(302)

  // A closed 360: every rater answers with a comment on the first domain, and the self-assessment.
  const domain = allDomainIds()[0]!
  cycleId = await openCycle(hr.cookie, cand.id)
  for (const r of allRaters) {
    const id = await nominate(cand.cookie, cycleId, r)
    expect((await decide(mentor.cookie, cycleId, id, 'approve')).status).toBe(302)
    raterIds.set(r.handle, id)
  }
  expect((await postCycle(mentor.cookie, cycleId, { intent: 'invite' })).status).toBe(302)
  for (const r of allRaters) {
    const browser = await raterBrowser(latestLinkToken(raterIds.get(r.handle)!))
    expect(
      (
        await postRate(
          browser,
          answerForm(() => '4', { [`c:${domain}`]: r.comment, intent: 'submit' }),
        )
      ).status,
      r.handle,
    ).toBe(302)
  }
  const self = await call(() =>
    selfAction(
      args(
        request(`/cycles/${cycleId}/self`, {
          cookie: cand.cookie,
          form: answerForm(() => '3', { [`c:${domain}`]: 'self-comment-by-quentin', intent: 'submit' }),
        }),
        { cycleId: String(cycleId) },
      ),
    ),
  )
  expect(self.status).toBe(302)
  expect((await postCycle(mentor.cookie, cycleId, { intent: 'close' })).status).toBe(302)

  // The colleague is also nominated in Otto's cycle, still open: erasing her must withdraw that.
  const ottoCycle = await openCycle(hr.cookie, otto.id)
  raterIds.set('rhea-open', await nominate(otto.cookie, ottoCycle, { ...COLLEAGUE, relationship: 'peer' }))
})

describe('the data export (admin.people_.$personId.export)', () => {
  it('gives HR one JSON download with the candidate’s program, plan, report and self-assessment, and audits it', async () => {
    const before = auditCount()
    const { res, text, body } = await download(hr.cookie, cand.id)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="person-${cand.id}-export-${today()}.json"`,
    )
    expect(res.headers.get('Cache-Control')).toBe('no-store')

    expect(body.person).toMatchObject({
      id: cand.id,
      name: CANDIDATE.name,
      email: CANDIDATE.email,
      active: true,
      hasPassword: true,
    })
    expect(body.roles.map((r) => r.role)).toEqual(['candidate'])
    expect(body.candidateProfile).toMatchObject({ mentorId: mentor.id, mentorName: 'Marta Mentor' })
    const [enrollment] = body.program.enrollments
    expect(enrollment).toMatchObject({ status: 'active', stagePeriods: [expect.objectContaining({ stage: 'shadow' })] })
    const milestone = enrollment!.milestones.find((x) => x.templateId === 'shadow-plan')!
    expect(milestone.submissions).toEqual([
      expect.objectContaining({
        summary: 'quentin-summary: my shadowing plan',
        links: ['https://example.com/quentin-plan'],
        files: [
          expect.objectContaining({ fileName: 'plan.pdf', sizeBytes: sharedPdf.byteLength, sha256: sha(sharedPdf) }),
          expect.objectContaining({ fileName: 'quentin-notes.pdf', sha256: sha(ownPdf) }),
        ],
      }),
    ])
    expect(milestone.signoffsReceived).toEqual([
      expect.objectContaining({ kind: 'signed', byId: mentor.id, byName: 'Marta Mentor', note: SIGNOFF_NOTE }),
    ])
    expect(body.program.plan).toEqual([
      expect.objectContaining({
        action: 'quentin-plan-action: shadow the pricing review',
        comments: [expect.objectContaining({ authorName: 'Marta Mentor', body: 'mentor-plan-comment' })],
      }),
    ])

    const [cycle] = body.assessments.cycles
    expect(cycle).toMatchObject({ id: cycleId, state: 'closed' })
    expect(cycle!.report).toMatchObject({ groupsShown: { peer: { shown: true }, direct_report: { shown: false } } })
    expect(cycle!.selfAssessment).toMatchObject({
      comments: { [allDomainIds()[0]!]: 'self-comment-by-quentin' },
      submittedAt: expect.any(String),
    })
    expect(cycle!.nominationsMade).toMatchObject({
      manager: { approved: 1 },
      peer: { approved: 3 },
      direct_report: { approved: 2 },
    })
    // No rater rows at all: only counts per relationship.
    expect(Object.keys(cycle!).sort()).not.toContain('raters')

    // Not one rater's name, email or hidden comment; no secret of the account.
    for (const r of allRaters) {
      expect(text, r.name).not.toContain(r.name)
      expect(text, r.email).not.toContain(r.email)
    }
    for (const hidden of ['comment-by-dr1', 'comment-by-dr2']) expect(text).not.toContain(hidden)
    for (const secret of ['passwordHash', 'password_hash', 'tokenHash', 'idHash', 'answersJson', '$scrypt', 'scrypt'])
      expect(text).not.toContain(secret)

    expect(auditCount()).toBe(before + 1)
    expect(auditFor('privacy.export', cand.id)).toEqual([
      expect.objectContaining({ actorId: hr.id, entityType: 'person' }),
    ])
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })

  it('gives, of what they did as a rater, only in how many cycles they were nominated and invited (issue 11)', async () => {
    const { body, text } = await download(admin.cookie, colleague.id)
    // Invited in Quentin's cycle; only proposed in Otto's. No cycle, candidate, relationship, status or answer.
    expect(body.assessments.feedbackGiven).toEqual({ nominatedInCycles: 2, invitedInCycles: 1 })
    expect(text).not.toContain('comment-by-rhea')
    expect(text).not.toContain(CANDIDATE.name)
    for (const r of others) {
      expect(text).not.toContain(r.name)
      expect(text).not.toContain(r.comment.split(':')[0])
    }
  })

  it('regression (issue 11): HR who creates a person with a rater’s email and exports them gets a count, never the answers or comments', async () => {
    // Desmond answered in the direct-report group, which the report hides.
    const desmond = others.find((r) => r.handle === 'dr1')!
    const impostor = await makePerson({ roles: ['mentor'], name: 'Imogen Impostor', email: desmond.email })
    const { res, body, text } = await download(hr.cookie, impostor.id)
    expect(res.status).toBe(200)
    expect(body.assessments.feedbackGiven).toEqual({ nominatedInCycles: 1, invitedInCycles: 1 })
    for (const leak of ['comment-by-dr1', CANDIDATE.name, '"answers"', '"comments"', 'submitted', 'direct_report'])
      expect(text, leak).not.toContain(leak)
  })

  it('regression (issue 11): the candidate’s export of a closed cycle counts only the groups the report shows', async () => {
    const { body, text } = await download(hr.cookie, cand.id)
    const cycle = body.assessments.cycles.find((c) => c.id === cycleId)!
    // The shown groups' counts are the frozen report's; the hidden direct reports (two answered) have none.
    const shown = cycle.report!.groupsShown
    expect(cycle.responses).toEqual({
      manager: { shown: true, responses: shown.manager.responses },
      peer: { shown: true, responses: shown.peer.responses },
      direct_report: 'not shown',
      stakeholder: 'not shown',
    })
    expect(shown.peer.responses).toBeGreaterThanOrEqual(3)
    expect(text).not.toMatch(/"answered"|"invited"\s*:/)
  })

  it('gives a mentor’s export their mentees and the decisions they made', async () => {
    const { body } = await download(hr.cookie, mentor.id)
    expect(body.asMentorOrApprover.mentees.map((x) => x.name)).toEqual([CANDIDATE.name, 'Otto Other'].sort())
    expect(body.asMentorOrApprover.signoffsGiven).toEqual([
      expect.objectContaining({ candidateId: cand.id, kind: 'signed', note: SIGNOFF_NOTE }),
    ])
    expect(body.asMentorOrApprover.planCommentsWritten).toEqual([
      expect.objectContaining({ candidateName: CANDIDATE.name, body: 'mentor-plan-comment' }),
    ])
    expect(body.asMentorOrApprover.nominationDecisions).toEqual([{ status: 'approved', n: allRaters.length }])
    expect(body.audit.some((e) => e.action === 'milestone.signoff' && e.actorId === mentor.id)).toBe(true)
  })

  it('is forbidden (403) to a mentor and to the candidate themself, and writes no audit entry', async () => {
    const before = auditCount()
    expect(await getExport(mentor.cookie, cand.id)).toMatchObject({ thrown: true, status: 403 })
    expect(await getExport(cand.cookie, cand.id)).toMatchObject({ thrown: true, status: 403 })
    expect(auditCount()).toBe(before)
  })

  it('answers 404 for an unknown or malformed id', async () => {
    const before = auditCount()
    expect(await getExport(hr.cookie, 999999)).toMatchObject({ thrown: true, status: 404 })
    expect(await getExport(hr.cookie, 'abc')).toMatchObject({ thrown: true, status: 404 })
    expect(auditCount()).toBe(before)
  })
})

describe('a cycle still collecting, and a rater’s own answers (issue 11)', () => {
  const NEW_PASSWORD = 'sven chose this one himself'
  let wanda: Viewer, sven: Viewer, open: number
  let invited: Array<RaterSpec & { id: number; token: string }>
  let svenRaterCookie: string
  const svenRow = () => invited.find((r) => r.email === sven.email)!
  const loadOwn = (cookie: string, query = '') =>
    call(() => ownLoader(args(request(`/account/feedback-given${query}`, { cookie }))))
  const postOwn = (cookie: string, form: Record<string, string>) =>
    call(() => ownAction(args(request('/account/feedback-given', { cookie, form }))))
  const linkedTo = (raterId: number) =>
    getDb().select({ personId: raters.personId }).from(raters).where(eq(raters.id, raterId)).get()!.personId

  beforeAll(async () => {
    const mira = await loggedIn({ roles: ['mentor'], name: 'Mira Mentor' })
    wanda = await loggedIn({ roles: ['candidate'], name: 'Wanda Whitcombe', candidate: { mentorId: mira.id } })
    sven = await loggedIn({ roles: ['candidate'], name: 'Sven Solberg', email: 'sven.solberg@raters.example' })
    enrollVia(hr.id, { candidateId: wanda.id, mentorId: mira.id, enrolledOn: monthsAgo(2) })
    const made = await collectingCycle({
      approverCookie: hr.cookie,
      candidateCookie: wanda.cookie,
      candidateId: wanda.id,
      specs: [
        ...minimumSet(),
        ...specs('stakeholder', 2),
        { name: sven.name, email: sven.email, relationship: 'stakeholder' },
      ],
    })
    open = made.cycleId
    invited = made.raters
    // One stakeholder without an account answers, and Sven (who has one) answers with a comment.
    const stakeholder = invited.find((r) => r.relationship === 'stakeholder' && r.email !== sven.email)!
    expect(
      (
        await postRate(
          await raterBrowser(stakeholder.token),
          answerForm(() => '2', { intent: 'submit' }),
        )
      ).status,
    ).toBe(302)
    svenRaterCookie = await raterBrowser(svenRow().token)
    expect(
      (
        await postRate(
          svenRaterCookie,
          answerForm(() => '5', { [`c:${allDomainIds()[0]!}`]: 'comment-by-sven', intent: 'submit' }),
        )
      ).status,
    ).toBe(302)
  })

  it('regression: the export of a collecting cycle has no invited/answered counts at all, only the nominations the candidate made', async () => {
    const { body, text } = await download(hr.cookie, wanda.id)
    const cycle = body.assessments.cycles.find((c) => c.id === open)!
    expect(cycle.state).toBe('collecting')
    expect(cycle.responses).toBeNull()
    expect(cycle.nominationsMade).toMatchObject({ stakeholder: { approved: 3 }, peer: { approved: 3 } })
    expect(JSON.stringify(cycle)).not.toMatch(/answered|submitted/i)
    expect(text).not.toContain('comment-by-sven')
  })

  it('the rater links their row, logged in with its email, a password of their own and their live link; then reads their answers there', async () => {
    const both = `${sven.cookie}; ${svenRaterCookie}`
    // The password he logs in with was given to him (by the fixture, as an admin would): not yet.
    expect(await postOwn(both, { intent: 'link' })).toMatchObject({ status: 409 })
    expect(linkedTo(svenRow().id)).toBeNull()
    const changed = await call(() =>
      accountAction(
        args(
          request('/account', {
            cookie: sven.cookie,
            form: { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          }),
        ),
      ),
    )
    expect(changed.data).toMatchObject({ changed: true })
    expect((await loadOwn(both)).data).toMatchObject({ canLink: true, ownPassword: true, rows: [] })

    const audits = auditCount()
    const linked = await postOwn(both, { intent: 'link' })
    expect(linked).toMatchObject({ status: 302 })
    expect(linked.headers.get('Location')).toBe('/account/feedback-given')
    expect(await noticeOf(sven.cookie)).toMatch(/^Linked/)
    expect(linkedTo(svenRow().id)).toBe(sven.id)
    // Linking is not audited: staff would learn that he opened his link.
    expect(auditCount()).toBe(audits)

    const own = await loadOwn(sven.cookie)
    expect(own.status).toBe(200)
    const framework = getFramework()
    const firstStatement = framework.capabilities[0]!.behaviours[0]!
    expect(own.data).toMatchObject({
      rows: [
        {
          candidateName: 'Wanda Whitcombe',
          relationship: 'stakeholder',
          dueOn: expect.any(String),
          submittedAt: expect.any(String),
          comments: [{ domainId: allDomainIds()[0], domain: framework.domains[0]!.name, text: 'comment-by-sven' }],
        },
      ],
    })
    const rows = (
      own.data as { rows: Array<{ answers: Array<{ statementId: string; text: string; score: number | null }> }> }
    ).rows
    expect(rows[0]!.answers).toContainEqual({ statementId: firstStatement.id, text: firstStatement.text, score: 5 })
    expect(rows[0]!.answers.every((a) => a.score === 5)).toBe(true)
  })

  it('nobody else reads them: an admin, HR, or an account an admin creates with another rater’s email', async () => {
    for (const viewer of [admin, hr, wanda]) {
      const res = await loadOwn(viewer.cookie)
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({ rows: [], canLink: false })
      expect(JSON.stringify(res.data)).not.toContain('comment-by-sven')
    }
    // One account per email: nobody can be created with Sven's address.
    await expect(makePerson({ roles: ['mentor'], email: sven.email.toUpperCase() })).rejects.toThrow()
    // An account made with the other stakeholder's email, password set and changed by its maker.
    const stakeholder = invited.find((r) => r.relationship === 'stakeholder' && r.email !== sven.email)!
    const impostor = await loggedIn({ roles: ['mentor'], name: 'Ivo Impostor', email: stakeholder.email })
    await call(() =>
      accountAction(
        args(
          request('/account', {
            cookie: impostor.cookie,
            form: { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          }),
        ),
      ),
    )
    expect((await loadOwn(impostor.cookie)).data).toMatchObject({ rows: [], canLink: false, ownPassword: true })
    // Without that rater's personal link there is nothing to link; with someone else's, the email differs.
    expect(await postOwn(impostor.cookie, { intent: 'link' })).toMatchObject({ status: 403 })
    expect(await postOwn(`${impostor.cookie}; ${svenRaterCookie}`, { intent: 'link' })).toMatchObject({ status: 403 })
    expect(linkedTo(stakeholder.id)).toBeNull()
    expect(linkedTo(svenRow().id)).toBe(sven.id)
  })

  it('bad input: a request naming an email, a person or a rater is refused (400) and writes nothing', async () => {
    const audits = auditCount()
    const rows = () =>
      getDb().select({ id: raters.id, personId: raters.personId, linkedAt: raters.linkedAt }).from(raters).all()
    const before = rows()
    for (const query of [
      `?email=${encodeURIComponent(sven.email)}`,
      `?personId=${sven.id}`,
      `?raterId=${svenRow().id}`,
    ]) {
      const res = await loadOwn(admin.cookie, query)
      expect(res, query).toMatchObject({ thrown: true, status: 400 })
      expect(JSON.stringify(res.data)).not.toContain('comment-by-sven')
    }
    const forms: Array<Record<string, string>> = [
      { intent: 'link', email: sven.email },
      { intent: 'link', personId: String(sven.id) },
      { intent: 'link', raterId: String(svenRow().id) },
      { intent: 'show', email: sven.email },
    ]
    for (const form of forms) {
      expect(await postOwn(`${admin.cookie}; ${svenRaterCookie}`, form), JSON.stringify(form)).toMatchObject({
        status: 400,
      })
    }
    expect(await postOwn(sven.cookie, { intent: 'export' })).toMatchObject({ status: 400 })
    expect(rows()).toEqual(before)
    expect(auditCount()).toBe(audits)
  })

  it('an admin who sets the rater’s password cannot read them by logging in as the rater, not even after changing it “themself”', async () => {
    const hash = await hashPassword('an admin knows this one')
    transaction((tx) => setPasswordHash(tx, admin.id, sven.id, hash))
    const asSven = (await createSession(sven.id, getDb())).split(';')[0]!
    expect((await loadOwn(asSven)).data).toMatchObject({ rows: [], ownPassword: false })
    await call(() =>
      accountAction(
        args(
          request('/account', {
            cookie: asSven,
            form: { currentPassword: 'an admin knows this one', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
          }),
        ),
      ),
    )
    expect((await loadOwn(asSven)).data).toMatchObject({ rows: [], ownPassword: true })
    expect(JSON.stringify((await loadOwn(asSven)).data)).not.toContain('comment-by-sven')
  })
})

describe('refusing an erasure (admin.people_.$personId.erase)', () => {
  it('is forbidden (403) to HR and to a mentor, page and action', async () => {
    for (const v of [hr, mentor]) {
      expect(await loadErase(v.cookie, cand.id)).toMatchObject({ thrown: true, status: 403 })
      expect(await postErase(v.cookie, cand.id, CANDIDATE.email)).toMatchObject({ thrown: true, status: 403 })
    }
    expect(personRow(cand.id).name).toBe(CANDIDATE.name)
  })

  it('refuses a wrong confirmation, the admin themself, and a mentor with active mentees; nothing changes', async () => {
    const before = auditCount()
    const wrong = await postErase(admin.cookie, cand.id, 'someone.else@example.com')
    expect(wrong).toMatchObject({ thrown: false, status: 400 })
    expect(formErrorsOf(wrong)).toEqual(['That is not their email address. Nothing was erased.'])

    const self = await postErase(admin.cookie, admin.id, personRow(admin.id).email)
    expect(self).toMatchObject({ thrown: false, status: 400 })
    expect(formErrorsOf(self)).toEqual(['You cannot erase yourself; ask another admin.'])

    const busyMentor = await postErase(admin.cookie, mentor.id, personRow(mentor.id).email)
    expect(busyMentor.status).toBe(409)
    expect(formErrorsOf(busyMentor)[0]).toMatch(/mentors 2 active candidate\(s\); assign them another mentor first/)
    expect(await postErase(admin.cookie, 999999, 'x@example.com')).toMatchObject({ thrown: true, status: 404 })

    expect(auditCount()).toBe(before)
    expect(personRow(cand.id)).toMatchObject({ name: CANDIDATE.name, active: true })
  })

  it('refuses a person who completed a certification, and says so on the page', async () => {
    const certified = await loggedIn({
      roles: ['candidate'],
      name: 'Cora Certified',
      candidate: { mentorId: mentor.id },
    })
    enrollVia(hr.id, { candidateId: certified.id, mentorId: mentor.id, enrolledOn: monthsAgo(30) })
    transaction((tx) =>
      issueCertificate(tx, hr.id, certified.id, enrollmentOf(certified.id)!.id, [], getFramework(), today()),
    )
    const page = await loadErase(admin.cookie, certified.id)
    expect((page.data as { refusal: string }).refusal).toMatch(/completed a certification/)
    const before = auditCount()
    const res = await postErase(admin.cookie, certified.id, certified.email)
    expect(res.status).toBe(409)
    expect(formErrorsOf(res)[0]).toMatch(/^This person completed a certification\. Certificates must stay attributable/)
    expect(auditCount()).toBe(before)
    expect(personRow(certified.id).name).toBe('Cora Certified')
  })

  it('refuses to erase the last active admin (model rule, checked in a transaction that is rolled back)', () => {
    const rollback = new Error('rollback')
    expect(() =>
      getDb().$client.transaction(() => {
        // Leave `admin` as the only active admin; the actor here is HR, as a script might be.
        getDb()
          .update(people)
          .set({ active: false })
          .where(
            and(
              sql`${people.id} != ${admin.id}`,
              sql`${people.id} in (select person_id from role_assignments where role = 'admin')`,
            ),
          )
          .run()
        expect(() => erasePerson(getDb(), hr.id, admin.id)).toThrow(
          'This is the last active admin; give someone else the admin role first.',
        )
        throw rollback
      })(),
    ).toThrow(rollback)
    expect(personRow(admin.id).active).toBe(true)
  })
})

describe('erasing a candidate', () => {
  let res: Awaited<ReturnType<typeof postErase>>
  let reportBefore: string
  const needles = [CANDIDATE.name, CANDIDATE.email]

  beforeAll(async () => {
    // The scan works: before, the name is in many places.
    expect(textHits(needles).length).toBeGreaterThan(3)
    reportBefore = getDb().select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()!.reportJson!
    const page = await loadErase(admin.cookie, cand.id)
    expect(page.data).toMatchObject({
      refusal: null,
      preview: { submissions: 1, files: 2, planItems: 1, planComments: 0, selfAssessments: 1, raterRows: 0 },
    })
    // Case and spaces do not matter in the confirmation.
    res = await postErase(admin.cookie, cand.id, `  ${CANDIDATE.email.toUpperCase()} `)
  })

  it('redirects to their page with a notice, and records privacy.erase with ids and counts only', () => {
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe(`/admin/people/${cand.id}`)
    const [entry] = auditFor('privacy.erase', cand.id)
    expect(entry).toMatchObject({ actorId: admin.id, entityType: 'person' })
    expect(JSON.parse(entry!.after!)).toMatchObject({
      submissions: 1,
      evidenceFiles: 2,
      planItems: 1,
      selfAssessments: 1,
      enrollmentsWithdrawn: 1,
    })
    expect(`${entry!.before}${entry!.after}`).not.toMatch(/quentin/i)
  })

  it('erases sign-off notes about them through a recorded redaction; the decisions stay', () => {
    const sqlite = getDb().$client
    const rows = sqlite
      .prepare(
        'select s.id, s.kind, s.by_id as byId, s.note from signoffs s join milestones m on m.id = s.milestone_id where m.candidate_id = ?',
      )
      .all(cand.id) as Array<{ id: number; kind: string; byId: number; note: string | null }>
    expect(rows).toEqual([expect.objectContaining({ kind: 'signed', byId: mentor.id, note: '[erased]' })])
    expect(
      sqlite.prepare('select count(*) from signoff_redactions where signoff_id = ?').pluck().get(rows[0]!.id),
    ).toBe(1)
    // Anything else is still refused: the kind, another note, deleting the record of the redaction.
    expect(() => sqlite.prepare("update signoffs set kind = 'returned' where id = ?").run(rows[0]!.id)).toThrow(
      /append-only/,
    )
    expect(() => sqlite.prepare("update signoffs set note = 'rewritten' where id = ?").run(rows[0]!.id)).toThrow(
      /append-only/,
    )
    expect(() => sqlite.prepare('delete from signoff_redactions').run()).toThrow(/append-only/)
  })

  it('leaves their name and email in no column of any table, the audit log included (recorded redaction)', () => {
    expect(textHits(needles)).toEqual([])
    expect(auditActionsMentioning(needles)).toEqual([])
    const redactions = getDb().select().from(auditRedactions).all()
    expect(redactions.length).toBeGreaterThan(0)
    // The entries stay (who did what, when); only their payloads are blank.
    for (const r of redactions)
      expect(getDb().select().from(auditLog).where(eq(auditLog.id, r.auditId)).get()).toMatchObject({
        before: null,
        after: null,
      })
  })

  it('keeps the audit chain intact', () => {
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })

  it('blanks what they wrote, keeps what others wrote and the frozen figures', () => {
    expect(personRow(cand.id)).toMatchObject({
      name: erasedName(cand.id),
      email: erasedEmail(cand.id),
      passwordHash: null,
      active: false,
    })
    expect(
      getDb()
        .select()
        .from(roleAssignments)
        .where(eq(roleAssignments.personId, cand.id))
        .all()
        .map((r) => r.role),
    ).toEqual(['candidate'])
    const submission = getDb()
      .select()
      .from(milestoneSubmissions)
      .where(eq(milestoneSubmissions.submittedBy, cand.id))
      .get()!
    expect(submission).toMatchObject({ summary: '[erased]', linksJson: '[]' })
    expect(getDb().select().from(evidenceFiles).where(eq(evidenceFiles.submissionId, submission.id)).all()).toEqual([])
    expect(getDb().select().from(planItems).where(eq(planItems.candidateId, cand.id)).get()).toMatchObject({
      action: '[erased]',
    })
    expect(getDb().select().from(planItemComments).all()).toEqual([
      expect.objectContaining({ authorId: mentor.id, body: 'mentor-plan-comment' }),
    ])
    const self = getDb().select().from(selfAssessments).where(eq(selfAssessments.cycleId, cycleId)).get()!
    expect(JSON.parse(self.commentsJson)).toEqual({ [allDomainIds()[0]!]: '[erased]' })
    expect(JSON.parse(self.answersJson)).not.toEqual({})
    // The report is the same, but for the rater's mention of their name.
    const reportAfter = getDb().select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()!
      .reportJson!
    expect(reportAfter).toBe(reportBefore.replaceAll(CANDIDATE.name, erasedName(cand.id)))
    expect(enrollmentOf(cand.id)).toMatchObject({ status: 'withdrawn' })
  })

  it('deletes their evidence file from storage, but not one another submission still holds', () => {
    expect(fs.existsSync(path.join(uploads, sha(ownPdf)))).toBe(false)
    expect(fs.existsSync(path.join(uploads, sha(sharedPdf)))).toBe(true)
  })

  it('ends their sessions: they cannot use the app or log in again, with either address', async () => {
    expect(getDb().select().from(sessions).where(eq(sessions.personId, cand.id)).all()).toEqual([])
    expect(await getOptionalUser(request('/', { cookie: cand.cookie }))).toBeNull()
    expect(await login({ email: CANDIDATE.email, password: TEST_PASSWORD, ip: '198.51.100.7' })).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(await login({ email: erasedEmail(cand.id), password: TEST_PASSWORD, ip: '198.51.100.8' })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('a second erasure is refused as already done and changes nothing', async () => {
    const before = { audit: auditCount(), person: personRow(cand.id) }
    const again = await postErase(admin.cookie, cand.id, erasedEmail(cand.id))
    expect(again).toMatchObject({ thrown: false, status: 409 })
    expect(formErrorsOf(again)).toEqual(['This person’s data has already been erased.'])
    expect({ audit: auditCount(), person: personRow(cand.id) }).toEqual(before)
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })
})

describe('erasing someone who gave feedback', () => {
  it('anonymises their rater rows: closed cycles keep the scores, an open one withdraws the nomination', async () => {
    const closedRow = () =>
      getDb()
        .select()
        .from(raters)
        .where(eq(raters.id, raterIds.get('rhea')!))
        .get()!
    const answersBefore = closedRow().answersJson
    const res = await postErase(admin.cookie, colleague.id, COLLEAGUE.email)
    expect(res).toMatchObject({ thrown: true, status: 302 })

    expect(closedRow()).toMatchObject({
      name: 'Erased rater',
      email: `erased-rater-${raterIds.get('rhea')}@erased.invalid`,
      answersJson: answersBefore,
      revokedAt: null,
    })
    expect(JSON.parse(closedRow().commentsJson!)).toEqual({ [allDomainIds()[0]!]: '[erased]' })
    const open = getDb()
      .select()
      .from(raters)
      .where(eq(raters.id, raterIds.get('rhea-open')!))
      .get()!
    expect(open).toMatchObject({ name: 'Erased rater', answersJson: null, revokedAt: expect.any(String) })

    expect(textHits([COLLEAGUE.name, COLLEAGUE.email])).toEqual([])
    expect(auditActionsMentioning([COLLEAGUE.name, COLLEAGUE.email])).toEqual([])
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })

  it('the chain goes on after erasures: a new entry links to the last one', () => {
    transaction((tx) =>
      recordAudit(tx, { actorId: admin.id, action: 'test.after-erasure', entityType: 'person', entityId: admin.id }),
    )
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })
})
