import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { roleAssignments } from '#db/schema/people'
import {
  enrolmentProposals,
  enrollments,
  milestones,
  pauses,
  planItemComments,
  planItems,
  stagePeriods,
} from '#db/schema/program'
import { addDays, addMonths } from '~/domain/program/dates'
import { gateFor } from '~/models/gate.server'
import { pauseEnrollment, resumeEnrollment } from '~/models/program.server'
import { loader as rosterLoader } from '~/routes/program._index'
import { loader as queueLoader } from '~/routes/queue'
import { erasePerson } from '~/models/erasure.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { call, loggedIn, makePerson, request } from '../helpers/db'
import {
  args,
  auditFor,
  count,
  countsOf,
  daysFromToday,
  enrollVia,
  enrollmentOf,
  loadTimeline,
  messageOf,
  milestonesOf,
  monthsAgo,
  noonOf,
  periodsOf,
  postTimeline,
  profileOf,
  today,
} from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
type Timeline = {
  candidate: { id: number; name: string; mentorName: string | null; stage: string }
  viewer: { isCandidate: boolean; canManage: boolean; canEnrol: boolean; canComment: boolean; canEditPlan: boolean }
  proposal: {
    id: number
    stage: string
    reason: string
    proposedBy: string
    mentor: string
    confirm: { ok: boolean; reason?: string }
    canCancel: boolean
  } | null
  program: {
    status: string
    enrolledOn: string
    startReason: string | null
    endReason: string | null
    periods: Array<{ stage: string; enteredOn: string; exitedOn: string | null; details: string[] }>
    milestones: Array<{ id: number; stageId: string; title: string; status: string }>
    pauses: Array<{ startedOn: string; endedOn: string | null; reason: string }>
  } | null
  gate: { currentStageId: string; earliestTimeOn: string | null; nextStage: string | null } | null
  plan: Array<{
    id: number
    capabilityId: string
    capability: string
    action: string
    status: string
    comments: Array<{ body: string; authorName: string }>
  }>
}
type Roster = {
  scope: 'all' | 'mentees'
  rows: Array<{ candidateId: number; name: string; stage: string; status: string; overdue: boolean }>
}

const OWN_CASE = 'Nobody decides about their own program, whatever roles they hold.'
const tables = { enrollments, stagePeriods, milestones, pauses, auditLog }
const shadowTemplates = [
  'shadow-plan',
  'shadow-meeting-coverage',
  'shadow-decision-journal',
  'shadow-decision-rights-map',
  'shadow-guided-responsibilities',
]

let hr: Viewer, secondHr: Viewer, mentor: Viewer, otherMentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hedda HR' })
  secondHr = await loggedIn({ roles: ['hr'], name: 'Sigrid Second-HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Milo Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Olga Othermentor' })
})

const enrollForm = (mentorId: number, extra: Record<string, string | string[]> = {}) => ({
  intent: 'enroll',
  stageId: 'shadow',
  enrolledOn: daysFromToday(-3),
  mentorId: String(mentorId),
  ...extra,
})
const roster = (v: Viewer) => call(() => rosterLoader(args(request('/program', { cookie: v.cookie }))))

