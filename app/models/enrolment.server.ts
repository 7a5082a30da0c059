/**
 * Enrolment in the development program. At the first stage HR enrols at once; a start beyond it
 * (prior experience) is a proposal by one HR person that a second HR person confirms before the
 * enrollment exists (issue 12: every career decision rests on two people other than the
 * candidate). Each step is one transaction with its audit entry, and each re-checks its rule from
 * rows read inside that transaction.
 */
import { and, asc, desc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { enrolmentProposals, enrollments } from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import type { Stage } from '~/domain/framework/schema'
import { canCancelEnrolmentProposal, canConfirmEnrolment, canEnrol, needsConfirmation } from '~/domain/program/rights'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { actorOf, checkStageRecord, currentEnrollment, enterStage, type StageRecord } from './program.server'

export type EnrolmentInput = {
  candidateId: number
  stageId: string
  enrolledOn: string
  reason: string | null
  mentorId: number
  record: StageRecord
}
export type EnrolmentResult = { status: 'enrolled'; enrollmentId: number } | { status: 'proposed'; proposalId: number }

/** The waiting later-stage proposal for a candidate, if any. */
export function pendingProposal(db: Db, candidateId: number) {
  return (
    db
      .select()
      .from(enrolmentProposals)
      .where(and(eq(enrolmentProposals.candidateId, candidateId), eq(enrolmentProposals.status, 'pending')))
      .get() ?? null
  )
}

function activeCandidate(tx: Db, candidateId: number) {
  const candidate = tx
    .select({ id: people.id, active: people.active })
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'candidate')))
    .where(eq(people.id, candidateId))
    .get()
  if (!candidate?.active) throw new RuleError('Only an active candidate can be enrolled.', undefined, 404)
}

function activeMentor(tx: Db, mentorId: number, candidateId: number) {
  if (mentorId === candidateId) throw new RuleError('A candidate cannot be their own mentor.', 'mentorId')
  const mentor = tx
    .select({ id: people.id })
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'mentor')))
    .where(and(eq(people.id, mentorId), eq(people.active, true)))
    .get()
  if (!mentor) throw new RuleError('Choose an active person who holds the mentor role.', 'mentorId')
}

const isFinal = (stage: Stage, fw: Framework) => !fw.stages.some((s) => s.order > stage.order)

/** Creates the enrollment at `stage` and assigns the mentor; the caller records the audit entry. */
function startEnrollment(
  tx: Db,
  input: EnrolmentInput,
  stage: Stage,
  record: StageRecord,
  by: { enrolledBy: number; confirmedBy: number | null },
  now: Date,
): number {
  const { id } = tx
    .insert(enrollments)
    .values({
      candidateId: input.candidateId,
      status: 'active',
      enrolledOn: input.enrolledOn,
      enrolledBy: by.enrolledBy,
      confirmedBy: by.confirmedBy,
      startStage: stage.id,
      startReason: input.reason?.trim() || null,
    })
    .returning({ id: enrollments.id })
    .get()
  tx.update(candidateProfiles)
    .set({ mentorId: input.mentorId })
    .where(eq(candidateProfiles.personId, input.candidateId))
    .run()
  enterStage(tx, id, input.candidateId, stage, record, input.enrolledOn, by.confirmedBy ?? by.enrolledBy, now)
  return id
}

/**
 * HR enrols a candidate: at the first stage the enrollment starts now; at a later stage this is a
 * proposal that waits for a second HR person (`confirmEnrolment`). Enrolment never issues a
 * certificate: the final stage is refused, and certification comes only through the gate.
 */
