import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, cycleResults, raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { people } from '#db/schema/people'
import { action as openAction, loader as openLoader } from '~/routes/cycles.new'
import { loader as reportLoader } from '~/routes/cycles.$cycleId.report'
import { getDb } from '~/utils/db.server'
import { args, cycleRow, isoDay, loadCycle, openCycle, postCycle, reply } from '../helpers/cycles'
import { call, loggedIn, makePerson, request } from '../helpers/db'

/** The open form's reply as its three places show it: beside the candidate list, beside the due date, and above. */
const openErrors = (data: unknown) => {
  const r = reply(data)
  return { candidateIds: r.fieldErrors.candidateIds ?? null, dueOn: r.fieldErrors.dueOn ?? null, form: r.message }
}

const count = (table: typeof assessmentCycles | typeof auditLog | typeof raters) =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .get()!.n
const counts = () => ({ cycles: count(assessmentCycles), audit: count(auditLog) })
const cyclesOf = (candidateId: number) =>
  getDb().select().from(assessmentCycles).where(eq(assessmentCycles.candidateId, candidateId)).all()

const open = (cookie: string, candidateIds: Array<number | string>, dueOn = isoDay(21)) =>
  call(() =>
    openAction(args(request('/cycles/new', { cookie, form: { candidateIds: candidateIds.map(String), dueOn } }))),
  )

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, admin: Viewer, mentor: Viewer, otherMentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hedda HR' })
  admin = await loggedIn({ roles: ['admin'], name: 'Adam Admin' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mira Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Otto Othermentor' })
})

const candidate = (name: string, mentorId: number | null = mentor.id, stage = 'shadow') =>
  loggedIn({ roles: ['candidate'], name, candidate: { mentorId, stage, background: 'senior-data-scientist' } })