describe('enrolling a candidate (program.$candidateId action, intent enroll)', () => {
  it('HR enrolls at Shadow: a stage period, the five Shadow milestones, the profile’s stage and mentor, an audit entry', async () => {
    const cand = await loggedIn({
      roles: ['candidate'],
      name: 'Ella Enrolled',
      candidate: { stage: 'low-risk-pod-leadership', mentorId: null },
    })
    const before = countsOf(tables)
    const enrolledOn = daysFromToday(-3)
    const res = await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id, { enrolledOn }))

    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe(`/program/${cand.id}`)
    const enrollment = enrollmentOf(cand.id)!
    expect(enrollment).toMatchObject({
      status: 'active',
      enrolledOn,
      enrolledBy: hr.id,
      startStage: 'shadow',
      startReason: null,
      endedOn: null,
    })
    expect(periodsOf(enrollment.id)).toEqual([
      expect.objectContaining({ stage: 'shadow', enteredOn: enrolledOn, exitedOn: null, delegatedDomain: null }),
    ])
    const ms = milestonesOf(cand.id)
    expect(ms.map((m) => m.templateId)).toEqual(shadowTemplates)
    for (const m of ms)
      expect(m).toMatchObject({
        enrollmentId: enrollment.id,
        stage: 'shadow',
        status: 'open',
        signOff: 'mentor',
        required: true,
        createdBy: hr.id,
      })
    expect(profileOf(cand.id)).toMatchObject({ stage: 'shadow', mentorId: mentor.id })
    const audit = auditFor('program.enroll', cand.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: hr.id, entityType: 'candidate' })
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({
      enrollmentId: enrollment.id,
      stage: 'shadow',
      enrolledOn,
      mentorId: mentor.id,
    })
    expect(countsOf(tables)).toEqual({
      enrollments: before.enrollments + 1,
      stagePeriods: before.stagePeriods + 1,
      milestones: before.milestones + 5,
      pauses: before.pauses,
      auditLog: before.auditLog + 1,
    })

    // What the candidate then sees on their timeline.
    const own = await loadTimeline(cand.cookie, cand.id)
    const t = own.data as Timeline
    expect(t.candidate).toMatchObject({ id: cand.id, mentorName: 'Milo Mentor', stage: 'Shadow' })
    expect(t.program).toMatchObject({
      status: 'active',
      enrolledOn,
      periods: [{ stage: 'Shadow', enteredOn: enrolledOn, exitedOn: null }],
    })
    expect(t.program!.milestones).toHaveLength(5)
    expect(t.gate).toMatchObject({
      currentStageId: 'shadow',
      nextStage: 'Assistant STO',
      earliestTimeOn: addMonths(enrolledOn, 3),
    })
  })

  it('refuses to enroll a candidate twice (409) and writes nothing', async () => {
    const cand = await makePerson({ roles: ['candidate'] })
    expect((await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id))).status).toBe(302)
    const before = countsOf(tables)
    const again = await postTimeline(hr.cookie, cand.id, enrollForm(otherMentor.id, { enrolledOn: today() }))
    expect(again).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(again)).toBe('This candidate is already enrolled in the program.')
    expect(countsOf(tables)).toEqual(before)
    expect(profileOf(cand.id).mentorId).toBe(mentor.id)
  })

  it('refuses an enrollment date in the future (400)', async () => {
    const cand = await makePerson({ roles: ['candidate'] })
    const before = countsOf(tables)
    const res = await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id, { enrolledOn: daysFromToday(2) }))
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(res)).toBe('The enrollment date cannot be in the future.')
    expect(countsOf(tables)).toEqual(before)
  })

  it('starting at Assistant STO needs a reason of 10+ characters and a delegated domain', async () => {
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const before = countsOf(tables)
    const reason = 'Led two AI products before joining.'

    const noReason = await postTimeline(
      hr.cookie,
      cand.id,
      enrollForm(mentor.id, { stageId: 'assistant-sto', delegatedDomain: 'technical-decisions' }),
    )
    expect(noReason).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(noReason)).toBe(
      'Starting at Assistant STO needs a written reason (at least 10 characters), e.g. prior experience.',
    )
    const shortReason = await postTimeline(
      hr.cookie,
      cand.id,
      enrollForm(mentor.id, { stageId: 'assistant-sto', delegatedDomain: 'technical-decisions', reason: 'Too short' }),
    )
    expect(shortReason.status).toBe(400)

    const noDomain = await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id, { stageId: 'assistant-sto', reason }))
    expect(noDomain).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(noDomain)).toBe('Choose the domain of delegated authority for Assistant STO.')
    const badDomain = await postTimeline(
      hr.cookie,
      cand.id,
      enrollForm(mentor.id, { stageId: 'assistant-sto', reason, delegatedDomain: 'everything' }),
    )
    expect(badDomain.status).toBe(400)
    expect(countsOf(tables)).toEqual(before)

    const proposed = await postTimeline(
      hr.cookie,
      cand.id,
      enrollForm(mentor.id, {
        stageId: 'assistant-sto',
        reason: `  ${reason}  `,
        delegatedDomain: 'business-decisions',
      }),
    )
    expect(proposed).toMatchObject({ thrown: true, status: 302 })
    // A later start is only a proposal until a second HR person confirms it.
    expect(enrollmentOf(cand.id)).toBeUndefined()
    expect(profileOf(cand.id).stage).toBe('shadow')
    const waiting = (await loadTimeline(secondHr.cookie, cand.id)).data as Timeline
    expect(waiting.proposal).toMatchObject({
      stage: 'Assistant STO',
      reason,
      proposedBy: 'Hedda HR',
      mentor: 'Milo Mentor',
      confirm: { ok: true },
      canCancel: true,
    })
    const ok = await postTimeline(secondHr.cookie, cand.id, {
      intent: 'confirm-enrolment',
      proposalId: String(waiting.proposal!.id),
    })
    expect(ok).toMatchObject({ thrown: true, status: 302 })
    const enrollment = enrollmentOf(cand.id)!
    expect(enrollment).toMatchObject({
      status: 'active',
      startStage: 'assistant-sto',
      startReason: reason,
      enrolledBy: hr.id,
      confirmedBy: secondHr.id,
    })
    expect(JSON.parse(auditFor('program.enroll', cand.id).at(-1)!.after!)).toMatchObject({
      proposedBy: hr.id,
      confirmedBy: secondHr.id,
      stage: 'assistant-sto',
    })
    expect(periodsOf(enrollment.id)).toEqual([
      expect.objectContaining({ stage: 'assistant-sto', delegatedDomain: 'business-decisions', exitedOn: null }),
    ])
    expect(milestonesOf(cand.id).map((m) => [m.templateId, m.signOff])).toEqual([
      ['assistant-delegation-agreement', 'mentor-then-hr'],
      ['assistant-owned-decisions', 'mentor'],
      ['assistant-coaching-cycle', 'mentor'],
      ['assistant-governance-deliverables', 'mentor'],
      ['assistant-stakeholder-session', 'mentor'],
    ])
    expect(profileOf(cand.id).stage).toBe('assistant-sto')
    const timeline = (await loadTimeline(hr.cookie, cand.id)).data as Timeline
    expect(timeline.program!.periods[0]!.details).toEqual(['Delegated: Business decisions'])
    expect(timeline.program!.startReason).toBe(reason)
  })

  it('refuses an unknown stage, a mentor without the mentor role, and the candidate as their own mentor', async () => {
    const cand = await makePerson({ roles: ['candidate', 'mentor'] })
    const notMentor = await makePerson({ roles: ['hr'] })
    const before = countsOf(tables)
    const stage = await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id, { stageId: 'astronaut' }))
    expect(messageOf(stage)).toBe('Choose one of the program’s stages.')
    const wrong = await postTimeline(hr.cookie, cand.id, enrollForm(notMentor.id))
    expect(messageOf(wrong)).toBe('Choose an active person who holds the mentor role.')
    const self = await postTimeline(hr.cookie, cand.id, enrollForm(cand.id))
    expect(messageOf(self)).toBe('A candidate cannot be their own mentor.')
    for (const r of [stage, wrong, self]) expect(r.status).toBe(400)
    expect(countsOf(tables)).toEqual(before)
  })

  it('is forbidden (403) to the candidate’s mentor and to the candidate, and writes nothing', async () => {
    const cand = await loggedIn({ roles: ['candidate'], candidate: { mentorId: mentor.id } })
    const before = countsOf(tables)
    for (const user of [mentor, cand]) {
      const res = await postTimeline(user.cookie, cand.id, enrollForm(mentor.id))
      expect(res, user.name).toMatchObject({ thrown: true, status: 403 })
    }
    expect(countsOf(tables)).toEqual(before)
    expect(enrollmentOf(cand.id)).toBeUndefined()
  })

  it('answers 404 for a person who is not a candidate or does not exist', async () => {
    const notCandidate = await makePerson({ roles: ['mentor'] })
    for (const id of [String(notCandidate.id), '999999', 'abc']) {
      expect(await postTimeline(hr.cookie, id, enrollForm(mentor.id)), id).toMatchObject({ thrown: true, status: 404 })
    }
  })
})

