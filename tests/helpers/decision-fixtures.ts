/**
 * Fixtures for the decision matrix (tests/integration/decision-matrix.test.ts): one candidate per
 * case, brought through the models into the state a decision needs (a submitted milestone, a ready
 * gate with a recommendation, paused, withdrawn or certified), and a checksum of every program table
 * so a refused decision can be shown to have written nothing.
 */
import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { auditLog } from '#db/schema/audit'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import {
  advancements,
  certificates,
  enrolmentProposals,
  enrollments,
  evidenceFiles,
  milestoneSubmissions,
  milestones,
  pauses,
  planItemComments,
  planItems,
  signoffRedactions,
  signoffs,
  stagePeriods,
} from '#db/schema/program'
import type { Role } from '~/domain/roles'
import { enroll } from '~/models/enrolment.server'
import { getPerson, updatePerson } from '~/models/people.server'
import { addOneOffMilestone, decideMilestone, submitEvidence } from '~/models/milestones.server'
import {
  currentEnrollment,
  enterStage,
  issueCertificate,
  pauseEnrollment,
  withdrawEnrollment,
} from '~/models/program.server'
import { recommendAdvancement } from '~/models/advancement.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { makePerson } from './db'
import { closed360, enrollVia, milestonesOf, monthsAgo, signOffStage, today } from './program'

/** Every table a program decision may write, and the people tables (a decision never edits a person). */
const watched: Record<string, SQLiteTable> = {
  enrollments,
  stagePeriods,
  pauses,
  milestones,
  milestoneSubmissions,
  evidenceFiles,
  signoffs,
  signoffRedactions,
  advancements,
  certificates,
  enrolmentProposals,
  planItems,
  planItemComments,
  people,
  roleAssignments,
  candidateProfiles,
}

/** A digest of every row of the watched tables, and the number of audit entries. */
export function snapshot() {
  const db = getDb()
  const hash = createHash('sha1')
  for (const [name, table] of Object.entries(watched))
    hash.update(name).update(JSON.stringify(db.select().from(table).all()))
  const audit = db.select({ id: auditLog.id }).from(auditLog).all()
  return { digest: hash.digest('hex'), auditCount: audit.length, lastAuditId: audit.at(-1)?.id ?? 0 }
}

export const auditSince = (lastId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.id > lastId)

/** A candidate (no password; a fresh session cookie) with `roles` and `mentorId`. */
export async function makeCandidate(roles: Role[], mentorId: number, name: string) {
  const person = await makePerson({ roles, name, password: null, candidate: { mentorId } })
  const cookie = (await createSession(person.id, getDb())).split(';')[0]!
  return { ...person, cookie }
}

/** The candidate's mentor changes through the admin person form's model (updatePerson). */
export function changeMentor(adminId: number, candidateId: number, mentorId: number) {
  transaction((tx) => {
    const p = getPerson(tx, candidateId)!
    updatePerson(tx, adminId, candidateId, {
      name: p.name,
      email: p.email,
      roles: p.roles,
      candidate: {
        background: p.candidate!.background,
        stage: p.candidate!.stage,
        mentorId,
        joinedOn: p.candidate!.joinedOn,
      },
    })
  })
}

const EVIDENCE = { summary: 'What I did, and what it shows about my progress.', links: [], files: [], planItemId: null }

/** Submits evidence on the first mentor-signed milestone of the current stage; its id. */
export function submitMentorMilestone(candidateId: number) {
  const enrollment = currentEnrollment(getDb(), candidateId)!
  const stage = getDb()
    .select()
    .from(stagePeriods)
    .where(eq(stagePeriods.enrollmentId, enrollment.id))
    .all()
    .at(-1)!.stage
  const m = milestonesOf(candidateId, stage).find((x) => x.signOff === 'mentor' && x.status === 'open')!
  transaction((tx) => submitEvidence(tx, candidateId, m.id, EVIDENCE))
  return m.id
}

/** HR adds a one-off milestone signed by HR alone; the candidate submits evidence on it; its id. */
export function submitHrMilestone(hrId: number, candidateId: number) {
  return transaction((tx) => {
    const id = addOneOffMilestone(tx, hrId, candidateId, {
      title: 'HR-reviewed deliverable',
      description: 'A deliverable that HR alone reviews.',
      evidence: 'The document.',
      signOff: 'hr',
      required: false,
    })
    submitEvidence(tx, candidateId, id, EVIDENCE)
    return id
  })
}

/** The mentor signs a milestone off (for a sign-off to revoke). */
export function mentorSigns(mentorId: number, milestoneId: number) {
  transaction((tx) => decideMilestone(tx, { id: mentorId }, milestoneId, 'sign', null))
  return getDb().select().from(signoffs).where(eq(signoffs.milestoneId, milestoneId)).all().at(-1)!.id
}

export type CaseState = 'none' | 'active' | 'paused' | 'withdrawn' | 'certified'

/**
 * Brings an enrolled-at-Low-Risk candidate to the final stage and certifies them, as recorded
 * history (the way enrollVia records a certified fixture).
 */