export function enroll(
  tx: Db,
  actorId: number,
  input: EnrolmentInput,
  fw: Framework,
  now = new Date(),
  opts: { importing?: boolean } = {},
): EnrolmentResult {
  activeCandidate(tx, input.candidateId)
  const actor = actorOf(tx, actorId)
  const stage = fw.stages.find((s) => s.id === input.stageId)
  if (!stage) throw new RuleError('Choose one of the program’s stages.', 'stageId')
  const via = opts.importing ? 'import' : 'form'
  const enrolled = currentEnrollment(tx, input.candidateId) !== null
  const proposalPending = pendingProposal(tx, input.candidateId) !== null
  const final = isFinal(stage, fw)
  const right = canEnrol(actor, {
    candidateId: input.candidateId,
    enrolled,
    proposalPending,
    stage: { order: stage.order, name: stage.name, final },
    reason: input.reason,
    via,
  })
  if (!right.ok) {
    // Who may not enrol: 403; already enrolled or waiting: 409; a stage or reason the form must not carry: 400 beside its field.
    const mayEnrol = canEnrol(actor, {
      candidateId: input.candidateId,
      enrolled: false,
      stage: { order: 1, name: stage.name, final: false },
      reason: null,
      via,
    }).ok
    const conflict = enrolled || proposalPending
    throw new RuleError(
      right.reason,
      !mayEnrol || conflict ? undefined : final ? 'stageId' : 'reason',
      !mayEnrol ? 403 : conflict ? 409 : 400,
    )
  }
  activeMentor(tx, input.mentorId, input.candidateId)
  // An import has no column for stage details; HR completes them on the timeline if needed.
  const record = opts.importing ? {} : checkStageRecord(stage, input.record, fw)

  if (needsConfirmation(stage)) {
    const { id } = tx
      .insert(enrolmentProposals)
      .values({
        candidateId: input.candidateId,
        stage: stage.id,
        enrolledOn: input.enrolledOn,
        mentorId: input.mentorId,
        reason: input.reason!.trim(),
        recordJson: JSON.stringify(record),
        status: 'pending',
        proposedBy: actorId,
        proposedAt: now.toISOString(),
      })
      .returning({ id: enrolmentProposals.id })
      .get()
    recordAudit(
      tx,
      {
        actorId,
        action: 'program.enroll-proposed',
        entityType: 'candidate',
        entityId: input.candidateId,
        after: {
          proposalId: id,
          stage: stage.id,
          enrolledOn: input.enrolledOn,
          mentorId: input.mentorId,
          reason: input.reason,
          ...record,
        },
      },
      now,
    )
    return { status: 'proposed', proposalId: id }
  }

  const id = startEnrollment(tx, input, stage, record, { enrolledBy: actorId, confirmedBy: null }, now)
  recordAudit(
    tx,
    {
      actorId,
      action: 'program.enroll',
      entityType: 'candidate',
      entityId: input.candidateId,
      after: {
        enrollmentId: id,
        stage: stage.id,
        enrolledOn: input.enrolledOn,
        mentorId: input.mentorId,
        reason: input.reason,
        ...record,
      },
    },
    now,
  )
  return { status: 'enrolled', enrollmentId: id }
}

/** The proposal, checked to be about this candidate (a crafted id for another candidate is 404). */
function proposalFor(tx: Db, candidateId: number, proposalId: number) {
  const proposal = tx.select().from(enrolmentProposals).where(eq(enrolmentProposals.id, proposalId)).get()
  if (!proposal || proposal.candidateId !== candidateId)
    throw new RuleError('There is no such enrolment proposal for this candidate.', undefined, 404)
  return proposal
}

/**
 * A second HR person confirms a later-stage enrolment: the enrollment starts as proposed, with the
 * proposer as `enrolled_by` and the confirmer as `confirmed_by`. The candidate, mentor and stage
 * are checked again as they are now.
 */
