/**
 * Every query about the development program: enrollment, the stage history, pauses, milestones
 * with evidence and the append-only sign-off log, advancement and certification. Each change is
 * recorded in the audit log inside its own transaction.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { cycleResults, assessmentCycles } from '#db/schema/assessments'
import { candidateProfiles, people } from '#db/schema/people'
import {
  advancements,
  certificates,
  enrollments,
  evidenceFiles,
  milestones,
  milestoneSubmissions,
  pauses,
  planItemComments,
  planItems,
  signoffRedactions,
  signoffs,
  stagePeriods,
  type MilestoneStatus,
} from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import type { Stage } from '~/domain/framework/schema'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { evaluateGate, gateFingerprint, unmetConditions, type GateInput, type GateResult } from '~/domain/program/gate'
import { hasPermission, type Viewer } from '~/domain/permissions'
import {
  canApprove,
  canDecline,
  canOverride,
  canPause,
  canRecommend,
  canResume,
  canSignOff,
  canWithdraw,
  type Right,
} from '~/domain/program/rights'
import { getActiveUser } from './people.server'
import type { Db } from '~/utils/db.server'
import { storedFileName } from '~/utils/uploads.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { groupBy } from '~/domain/collections'

export type StageRecord = {
  delegatedDomain?: string | null
  podName?: string | null
  riskTier?: string | null
  certifiedTiers?: string[] | null
}

const nowIso = (now: Date) => now.toISOString()

/**
 * The acting person as the database holds them now (roles read inside the transaction), so a
 * decision never rests on flags computed elsewhere. A deactivated or unknown account acts on nothing.
 */
export function actorOf(tx: Db, id: number): Viewer & { name: string } {
  const user = getActiveUser(tx, id)
  if (!user) throw new RuleError('Your account is not active.', undefined, 403)
  return { id: user.id, name: user.name, roles: user.roles }
}

/** Refuses with the predicate's reason (403: a right is missing; 409 for a state that does not allow it). */
function guard(right: Right, status: 400 | 403 | 409 = 403, field?: string) {
  if (!right.ok) throw new RuleError(right.reason, field, status)
}

type CaseStatus = 'active' | 'paused' | 'withdrawn' | 'certified' | null
/** The enrollment status of the candidate's latest enrollment (null: never enrolled). */
function statusOf(tx: Db, candidateId: number): CaseStatus {
  return (latestEnrollment(tx, candidateId)?.status as CaseStatus | undefined) ?? null
}
function mentorOf(tx: Db, candidateId: number): number | null {
  return (
    tx
      .select({ mentorId: candidateProfiles.mentorId })
      .from(candidateProfiles)
      .where(eq(candidateProfiles.personId, candidateId))
      .get()?.mentorId ?? null
  )
}
const dayOf = (now: Date) => now.toISOString().slice(0, 10)

export function currentEnrollment(db: Db, candidateId: number) {
  return (
    db
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.candidateId, candidateId), inArray(enrollments.status, ['active', 'paused'])))
      .get() ?? null
  )
}

/** The latest enrollment of any status (a certified or withdrawn one is history). */
export function latestEnrollment(db: Db, candidateId: number) {
  return (
    db
      .select()
      .from(enrollments)
      .where(eq(enrollments.candidateId, candidateId))
      .orderBy(desc(enrollments.id))
      .limit(1)
      .get() ?? null
  )
}

function openPeriod(db: Db, enrollmentId: number) {
  return (
    db
      .select()
      .from(stagePeriods)
      .where(and(eq(stagePeriods.enrollmentId, enrollmentId), isNull(stagePeriods.exitedOn)))
      .get() ?? null
  )
}

/** Checks and normalises what a stage records (delegated domain, pod and tier, certified tiers). */
export function checkStageRecord(stage: Stage, record: StageRecord, fw: Framework): StageRecord {
  const out: StageRecord = {}
  if (stage.records.includes('delegatedDomain')) {
    if (!record.delegatedDomain || !fw.delegatedDomains.some((d) => d.id === record.delegatedDomain))
      throw new RuleError(`Choose the domain of delegated authority for ${stage.name}.`, 'delegatedDomain')
    out.delegatedDomain = record.delegatedDomain
  }
  if (stage.records.includes('podAndRiskTier')) {
    if (!record.podName?.trim()) throw new RuleError('Name the pod or product the candidate will lead.', 'podName')
    if (!record.riskTier || !fw.riskTiers.some((t) => t.id === record.riskTier))
      throw new RuleError('Choose the pod’s risk tier.', 'riskTier')
    out.podName = record.podName.trim()
    out.riskTier = record.riskTier
  }
  if (stage.records.includes('certifiedRiskTiers')) {
    const tiers = [...new Set(record.certifiedTiers ?? [])]
    if (tiers.length === 0 || tiers.some((t) => !fw.riskTiers.some((r) => r.id === t)))
      throw new RuleError('Choose the risk tiers the certification covers.', 'certifiedTiers')
    out.certifiedTiers = tiers
  }
  return out
}

function createStageMilestones(
  tx: Db,
  enrollmentId: number,
  candidateId: number,
  stage: Stage,
  actorId: number | null,
  now: Date,
) {
  for (const m of stage.milestones) {
    tx.insert(milestones)
      .values({
        enrollmentId,
        candidateId,
        stage: stage.id,
        templateId: m.id,
        title: m.title,
        description: m.description,
        evidence: m.evidence,
        signOff: m.signOff,
        required: m.required,
        status: 'open',
        createdAt: nowIso(now),
        createdBy: actorId,
        updatedAt: nowIso(now),
      })
      .run()
  }
}

export function enterStage(
  tx: Db,
  enrollmentId: number,
  candidateId: number,
  stage: Stage,
  record: StageRecord,
  enteredOn: string,
  actorId: number | null,
  now: Date,
) {
  tx.insert(stagePeriods)
    .values({
      enrollmentId,
      stage: stage.id,
      enteredOn,
      delegatedDomain: record.delegatedDomain ?? null,
      podName: record.podName ?? null,
      riskTier: record.riskTier ?? null,
      certifiedTiersJson: record.certifiedTiers ? JSON.stringify(record.certifiedTiers) : null,
    })
    .run()
  tx.update(candidateProfiles).set({ stage: stage.id }).where(eq(candidateProfiles.personId, candidateId)).run()
  createStageMilestones(tx, enrollmentId, candidateId, stage, actorId, now)
}

