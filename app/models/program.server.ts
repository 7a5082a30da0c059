/**
 * The development program's core: the enrollment and its status (pause, resume, withdraw), the
 * stage history, entering a stage and the certificate, the timeline and the roster, and the helpers
 * the program's other models share (the acting person, refusals, the open stage period). Milestones
 * and sign-offs live in milestones.server.ts, the gate in gate.server.ts, advancement in
 * advancement.server.ts, the plan in plan.server.ts, the waiting lists in queues.server.ts. Each
 * change is recorded in the audit log inside its own transaction.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { candidateProfiles, people } from '#db/schema/people'
import { advancements, certificates, enrollments, milestones, pauses, stagePeriods } from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import type { Stage } from '~/domain/framework/schema'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { hasPermission, type Viewer } from '~/domain/permissions'
import { canPause, canResume, canWithdraw, type Right } from '~/domain/program/rights'
import { getActiveUser } from './people.server'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'

export type StageRecord = {
  delegatedDomain?: string | null
  podName?: string | null
  riskTier?: string | null
  certifiedTiers?: string[] | null
}

export const nowIso = (now: Date) => now.toISOString()

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
export function guard(right: Right, status: 400 | 403 | 409 = 403, field?: string) {
  if (!right.ok) throw new RuleError(right.reason, field, status)
}

export type CaseStatus = 'active' | 'paused' | 'withdrawn' | 'certified' | null
/** The enrollment status of the candidate's latest enrollment (null: never enrolled). */
function statusOf(tx: Db, candidateId: number): CaseStatus {
  return (latestEnrollment(tx, candidateId)?.status as CaseStatus | undefined) ?? null
}
export function mentorOf(tx: Db, candidateId: number): number | null {
  return (
    tx
      .select({ mentorId: candidateProfiles.mentorId })
      .from(candidateProfiles)
      .where(eq(candidateProfiles.personId, candidateId))
      .get()?.mentorId ?? null
  )
}
export const dayOf = (now: Date) => now.toISOString().slice(0, 10)

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

export function openPeriod(db: Db, enrollmentId: number) {
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
  // An erasure on request (erasure.server) ends the enrollment as part of removing the person, by
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

export function pendingAdvancement(db: Db, enrollmentId: number) {
  return (
    db
      .select()
      .from(advancements)
      .where(and(eq(advancements.enrollmentId, enrollmentId), eq(advancements.status, 'recommended')))
      .get() ?? null
  )
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
