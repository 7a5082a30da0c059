/**
 * Advancement to the next stage: the mentor recommends, HR approves (with the gate, or an override)
 * or declines; approval of the last stage issues the certificate. Each change is audited in its
 * own transaction.
 */
import { eq } from 'drizzle-orm'
import { advancements, stagePeriods } from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { gateFingerprint, unmetConditions, type GateResult } from '~/domain/program/gate'
import { hasPermission } from '~/domain/permissions'
import { canApprove, canDecline, canOverride, canRecommend } from '~/domain/program/rights'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import {
  actorOf,
  currentEnrollment,
  dayOf,
  guard,
  mentorOf,
  nowIso,
  checkStageRecord,
  enterStage,
  issueCertificate,
  pendingAdvancement,
  type CaseStatus,
  type StageRecord,
} from './program.server'
import { gateFor } from './gate.server'

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
