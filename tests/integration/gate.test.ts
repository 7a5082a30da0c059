import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { candidateProfiles } from '#db/schema/people'
import { advancements, certificates, enrollments, milestones, signoffs, stagePeriods } from '#db/schema/program'
import { getPerson, updatePerson } from '~/models/people.server'
import { submitEvidence } from '~/models/milestones.server'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { addMonths } from '~/domain/program/dates'
import type { GateResult } from '~/domain/program/gate'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { loggedIn } from '../helpers/db'
import {
  advancementsOf,
  auditFor,
  closed360,
  countsOf,
  daysFromToday,
  enrollVia,
  enrollmentOf,
  loadGate,
  loadMilestone,
  loadTimeline,
  messageOf,
  milestoneRow,
  milestonesOf,
  monthsAgo,
  periodsOf,
  postGate,
  postMilestone,
  postTimeline,
  profileOf,
  signOffStage,
  today,
} from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
type GatePage = {
  candidate: { id: number; name: string }
  stage: string
  next: { name: string; records: string[] } | null
  result: GateResult
  fingerprint: string
  pending: { note: string | null; at: string | null } | null
  viewer: { canRecommend: boolean; canDecide: boolean }
}
type TimelineAdvancement = {
  from: string
  to: string
  status: string
  recommendedBy: string | null
  decidedBy: string | null
  note: string | null
  override: boolean
  overrideReason: string | null
}

const tables = { enrollments, stagePeriods, milestones, advancements, certificates, auditLog }
const CHANGED = 'The conditions changed since you opened this page. Review the gate again before approving.'

let hr: Viewer, hr2: Viewer, mentor: Viewer, otherMentor: Viewer, mentorHr: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Harriet HR' })
  hr2 = await loggedIn({ roles: ['hr'], name: 'Henrik HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Marta Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Oren Othermentor' })
  mentorHr = await loggedIn({ roles: ['mentor', 'hr'], name: 'Mira Mentor-HR' })
})

/** A candidate in Shadow for `monthsIn` months, every Shadow milestone signed off, and a closed 360 (others' mean `score`; null: none). */
async function shadowCandidate(
  opts: { mentor?: Viewer; monthsIn?: number; score?: number | null; name?: string } = {},
) {
  const m = opts.mentor ?? mentor
  const cand = await loggedIn({ roles: ['candidate'], name: opts.name })
  const enrolledOn = monthsAgo(opts.monthsIn ?? 4)
  enrollVia(hr.id, { candidateId: cand.id, mentorId: m.id, enrolledOn })
  signOffStage({ candidateId: cand.id, mentorId: m.id, hrId: hr.id, stage: 'shadow' })
  if (opts.score !== null) closed360(cand.id, opts.score ?? 2)
  return { ...cand, enrolledOn }
}

const gatePage = async (viewer: Viewer, candidateId: number) => {
  const res = await loadGate(viewer.cookie, candidateId)
  expect(res.status).toBe(200)
  return res.data as GatePage
}
const condition = (page: GatePage, key: string) => page.result.conditions.find((c) => c.key === key)!
const recommend = (viewer: Viewer, candidateId: number, note = 'Ready: a strong decision journal and a clear plan.') =>
  postGate(viewer.cookie, candidateId, { intent: 'recommend', note })
/** Everything a refused approval must leave as it was. */
const snapshot = (candidateId: number) => {
  const e = enrollmentOf(candidateId)!
  return {
    counts: countsOf(tables),
    enrollment: e,
    periods: periodsOf(e.id),
    advancements: advancementsOf(e.id),
    profile: profileOf(candidateId),
  }
}