export function certify(hrId: number, candidateId: number) {
  const fw = getFramework()
  const final = fw.stages.at(-1)!
  transaction((tx) => {
    const enrollment = currentEnrollment(tx, candidateId)!
    tx.update(stagePeriods).set({ exitedOn: today() }).where(eq(stagePeriods.enrollmentId, enrollment.id)).run()
    enterStage(tx, enrollment.id, candidateId, final, {}, today(), hrId, new Date())
    issueCertificate(tx, hrId, candidateId, enrollment.id, [fw.riskTiers[0]!.id], fw, today())
  })
}

/** `proposal`: a later-stage enrolment proposed by the fixture HR person, naming the current mentor (only where nobody is enrolled). */
export type Needs = {
  milestone?: 'mentor' | 'hr' | 'signed'
  gate?: 'ready' | 'unmet'
  recommended?: boolean
  proposal?: boolean
}

/**
 * A candidate in `state` with what the decision needs. `firstMentorId` mentors them from the start
 * (and recommends, when a recommendation is needed); `changeTo`, if given, becomes their mentor
 * afterwards, through the admin form's model.
 */
export async function buildCase(opts: {
  name: string
  roles: Role[]
  hrId: number
  adminId: number
  firstMentorId: number
  changeTo?: number
  state: CaseState
  needs: Needs
}) {
  const fw = getFramework()
  const cand = await makeCandidate(opts.roles, opts.firstMentorId, opts.name)
  let milestoneId: number | null = null
  let signoffId: number | null = null
  if (opts.state !== 'none') {
    if (opts.state === 'certified') {
      // Enrolled at the stage before the last; certified after the milestone work below.
      enrollVia(opts.hrId, {
        candidateId: cand.id,
        mentorId: opts.firstMentorId,
        stageId: fw.stages.at(-2)!.id,
        reason: 'Prior experience leading a pod elsewhere.',
        record: { podName: 'Fixture pod', riskTier: fw.riskTiers[0]!.id },
      })
    } else {
      enrollVia(opts.hrId, {
        candidateId: cand.id,
        mentorId: opts.firstMentorId,
        enrolledOn: opts.needs.gate === 'ready' ? monthsAgo(4) : today(),
      })
    }
    if (opts.needs.milestone === 'mentor' || opts.needs.milestone === 'signed')
      milestoneId = submitMentorMilestone(cand.id)
    if (opts.needs.milestone === 'hr') milestoneId = submitHrMilestone(opts.hrId, cand.id)
    if (opts.needs.milestone === 'signed') signoffId = mentorSigns(opts.firstMentorId, milestoneId!)
    if (opts.state !== 'certified') {
      if (opts.needs.gate === 'ready') {
        signOffStage({ candidateId: cand.id, mentorId: opts.firstMentorId, hrId: opts.hrId, stage: 'shadow' })
        closed360(cand.id, 2)
      }
      if (opts.needs.recommended)
        transaction((tx) =>
          recommendAdvancement(tx, opts.firstMentorId, cand.id, 'Ready for the next stage, in my view.', fw),
        )
    }
  }
  if (opts.changeTo !== undefined) changeMentor(opts.adminId, cand.id, opts.changeTo)
  if (opts.state === 'paused') transaction((tx) => pauseEnrollment(tx, opts.hrId, cand.id, 'Parental leave'))
  if (opts.state === 'withdrawn')
    transaction((tx) => withdrawEnrollment(tx, opts.hrId, cand.id, 'Moved to another role entirely.'))
  if (opts.state === 'certified') certify(opts.hrId, cand.id)
  let proposalId: number | null = null
  if (opts.needs.proposal && currentEnrollment(getDb(), cand.id) === null) {
    const started = transaction((tx) =>
      enroll(
        tx,
        opts.hrId,
        {
          candidateId: cand.id,
          stageId: 'assistant-sto',
          enrolledOn: today(),
          reason: 'Led an AI product at a previous employer.',
          mentorId: opts.changeTo ?? opts.firstMentorId,
          record: { delegatedDomain: fw.delegatedDomains[0]!.id },
        },
        fw,
      ),
    )
    if (started.status !== 'proposed') throw new Error('a later start must wait for confirmation')
    proposalId = started.proposalId
  }
  return { candidate: cand, milestoneId, signoffId, proposalId }
}

export const advancementOf = (enrollmentId: number) =>
  getDb().select().from(advancements).where(eq(advancements.enrollmentId, enrollmentId)).all().at(-1) ?? null
export const enrollmentRow = (candidateId: number) =>
  getDb().select().from(enrollments).where(eq(enrollments.candidateId, candidateId)).all().at(-1) ?? null
export const milestoneStatus = (id: number) =>
  getDb().select({ status: milestones.status }).from(milestones).where(eq(milestones.id, id)).get()!.status
export const profileStage = (candidateId: number) =>
  getDb()
    .select({ stage: candidateProfiles.stage })
    .from(candidateProfiles)
    .where(eq(candidateProfiles.personId, candidateId))
    .get()!.stage
export const certificateOf = (candidateId: number) =>
  getDb().select().from(certificates).where(eq(certificates.candidateId, candidateId)).all()
export const proposalOf = (candidateId: number) =>
  getDb().select().from(enrolmentProposals).where(eq(enrolmentProposals.candidateId, candidateId)).all().at(-1) ?? null
export const pauseCount = (enrollmentId: number) =>
  getDb().select().from(pauses).where(eq(pauses.enrollmentId, enrollmentId)).all().length