describe('a later start needs a second HR person (issue 12)', () => {
  const reason = 'Led two AI products at her previous employer.'
  const propose = async (cand: { id: number }, by: Viewer = hr, mentorId = mentor.id) => {
    const res = await postTimeline(
      by.cookie,
      cand.id,
      enrollForm(mentorId, { stageId: 'assistant-sto', reason, delegatedDomain: 'business-decisions' }),
    )
    expect(res).toMatchObject({ thrown: true, status: 302 })
    return getDb().select().from(enrolmentProposals).where(eq(enrolmentProposals.candidateId, cand.id)).all().at(-1)!
  }
  const watched = { enrollments, stagePeriods, milestones, enrolmentProposals, auditLog }

  it('the proposal itself writes no enrollment, no stage and no milestone; only the proposal and its audit entry', async () => {
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const before = countsOf(watched)
    const proposal = await propose(cand)
    expect(proposal).toMatchObject({
      status: 'pending',
      stage: 'assistant-sto',
      proposedBy: hr.id,
      mentorId: mentor.id,
      reason,
    })
    expect(countsOf(watched)).toEqual({
      ...before,
      enrolmentProposals: before.enrolmentProposals + 1,
      auditLog: before.auditLog + 1,
    })
    expect(auditFor('program.enroll-proposed', cand.id)).toEqual([expect.objectContaining({ actorId: hr.id })])
    expect(auditFor('program.enroll', cand.id)).toEqual([])
  })

  it('the proposer, the named mentor (also HR) and the candidate (also HR) cannot confirm: 403, nothing written', async () => {
    const hrMentor = await loggedIn({ roles: ['hr', 'mentor'], name: 'Hal Hr-Mentor' })
    const cand = await loggedIn({ roles: ['candidate', 'hr'], candidate: { stage: 'shadow' } })
    const proposal = await propose(cand, hr, hrMentor.id)
    const before = countsOf(watched)
    for (const who of [hr, hrMentor, cand]) {
      const res = await postTimeline(who.cookie, cand.id, {
        intent: 'confirm-enrolment',
        proposalId: String(proposal.id),
      })
      expect(res, who.name).toMatchObject({ thrown: false, status: 403 })
    }
    expect(
      messageOf(
        await postTimeline(hr.cookie, cand.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
      ),
    ).toBe('You proposed this enrolment; another HR person must confirm it.')
    expect(
      messageOf(
        await postTimeline(hrMentor.cookie, cand.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
      ),
    ).toBe('You are named as the mentor; another HR person must confirm it.')
    expect(countsOf(watched)).toEqual(before)
    // What each of them is offered: no confirm button, the reason instead.
    expect(((await loadTimeline(hr.cookie, cand.id)).data as Timeline).proposal!.confirm).toEqual({
      ok: false,
      reason: 'You proposed this enrolment; another HR person must confirm it.',
    })
    expect(((await loadTimeline(cand.cookie, cand.id)).data as Timeline).proposal).toBeNull()
    // The approvals queue lists it for every HR person, with the same reason for those who cannot confirm.
    const queued = async (v: Viewer) =>
      (
        (await call(() => queueLoader(args(request('/queue', { cookie: v.cookie }))))).data as {
          enrolments: Array<{ candidateId: number; blocked: string | null }>
        }
      ).enrolments.find((e) => e.candidateId === cand.id)
    expect(await queued(hr)).toMatchObject({
      blocked: 'You proposed this enrolment; another HR person must confirm it.',
    })
    expect(await queued(hrMentor)).toMatchObject({
      blocked: 'You are named as the mentor; another HR person must confirm it.',
    })
    expect(await queued(cand)).toMatchObject({ blocked: OWN_CASE })
    expect(await queued(secondHr)).toMatchObject({ blocked: null })
  })

  it('a proposal for another candidate, a second proposal, enrolling at Shadow meanwhile, a mentor: refused, nothing written', async () => {
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const other = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const proposal = await propose(cand)
    const before = countsOf(watched)
    expect(
      await postTimeline(secondHr.cookie, other.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
    ).toMatchObject({ status: 404 })
    expect(
      await postTimeline(secondHr.cookie, other.id, {
        intent: 'cancel-enrolment',
        proposalId: String(proposal.id),
        reason: 'Not this one.',
      }),
    ).toMatchObject({ status: 404 })
    expect(
      await postTimeline(
        secondHr.cookie,
        cand.id,
        enrollForm(mentor.id, { stageId: 'assistant-sto', reason, delegatedDomain: 'business-decisions' }),
      ),
    ).toMatchObject({ status: 409 })
    expect(await postTimeline(secondHr.cookie, cand.id, enrollForm(mentor.id))).toMatchObject({ status: 409 })
    expect(
      await postTimeline(mentor.cookie, cand.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
    ).toMatchObject({ thrown: true, status: 403 })
    expect(
      await postTimeline(secondHr.cookie, cand.id, { intent: 'confirm-enrolment', proposalId: 'abc' }),
    ).toMatchObject({ status: 400 })
    expect(countsOf(watched)).toEqual(before)
  })

  it('cancelled by the proposer with a reason: audited; it can no longer be confirmed (409) and a new enrolment may start', async () => {
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const proposal = await propose(cand)
    expect(
      await postTimeline(hr.cookie, cand.id, {
        intent: 'cancel-enrolment',
        proposalId: String(proposal.id),
        reason: 'no',
      }),
    ).toMatchObject({ status: 400 })
    const res = await postTimeline(hr.cookie, cand.id, {
      intent: 'cancel-enrolment',
      proposalId: String(proposal.id),
      reason: 'Wrong stage: start at Shadow.',
    })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(getDb().select().from(enrolmentProposals).where(eq(enrolmentProposals.id, proposal.id)).get()).toMatchObject(
      { status: 'cancelled', decidedBy: hr.id, decisionNote: 'Wrong stage: start at Shadow.' },
    )
    expect(auditFor('program.enroll-cancelled', cand.id)).toEqual([expect.objectContaining({ actorId: hr.id })])
    const before = countsOf(watched)
    expect(
      await postTimeline(secondHr.cookie, cand.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
    ).toMatchObject({ status: 409 })
    expect(countsOf(watched)).toEqual(before)
    expect(await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id))).toMatchObject({ thrown: true, status: 302 })
    expect(enrollmentOf(cand.id)).toMatchObject({ startStage: 'shadow', confirmedBy: null })
  })

  it('erasing the candidate cancels their waiting proposal, so it can never be confirmed', async () => {
    const admin = await loggedIn({ roles: ['admin'] })
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const proposal = await propose(cand)
    const result = transaction((tx) => erasePerson(tx, admin.id, cand.id))
    expect(result.counts.proposalsCancelled).toBe(1)
    expect(getDb().select().from(enrolmentProposals).where(eq(enrolmentProposals.id, proposal.id)).get()).toMatchObject(
      { status: 'cancelled', decidedBy: admin.id },
    )
  })

  it('a mentor who lost the mentor role meanwhile: the confirmation is refused and writes nothing', async () => {
    const m = await makePerson({ roles: ['mentor'] })
    const cand = await makePerson({ roles: ['candidate'], candidate: { stage: 'shadow' } })
    const proposal = await propose(cand, hr, m.id)
    getDb().delete(roleAssignments).where(eq(roleAssignments.personId, m.id)).run()
    const before = countsOf(watched)
    const res = await postTimeline(secondHr.cookie, cand.id, {
      intent: 'confirm-enrolment',
      proposalId: String(proposal.id),
    })
    expect(res).toMatchObject({ status: 400 })
    expect(countsOf(watched)).toEqual(before)
  })
})

describe('pausing, resuming and withdrawing', () => {
  it('HR pauses and resumes; a second pause or a resume while active is refused (409); each step is audited', async () => {
    const cand = await makePerson({ roles: ['candidate'] })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(1) })
    const e = enrollmentOf(cand.id)!
    const pausesOf = () => getDb().select().from(pauses).where(eq(pauses.enrollmentId, e.id)).all()

    const resumeActive = await postTimeline(hr.cookie, cand.id, { intent: 'resume' })
    expect(resumeActive).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(resumeActive)).toBe('This candidate is not paused.')
    expect((await postTimeline(hr.cookie, cand.id, { intent: 'pause', reason: 'no' })).status).toBe(400)

    const paused = await postTimeline(hr.cookie, cand.id, { intent: 'pause', reason: 'Parental leave' })
    expect(paused).toMatchObject({ thrown: true, status: 302 })
    expect(enrollmentOf(cand.id)!.status).toBe('paused')
    expect(pausesOf()).toEqual([
      expect.objectContaining({ startedOn: today(), endedOn: null, reason: 'Parental leave', createdBy: hr.id }),
    ])
    const gate = gateFor(getDb(), cand.id, getFramework(), null, today())!
    expect(gate.result.paused).toBe(true)
    expect(gate.result.conditions.find((c) => c.key === 'time')!.reasons[0]).toContain('the candidate is paused')

    const twice = await postTimeline(hr.cookie, cand.id, { intent: 'pause', reason: 'Parental leave' })
    expect(twice).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(twice)).toBe('This candidate is already paused.')

    const resumed = await postTimeline(hr.cookie, cand.id, { intent: 'resume' })
    expect(resumed).toMatchObject({ thrown: true, status: 302 })
    expect(enrollmentOf(cand.id)!.status).toBe('active')
    expect(pausesOf()).toEqual([expect.objectContaining({ startedOn: today(), endedOn: today() })])
    expect(auditFor('program.pause', cand.id)).toHaveLength(1)
    expect(auditFor('program.resume', cand.id)).toHaveLength(1)

    // A mentor cannot pause their mentee.
    expect(await postTimeline(mentor.cookie, cand.id, { intent: 'pause', reason: 'Parental leave' })).toMatchObject({
      thrown: true,
      status: 403,
    })
  })

  it('paused days do not count: a pause before the threshold moves the earliest day by its length', async () => {
    const cand = await makePerson({ roles: ['candidate'] })
    const enrolledOn = monthsAgo(1)
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn })
    const earliest = () => gateFor(getDb(), cand.id, getFramework(), null, today())!.result.earliestTimeOn
    expect(earliest()).toBe(addMonths(enrolledOn, 3))

    transaction((tx) => pauseEnrollment(tx, hr.id, cand.id, 'Reassigned for a release', noonOf(daysFromToday(-20))))
    transaction((tx) => resumeEnrollment(tx, hr.id, cand.id, noonOf(daysFromToday(-10))))
    expect(earliest()).toBe(addDays(addMonths(enrolledOn, 3), 10))
    // The timeline shows the same date and the pause.
    const t = (await loadTimeline(hr.cookie, cand.id)).data as Timeline
    expect(t.gate!.earliestTimeOn).toBe(addDays(addMonths(enrolledOn, 3), 10))
    expect(t.program!.pauses).toEqual([
      expect.objectContaining({
        startedOn: daysFromToday(-20),
        endedOn: daysFromToday(-10),
        reason: 'Reassigned for a release',
      }),
    ])
  })

  it('a pause taken after the time threshold leaves the earliest day where it was', async () => {
    const cand = await makePerson({ roles: ['candidate'] })
    const enrolledOn = monthsAgo(5)
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn })
    transaction((tx) => pauseEnrollment(tx, hr.id, cand.id, 'Leave after the threshold', noonOf(daysFromToday(-30))))
    transaction((tx) => resumeEnrollment(tx, hr.id, cand.id, noonOf(daysFromToday(-20))))
    const gate = gateFor(getDb(), cand.id, getFramework(), null, today())!
    expect(gate.result.earliestTimeOn).toBe(addMonths(enrolledOn, 3))
    expect(gate.result.conditions.find((c) => c.key === 'time')!.met).toBe(true)
  })

  it('withdrawing ends the enrollment and the stage period; the candidate leaves the roster and can be enrolled again', async () => {
    const cand = await makePerson({ roles: ['candidate'], name: 'Walt Withdrawn' })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
    const e = enrollmentOf(cand.id)!
    transaction((tx) => pauseEnrollment(tx, hr.id, cand.id, 'Long leave', noonOf(daysFromToday(-5))))
    const reason = 'Moved to another role in the company.'

    expect((await postTimeline(hr.cookie, cand.id, { intent: 'withdraw', reason: 'Left' })).status).toBe(400)
    const res = await postTimeline(hr.cookie, cand.id, { intent: 'withdraw', reason })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(enrollmentOf(cand.id)).toMatchObject({ id: e.id, status: 'withdrawn', endedOn: today(), endReason: reason })
    expect(periodsOf(e.id)).toEqual([expect.objectContaining({ stage: 'shadow', exitedOn: today() })])
    expect(getDb().select().from(pauses).where(eq(pauses.enrollmentId, e.id)).all()).toEqual([
      expect.objectContaining({ endedOn: today() }),
    ])
    expect(auditFor('program.withdraw', cand.id)).toHaveLength(1)
    expect(gateFor(getDb(), cand.id, getFramework(), null, today())).toBeNull()

    const t = (await loadTimeline(hr.cookie, cand.id)).data as Timeline
    expect(t.program).toMatchObject({ status: 'withdrawn', endReason: reason })
    expect(t.gate).toBeNull()
    expect(((await roster(hr)).data as Roster).rows.map((r) => r.candidateId)).not.toContain(cand.id)

    expect(await postTimeline(hr.cookie, cand.id, { intent: 'withdraw', reason })).toMatchObject({
      thrown: false,
      status: 404,
    })
    expect(await postTimeline(hr.cookie, cand.id, enrollForm(mentor.id))).toMatchObject({ thrown: true, status: 302 })
    expect(enrollmentOf(cand.id)).toMatchObject({ status: 'active' })
    expect(enrollmentOf(cand.id)!.id).not.toBe(e.id)
  })
})