export function issueCertificate(
  tx: Db,
  approverId: number,
  candidateId: number,
  enrollmentId: number,
  tiers: string[],
  fw: Framework,
  issuedOn: string,
) {
  tx.insert(certificates)
    .values({
      candidateId,
      enrollmentId,
      issuedOn,
      riskTiersJson: JSON.stringify(tiers),
      approverId,
      frameworkVersion: frameworkVersionOf(fw),
    })
    .run()
  tx.update(enrollments).set({ status: 'certified', endedOn: issuedOn }).where(eq(enrollments.id, enrollmentId)).run()
}

export function pauseEnrollment(tx: Db, actorId: number, candidateId: number, reason: string, now = new Date()) {
  const actor = actorOf(tx, actorId)
  // A missing right: 403; a state that does not allow it (already paused, not enrolled): 409.
  guard(
    canPause(actor, { candidateId, status: statusOf(tx, candidateId) }),
    canPause(actor, { candidateId, status: 'active' }).ok ? 409 : 403,
  )
  const enrollment = currentEnrollment(tx, candidateId)
  if (!enrollment) throw new RuleError('This candidate is not enrolled.', undefined, 404)
  if (enrollment.status === 'paused') throw new RuleError('This candidate is already paused.', undefined, 409)
  tx.insert(pauses)
    .values({ enrollmentId: enrollment.id, startedOn: dayOf(now), reason, createdBy: actorId })
    .run()
  tx.update(enrollments).set({ status: 'paused' }).where(eq(enrollments.id, enrollment.id)).run()
  recordAudit(
    tx,
    { actorId, action: 'program.pause', entityType: 'candidate', entityId: candidateId, after: { reason } },
    now,
  )
}

export function resumeEnrollment(tx: Db, actorId: number, candidateId: number, now = new Date()) {
  const actor = actorOf(tx, actorId)
  const enrollment = currentEnrollment(tx, candidateId)
  if (enrollment?.status === 'paused') guard(canResume(actor, { candidateId, status: 'paused' }), 403)
  if (!enrollment || enrollment.status !== 'paused')
    throw new RuleError('This candidate is not paused.', undefined, 409)
  tx.update(pauses)
    .set({ endedOn: dayOf(now) })
    .where(and(eq(pauses.enrollmentId, enrollment.id), isNull(pauses.endedOn)))
    .run()
  tx.update(enrollments).set({ status: 'active' }).where(eq(enrollments.id, enrollment.id)).run()
  recordAudit(tx, { actorId, action: 'program.resume', entityType: 'candidate', entityId: candidateId }, now)
}

export function withdrawEnrollment(tx: Db, actorId: number, candidateId: number, reason: string, now = new Date()) {
  const enrollment = currentEnrollment(tx, candidateId)
  if (!enrollment) throw new RuleError('This candidate is not enrolled.', undefined, 404)
  const actor = actorOf(tx, actorId)
  // An erasure on request (privacy.server) ends the enrollment as part of removing the person, by
  // someone who may erase people (never themselves); any other withdrawal is a program decision.
  const erasing = hasPermission(actor, 'erase:person:any') && actor.id !== candidateId
  if (!erasing)
    guard(
      canWithdraw(actor, { candidateId, status: enrollment.status as CaseStatus }),
      canWithdraw(actor, { candidateId, status: 'active' }).ok ? 409 : 403,
    )
  tx.update(pauses)
    .set({ endedOn: dayOf(now) })
    .where(and(eq(pauses.enrollmentId, enrollment.id), isNull(pauses.endedOn)))
    .run()
  tx.update(stagePeriods)
    .set({ exitedOn: dayOf(now) })
    .where(and(eq(stagePeriods.enrollmentId, enrollment.id), isNull(stagePeriods.exitedOn)))
    .run()
  tx.update(enrollments)
    .set({ status: 'withdrawn', endedOn: dayOf(now), endReason: reason })
    .where(eq(enrollments.id, enrollment.id))
    .run()
  // A pending recommendation ends with the enrollment, so nobody is left with a decision that cannot be made.
  tx.update(advancements)
    .set({
      status: 'declined',
      decidedBy: actorId,
      decidedAt: nowIso(now),
      decisionNote: `Withdrawn from the program: ${reason}`,
    })
    .where(and(eq(advancements.enrollmentId, enrollment.id), eq(advancements.status, 'recommended')))
    .run()
  recordAudit(
    tx,
    { actorId, action: 'program.withdraw', entityType: 'candidate', entityId: candidateId, after: { reason } },
    now,
  )
}

/** Everything of a candidate's program for the timeline page. */
export function getProgram(db: Db, candidateId: number) {
  const enrollment = latestEnrollment(db, candidateId)
  if (!enrollment) return null
  const periods = db
    .select()
    .from(stagePeriods)
    .where(eq(stagePeriods.enrollmentId, enrollment.id))
    .orderBy(asc(stagePeriods.id))
    .all()
  const pauseRows = db.select().from(pauses).where(eq(pauses.enrollmentId, enrollment.id)).orderBy(asc(pauses.id)).all()
  const milestoneRows = db
    .select()
    .from(milestones)
    .where(eq(milestones.enrollmentId, enrollment.id))
    .orderBy(asc(milestones.id))
    .all()
  const decider = alias(people, 'decider')
  const recommender = alias(people, 'recommender')
  const history = db
    .select({ advancement: advancements, decidedByName: decider.name, recommendedByName: recommender.name })
    .from(advancements)
    .leftJoin(decider, eq(decider.id, advancements.decidedBy))
    .leftJoin(recommender, eq(recommender.id, advancements.recommendedBy))
    .where(eq(advancements.enrollmentId, enrollment.id))
    .orderBy(asc(advancements.id))
    .all()
  const certificate = db.select().from(certificates).where(eq(certificates.enrollmentId, enrollment.id)).get() ?? null
  return { enrollment, periods, pauses: pauseRows, milestones: milestoneRows, advancements: history, certificate }
}

