/**
 * Milestones of a stage: evidence the candidate submits, the append-only sign-off log (decisions,
 * revocations, redactions) and one-off milestones HR adds. Each change is recorded in the audit log
 * inside its own transaction.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { candidateProfiles, people } from '#db/schema/people'
import {
  enrollments,
  evidenceFiles,
  milestones,
  milestoneSubmissions,
  planItems,
  signoffRedactions,
  signoffs,
  type MilestoneStatus,
} from '#db/schema/program'
import { hasPermission } from '~/domain/permissions'
import { canSignOff } from '~/domain/program/rights'
import type { Db } from '~/utils/db.server'
import { storedFileName } from '~/utils/uploads.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { actorOf, currentEnrollment, guard, nowIso, openPeriod, type CaseStatus } from './program.server'

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