describe('the timeline (program.$candidateId loader)', () => {
  it('is readable by the candidate, their mentor and HR; not by another candidate or another mentor', async () => {
    const cand = await loggedIn({ roles: ['candidate'], name: 'Tess Timeline' })
    const other = await loggedIn({ roles: ['candidate'] })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(1) })
    const open = (v: Viewer) => loadTimeline(v.cookie, cand.id)

    const own = await open(cand)
    expect(own).toMatchObject({ thrown: false, status: 200 })
    expect((own.data as Timeline).viewer).toEqual({
      isCandidate: true,
      canManage: false,
      canEnrol: false,
      canComment: false,
      canEditPlan: true,
    })
    const m = await open(mentor)
    expect(m.status).toBe(200)
    expect((m.data as Timeline).viewer).toEqual({
      isCandidate: false,
      canManage: false,
      canEnrol: false,
      canComment: true,
      canEditPlan: false,
    })
    const h = await open(hr)
    expect(h.status).toBe(200)
    expect((h.data as Timeline).viewer).toMatchObject({ canManage: true, canEditPlan: false })
    expect(await open(other)).toMatchObject({ thrown: true, status: 403 })
    expect(await open(otherMentor)).toMatchObject({ thrown: true, status: 403 })
    expect(await loadTimeline(hr.cookie, 'abc')).toMatchObject({ thrown: true, status: 404 })
    expect(await loadTimeline(hr.cookie, '999999')).toMatchObject({ thrown: true, status: 404 })
  })

  it('shows a candidate who is not enrolled no program', async () => {
    const cand = await loggedIn({ roles: ['candidate'] })
    const res = await loadTimeline(cand.cookie, cand.id)
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ program: null, gate: null })
  })
})