describe('the stage gate with every condition met', () => {
  it('the mentor recommends, HR approves with the fingerprint it saw: the candidate moves to Assistant STO', async () => {
    const cand = await shadowCandidate({ name: 'Greta Gate' })

    // Before the recommendation: everything but the recommendation is met.
    const before = await gatePage(hr, cand.id)
    expect(before).toMatchObject({
      stage: 'Shadow',
      next: { name: 'Assistant STO', records: ['delegatedDomain'] },
      pending: null,
      viewer: { canRecommend: false, canDecide: false },
    })
    expect(before.result.readyForApproval).toBe(false)
    expect(condition(before, 'time')).toMatchObject({
      met: true,
      reasons: [`Met on ${addMonths(cand.enrolledOn, 3)}.`],
    })
    expect(condition(before, 'milestones')).toMatchObject({
      met: true,
      reasons: ['All 5 required milestones are signed off.'],
    })
    expect(condition(before, 'competency').met).toBe(true)
    expect(condition(before, 'recommendation')).toMatchObject({
      met: false,
      reasons: ['Marta Mentor has not recommended advancement yet.'],
    })
    expect((await gatePage(mentor, cand.id)).viewer).toEqual({ canRecommend: true, canDecide: false })
    expect((await gatePage(cand, cand.id)).viewer).toEqual({ canRecommend: false, canDecide: false })

    const short = await recommend(mentor, cand.id, 'Ready.')
    expect(short).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(short)).toBe('Say why (at least 10 characters).')
    const rec = await recommend(mentor, cand.id)
    expect(rec).toMatchObject({ thrown: true, status: 302 })
    expect(rec.headers.get('Location')).toBe(`/program/${cand.id}`)
    expect(auditFor('program.recommend', cand.id)).toHaveLength(1)

    const after = await gatePage(hr, cand.id)
    expect(after.result.readyForApproval).toBe(true)
    expect(after.result.allMet).toBe(true)
    expect(condition(after, 'recommendation')).toMatchObject({
      met: true,
      reasons: [`Recommended by Marta Mentor on ${today()}.`],
    })
    // Path 7 (issue 12): the approval is pending until someone approves, even for an HR viewer who may give it.
    expect(condition(after, 'approval')).toMatchObject({
      met: false,
      pending: true,
      reasons: ['Pending: waiting for an HR approval.', 'Harriet HR may approve.'],
    })
    expect(after.pending).toMatchObject({ note: 'Ready: a strong decision journal and a clear plan.' })
    expect(after.fingerprint).toMatch(/^[0-9a-f]{32}$/)
    expect(after.fingerprint).not.toBe(before.fingerprint)

    // The next stage records a delegated domain: approving without one is refused and changes nothing.
    const state = snapshot(cand.id)
    const noDomain = await postGate(hr.cookie, cand.id, { intent: 'approve', fingerprint: after.fingerprint })
    expect(noDomain).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(noDomain)).toBe('Choose the domain of delegated authority for Assistant STO.')
    expect(snapshot(cand.id)).toEqual(state)

    const res = await postGate(hr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: after.fingerprint,
      delegatedDomain: 'technical-decisions',
      note: 'Welcome to Assistant STO.',
    })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe(`/program/${cand.id}`)

    const e = enrollmentOf(cand.id)!
    expect(e.status).toBe('active')
    expect(periodsOf(e.id)).toEqual([
      expect.objectContaining({ stage: 'shadow', enteredOn: cand.enrolledOn, exitedOn: today() }),
      expect.objectContaining({
        stage: 'assistant-sto',
        enteredOn: today(),
        exitedOn: null,
        delegatedDomain: 'technical-decisions',
      }),
    ])
    expect(milestonesOf(cand.id, 'assistant-sto').map((m) => [m.templateId, m.status])).toEqual([
      ['assistant-delegation-agreement', 'open'],
      ['assistant-owned-decisions', 'open'],
      ['assistant-coaching-cycle', 'open'],
      ['assistant-governance-deliverables', 'open'],
      ['assistant-stakeholder-session', 'open'],
    ])
    expect(profileOf(cand.id).stage).toBe('assistant-sto')
    const [adv] = advancementsOf(e.id)
    expect(adv).toMatchObject({
      fromStage: 'shadow',
      toStage: 'assistant-sto',
      status: 'approved',
      recommendedBy: mentor.id,
      decidedBy: hr.id,
      decisionNote: 'Welcome to Assistant STO.',
      override: false,
      overrideReason: null,
    })
    const seen = JSON.parse(adv!.gateJson!) as GateResult['conditions']
    expect(seen.map((c) => [c.key, c.met])).toEqual([
      ['time', true],
      ['milestones', true],
      ['competency', true],
      ['recommendation', true],
      ['approval', true],
    ])
    const audit = auditFor('program.advance', cand.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: hr.id })
    expect(JSON.parse(audit[0]!.before!)).toEqual({ stage: 'shadow' })
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({
      stage: 'assistant-sto',
      delegatedDomain: 'technical-decisions',
      unmet: [],
      overrideReason: null,
    })
    expect(auditFor('program.advance.override', cand.id)).toEqual([])

    // The timeline and the gate now show the new stage.
    const timeline = (await loadTimeline(cand.cookie, cand.id)).data as {
      program: { advancements: TimelineAdvancement[] }
      candidate: { stage: string }
    }
    expect(timeline.candidate.stage).toBe('Assistant STO')
    expect(timeline.program.advancements).toEqual([
      expect.objectContaining({
        from: 'Shadow',
        to: 'Assistant STO',
        status: 'approved',
        recommendedBy: 'Marta Mentor',
        decidedBy: 'Harriet HR',
        override: false,
        overrideReason: null,
      }),
    ])
    const next = await gatePage(hr, cand.id)
    expect(next).toMatchObject({ stage: 'Assistant STO', next: { name: 'Low-Risk Pod Leadership' }, pending: null })
    expect(condition(next, 'time').met).toBe(false)

    // The same page cannot approve again: nothing is pending now.
    const replay = await postGate(hr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: after.fingerprint,
      delegatedDomain: 'technical-decisions',
    })
    expect(replay).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(replay)).toBe('The mentor has not recommended this advancement.')
  })

  it('refuses an approval when the conditions changed after HR opened the page (stale fingerprint): 409, nothing changes', async () => {
    const cand = await shadowCandidate()
    expect((await recommend(mentor, cand.id)).status).toBe(302)
    const seen = await gatePage(hr, cand.id)
    expect(seen.result.readyForApproval).toBe(true)

    // Meanwhile another HR person adds a required one-off milestone.
    const added = await postTimeline(hr2.cookie, cand.id, {
      intent: 'add-milestone',
      title: 'Present to the AI Council',
      description: 'Present the pod roadmap and its risks to the AI Council.',
      evidence: 'The slides and the council minutes.',
      signOff: 'mentor',
      required: 'yes',
    })
    expect(added).toMatchObject({ thrown: true, status: 302 })
    expect(auditFor('milestone.add', milestonesOf(cand.id).at(-1)!.id)).toHaveLength(1)

    const state = snapshot(cand.id)
    const res = await postGate(hr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: seen.fingerprint,
      delegatedDomain: 'technical-decisions',
    })
    expect(res).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(res)).toBe(CHANGED)
    expect(snapshot(cand.id)).toEqual(state)
    expect(state.advancements.map((a) => a.status)).toEqual(['recommended'])

    // Reloading shows why.
    const now = await gatePage(hr, cand.id)
    expect(now.fingerprint).not.toBe(seen.fingerprint)
    expect(condition(now, 'milestones')).toMatchObject({
      met: false,
      reasons: ['Present to the AI Council: not signed off yet.'],
    })
    expect(now.result.readyForApproval).toBe(false)
  })

  it('refuses an HR approver who is the candidate’s mentor (403), even with an override; another HR person may approve', async () => {
    const cand = await shadowCandidate({ mentor: mentorHr })
    expect((await recommend(mentorHr, cand.id)).status).toBe(302)
    const page = await gatePage(mentorHr, cand.id)
    // The page offers no decision to the person who recommended, and says why.
    expect(page.viewer).toEqual({ canRecommend: true, canDecide: false })
    expect(page.result.readyForApproval).toBe(true)
    expect(condition(page, 'approval')).toMatchObject({
      met: false,
      reasons: [
        'Pending: waiting for an HR approval.',
        'Mira Mentor-HR is the candidate’s mentor; another HR person must approve.',
      ],
    })
    const refusal = 'You recommended this advancement; another HR person must decide it.'

    const state = snapshot(cand.id)
    const extras: Record<string, string>[] = [
      {},
      { override: 'yes', overrideReason: 'I know this candidate better than anyone else.' },
    ]
    for (const extra of extras) {
      const res = await postGate(mentorHr.cookie, cand.id, {
        intent: 'approve',
        fingerprint: page.fingerprint,
        delegatedDomain: 'business-decisions',
        ...extra,
      })
      expect(res).toMatchObject({ thrown: false, status: 403 })
      expect(messageOf(res)).toBe(refusal)
    }
    expect(snapshot(cand.id)).toEqual(state)

    const other = await gatePage(hr2, cand.id)
    expect(other.fingerprint).toBe(page.fingerprint)
    expect(
      (
        await postGate(hr2.cookie, cand.id, {
          intent: 'approve',
          fingerprint: other.fingerprint,
          delegatedDomain: 'business-decisions',
        })
      ).status,
    ).toBe(302)
    expect(profileOf(cand.id).stage).toBe('assistant-sto')
  })
})