export function getMilestone(db: Db, id: number) {
  const row = db
    .select({ milestone: milestones, candidateName: people.name, mentorId: candidateProfiles.mentorId })
    .from(milestones)
    .innerJoin(people, eq(people.id, milestones.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, milestones.candidateId))
    .where(eq(milestones.id, id))
    .get()
  return row ?? null
}

export function milestoneHistory(db: Db, milestoneId: number) {
  const submissions = db
    .select()
    .from(milestoneSubmissions)
    .where(eq(milestoneSubmissions.milestoneId, milestoneId))
    .orderBy(asc(milestoneSubmissions.id))
    .all()
  const files = submissions.length
    ? db
        .select()
        .from(evidenceFiles)
        .where(
          inArray(
            evidenceFiles.submissionId,
            submissions.map((s) => s.id),
          ),
        )
        .all()
    : []
  const signer = alias(people, 'signer')
  const log = db
    .select({ entry: signoffs, byName: signer.name })
    .from(signoffs)
    .innerJoin(signer, eq(signer.id, signoffs.byId))
    .where(eq(signoffs.milestoneId, milestoneId))
    .orderBy(asc(signoffs.id))
    .all()
  return { submissions, files, log }
}

export function getEvidenceFile(db: Db, fileId: number) {
  return (
    db
      .select({ file: evidenceFiles, milestoneId: milestoneSubmissions.milestoneId })
      .from(evidenceFiles)
      .innerJoin(milestoneSubmissions, eq(milestoneSubmissions.id, evidenceFiles.submissionId))
      .where(eq(evidenceFiles.id, fileId))
      .get() ?? null
  )
}

export type EvidenceInput = {
  summary: string
  links: string[]
  files: Array<{ fileName: string; contentType: string; sizeBytes: number; sha256: string }>
  planItemId: number | null
}

/** The candidate submits (or resubmits after a return) evidence for a milestone of their current stage. */
export function submitEvidence(
  tx: Db,
  candidateId: number,
  milestoneId: number,
  input: EvidenceInput,
  now = new Date(),
) {
  const found = getMilestone(tx, milestoneId)
  if (!found || found.milestone.candidateId !== candidateId)
    throw new RuleError('No such milestone of yours.', undefined, 404)
  const m = found.milestone
  const enrollment = currentEnrollment(tx, candidateId)
  if (!enrollment || enrollment.id !== m.enrollmentId)
    throw new RuleError('Your enrollment is not active, so evidence cannot be submitted.', undefined, 409)
  if (enrollment.status === 'paused')
    throw new RuleError('Your program is paused; submit evidence after it resumes.', undefined, 409)
  const period = openPeriod(tx, enrollment.id)
  if (period?.stage !== m.stage)
    throw new RuleError('This milestone belongs to another stage than your current one.', undefined, 409)
  if (m.status === 'submitted' || m.status === 'awaiting-hr')
    throw new RuleError('This milestone is already waiting for sign-off.', undefined, 409)
  if (m.status === 'signed-off') throw new RuleError('This milestone is already signed off.', undefined, 409)
  if (input.planItemId !== null) {
    const item = tx
      .select({ id: planItems.id })
      .from(planItems)
      .where(and(eq(planItems.id, input.planItemId), eq(planItems.candidateId, candidateId)))
      .get()
    if (!item) throw new RuleError('Choose one of your own plan items.', 'planItemId')
  }
  const { id } = tx
    .insert(milestoneSubmissions)
    .values({
      milestoneId,
      summary: input.summary,
      linksJson: JSON.stringify(input.links),
      planItemId: input.planItemId,
      submittedAt: nowIso(now),
      submittedBy: candidateId,
    })
    .returning({ id: milestoneSubmissions.id })
    .get()
  // Stored under the extension of the type its bytes showed (report.html that is a PDF: report.pdf).
  for (const f of input.files)
    tx.insert(evidenceFiles)
      .values({ submissionId: id, ...f, fileName: storedFileName(f.fileName, f.contentType), createdAt: nowIso(now) })
      .run()
  if (input.planItemId !== null)
    tx.update(planItems)
      .set({ milestoneId, updatedAt: nowIso(now) })
      .where(eq(planItems.id, input.planItemId))
      .run()
  tx.update(milestones)
    .set({ status: 'submitted', updatedAt: nowIso(now) })
    .where(eq(milestones.id, milestoneId))
    .run()
  recordAudit(
    tx,
    {
      actorId: candidateId,
      action: m.status === 'returned' ? 'milestone.resubmit' : 'milestone.submit',
      entityType: 'milestone',
      entityId: milestoneId,
      after: { submissionId: id, files: input.files.map((f) => f.sha256), links: input.links.length },
    },
    now,
  )
  return id
}

/** Who signs. `isHr` is ignored: the signer's roles are read from the database inside the transaction. */
export type Signer = { id: number; isHr?: boolean }

/** The step a milestone waits for: the mentor's, HR's, or none (nothing submitted, or already signed off). */
export function signOffStep(m: {
  status: MilestoneStatus
  signOff: 'mentor' | 'hr' | 'mentor-then-hr'
}): 'mentor' | 'hr' | null {
  if (m.status === 'submitted') return m.signOff === 'hr' ? 'hr' : 'mentor'
  if (m.status === 'awaiting-hr') return 'hr'
  return null
}

/** Which role the signer acts in for this milestone right now, or why they cannot. */
function signingRole(
  tx: Db,
  m: typeof milestones.$inferSelect,
  mentorId: number | null,
  signer: Signer,
): 'mentor' | 'hr' {
  if (m.status === 'signed-off') throw new RuleError('This milestone is already signed off.', undefined, 409)
  const step = signOffStep(m)
  if (!step) throw new RuleError('There is no submitted evidence to sign off.', undefined, 409)
  // HR sign-off: never by the candidate's own mentor nor the candidate, so two other people always look at it.
  const status = (tx
    .select({ status: enrollments.status })
    .from(enrollments)
    .where(eq(enrollments.id, m.enrollmentId))
    .get()?.status ?? null) as CaseStatus
  const actor = actorOf(tx, signer.id)
  const right = canSignOff(actor, { candidateId: m.candidateId, mentorId, step, status })
  if (!right.ok) guard(right, canSignOff(actor, { candidateId: m.candidateId, mentorId, step }).ok ? 409 : 403)
  return step
}