describe('the roster (program._index loader)', () => {
  it('lists every enrolled candidate for HR, only their mentees for a mentor, and sends a candidate to their own page', async () => {
    const mine = await makePerson({ roles: ['candidate'], name: 'Rita Roster' })
    const theirs = await makePerson({ roles: ['candidate'], name: 'Ravi Roster' })
    const notEnrolled = await makePerson({
      roles: ['candidate'],
      name: 'Nora Notenrolled',
      candidate: { mentorId: mentor.id },
    })
    enrollVia(hr.id, { candidateId: mine.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
    enrollVia(hr.id, { candidateId: theirs.id, mentorId: otherMentor.id, enrolledOn: monthsAgo(8) })

    const all = (await roster(hr)).data as Roster
    expect(all.scope).toBe('all')
    const current = getDb()
      .select({ id: enrollments.candidateId, status: enrollments.status })
      .from(enrollments)
      .all()
      .filter((e) => e.status === 'active' || e.status === 'paused')
      .map((e) => e.id)
    const ids = all.rows.map((r) => r.candidateId)
    expect([...ids].sort((a, b) => a - b)).toEqual([...current].sort((a, b) => a - b))
    expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]))
    expect(ids).not.toContain(notEnrolled.id)
    expect(all.rows.find((r) => r.candidateId === mine.id)).toMatchObject({
      name: 'Rita Roster',
      stage: 'Shadow',
      status: 'active',
      overdue: false,
    })
    // Eight months in Shadow (3–6 months) is overdue.
    expect(all.rows.find((r) => r.candidateId === theirs.id)).toMatchObject({ overdue: true })
    const names = all.rows.map((r) => r.name)
    expect(names).toEqual([...names].sort())

    const mentees = (await roster(otherMentor)).data as Roster
    expect(mentees.scope).toBe('mentees')
    expect(mentees.rows.map((r) => r.candidateId)).toContain(theirs.id)
    for (const r of mentees.rows) expect(profileOf(r.candidateId).mentorId).toBe(otherMentor.id)
    expect(mentees.rows.map((r) => r.candidateId)).not.toContain(mine.id)

    const cand = await loggedIn({ roles: ['candidate'] })
    const toOwn = await roster(cand)
    expect(toOwn).toMatchObject({ thrown: true, status: 302 })
    expect(toOwn.headers.get('Location')).toBe(`/program/${cand.id}`)

    const admin = await loggedIn({ roles: ['admin'] })
    expect(await roster(admin)).toMatchObject({ thrown: true, status: 403 })
  })
})