describe('approving with an unmet condition', () => {
  it('needs an explicit override (409 without) with a reason of 20+ characters (400 under); then it is recorded and shown', async () => {
    // One month in Shadow: the time condition is not met.
    const cand = await shadowCandidate({ monthsIn: 1 })
    expect((await recommend(mentor, cand.id)).status).toBe(302)
    const page = await gatePage(hr, cand.id)
    expect(page.result.readyForApproval).toBe(false)
    expect(condition(page, 'time')).toMatchObject({
      met: false,
      reasons: [`Not before ${addMonths(cand.enrolledOn, 3)}.`],
    })
    const approve = (extra: Record<string, string> = {}) =>
      postGate(hr.cookie, cand.id, {
        intent: 'approve',
        fingerprint: page.fingerprint,
        delegatedDomain: 'technical-decisions',
        ...extra,
      })

    const state = snapshot(cand.id)
    const plain = await approve()
    expect(plain).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(plain)).toBe(
      'Not every condition is met (At least 3 months of active time in Shadow). Tick “override” and give a reason to advance anyway.',
    )
    const short = await approve({ override: 'yes', overrideReason: 'Strong candidate.' })
    expect(short).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(short)).toBe('An override needs a written reason of at least 20 characters.')
    expect((await approve({ override: 'yes', overrideReason: ' '.repeat(25) })).status).toBe(400)
    // A reason without the override box ticked is not an override.
    expect((await approve({ overrideReason: 'Two years as acting STO at her previous employer.' })).status).toBe(409)
    expect(snapshot(cand.id)).toEqual(state)

    const reason = 'Two years as acting STO at her previous employer.'
    const res = await approve({ override: 'yes', overrideReason: reason })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    const e = enrollmentOf(cand.id)!
    expect(advancementsOf(e.id)).toEqual([
      expect.objectContaining({ status: 'approved', override: true, overrideReason: reason, decidedBy: hr.id }),
    ])
    expect(profileOf(cand.id).stage).toBe('assistant-sto')
    expect(auditFor('program.advance', cand.id)).toEqual([])
    const audit = auditFor('program.advance.override', cand.id)
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({
      stage: 'assistant-sto',
      unmet: ['time'],
      overrideReason: reason,
    })
    const gateSeen = JSON.parse(advancementsOf(e.id)[0]!.gateJson!) as GateResult['conditions']
    expect(gateSeen.find((c) => c.key === 'time')).toMatchObject({ met: false })

    const timeline = (await loadTimeline(mentor.cookie, cand.id)).data as {
      program: { advancements: TimelineAdvancement[] }
    }
    expect(timeline.program.advancements).toEqual([
      expect.objectContaining({ status: 'approved', override: true, overrideReason: reason }),
    ])
  })

  it('names the capability below its target in the competency reasons, using the latest closed 360', async () => {
    const cand = await shadowCandidate({ score: null })
    expect(condition(await gatePage(hr, cand.id), 'competency')).toMatchObject({
      met: false,
      reasons: ['No closed 360 assessment yet.'],
    })

    closed360(cand.id, 2, {}, daysFromToday(-60))
    expect(condition(await gatePage(hr, cand.id), 'competency').met).toBe(true)

    // A newer 360: one capability below target, one within the tolerance, one without enough ratings.
    closed360(cand.id, 2, { 'financial-literacy': 1.5, 'data-intuition': 1.8, transparency: null }, daysFromToday(-3))
    const page = await gatePage(hr, cand.id)
    expect(condition(page, 'competency')).toMatchObject({
      met: false,
      label: 'Latest 360 meets the Shadow exit profile',
      reasons: [
        'Financial Literacy: others rate 1.5, target 2.0.',
        'Transparency: not enough ratings in the latest 360 to judge (target 2.0).',
      ],
    })
    expect(page.result.readyForApproval).toBe(false)
  })
})