/** The mentor or HR signs off a submitted milestone, or returns it with feedback. */
export function decideMilestone(
  tx: Db,
  signer: Signer,
  milestoneId: number,
  decision: 'sign' | 'return',
  note: string | null,
  now = new Date(),
) {
  const found = getMilestone(tx, milestoneId)
  if (!found) throw new RuleError('No such milestone.', undefined, 404)
  const m = found.milestone
  const role = signingRole(tx, m, found.mentorId, signer)
  if (decision === 'return' && !(note && note.trim().length >= 5))
    throw new RuleError('Say what to improve (at least 5 characters).', 'note')
  const submission = tx
    .select({ id: milestoneSubmissions.id })
    .from(milestoneSubmissions)
    .where(eq(milestoneSubmissions.milestoneId, milestoneId))
    .orderBy(desc(milestoneSubmissions.id))
    .limit(1)
    .get()
  tx.insert(signoffs)
    .values({
      milestoneId,
      submissionId: submission?.id ?? null,
      kind: decision === 'sign' ? 'signed' : 'returned',
      role,
      byId: signer.id,
      at: nowIso(now),
      note: note?.trim() || null,
    })
    .run()
  const status: MilestoneStatus =
    decision === 'return'
      ? 'returned'
      : role === 'mentor' && m.signOff === 'mentor-then-hr'
        ? 'awaiting-hr'
        : 'signed-off'
  tx.update(milestones)
    .set({ status, updatedAt: nowIso(now) })
    .where(eq(milestones.id, milestoneId))
    .run()
  recordAudit(
    tx,
    {
      actorId: signer.id,
      action: decision === 'sign' ? 'milestone.signoff' : 'milestone.return',
      entityType: 'milestone',
      entityId: milestoneId,
      before: { status: m.status },
      after: { status, role, note },
    },
    now,
  )
}

/** A sign-off is never edited: a correction is a new, linked revocation entry with its reason. */
export function revokeSignOff(
  tx: Db,
  actor: Signer,
  milestoneId: number,
  signoffId: number,
  reason: string,
  now = new Date(),
) {
  const found = getMilestone(tx, milestoneId)
  if (!found) throw new RuleError('No such milestone.', undefined, 404)
  const entry = tx
    .select()
    .from(signoffs)
    .where(and(eq(signoffs.id, signoffId), eq(signoffs.milestoneId, milestoneId)))
    .get()
  if (!entry || entry.kind !== 'signed') throw new RuleError('No such sign-off on this milestone.', undefined, 404)
  const already = tx.select({ id: signoffs.id }).from(signoffs).where(eq(signoffs.revokesId, signoffId)).get()
  if (already) throw new RuleError('This sign-off is already revoked.', undefined, 409)
  const viewer = actorOf(tx, actor.id)
  if (viewer.id === found.milestone.candidateId)
    throw new RuleError('Nobody decides about their own program, whatever roles they hold.', undefined, 403)
  if (viewer.id !== entry.byId && !hasPermission(viewer, 'update:milestone:any'))
    throw new RuleError('Only the person who signed, or HR, can revoke a sign-off.', undefined, 403)
  if (reason.trim().length < 10)
    throw new RuleError('Give the reason for the correction (at least 10 characters).', 'reason')
  const m = found.milestone
  tx.insert(signoffs)
    .values({
      milestoneId,
      submissionId: entry.submissionId,
      kind: 'revoked',
      role: entry.role,
      byId: actor.id,
      at: nowIso(now),
      note: reason.trim(),
      revokesId: signoffId,
    })
    .run()
  // Back to the step that the revoked sign-off completed.
  const status: MilestoneStatus = entry.role === 'hr' && m.signOff === 'mentor-then-hr' ? 'awaiting-hr' : 'submitted'
  tx.update(milestones)
    .set({ status, updatedAt: nowIso(now) })
    .where(eq(milestones.id, milestoneId))
    .run()
  recordAudit(
    tx,
    {
      actorId: actor.id,
      action: 'milestone.revoke',
      entityType: 'milestone',
      entityId: milestoneId,
      before: { status: m.status, signoffId },
      after: { status, reason },
    },
    now,
  )
}

/** HR adds a one-off milestone for one candidate's current stage. */
export function addOneOffMilestone(
  tx: Db,
  actorId: number,
  candidateId: number,
  input: {
    title: string
    description: string
    evidence: string
    signOff: 'mentor' | 'hr' | 'mentor-then-hr'
    required: boolean
  },
  now = new Date(),
) {
  const enrollment = currentEnrollment(tx, candidateId)
  if (!enrollment) throw new RuleError('This candidate is not enrolled.', undefined, 404)
  const period = openPeriod(tx, enrollment.id)
  if (!period) throw new RuleError('This candidate has no current stage.', undefined, 409)
  const { id } = tx
    .insert(milestones)
    .values({
      enrollmentId: enrollment.id,
      candidateId,
      stage: period.stage,
      templateId: null,
      ...input,
      status: 'open',
      createdAt: nowIso(now),
      createdBy: actorId,
      updatedAt: nowIso(now),
    })
    .returning({ id: milestones.id })
    .get()
  recordAudit(
    tx,
    {
      actorId,
      action: 'milestone.add',
      entityType: 'milestone',
      entityId: id,
      after: { candidateId, stage: period.stage, title: input.title, required: input.required },
    },
    now,
  )
  return id
}

/** Pending sign-offs of a mentor's mentees, oldest first. */
export function mentorQueue(db: Db, mentorId: number) {
  return db
    .select({
      id: milestones.id,
      title: milestones.title,
      stage: milestones.stage,
      since: milestones.updatedAt,
      candidateId: milestones.candidateId,
      candidateName: people.name,
    })
    .from(milestones)
    .innerJoin(candidateProfiles, eq(candidateProfiles.personId, milestones.candidateId))
    .innerJoin(people, eq(people.id, milestones.candidateId))
    .innerJoin(
      enrollments,
      and(eq(enrollments.id, milestones.enrollmentId), inArray(enrollments.status, ['active', 'paused'])),
    )
    .where(
      and(
        eq(candidateProfiles.mentorId, mentorId),
        eq(milestones.status, 'submitted'),
        inArray(milestones.signOff, ['mentor', 'mentor-then-hr']),
      ),
    )
    .orderBy(asc(milestones.updatedAt), asc(milestones.id))
    .all()
}