describe('opening cycles (cycles.new)', () => {
  it('takes one field per candidate beyond the default field limit: 1,000 ids are parsed (then refused as unknown), not 413', async () => {
    const before = counts()
    const res = await open(
      hr.cookie,
      Array.from({ length: 1_000 }, (_, i) => 900_000 + i),
    )
    expect(res.status).toBe(400)
    expect(counts()).toEqual(before)
  })

  it('HR opens cycles for two candidates at once: one nominating cycle each, with an audit entry each', async () => {
    const a = await candidate('Anna Alpha')
    const b = await candidate('Bruno Beta', otherMentor.id, 'assistant-sto')
    const before = counts()
    const dueOn = isoDay(30)
    const res = await open(hr.cookie, [a.id, b.id], dueOn)
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/cycles?opened=2')

    const [ca] = cyclesOf(a.id)
    const [cb] = cyclesOf(b.id)
    expect(cyclesOf(a.id)).toHaveLength(1)
    expect(cyclesOf(b.id)).toHaveLength(1)
    expect(ca).toMatchObject({
      state: 'nominating',
      dueOn,
      openedBy: hr.id,
      stage: 'shadow',
      closedAt: null,
      reportJson: null,
    })
    expect(cb).toMatchObject({ state: 'nominating', dueOn, openedBy: hr.id, stage: 'assistant-sto' })
    expect(ca!.frameworkVersion).toMatch(/@/)
    expect(counts()).toEqual({ cycles: before.cycles + 2, audit: before.audit + 2 })
    for (const [c, person] of [
      [ca!, a],
      [cb!, b],
    ] as const) {
      const audit = getDb()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'cycle.open'), eq(auditLog.entityId, String(c.id))))
        .all()
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ actorId: hr.id, entityType: 'cycle' })
      expect(JSON.parse(audit[0]!.after!)).toMatchObject({ candidateId: person.id, dueOn })
    }

    // The opening form now lists both as having an open cycle.
    const form = await call(() => openLoader(args(request('/cycles/new', { cookie: hr.cookie }))))
    const listed = (form.data as Awaited<ReturnType<typeof openLoader>>).candidates
    expect(listed.find((c) => c.id === a.id)).toMatchObject({ openCycleId: ca!.id, openCycleDue: dueOn })
  })

  it('refuses a batch in which one candidate already has an open cycle: 409 naming them, and opens nothing for the others', async () => {
    const busy = await candidate('Bianca Busy')
    const fresh = await candidate('Felix Fresh')
    const firstId = await openCycle(hr.cookie, busy.id, isoDay(14))
    const before = counts()

    const res = await open(hr.cookie, [fresh.id, busy.id])
    expect(res).toMatchObject({ thrown: false, status: 409 })
    const message = openErrors(res.data).candidateIds!
    expect(message).toContain('Bianca Busy already has an open cycle')
    expect(message).toContain(isoDay(14))
    expect(message).not.toContain('Felix Fresh')
    expect(counts()).toEqual(before)
    expect(cyclesOf(fresh.id)).toEqual([])
    expect(cyclesOf(busy.id).map((c) => c.id)).toEqual([firstId])

    // Alone, it is refused the same way.
    const again = await open(mentor.cookie, [busy.id])
    expect(again.status).toBe(409)
    expect(counts()).toEqual(before)
  })

  it('lets a mentor open cycles only for their own mentees; a stranger in the batch refuses all of it', async () => {
    const mine = await candidate('Mona Mine')
    const stranger = await candidate('Sven Stranger', otherMentor.id)
    const before = counts()

    for (const ids of [[stranger.id], [mine.id, stranger.id]]) {
      const res = await open(mentor.cookie, ids)
      expect(res.status, JSON.stringify(ids)).toBe(400)
      expect(openErrors(res.data).candidateIds).toBe('You can open cycles only for your own active mentees.')
    }
    expect(counts()).toEqual(before)
    expect(cyclesOf(mine.id)).toEqual([])
    expect(cyclesOf(stranger.id)).toEqual([])

    const ok = await open(mentor.cookie, [mine.id])
    expect(ok.status).toBe(302)
    const [cycle] = cyclesOf(mine.id)
    expect(ok.headers.get('Location')).toBe(`/cycles/${cycle!.id}?opened=1`)
    expect(cycle).toMatchObject({ openedBy: mentor.id, state: 'nominating' })

    // The mentor's opening form lists only their mentees.
    const form = await call(() => openLoader(args(request('/cycles/new', { cookie: mentor.cookie }))))
    const ids = (form.data as Awaited<ReturnType<typeof openLoader>>).candidates.map((c) => c.id)
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(stranger.id)
  })

  it('gives a candidate 403 on the opening page and its action, and writes nothing', async () => {
    const cand = await candidate('Carl Candidate')
    const before = counts()
    const page = await call(() => openLoader(args(request('/cycles/new', { cookie: cand.cookie }))))
    expect(page).toMatchObject({ thrown: true, status: 403 })
    const res = await open(cand.cookie, [cand.id])
    expect(res).toMatchObject({ thrown: true, status: 403 })
    expect(counts()).toEqual(before)
  })

  it('refuses bad due dates with a 400 on the due-date field, writing nothing', async () => {
    const cand = await candidate('Dora Duedate')
    const before = counts()
    const cases: Array<[string, string]> = [
      [isoDay(-1), 'The due date must be after today.'],
      [isoDay(0), 'The due date must be after today.'],
      [isoDay(366), 'The due date must be within a year.'],
      ['abc', 'Use the format YYYY-MM-DD.'],
      ['2026-02-30', 'Enter a real date.'],
      ['2027-13-01', 'Enter a real date.'],
    ]
    for (const [dueOn, message] of cases) {
      const res = await open(hr.cookie, [cand.id], dueOn)
      expect(res.status, dueOn).toBe(400)
      expect(openErrors(res.data), dueOn).toMatchObject({ dueOn: message, candidateIds: null })
    }
    const missing = await call(() =>
      openAction(args(request('/cycles/new', { cookie: hr.cookie, form: { candidateIds: String(cand.id) } }))),
    )
    expect(missing.status).toBe(400)
    expect(openErrors(missing.data).dueOn).toBe('Enter a due date.')
    expect(counts()).toEqual(before)
    expect(cyclesOf(cand.id)).toEqual([])
  })

  it('accepts the boundary due dates: tomorrow and exactly one year ahead', async () => {
    const soon = await candidate('Sam Soon')
    const late = await candidate('Lea Late')
    expect((await open(hr.cookie, [soon.id], isoDay(1))).status).toBe(302)
    expect((await open(hr.cookie, [late.id], isoDay(365))).status).toBe(302)
    expect(cyclesOf(soon.id)[0]!.dueOn).toBe(isoDay(1))
    expect(cyclesOf(late.id)[0]!.dueOn).toBe(isoDay(365))
  })

  it('refuses unknown, inactive and non-candidate people, and an empty choice, writing nothing', async () => {
    const gone = await candidate('Gina Gone')
    getDb().update(people).set({ active: false }).where(eq(people.id, gone.id)).run()
    const hrPerson = await makePerson({ roles: ['hr'] })
    const ok = await candidate('Olga Okay')
    const before = counts()
    for (const ids of [[999999], [gone.id], [hrPerson.id], [ok.id, gone.id], [mentor.id]]) {
      const res = await open(hr.cookie, ids)
      expect(res.status, JSON.stringify(ids)).toBe(400)
      expect(openErrors(res.data).candidateIds, JSON.stringify(ids)).toBe(
        'Some of the chosen people are not active candidates.',
      )
    }
    for (const ids of [['abc'], ['-3'], []]) {
      const res = await open(hr.cookie, ids)
      expect(res.status, JSON.stringify(ids)).toBe(400)
      expect(openErrors(res.data).candidateIds, JSON.stringify(ids)).toBeTruthy()
    }
    expect(counts()).toEqual(before)
    expect(cyclesOf(ok.id)).toEqual([])
  })
})