export function confirmEnrolment(
  tx: Db,
  actorId: number,
  candidateId: number,
  proposalId: number,
  fw: Framework,
  now = new Date(),
): number {
  const actor = actorOf(tx, actorId)
  const proposal = proposalFor(tx, candidateId, proposalId)
  const enrolled = currentEnrollment(tx, candidateId) !== null
  const right = canConfirmEnrolment(actor, {
    candidateId,
    proposedBy: proposal.proposedBy,
    mentorId: proposal.mentorId,
    pending: proposal.status === 'pending',
    enrolled,
  })
  if (!right.ok) {
    // Not HR, or their own case, or the proposer / named mentor: 403; a proposal already settled: 409.
    const mayManage = canCancelEnrolmentProposal(actor, { candidateId, pending: true }).ok
    const settled = proposal.status !== 'pending' || enrolled
    throw new RuleError(right.reason, undefined, mayManage && settled ? 409 : 403)
  }
  activeCandidate(tx, candidateId)
  activeMentor(tx, proposal.mentorId, candidateId)
  const stage = fw.stages.find((s) => s.id === proposal.stage)
  if (!stage || isFinal(stage, fw) || !needsConfirmation(stage))
    throw new RuleError(
      'The proposed stage is no longer one a candidate can start at; cancel the proposal.',
      undefined,
      409,
    )
  // Checked when proposed (an import has no stage details; HR completes them on the timeline).
  const record = JSON.parse(proposal.recordJson) as StageRecord
  const input: EnrolmentInput = {
    candidateId,
    stageId: stage.id,
    enrolledOn: proposal.enrolledOn,
    reason: proposal.reason,
    mentorId: proposal.mentorId,
    record,
  }
  const enrollmentId = startEnrollment(
    tx,
    input,
    stage,
    record,
    { enrolledBy: proposal.proposedBy, confirmedBy: actorId },
    now,
  )
  tx.update(enrolmentProposals)
    .set({ status: 'confirmed', decidedBy: actorId, decidedAt: now.toISOString(), enrollmentId })
    .where(and(eq(enrolmentProposals.id, proposal.id), eq(enrolmentProposals.status, 'pending')))
    .run()
  recordAudit(
    tx,
    {
      actorId,
      action: 'program.enroll',
      entityType: 'candidate',
      entityId: candidateId,
      after: {
        enrollmentId,
        stage: stage.id,
        enrolledOn: proposal.enrolledOn,
        mentorId: proposal.mentorId,
        reason: proposal.reason,
        proposalId: proposal.id,
        proposedBy: proposal.proposedBy,
        confirmedBy: actorId,
        ...record,
      },
    },
    now,
  )
  return enrollmentId
}

/** The proposer, or the HR person asked to confirm, cancels a waiting proposal with a reason. */
export function cancelEnrolmentProposal(
  tx: Db,
  actorId: number,
  candidateId: number,
  proposalId: number,
  reason: string,
  now = new Date(),
) {
  const actor = actorOf(tx, actorId)
  const proposal = proposalFor(tx, candidateId, proposalId)
  const right = canCancelEnrolmentProposal(actor, { candidateId, pending: proposal.status === 'pending' })
  if (!right.ok) {
    const mayManage = canCancelEnrolmentProposal(actor, { candidateId, pending: true }).ok
    throw new RuleError(right.reason, undefined, mayManage ? 409 : 403)
  }
  tx.update(enrolmentProposals)
    .set({ status: 'cancelled', decidedBy: actorId, decidedAt: now.toISOString(), decisionNote: reason })
    .where(eq(enrolmentProposals.id, proposal.id))
    .run()
  recordAudit(
    tx,
    {
      actorId,
      action: 'program.enroll-cancelled',
      entityType: 'candidate',
      entityId: candidateId,
      after: { proposalId: proposal.id, reason },
    },
    now,
  )
}

/** Waiting proposals with the names the program page and the approvals queue show, oldest first. */
export function listPendingProposals(db: Db, candidateId?: number) {
  const candidate = alias(people, 'candidate')
  const proposer = alias(people, 'proposer')
  const mentor = alias(people, 'mentor')
  return db
    .select({
      proposal: enrolmentProposals,
      candidateName: candidate.name,
      proposedByName: proposer.name,
      mentorName: mentor.name,
    })
    .from(enrolmentProposals)
    .innerJoin(candidate, eq(candidate.id, enrolmentProposals.candidateId))
    .innerJoin(proposer, eq(proposer.id, enrolmentProposals.proposedBy))
    .innerJoin(mentor, eq(mentor.id, enrolmentProposals.mentorId))
    .where(
      and(
        eq(enrolmentProposals.status, 'pending'),
        candidateId === undefined ? undefined : eq(enrolmentProposals.candidateId, candidateId),
      ),
    )
    .orderBy(asc(enrolmentProposals.id))
    .all()
}

/** Every proposal about a candidate, newest first (their export and history). */
export function proposalsOf(db: Db, candidateId: number) {
  return db
    .select()
    .from(enrolmentProposals)
    .where(eq(enrolmentProposals.candidateId, candidateId))
    .orderBy(desc(enrolmentProposals.id))
    .all()
}