/** Milestones waiting for an HR sign-off, oldest first. */
export function hrSignoffQueue(db: Db) {
  return db
    .select({
      id: milestones.id,
      title: milestones.title,
      stage: milestones.stage,
      since: milestones.updatedAt,
      candidateId: milestones.candidateId,
      candidateName: people.name,
      mentorId: candidateProfiles.mentorId,
    })
    .from(milestones)
    .innerJoin(people, eq(people.id, milestones.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, milestones.candidateId))
    .innerJoin(
      enrollments,
      and(eq(enrollments.id, milestones.enrollmentId), inArray(enrollments.status, ['active', 'paused'])),
    )
    .where(
      sql`(${milestones.status} = 'awaiting-hr') or (${milestones.status} = 'submitted' and ${milestones.signOff} = 'hr')`,
    )
    .orderBy(asc(milestones.updatedAt), asc(milestones.id))
    .all()
}

/** Recommended advancements waiting for HR, oldest first. */
export function advancementQueue(db: Db) {
  return db
    .select({
      id: advancements.id,
      fromStage: advancements.fromStage,
      toStage: advancements.toStage,
      recommendedAt: advancements.recommendedAt,
      recommendedBy: advancements.recommendedBy,
      candidateId: enrollments.candidateId,
      candidateName: people.name,
      mentorId: candidateProfiles.mentorId,
      status: enrollments.status,
    })
    .from(advancements)
    .innerJoin(
      enrollments,
      and(eq(enrollments.id, advancements.enrollmentId), inArray(enrollments.status, ['active', 'paused'])),
    )
    .innerJoin(people, eq(people.id, enrollments.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, enrollments.candidateId))
    .where(eq(advancements.status, 'recommended'))
    .orderBy(asc(advancements.recommendedAt))
    .all()
}

export function pendingAdvancement(db: Db, enrollmentId: number) {
  return (
    db
      .select()
      .from(advancements)
      .where(and(eq(advancements.enrollmentId, enrollmentId), eq(advancements.status, 'recommended')))
      .get() ?? null
  )
}

/** Others' means of the candidate's latest closed 360, per capability. */
export function latest360Others(db: Db, candidateId: number) {
  const cycle = db
    .select({ id: assessmentCycles.id, closedAt: assessmentCycles.closedAt })
    .from(assessmentCycles)
    .where(and(eq(assessmentCycles.candidateId, candidateId), eq(assessmentCycles.state, 'closed')))
    .orderBy(desc(assessmentCycles.closedAt), desc(assessmentCycles.id))
    .limit(1)
    .get()
  if (!cycle) return null
  const rows = db
    .select({ capabilityId: cycleResults.capabilityId, othersMean: cycleResults.othersMean })
    .from(cycleResults)
    .where(eq(cycleResults.cycleId, cycle.id))
    .all()
  return {
    cycleId: cycle.id,
    closedOn: (cycle.closedAt ?? '').slice(0, 10),
    others: Object.fromEntries(rows.map((r) => [r.capabilityId, r.othersMean])),
  }
}

/** What the gate reads about one candidate, however it was fetched (one by one or in a batch). */
type GateParts = {
  enrollment: typeof enrollments.$inferSelect
  period: typeof stagePeriods.$inferSelect
  pauses: Array<{ startedOn: string; endedOn: string | null }>
  /** The enrollment's milestones of every stage; the current stage's are picked here. */
  milestones: Array<{ stage: string; title: string; required: boolean; status: string }>
  mentor: { id: number; name: string | null } | null
  pending: typeof advancements.$inferSelect | null
  recommenderName: string | null
  latest360: { closedOn: string; others: Record<string, number | null> } | null
}

function evaluateGateParts(parts: GateParts, fw: Framework, approver: GateInput['approver'], today: string) {
  const { enrollment, period, pending } = parts
  const stage = fw.stages.find((s) => s.id === period.stage)
  if (!stage) return null
  const next = fw.stages.find((s) => s.order === stage.order + 1) ?? null
  const stageMilestones = parts.milestones
    .filter((m) => m.stage === stage.id)
    .map((m) => ({ title: m.title, required: m.required, signedOff: m.status === 'signed-off' }))
  const input: GateInput = {
    stage: { id: stage.id, name: stage.name, window: stage.window, exitTarget: stage.exitTarget },
    nextStageName: next?.name ?? null,
    enteredOn: period.enteredOn,
    pauses: parts.pauses.map((p) => ({ startedOn: p.startedOn, endedOn: p.endedOn })),
    today,
    milestones: stageMilestones,
    latest360: parts.latest360,
    capabilityNames: Object.fromEntries(fw.capabilities.map((c) => [c.id, c.name])),
    recommendation: pending?.recommendedAt
      ? { byName: parts.recommenderName ?? 'the mentor', on: pending.recommendedAt.slice(0, 10) }
      : null,
    mentor: parts.mentor ? { id: parts.mentor.id, name: parts.mentor.name ?? 'the mentor' } : null,
    approver,
  }
  return { enrollment, period, stage, next, pending, stageMilestones, result: evaluateGate(input) }
}

/** Builds the gate's input from the database and evaluates it. */
export function gateFor(db: Db, candidateId: number, fw: Framework, approver: GateInput['approver'], today: string) {
  const enrollment = currentEnrollment(db, candidateId)
  if (!enrollment) return null
  const period = openPeriod(db, enrollment.id)
  if (!period) return null
  const profile = db
    .select({ mentorId: candidateProfiles.mentorId, mentorName: people.name })
    .from(candidateProfiles)
    .leftJoin(people, eq(people.id, candidateProfiles.mentorId))
    .where(eq(candidateProfiles.personId, candidateId))
    .get()
  const pending = pendingAdvancement(db, enrollment.id)
  const recommender = pending?.recommendedBy
    ? db.select({ name: people.name }).from(people).where(eq(people.id, pending.recommendedBy)).get()
    : undefined
  const latest = latest360Others(db, candidateId)
  return evaluateGateParts(
    {
      enrollment,
      period,
      pauses: db.select().from(pauses).where(eq(pauses.enrollmentId, enrollment.id)).all(),
      milestones: db
        .select()
        .from(milestones)
        .where(and(eq(milestones.enrollmentId, enrollment.id), eq(milestones.stage, period.stage)))
        .all(),
      mentor: profile?.mentorId ? { id: profile.mentorId, name: profile.mentorName } : null,
      pending,
      recommenderName: recommender?.name ?? null,
      latest360: latest ? { closedOn: latest.closedOn, others: latest.others } : null,
    },
    fw,
    approver,
    today,
  )
}