describe('the development plan (intents add-plan, plan-status, plan-comment)', () => {
  it('the candidate adds and updates their items, the mentor comments; others cannot', async () => {
    const cand = await loggedIn({ roles: ['candidate'], name: 'Pia Planner' })
    const other = await loggedIn({ roles: ['candidate'] })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(1) })
    const capability = getFramework().capabilities.find((c) => c.id === 'financial-literacy')!

    const bad = await postTimeline(cand.cookie, cand.id, {
      intent: 'add-plan',
      capabilityId: 'juggling',
      action: 'Practise juggling daily.',
    })
    expect(bad).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(bad)).toBe('Choose one of the listed capabilities.')
    expect(count(planItems)).toBe(0)

    const added = await postTimeline(cand.cookie, cand.id, {
      intent: 'add-plan',
      capabilityId: capability.id,
      action: 'Read the pod’s P&L with finance monthly.',
      dueOn: daysFromToday(30),
    })
    expect(added).toMatchObject({ thrown: true, status: 302 })
    const item = getDb().select().from(planItems).where(eq(planItems.candidateId, cand.id)).get()!
    expect(item).toMatchObject({
      capabilityId: capability.id,
      source: 'own',
      status: 'open',
      dueOn: daysFromToday(30),
      createdBy: cand.id,
    })
    expect(auditFor('plan.add', item.id)).toHaveLength(1)

    const done = await postTimeline(cand.cookie, cand.id, {
      intent: 'plan-status',
      itemId: String(item.id),
      status: 'done',
    })
    expect(done.status).toBe(302)
    expect(getDb().select().from(planItems).where(eq(planItems.id, item.id)).get()!.status).toBe('done')

    const body = 'Good: bring one question to each review.'
    const comment = await postTimeline(mentor.cookie, cand.id, {
      intent: 'plan-comment',
      itemId: String(item.id),
      body,
    })
    expect(comment).toMatchObject({ thrown: true, status: 302 })
    expect(getDb().select().from(planItemComments).all()).toEqual([
      expect.objectContaining({ planItemId: item.id, authorId: mentor.id, body }),
    ])

    const t = (await loadTimeline(cand.cookie, cand.id)).data as Timeline
    expect(t.plan).toEqual([
      expect.objectContaining({
        id: item.id,
        capability: 'Financial Literacy',
        status: 'done',
        comments: [expect.objectContaining({ body, authorName: 'Milo Mentor' })],
      }),
    ])

    // Another candidate, another mentor: 403 on every plan intent; the mentor cannot edit the plan itself.
    const before = { items: count(planItems), comments: count(planItemComments) }
    for (const user of [other, otherMentor]) {
      expect(
        await postTimeline(user.cookie, cand.id, {
          intent: 'plan-comment',
          itemId: String(item.id),
          body: 'Not my place.',
        }),
      ).toMatchObject({ thrown: true, status: 403 })
      expect(
        await postTimeline(user.cookie, cand.id, {
          intent: 'add-plan',
          capabilityId: capability.id,
          action: 'Something sneaky.',
        }),
      ).toMatchObject({ thrown: true, status: 403 })
    }
    expect(
      await postTimeline(mentor.cookie, cand.id, { intent: 'plan-status', itemId: String(item.id), status: 'dropped' }),
    ).toMatchObject({ thrown: true, status: 403 })
    expect(
      await postTimeline(cand.cookie, cand.id, {
        intent: 'plan-comment',
        itemId: String(item.id),
        body: 'Commenting on my own.',
      }),
    ).toMatchObject({ thrown: true, status: 403 })
    // Someone else's item id through the candidate's own page: 404.
    expect(
      (
        await postTimeline(other.cookie, other.id, {
          intent: 'add-plan',
          capabilityId: capability.id,
          action: 'The other candidate’s own item.',
        })
      ).status,
    ).toBe(302)
    const otherId = getDb().select().from(planItems).where(eq(planItems.candidateId, other.id)).get()!.id
    expect(
      await postTimeline(cand.cookie, cand.id, { intent: 'plan-status', itemId: String(otherId), status: 'dropped' }),
    ).toMatchObject({ thrown: false, status: 404 })
    expect({ items: count(planItems), comments: count(planItemComments) }).toEqual({
      items: before.items + 1,
      comments: before.comments,
    })
  })
})