describe('declining, and who may do what', () => {
  it('HR declines with a note: the advancement is declined and the mentor may recommend again', async () => {
    const cand = await shadowCandidate()
    const none = await postGate(hr.cookie, cand.id, { intent: 'decline', note: 'Nothing to decline here.' })
    expect(none).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(none)).toBe('There is no recommendation to decline.')
    expect((await recommend(mentor, cand.id)).status).toBe(302)

    const short = await postGate(hr.cookie, cand.id, { intent: 'decline', note: 'No.' })
    expect(short).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(short)).toBe('Explain the decision (at least 10 characters).')

    const note = 'Another quarter of stakeholder work first.'
    const res = await postGate(hr.cookie, cand.id, { intent: 'decline', note })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    const e = enrollmentOf(cand.id)!
    expect(advancementsOf(e.id)).toEqual([
      expect.objectContaining({ status: 'declined', decidedBy: hr.id, decisionNote: note, override: false }),
    ])
    expect(auditFor('program.decline', cand.id)).toHaveLength(1)
    expect(profileOf(cand.id).stage).toBe('shadow')
    expect(periodsOf(e.id)).toHaveLength(1)
    const page = await gatePage(hr, cand.id)
    expect(page.pending).toBeNull()
    expect(condition(page, 'recommendation').met).toBe(false)
    const timeline = (await loadTimeline(cand.cookie, cand.id)).data as {
      program: { advancements: TimelineAdvancement[] }
    }
    expect(timeline.program.advancements).toEqual([
      expect.objectContaining({ status: 'declined', decidedBy: 'Harriet HR', note }),
    ])

    expect((await recommend(mentor, cand.id, 'Stakeholder work done; ready now.')).status).toBe(302)
    expect(advancementsOf(e.id).map((a) => a.status)).toEqual(['declined', 'recommended'])
  })

  it('only the mentor recommends, once; the mentor and the candidate cannot approve or decline', async () => {
    const cand = await shadowCandidate()
    const before = countsOf(tables)
    expect(await recommend(cand, cand.id)).toMatchObject({ thrown: true, status: 403 })
    expect(await recommend(otherMentor, cand.id)).toMatchObject({ thrown: true, status: 403 })
    expect(await recommend(hr, cand.id)).toMatchObject({ thrown: true, status: 403 })
    expect(countsOf(tables)).toEqual(before)

    expect((await recommend(mentor, cand.id)).status).toBe(302)
    const twice = await recommend(mentor, cand.id)
    expect(twice).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(twice)).toBe('You have already recommended this advancement; it is waiting for HR.')
    expect(advancementsOf(enrollmentOf(cand.id)!.id)).toHaveLength(1)

    const fingerprint = (await gatePage(hr, cand.id)).fingerprint
    const state = snapshot(cand.id)
    for (const user of [mentor, cand, otherMentor]) {
      expect(
        await postGate(user.cookie, cand.id, {
          intent: 'approve',
          fingerprint,
          delegatedDomain: 'technical-decisions',
        }),
        user.name,
      ).toMatchObject({ thrown: true, status: 403 })
      expect(
        await postGate(user.cookie, cand.id, { intent: 'decline', note: 'Not yet, more practice needed.' }),
        user.name,
      ).toMatchObject({ thrown: true, status: 403 })
    }
    expect(snapshot(cand.id)).toEqual(state)
  })

  it('answers 404 for an unknown candidate and for one who is not enrolled', async () => {
    const notEnrolled = await loggedIn({ roles: ['candidate'] })
    expect(await loadGate(hr.cookie, 'abc')).toMatchObject({ thrown: true, status: 404 })
    expect(await loadGate(hr.cookie, '999999')).toMatchObject({ thrown: true, status: 404 })
    expect(await loadGate(hr.cookie, notEnrolled.id)).toMatchObject({ thrown: true, status: 404 })
  })
})