/** `column IN (ids)` through json_each, so a list of any length is one bound parameter. */
export const inIdList = (column: SQLiteColumn, ids: number[]) =>
  sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`

/**
 * The gate of many candidates at once (the pipeline): the same evaluation as gateFor, with a fixed
 * number of queries instead of several per candidate. Candidates without an active or paused
 * enrollment are absent from the result.
 */
export function gatesFor(db: Db, candidateIds: number[], fw: Framework, today: string) {
  const out = new Map<number, NonNullable<ReturnType<typeof evaluateGateParts>>>()
  if (candidateIds.length === 0) return out
  const current = db
    .select()
    .from(enrollments)
    .where(and(inIdList(enrollments.candidateId, candidateIds), inArray(enrollments.status, ['active', 'paused'])))
    .all()
  const enrollmentIds = current.map((e) => e.id)
  const periods = new Map(
    db
      .select()
      .from(stagePeriods)
      .where(and(inIdList(stagePeriods.enrollmentId, enrollmentIds), isNull(stagePeriods.exitedOn)))
      .all()
      .map((p) => [p.enrollmentId, p]),
  )
  const pausesBy = groupBy(
    db.select().from(pauses).where(inIdList(pauses.enrollmentId, enrollmentIds)).all(),
    (p) => p.enrollmentId,
  )
  const milestonesBy = groupBy(
    db
      .select({
        enrollmentId: milestones.enrollmentId,
        stage: milestones.stage,
        title: milestones.title,
        required: milestones.required,
        status: milestones.status,
      })
      .from(milestones)
      .where(inIdList(milestones.enrollmentId, enrollmentIds))
      .all(),
    (m) => m.enrollmentId,
  )
  const mentors = new Map(
    db
      .select({ personId: candidateProfiles.personId, mentorId: candidateProfiles.mentorId, mentorName: people.name })
      .from(candidateProfiles)
      .leftJoin(people, eq(people.id, candidateProfiles.mentorId))
      .where(inIdList(candidateProfiles.personId, candidateIds))
      .all()
      .map((r) => [r.personId, r]),
  )
  const recommender = alias(people, 'recommender')
  const pendingBy = new Map(
    db
      .select({ advancement: advancements, recommenderName: recommender.name })
      .from(advancements)
      .leftJoin(recommender, eq(recommender.id, advancements.recommendedBy))
      .where(and(inIdList(advancements.enrollmentId, enrollmentIds), eq(advancements.status, 'recommended')))
      .all()
      .map((r) => [r.advancement.enrollmentId, r]),
  )
  const latest = latest360OthersOf(db, candidateIds)
  for (const enrollment of current) {
    const period = periods.get(enrollment.id)
    if (!period) continue
    const mentor = mentors.get(enrollment.candidateId)
    const pending = pendingBy.get(enrollment.id)
    const gate = evaluateGateParts(
      {
        enrollment,
        period,
        pauses: pausesBy.get(enrollment.id) ?? [],
        milestones: milestonesBy.get(enrollment.id) ?? [],
        mentor: mentor?.mentorId ? { id: mentor.mentorId, name: mentor.mentorName } : null,
        pending: pending?.advancement ?? null,
        recommenderName: pending?.recommenderName ?? null,
        latest360: latest.get(enrollment.candidateId) ?? null,
      },
      fw,
      null,
      today,
    )
    if (gate) out.set(enrollment.candidateId, gate)
  }
  return out
}

/** latest360Others for many candidates: the latest closed cycle of each (by close time, then id). */
function latest360OthersOf(db: Db, candidateIds: number[]) {
  const rows = db.all<{ candidateId: number; closedOn: string; capabilityId: string; othersMean: number | null }>(sql`
    with latest as (
      select id, candidate_id, closed_at, row_number() over (partition by candidate_id order by closed_at desc, id desc) as rank
      from assessment_cycles where state = 'closed' and candidate_id in (select value from json_each(${JSON.stringify(candidateIds)})))
    select latest.candidate_id as candidateId, substr(coalesce(latest.closed_at, ''), 1, 10) as closedOn, cycle_results.capability_id as capabilityId, cycle_results.others_mean as othersMean
    from latest cross join cycle_results on cycle_results.cycle_id = latest.id
    where latest.rank = 1`)
  const out = new Map<number, { closedOn: string; others: Record<string, number | null> }>()
  for (const r of rows) {
    const entry = out.get(r.candidateId) ?? { closedOn: r.closedOn, others: {} }
    entry.others[r.capabilityId] = r.othersMean
    out.set(r.candidateId, entry)
  }
  return out
}

/** The mentor recommends advancing their mentee to the next stage. */
export function recommendAdvancement(
  tx: Db,
  mentorId: number,
  candidateId: number,
  note: string,
  fw: Framework,
  now = new Date(),
) {
  const gate = gateFor(tx, candidateId, fw, null, dayOf(now))
  if (!gate) throw new RuleError('This candidate is not enrolled in a stage.', undefined, 404)
  if (!gate.next) throw new RuleError('This is the final stage; there is nothing to advance to.', undefined, 409)
  const status = gate.enrollment.status as CaseStatus
  const right = canRecommend(actorOf(tx, mentorId), { candidateId, mentorId: mentorOf(tx, candidateId), status })
  guard(right, status === 'active' ? 403 : 409)
  if (gate.pending)
    throw new RuleError('You have already recommended this advancement; it is waiting for HR.', undefined, 409)
  const { id } = tx
    .insert(advancements)
    .values({
      enrollmentId: gate.enrollment.id,
      fromStage: gate.stage.id,
      toStage: gate.next.id,
      status: 'recommended',
      recommendedBy: mentorId,
      recommendedAt: nowIso(now),
      recommendationNote: note,
    })
    .returning({ id: advancements.id })
    .get()
  recordAudit(
    tx,
    {
      actorId: mentorId,
      action: 'program.recommend',
      entityType: 'candidate',
      entityId: candidateId,
      after: { advancementId: id, from: gate.stage.id, to: gate.next.id, note },
    },
    now,
  )
}

export type ApprovalInput = {
  fingerprint: string
  override: boolean
  overrideReason: string | null
  note: string | null
  record: StageRecord
}

/**
 * HR approves the recommended advancement. The gate is evaluated again inside this transaction:
 * if it no longer matches what the approver saw, nothing happens. Unmet conditions need an explicit
 * override with a written reason, kept with the decision and shown in the history.
 */
export function approveAdvancement(
  tx: Db,
  approver: { id: number; name?: string; isHr?: boolean },
  candidateId: number,
  input: ApprovalInput,
  fw: Framework,
  now = new Date(),
): GateResult {
  const actor = actorOf(tx, approver.id)
  const gate = gateFor(
    tx,
    candidateId,
    fw,
    { id: actor.id, name: actor.name, isHr: hasPermission(actor, 'update:advancement:any') },
    dayOf(now),
  )
  if (!gate) throw new RuleError('This candidate is not enrolled in a stage.', undefined, 404)
  if (!gate.next) throw new RuleError('This is the final stage; there is nothing to advance to.', undefined, 409)
  const status = gate.enrollment.status as CaseStatus
  const facts = {
    candidateId,
    mentorId: mentorOf(tx, candidateId),
    status,
    recommendedBy: gate.pending?.recommendedBy ?? null,
  }
  const right = canApprove(actor, facts)
  // Who may not decide: 403; a state that does not allow a decision (no recommendation, paused): 409.
  if (!right.ok)
    guard(
      right,
      canApprove(actor, { ...facts, status: 'active', recommendedBy: facts.recommendedBy ?? -1 }).ok ? 409 : 403,
    )
  if (!gate.pending) throw new RuleError('The mentor has not recommended this advancement.', undefined, 409)
  if (gateFingerprint(gate.result) !== input.fingerprint)
    throw new RuleError(
      'The conditions changed since you opened this page. Review the gate again before approving.',
      undefined,
      409,
    )
  if (gate.result.paused)
    throw new RuleError('The candidate is paused; resume the program before advancing them.', undefined, 409)
  const unmet = unmetConditions(gate.result)
  if (unmet.length > 0 && !input.override)
    throw new RuleError(
      `Not every condition is met (${unmet.map((c) => c.label).join('; ')}). Tick “override” and give a reason to advance anyway.`,
      'override',
      409,
    )
  if (input.override && unmet.length > 0)
    guard(canOverride(actor, { ...facts, overrideReason: input.overrideReason }), 400, 'overrideReason')
  const record = checkStageRecord(gate.next, input.record, fw)
  const today = dayOf(now)
  const overridden = input.override && unmet.length > 0
  tx.update(advancements)
    .set({
      status: 'approved',
      decidedBy: approver.id,
      decidedAt: nowIso(now),
      decisionNote: input.note,
      override: overridden,
      overrideReason: overridden ? input.overrideReason!.trim() : null,
      // The gate as the approver saw it, with the approval now given.
      gateJson: JSON.stringify(
        gate.result.conditions.map((c) =>
          c.key === 'approval' ? { key: c.key, label: c.label, met: true, reasons: [`Approved by ${actor.name}.`] } : c,
        ),
      ),
    })
    .where(eq(advancements.id, gate.pending.id))
    .run()
  tx.update(stagePeriods).set({ exitedOn: today }).where(eq(stagePeriods.id, gate.period.id)).run()
  enterStage(tx, gate.enrollment.id, candidateId, gate.next, record, today, approver.id, now)
  if (gate.next.records.includes('certifiedRiskTiers'))
    issueCertificate(tx, approver.id, candidateId, gate.enrollment.id, record.certifiedTiers ?? [], fw, today)
  recordAudit(
    tx,
    {
      actorId: approver.id,
      action: overridden ? 'program.advance.override' : 'program.advance',
      entityType: 'candidate',
      entityId: candidateId,
      before: { stage: gate.stage.id },
      after: {
        stage: gate.next.id,
        ...record,
        unmet: unmet.map((c) => c.key),
        overrideReason: overridden ? input.overrideReason : null,
      },
    },
    now,
  )
  if (gate.next.records.includes('certifiedRiskTiers'))
    recordAudit(
      tx,
      {
        actorId: approver.id,
        action: 'program.certify',
        entityType: 'candidate',
        entityId: candidateId,
        after: { tiers: record.certifiedTiers, frameworkVersion: frameworkVersionOf(fw) },
      },
      now,
    )
  return gate.result
}

export function declineAdvancement(
  tx: Db,
  approver: { id: number; isHr?: boolean },
  candidateId: number,
  note: string,
  now = new Date(),
) {
  const actor = actorOf(tx, approver.id)
  const enrollment = currentEnrollment(tx, candidateId)
  const pending = enrollment ? pendingAdvancement(tx, enrollment.id) : null
  if (!pending) throw new RuleError('There is no recommendation to decline.', undefined, 409)
  const facts = {
    candidateId,
    mentorId: mentorOf(tx, candidateId),
    status: enrollment!.status as CaseStatus,
    recommendedBy: pending.recommendedBy,
  }
  const right = canDecline(actor, facts)
  if (!right.ok) guard(right, canDecline(actor, { ...facts, status: 'active' }).ok ? 409 : 403)
  if (note.trim().length < 10)
    throw new RuleError('Explain the decision to the candidate and mentor (at least 10 characters).', 'note')
  tx.update(advancements)
    .set({ status: 'declined', decidedBy: approver.id, decidedAt: nowIso(now), decisionNote: note.trim() })
    .where(eq(advancements.id, pending.id))
    .run()
  recordAudit(
    tx,
    {
      actorId: approver.id,
      action: 'program.decline',
      entityType: 'candidate',
      entityId: candidateId,
      after: { advancementId: pending.id, note },
    },
    now,
  )
}

/** Plan items of a candidate with their comments. */
export function listPlanItems(db: Db, candidateId: number) {
  const items = db
    .select()
    .from(planItems)
    .where(eq(planItems.candidateId, candidateId))
    .orderBy(asc(planItems.status), asc(planItems.id))
    .all()
  const author = alias(people, 'author')
  const comments = items.length
    ? db
        .select({ comment: planItemComments, authorName: author.name })
        .from(planItemComments)
        .innerJoin(author, eq(author.id, planItemComments.authorId))
        .where(
          inArray(
            planItemComments.planItemId,
            items.map((i) => i.id),
          ),
        )
        .orderBy(asc(planItemComments.id))
        .all()
    : []
  return items.map((item) => ({
    ...item,
    comments: comments
      .filter((c) => c.comment.planItemId === item.id)
      .map((c) => ({ id: c.comment.id, body: c.comment.body, at: c.comment.createdAt, authorName: c.authorName })),
  }))
}

export function addPlanItem(
  tx: Db,
  candidateId: number,
  input: { capabilityId: string; action: string; dueOn: string | null; source: 'own' | 'background' },
  now = new Date(),
) {
  const { id } = tx
    .insert(planItems)
    .values({
      candidateId,
      capabilityId: input.capabilityId,
      source: input.source,
      action: input.action,
      status: 'open',
      dueOn: input.dueOn,
      createdAt: nowIso(now),
      createdBy: candidateId,
      updatedAt: nowIso(now),
    })
    .returning({ id: planItems.id })
    .get()
  recordAudit(
    tx,
    { actorId: candidateId, action: 'plan.add', entityType: 'plan_item', entityId: id, after: input },
    now,
  )
  return id
}

export function setPlanItemStatus(
  tx: Db,
  candidateId: number,
  itemId: number,
  status: 'open' | 'done' | 'dropped',
  now = new Date(),
) {
  const item = tx
    .select()
    .from(planItems)
    .where(and(eq(planItems.id, itemId), eq(planItems.candidateId, candidateId)))
    .get()
  if (!item) throw new RuleError('No such plan item of yours.', undefined, 404)
  tx.update(planItems)
    .set({ status, updatedAt: nowIso(now) })
    .where(eq(planItems.id, itemId))
    .run()
  recordAudit(
    tx,
    {
      actorId: candidateId,
      action: 'plan.status',
      entityType: 'plan_item',
      entityId: itemId,
      before: { status: item.status },
      after: { status },
    },
    now,
  )
}

export function commentOnPlanItem(
  tx: Db,
  authorId: number,
  candidateId: number,
  itemId: number,
  body: string,
  now = new Date(),
) {
  const item = tx
    .select({ id: planItems.id })
    .from(planItems)
    .where(and(eq(planItems.id, itemId), eq(planItems.candidateId, candidateId)))
    .get()
  if (!item) throw new RuleError('No such plan item.', undefined, 404)
  tx.insert(planItemComments)
    .values({ planItemId: itemId, authorId, body, createdAt: nowIso(now) })
    .run()
  recordAudit(tx, { actorId: authorId, action: 'plan.comment', entityType: 'plan_item', entityId: itemId }, now)
}

/**
 * Replaces these sign-offs' notes with "[erased]", recording the redaction first: the only change
 * the append-only sign-off log accepts (migration 0010). Who decided what, and when, stays.
 */
export function redactSignoffNotes(tx: Db, actorId: number | null, ids: number[], reason: string, now = new Date()) {
  const done = new Set(
    tx
      .select({ id: signoffRedactions.signoffId })
      .from(signoffRedactions)
      .where(inArray(signoffRedactions.signoffId, ids))
      .all()
      .map((r) => r.id),
  )
  const fresh = [...new Set(ids)].filter((id) => !done.has(id))
  for (const id of fresh) {
    tx.insert(signoffRedactions)
      .values({ signoffId: id, at: nowIso(now), actorId, reason })
      .run()
    tx.update(signoffs).set({ note: '[erased]' }).where(eq(signoffs.id, id)).run()
  }
  return fresh.length
}

/** Enrolled candidates with their current stage period, for HR and mentor lists. */
export function programRoster(db: Db, filter: { mentorId?: number } = {}) {
  return db
    .select({
      candidateId: enrollments.candidateId,
      name: people.name,
      status: enrollments.status,
      background: candidateProfiles.background,
      mentorId: candidateProfiles.mentorId,
      stage: stagePeriods.stage,
      enteredOn: stagePeriods.enteredOn,
      enrollmentId: enrollments.id,
    })
    .from(enrollments)
    .innerJoin(people, eq(people.id, enrollments.candidateId))
    .innerJoin(candidateProfiles, eq(candidateProfiles.personId, enrollments.candidateId))
    .innerJoin(stagePeriods, and(eq(stagePeriods.enrollmentId, enrollments.id), isNull(stagePeriods.exitedOn)))
    .where(
      and(
        inArray(enrollments.status, ['active', 'paused']),
        filter.mentorId !== undefined ? eq(candidateProfiles.mentorId, filter.mentorId) : undefined,
      ),
    )
    .orderBy(asc(people.name))
    .all()
}

export function pausesOf(db: Db, enrollmentIds: number[]) {
  if (enrollmentIds.length === 0) return []
  return db.select().from(pauses).where(inArray(pauses.enrollmentId, enrollmentIds)).all()
}

export function pendingSignoffCounts(db: Db, candidateIds: number[]) {
  if (candidateIds.length === 0) return new Map<number, number>()
  const rows = db
    .select({ candidateId: milestones.candidateId, n: sql<number>`count(*)` })
    .from(milestones)
    .innerJoin(
      enrollments,
      and(eq(enrollments.id, milestones.enrollmentId), inArray(enrollments.status, ['active', 'paused'])),
    )
    .where(and(inArray(milestones.candidateId, candidateIds), inArray(milestones.status, ['submitted', 'awaiting-hr'])))
    .groupBy(milestones.candidateId)
    .all()
  return new Map(rows.map((r) => [r.candidateId, r.n]))
}