describe('the cycle page (cycles.$cycleId)', () => {
  it('is readable by the candidate, their mentor and HR; refused to others; 404 for a bad id', async () => {
    const own = await candidate('Paula Pagecand')
    const other = await candidate('Quinn Othercand', otherMentor.id)
    const adminOnly = admin
    const cycleId = await openCycle(hr.cookie, own.id)

    for (const [who, cookie] of [
      ['candidate', own.cookie],
      ['mentor', mentor.cookie],
      ['hr', hr.cookie],
    ] as const) {
      const res = await loadCycle(cookie, cycleId)
      expect(res.status, who).toBe(200)
      expect(res.data, who).toMatchObject({
        cycle: { id: cycleId, candidateName: 'Paula Pagecand', state: 'nominating', open: true },
      })
    }
    const asCandidate = await loadCycle(own.cookie, cycleId)
    expect(asCandidate.data).toMatchObject({ viewer: { isCandidate: true, canManage: false, canNominate: true } })
    const asMentor = await loadCycle(mentor.cookie, cycleId)
    expect(asMentor.data).toMatchObject({ viewer: { isCandidate: false, canManage: true, canNominate: false } })

    for (const [who, cookie] of [
      ['other candidate', other.cookie],
      ['other mentor', otherMentor.cookie],
      ['admin only', adminOnly.cookie],
    ] as const) {
      const res = await loadCycle(cookie, cycleId)
      expect(res, who).toMatchObject({ thrown: true, status: 403 })
    }
    for (const bad of ['abc', '0', '999999', '1e3']) {
      const res = await loadCycle(hr.cookie, bad)
      expect(res, bad).toMatchObject({ thrown: true, status: 404 })
    }
    // Not logged in: sent to the login page.
    const anon = await loadCycle('', cycleId)
    expect(anon.status).toBe(302)
    expect(anon.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
  })

  it('cancels with a reason; afterwards every action on the cycle is refused and nothing changes', async () => {
    const cand = await candidate('Rita Cancelled')
    const cycleId = await openCycle(hr.cookie, cand.id)

    const noReason = await postCycle(mentor.cookie, cycleId, { intent: 'cancel', reason: ' ' })
    expect(noReason.status).toBe(400)
    expect(reply(noReason.data).fieldErrors.reason).toBe('Give a reason (at least 3 characters).')
    expect(cycleRow(cycleId).state).toBe('nominating')

    const cancelled = await postCycle(mentor.cookie, cycleId, {
      intent: 'cancel',
      reason: 'Candidate on parental leave',
    })
    expect(cancelled.status).toBe(302)
    expect(cycleRow(cycleId)).toMatchObject({
      state: 'cancelled',
      cancelReason: 'Candidate on parental leave',
      reportJson: null,
    })
    expect(cycleRow(cycleId).cancelledAt).not.toBeNull()
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'cycle.cancel'), eq(auditLog.entityId, String(cycleId))))
      .get()
    expect(audit).toMatchObject({ actorId: mentor.id })

    const page = await loadCycle(cand.cookie, cycleId)
    expect(page.data).toMatchObject({
      cycle: { state: 'cancelled', open: false, cancelReason: 'Candidate on parental leave' },
    })

    const before = { ...counts(), raters: count(raters), row: cycleRow(cycleId) }
    const nominateRes = await postCycle(cand.cookie, cycleId, {
      intent: 'nominate',
      name: 'Late Larry',
      email: 'larry@raters.example',
      relationship: 'peer',
    })
    expect(nominateRes.status).toBe(409)
    expect(reply(nominateRes.data).message).toBe('This cycle is closed; raters can no longer change.')
    for (const form of [
      { intent: 'invite' },
      { intent: 'close' },
      { intent: 'cancel', reason: 'again please' },
      { intent: 'remind' },
    ] as Array<Record<string, string>>) {
      const res = await postCycle(hr.cookie, cycleId, form)
      expect(res.status, form.intent).toBe(409)
      expect(reply(res.data).message, form.intent).toBeTruthy()
    }
    expect({ ...counts(), raters: count(raters), row: cycleRow(cycleId) }).toEqual(before)

    // The report of a cancelled cycle never becomes ready.
    const report = await call(() =>
      reportLoader(args(request(`/cycles/${cycleId}/report`, { cookie: cand.cookie }), { cycleId: String(cycleId) })),
    )
    expect(report.data).toMatchObject({ ready: false })

    // A cancelled cycle is not open: a new one may be opened.
    expect((await open(hr.cookie, [cand.id])).status).toBe(302)
    expect(
      cyclesOf(cand.id)
        .map((c) => c.state)
        .sort(),
    ).toEqual(['cancelled', 'nominating'])
  })

  it('closes a cycle whose due day is over when its page loads, and freezes its report', async () => {
    const cand = await candidate('Theo Overdue')
    const cycleId = await openCycle(hr.cookie, cand.id)
    getDb()
      .update(assessmentCycles)
      .set({ dueOn: isoDay(-1) })
      .where(eq(assessmentCycles.id, cycleId))
      .run()

    const page = await loadCycle(cand.cookie, cycleId)
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({ cycle: { state: 'closed', open: false } })
    const row = cycleRow(cycleId)
    expect(row).toMatchObject({ state: 'closed', closedBy: null })
    expect(row.closedAt).not.toBeNull()
    expect(row.reportJson).not.toBeNull()
    const results = getDb().select().from(cycleResults).where(eq(cycleResults.cycleId, cycleId)).all()
    expect(results).toHaveLength(16)
    // Nobody answered: no figure rests on anyone.
    expect(results.every((r) => r.othersMean === null && r.othersN === 0 && r.self === null)).toBe(true)
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'cycle.close'), eq(auditLog.entityId, String(cycleId))))
      .all()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actorId).toBeNull()
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ state: 'closed', reason: 'due date passed' })

    const report = await call(() =>
      reportLoader(args(request(`/cycles/${cycleId}/report`, { cookie: cand.cookie }), { cycleId: String(cycleId) })),
    )
    expect(report.status).toBe(200)
    expect(report.data).toMatchObject({ ready: true })

    // Loading again changes nothing (closing is idempotent).
    await loadCycle(hr.cookie, cycleId)
    expect(getDb().select().from(cycleResults).where(eq(cycleResults.cycleId, cycleId)).all()).toHaveLength(16)
    expect(cycleRow(cycleId)).toEqual(row)
  })

  it('keeps a cycle due today open: it closes only when the due day is over (UTC)', async () => {
    const cand = await candidate('Tara Today')
    const cycleId = await openCycle(hr.cookie, cand.id)
    getDb()
      .update(assessmentCycles)
      .set({ dueOn: isoDay(0) })
      .where(eq(assessmentCycles.id, cycleId))
      .run()
    const page = await loadCycle(cand.cookie, cycleId)
    expect(page.data).toMatchObject({ cycle: { state: 'nominating', open: true } })
    expect(cycleRow(cycleId).reportJson).toBeNull()
  })
})