describe('certification', () => {
  it('advancing from Low-Risk Pod Leadership to Full STO Certification issues a certificate and certifies the enrollment', async () => {
    const cand = await loggedIn({ roles: ['candidate'], name: 'Cyra Certified' })
    enrollVia(hr.id, {
      candidateId: cand.id,
      mentorId: mentor.id,
      stageId: 'low-risk-pod-leadership',
      enrolledOn: monthsAgo(13),
      reason: 'Led a low-risk pod as an interim STO for a year.',
      record: { podName: 'Claims triage', riskTier: 'low' },
    })
    signOffStage({ candidateId: cand.id, mentorId: mentor.id, hrId: hr.id, stage: 'low-risk-pod-leadership' })
    closed360(cand.id, 4)
    expect((await recommend(mentor, cand.id, 'Ran the pod for a year with no incidents.')).status).toBe(302)
    const page = await gatePage(hr, cand.id)
    expect(page).toMatchObject({
      stage: 'Low-Risk Pod Leadership',
      next: { name: 'Full STO Certification', records: ['certifiedRiskTiers'] },
    })
    expect(page.result.readyForApproval).toBe(true)

    const state = snapshot(cand.id)
    for (const tiers of [[], ['extreme']]) {
      const res = await postGate(hr.cookie, cand.id, {
        intent: 'approve',
        fingerprint: page.fingerprint,
        certifiedTiers: tiers,
      })
      expect(res).toMatchObject({ thrown: false, status: 400 })
      expect(messageOf(res)).toBe('Choose the risk tiers the certification covers.')
    }
    expect(snapshot(cand.id)).toEqual(state)

    const res = await postGate(hr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: page.fingerprint,
      certifiedTiers: ['low', 'medium'],
    })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    const e = enrollmentOf(cand.id)!
    expect(e).toMatchObject({ status: 'certified', endedOn: today() })
    const version = frameworkVersionOf(getFramework())
    expect(getDb().select().from(certificates).where(eq(certificates.candidateId, cand.id)).all()).toEqual([
      expect.objectContaining({
        enrollmentId: e.id,
        issuedOn: today(),
        approverId: hr.id,
        frameworkVersion: version,
        riskTiersJson: JSON.stringify(['low', 'medium']),
      }),
    ])
    expect(periodsOf(e.id).map((p) => [p.stage, p.exitedOn, p.certifiedTiersJson])).toEqual([
      ['low-risk-pod-leadership', today(), null],
      ['full-sto-certification', null, JSON.stringify(['low', 'medium'])],
    ])
    expect(profileOf(cand.id).stage).toBe('full-sto-certification')
    const certify = auditFor('program.certify', cand.id)
    expect(certify).toHaveLength(1)
    expect(JSON.parse(certify[0]!.after!)).toEqual({ tiers: ['low', 'medium'], frameworkVersion: version })

    const timeline = (await loadTimeline(cand.cookie, cand.id)).data as {
      program: { status: string; certificate: { tiers: string[]; issuedOn: string } | null }
    }
    expect(timeline.program).toMatchObject({
      status: 'certified',
      certificate: { tiers: ['Low', 'Medium'], issuedOn: today() },
    })
  })
})

/**
 * Issue 12: nobody decides about themselves, and every advancement takes two other people. Each
 * test is an insider's path that worked before rights.ts; now it is refused with nothing written.
 */
describe('nobody decides about themselves (issue 12)', () => {
  const everything = () => countsOf({ ...tables, signoffs })

  it('path 1: enrolling at the final stage is refused (400) and issues no certificate; the form does not offer that stage', async () => {
    const cand = await loggedIn({ roles: ['candidate'], name: 'Fiona Fasttrack' })
    const page = (await loadTimeline(hr.cookie, cand.id)).data as { options: { stages: Array<{ value: string }> } }
    expect(page.options.stages.map((s) => s.value)).toEqual(['shadow', 'assistant-sto', 'low-risk-pod-leadership'])
    const before = everything()
    const res = await postTimeline(hr.cookie, cand.id, {
      intent: 'enroll',
      stageId: 'full-sto-certification',
      enrolledOn: today(),
      mentorId: String(mentor.id),
      reason: 'Certified as an STO at her previous employer.',
      certifiedTiers: ['low', 'medium', 'high'],
    })
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(res)).toBe(
      'Nobody can be enrolled at Full STO Certification: certification is reached only through the stage gate.',
    )
    expect(everything()).toEqual(before)
    expect(enrollmentOf(cand.id)).toBeUndefined()
  })

  it('path 2: a person holding HR + candidate cannot enrol themselves, at any stage (403, nothing written)', async () => {
    const selfHr = await loggedIn({ roles: ['hr', 'candidate'], name: 'Selma Selfhr' })
    const page = (await loadTimeline(selfHr.cookie, selfHr.id)).data as { viewer: { canManage: boolean } }
    expect(page.viewer.canManage).toBe(false)
    const before = everything()
    const attempts: Array<Record<string, string | string[]>> = [
      { stageId: 'shadow' },
      { stageId: 'full-sto-certification', reason: 'I was certified before I joined.', certifiedTiers: ['low'] },
    ]
    for (const extra of attempts) {
      const res = await postTimeline(selfHr.cookie, selfHr.id, {
        intent: 'enroll',
        enrolledOn: today(),
        mentorId: String(mentor.id),
        ...extra,
      })
      expect(res).toMatchObject({ thrown: false, status: 403 })
      expect(messageOf(res)).toBe('Nobody decides about their own program, whatever roles they hold.')
    }
    expect(everything()).toEqual(before)
  })

  it('path 2: an HR + candidate cannot approve their own advancement, not even with an override (403, nothing written)', async () => {
    const selfHr = await loggedIn({ roles: ['hr', 'candidate'], name: 'Sven Selfapprover' })
    enrollVia(hr.id, { candidateId: selfHr.id, mentorId: mentor.id, enrolledOn: monthsAgo(1) })
    expect((await recommend(mentor, selfHr.id)).status).toBe(302)
    const page = await gatePage(selfHr, selfHr.id)
    expect(page.viewer.canDecide).toBe(false)
    const state = snapshot(selfHr.id)
    const res = await postGate(selfHr.cookie, selfHr.id, {
      intent: 'approve',
      fingerprint: page.fingerprint,
      override: 'yes',
      overrideReason: 'I am confident I am ready to move on now.',
      delegatedDomain: 'business-decisions',
    })
    expect(res).toMatchObject({ thrown: false, status: 403 })
    expect(messageOf(res)).toBe('Nobody decides about their own program, whatever roles they hold.')
    const decline = await postGate(selfHr.cookie, selfHr.id, { intent: 'decline', note: 'Not this time, I think.' })
    expect(decline).toMatchObject({ thrown: false, status: 403 })
    expect(snapshot(selfHr.id)).toEqual(state)
  })

  it('path 2: an HR + candidate cannot give the HR sign-off on their own milestone (403, nothing written)', async () => {
    const selfHr = await loggedIn({ roles: ['hr', 'candidate'], name: 'Sigrid Selfsigner' })
    enrollVia(hr.id, { candidateId: selfHr.id, mentorId: mentor.id })
    const added = await postTimeline(hr.cookie, selfHr.id, {
      intent: 'add-milestone',
      title: 'Compliance training',
      description: 'Complete the AI governance compliance course.',
      evidence: 'The course certificate',
      signOff: 'hr',
      required: 'yes',
    })
    expect(added.status).toBe(302)
    const m = milestonesOf(selfHr.id).find((x) => x.title === 'Compliance training')!
    transaction((tx) =>
      submitEvidence(tx, selfHr.id, m.id, {
        summary: 'I completed the course and passed the test.',
        links: [],
        files: [],
        planItemId: null,
      }),
    )
    expect(
      ((await loadMilestone(selfHr.cookie, m.id)).data as { viewer: { canDecide: boolean } }).viewer.canDecide,
    ).toBe(false)
    const before = everything()
    const res = await postMilestone(selfHr.cookie, m.id, { intent: 'sign' })
    expect(res).toMatchObject({ thrown: false, status: 403 })
    expect(messageOf(res)).toBe('Nobody decides about their own program, whatever roles they hold.')
    expect(everything()).toEqual(before)
    expect(milestoneRow(m.id).status).toBe('submitted')
    // Another HR person may.
    expect((await postMilestone(hr.cookie, m.id, { intent: 'sign' })).status).toBe(302)
  })

  it('path 3: after a mentor change, the recorded recommender (HR + mentor) cannot approve their own recommendation (403)', async () => {
    const cand = await shadowCandidate({ mentor: mentorHr })
    expect((await recommend(mentorHr, cand.id)).status).toBe(302)
    getDb()
      .update(candidateProfiles)
      .set({ mentorId: otherMentor.id })
      .where(eq(candidateProfiles.personId, cand.id))
      .run()
    const page = await gatePage(mentorHr, cand.id)
    expect(page.viewer.canDecide).toBe(false)
    const state = snapshot(cand.id)
    const res = await postGate(mentorHr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: page.fingerprint,
      delegatedDomain: 'business-decisions',
    })
    expect(res).toMatchObject({ thrown: false, status: 403 })
    expect(messageOf(res)).toBe('You recommended this advancement; another HR person must decide it.')
    expect(snapshot(cand.id)).toEqual(state)
    expect(profileOf(cand.id).stage).toBe('shadow')
  })

  it('a mentor change voids the pending recommendation, recorded with the reason; nobody can approve it afterwards', async () => {
    const cand = await shadowCandidate({ mentor: mentorHr })
    expect((await recommend(mentorHr, cand.id)).status).toBe(302)
    const admin = await loggedIn({ roles: ['admin'] })
    transaction((tx) => {
      const person = getPerson(tx, cand.id)!
      updatePerson(tx, admin.id, cand.id, {
        name: person.name,
        email: person.email,
        roles: person.roles,
        candidate: { ...person.candidate!, mentorId: otherMentor.id },
      })
    })
    const [advancement] = getDb()
      .select()
      .from(advancements)
      .innerJoin(enrollments, eq(enrollments.id, advancements.enrollmentId))
      .where(eq(enrollments.candidateId, cand.id))
      .all()
    expect(advancement!.advancements).toMatchObject({
      status: 'declined',
      decidedBy: admin.id,
      decisionNote: 'Recommendation voided: the mentor changed; the new mentor recommends afresh.',
    })
    expect(auditFor('program.recommendation-void', cand.id)).toHaveLength(1)
    // Another HR person, who could have approved before, now finds nothing to approve.
    const page = await gatePage(hr, cand.id)
    expect(page.viewer.canDecide).toBe(false)
    const state = snapshot(cand.id)
    const res = await postGate(hr.cookie, cand.id, {
      intent: 'approve',
      fingerprint: page.fingerprint,
      delegatedDomain: 'business-decisions',
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(snapshot(cand.id)).toEqual(state)
    expect(profileOf(cand.id).stage).toBe('shadow')
  })

  it('path 3: an HR + mentor cannot decline their own mentee’s advancement (403); another HR person can', async () => {
    const cand = await shadowCandidate({ mentor: mentorHr })
    expect((await recommend(mentorHr, cand.id)).status).toBe(302)
    const state = snapshot(cand.id)
    const res = await postGate(mentorHr.cookie, cand.id, { intent: 'decline', note: 'On reflection, not yet ready.' })
    expect(res).toMatchObject({ thrown: false, status: 403 })
    expect(messageOf(res)).toBe('You recommended this advancement; another HR person must decide it.')
    expect(snapshot(cand.id)).toEqual(state)
    expect(
      (await postGate(hr.cookie, cand.id, { intent: 'decline', note: 'Another six months of Shadow first.' })).status,
    ).toBe(302)
  })

  it('path 7: the approval shows as pending until someone approves, and the program page counts the gate’s own list', async () => {
    const cand = await shadowCandidate()
    expect((await recommend(mentor, cand.id)).status).toBe(302)
    const page = await gatePage(hr, cand.id)
    expect(condition(page, 'approval')).toMatchObject({ met: false, pending: true })
    const timeline = (await loadTimeline(hr.cookie, cand.id)).data as { gate: { met: number; total: number } }
    expect(timeline.gate).toMatchObject({
      met: page.result.conditions.filter((c) => c.met).length,
      total: page.result.conditions.length,
    })
    expect(timeline.gate).toMatchObject({ met: 4, total: 5 })
    // Once approved, the decision keeps the gate it was made on, with the approval given.
    expect(
      (
        await postGate(hr.cookie, cand.id, {
          intent: 'approve',
          fingerprint: page.fingerprint,
          delegatedDomain: 'business-decisions',
        })
      ).status,
    ).toBe(302)
    const [adv] = advancementsOf(enrollmentOf(cand.id)!.id)
    expect(
      (JSON.parse(adv!.gateJson!) as Array<{ key: string; met: boolean; reasons: string[] }>).find(
        (c) => c.key === 'approval',
      ),
    ).toMatchObject({ met: true, reasons: ['Approved by Harriet HR.'] })
  })

  it('path 4: a paused candidate cannot be recommended, approved or declined (409, nothing written)', async () => {
    const cand = await shadowCandidate()
    const early = await shadowCandidate()
    expect((await recommend(mentor, early.id)).status).toBe(302)
    for (const c of [cand, early])
      expect((await postTimeline(hr.cookie, c.id, { intent: 'pause', reason: 'Parental leave' })).status).toBe(302)

    const before = snapshot(cand.id)
    const rec = await recommend(mentor, cand.id)
    expect(rec).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(rec)).toBe('The candidate is paused; resume the program first.')
    expect(snapshot(cand.id)).toEqual(before)

    const page = await gatePage(hr, early.id)
    expect(page.viewer.canDecide).toBe(false)
    const state = snapshot(early.id)
    const approve = await postGate(hr.cookie, early.id, {
      intent: 'approve',
      fingerprint: page.fingerprint,
      override: 'yes',
      overrideReason: 'Advance now, before the leave ends.',
      delegatedDomain: 'business-decisions',
    })
    expect(approve).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(approve)).toBe('The candidate is paused; resume the program first.')
    const decline = await postGate(hr.cookie, early.id, { intent: 'decline', note: 'Declined while on leave.' })
    expect(decline).toMatchObject({ thrown: false, status: 409 })
    expect(snapshot(early.id)).toEqual(state)
  })
})

// The decision matrix over every decision action, actor relation and state is tests/integration/decision-matrix.test.ts.
