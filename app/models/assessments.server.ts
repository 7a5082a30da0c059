/**
 * Every query about assessment cycles: opening, the self-assessment, closing (the one place where
 * results are computed and frozen), reports, and plan suggestions. Raters live in raters.server.ts.
 */
import { and, asc, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm'
import {
  assessmentCycles,
  cycleResults,
  raters,
  raterSessions,
  selfAssessments,
  type CycleState,
} from '#db/schema/assessments'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { planItems } from '#db/schema/program'
import { isOpen, isPastDue } from '~/domain/assessment/cycle'
import { toScoringFramework, frameworkVersionOf } from '~/domain/assessment/framework'
import { codeMean, roundShown } from '~/domain/assessment/precision'
import { computeReport, REPORT_PRECISION, type Report } from '~/domain/assessment/scoring'
import type { Answers, RaterSubmission } from '~/domain/assessment/types'
import type { Framework } from '~/domain/framework/parse'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { getActiveUser } from './people.server'
import { canOpenCycle } from '~/domain/assessment/rights'

export type Cycle = typeof assessmentCycles.$inferSelect

/** A cycle with what authorization needs: the candidate and their mentor. */
export function getCycle(db: Db, id: number) {
  const row = db
    .select({
      cycle: assessmentCycles,
      candidateName: people.name,
      candidateEmail: people.email,
      mentorId: candidateProfiles.mentorId,
      background: candidateProfiles.background,
    })
    .from(assessmentCycles)
    .innerJoin(people, eq(people.id, assessmentCycles.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, assessmentCycles.candidateId))
    .where(eq(assessmentCycles.id, id))
    .get()
  return row ?? null
}

export type CycleScope = { kind: 'candidate'; id: number } | { kind: 'mentor'; id: number } | { kind: 'all' }

/** Cycles visible in a scope, newest first, with the candidate's name. */
export function listCycles(db: Db, scope: CycleScope, filter: { state?: CycleState } = {}) {
  const conditions = [
    scope.kind === 'candidate' ? eq(assessmentCycles.candidateId, scope.id) : undefined,
    scope.kind === 'mentor' ? eq(candidateProfiles.mentorId, scope.id) : undefined,
    filter.state ? eq(assessmentCycles.state, filter.state) : undefined,
  ].filter((c) => c !== undefined)
  return db
    .select({
      id: assessmentCycles.id,
      candidateId: assessmentCycles.candidateId,
      candidateName: people.name,
      state: assessmentCycles.state,
      dueOn: assessmentCycles.dueOn,
      stage: assessmentCycles.stage,
      openedAt: assessmentCycles.openedAt,
      closedAt: assessmentCycles.closedAt,
    })
    .from(assessmentCycles)
    .innerJoin(people, eq(people.id, assessmentCycles.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, assessmentCycles.candidateId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(assessmentCycles.id))
    .limit(500)
    .all()
}

/** Active candidates that a cycle may be opened for, with their mentor and any open cycle. */
export function listCycleCandidates(db: Db, filter: { mentorId?: number; stage?: string; background?: string } = {}) {
  const open = db
    .select({ candidateId: assessmentCycles.candidateId, id: assessmentCycles.id, dueOn: assessmentCycles.dueOn })
    .from(assessmentCycles)
    .where(inArray(assessmentCycles.state, ['nominating', 'collecting']))
    .as('open_cycle')
  return db
    .select({
      id: people.id,
      name: people.name,
      stage: candidateProfiles.stage,
      background: candidateProfiles.background,
      mentorId: candidateProfiles.mentorId,
      openCycleId: open.id,
      openCycleDue: open.dueOn,
    })
    .from(candidateProfiles)
    .innerJoin(people, and(eq(people.id, candidateProfiles.personId), eq(people.active, true)))
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'candidate')))
    .leftJoin(open, eq(open.candidateId, people.id))
    .where(
      and(
        filter.mentorId !== undefined ? eq(candidateProfiles.mentorId, filter.mentorId) : undefined,
        filter.stage ? eq(candidateProfiles.stage, filter.stage) : undefined,
        filter.background ? eq(candidateProfiles.background, filter.background) : undefined,
      ),
    )
    .orderBy(asc(people.name))
    .all()
}

/**
 * Opens one cycle per candidate, all or nothing. Refused when any candidate already has an open
 * cycle, is not an active candidate, or (when `mentorId` is given) is not that mentor's mentee.
 */
export function openCycles(
  tx: Db,
  actorId: number,
  input: { candidateIds: number[]; dueOn: string; onlyMenteesOf?: number },
  framework: Framework,
  now = new Date(),
): number[] {
  const ids = [...new Set(input.candidateIds)]
  if (ids.length === 0) throw new RuleError('Choose at least one candidate.', 'candidateIds')
  const candidates = listCycleCandidates(tx, input.onlyMenteesOf !== undefined ? { mentorId: input.onlyMenteesOf } : {})
  const byId = new Map(candidates.map((c) => [c.id, c]))
  const unknown = ids.filter((id) => !byId.has(id))
  if (unknown.length > 0)
    throw new RuleError(
      input.onlyMenteesOf !== undefined
        ? 'You can open cycles only for your own active mentees.'
        : 'Some of the chosen people are not active candidates.',
      'candidateIds',
    )
  // The opener, read in this transaction, may open each cycle (never their own, whatever roles they hold).
  const actor = getActiveUser(tx, actorId)
  for (const id of ids) {
    const right = actor
      ? canOpenCycle(actor, { candidateId: id, mentorId: byId.get(id)!.mentorId })
      : { ok: false as const, reason: 'Your account is not active.' }
    if (!right.ok) throw new RuleError(right.reason, 'candidateIds', 403)
  }
  const busy = ids.map((id) => byId.get(id)!).filter((c) => c.openCycleId !== null)
  if (busy.length > 0)
    throw new RuleError(
      `${busy.map((c) => `${c.name} already has an open cycle (due ${c.openCycleDue})`).join('; ')}. Remove ${busy.length === 1 ? 'them' : 'these candidates'} from the list, or close the open cycle first.`,
      'candidateIds',
      409,
    )
  const created: number[] = []
  for (const id of ids) {
    const candidate = byId.get(id)!
    const { id: cycleId } = tx
      .insert(assessmentCycles)
      .values({
        candidateId: id,
        frameworkVersion: frameworkVersionOf(framework),
        stage: candidate.stage,
        state: 'nominating',
        dueOn: input.dueOn,
        openedBy: actorId,
        openedAt: now.toISOString(),
      })
      .returning({ id: assessmentCycles.id })
      .get()
    recordAudit(
      tx,
      {
        actorId,
        action: 'cycle.open',
        entityType: 'cycle',
        entityId: cycleId,
        after: { candidateId: id, dueOn: input.dueOn, stage: candidate.stage },
      },
      now,
    )
    created.push(cycleId)
  }
  return created
}

export function getSelfAssessment(db: Db, cycleId: number) {
  const row = db.select().from(selfAssessments).where(eq(selfAssessments.cycleId, cycleId)).get()
  if (!row) return null
  return {
    answers: JSON.parse(row.answersJson) as Answers,
    comments: JSON.parse(row.commentsJson) as Record<string, string>,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
  }
}

/** Saves the candidate's draft, or submits it (final: every statement answered or marked not observed). */
export function saveSelfAssessment(
  tx: Db,
  cycle: Cycle,
  input: { answers: Answers; comments: Record<string, string>; unanswered: string[]; submit: boolean },
  now = new Date(),
) {
  if (!isOpen(cycle.state) || isPastDue(cycle.dueOn, now))
    throw new RuleError('This cycle is closed; the self-assessment can no longer change.', undefined, 409)
  const existing = getSelfAssessment(tx, cycle.id)
  if (existing?.submittedAt) throw new RuleError('You have already submitted your self-assessment.', undefined, 409)
  if (input.submit && input.unanswered.length > 0)
    throw new RuleError(
      `Answer every statement before submitting (${input.unanswered.length} left). Choose "Not observed" where a statement does not apply.`,
    )
  const values = {
    answersJson: JSON.stringify(input.answers),
    commentsJson: JSON.stringify(input.comments),
    updatedAt: now.toISOString(),
    submittedAt: input.submit ? now.toISOString() : null,
  }
  tx.insert(selfAssessments)
    .values({ cycleId: cycle.id, ...values })
    .onConflictDoUpdate({ target: selfAssessments.cycleId, set: values })
    .run()
  if (input.submit)
    recordAudit(tx, { actorId: cycle.candidateId, action: 'self.submit', entityType: 'cycle', entityId: cycle.id }, now)
}

/** The report of a cycle from its submitted self-assessment and every submitted, unrevoked rater. */
function scoreCycle(tx: Db, cycle: typeof assessmentCycles.$inferSelect, framework: Framework): Report {
  const cycleId = cycle.id
  const self = getSelfAssessment(tx, cycleId)
  const submitted = tx
    .select({
      id: raters.id,
      relationship: raters.relationship,
      answersJson: raters.answersJson,
      commentsJson: raters.commentsJson,
    })
    .from(raters)
    .where(and(eq(raters.cycleId, cycleId), sql`${raters.submittedAt} is not null`, sql`${raters.revokedAt} is null`))
    .all()
  const submissions: RaterSubmission[] = submitted.map((r) => ({
    raterKey: String(r.id),
    relationship: r.relationship,
    answers: JSON.parse(r.answersJson ?? '{}') as Answers,
    comments: JSON.parse(r.commentsJson ?? '{}') as Record<string, string>,
  }))
  const stage = framework.stages.find((s) => s.id === cycle.stage)
  return computeReport({
    framework: toScoringFramework(framework),
    self: self?.submittedAt ? self.answers : null,
    raters: submissions,
    targets: stage?.exitTarget?.targets ?? null,
    tolerance: stage?.exitTarget?.tolerance ?? 0,
    commentSeed: `cycle-${cycleId}`,
  })
}

/** One analytics row per capability of a frozen report (replacing any earlier rows). */
function freezeResults(tx: Db, cycleId: number, report: Report) {
  tx.delete(cycleResults).where(eq(cycleResults.cycleId, cycleId)).run()
  tx.insert(cycleResults)
    .values(
      report.capabilities.map((c) => ({
        cycleId,
        capabilityId: c.capabilityId,
        self: c.self,
        othersMean: c.allOthers?.mean ?? null,
        othersN: c.allOthers?.n ?? 0,
        managerMean: c.groups.manager?.mean ?? null,
        peerMean: c.groups.peer?.mean ?? null,
        directReportMean: c.groups.direct_report?.mean ?? null,
        stakeholderMean: c.groups.stakeholder?.mean ?? null,
        target: c.target,
        gap: c.gap,
      })),
    )
    .run()
}

/**
 * Reports frozen before decision 0016 hold figures at full precision (and a spread), which a solver
 * can combine to recover scores. Each is scored again from the stored answers under today's rules,
 * in one transaction with its audit entry. Cycles of another framework version than the loaded one,
 * or whose answers were erased, cannot be rescored: their figures are rounded and coded in place
 * instead (no spread), which is what a page would have shown.
 */
export function recodeFrozenReports(tx: Db, framework: Framework, now = new Date()): number {
  const stale = tx
    .select()
    .from(assessmentCycles)
    .where(
      and(
        eq(assessmentCycles.state, 'closed'),
        sql`${assessmentCycles.reportJson} is not null`,
        sql`json_extract(${assessmentCycles.reportJson}, '$.precision') is null`,
      ),
    )
    .all()
  for (const cycle of stale) {
    const report =
      cycle.frameworkVersion === frameworkVersionOf(framework)
        ? scoreCycle(tx, cycle, framework)
        : codeLegacyReport(JSON.parse(cycle.reportJson!) as LegacyReport)
    tx.update(assessmentCycles)
      .set({ reportJson: JSON.stringify(report) })
      .where(eq(assessmentCycles.id, cycle.id))
      .run()
    freezeResults(tx, cycle.id, report)
    recordAudit(
      tx,
      {
        actorId: null,
        action: 'cycle.recode',
        entityType: 'cycle',
        entityId: cycle.id,
        after: { precision: REPORT_PRECISION },
      },
      now,
    )
  }
  return stale.length
}

type LegacyFigure = { mean: number; n: number }
type LegacyReport = Omit<Report, 'precision' | 'capabilities'> & {
  capabilities: Array<
    Omit<Report['capabilities'][number], 'groups' | 'allOthers'> & {
      groups: Record<string, LegacyFigure | null>
      allOthers: LegacyFigure | null
      spread?: unknown
    }
  >
}

function codeLegacyReport(legacy: LegacyReport): Report {
  const code = (f: LegacyFigure | null, attributable: boolean) => {
    if (!f) return null
    const c = codeMean(f.mean, attributable)
    return { mean: c.value, n: f.n, censored: c.censored }
  }
  const round = (v: number | null) => (v === null ? null : roundShown(v))
  return {
    ...legacy,
    precision: REPORT_PRECISION,
    capabilities: legacy.capabilities.map(({ spread: _spread, ...c }) => ({
      ...c,
      self: round(c.self),
      groups: {
        manager: code(c.groups.manager ?? null, true),
        peer: code(c.groups.peer ?? null, false),
        direct_report: code(c.groups.direct_report ?? null, false),
        stakeholder: code(c.groups.stakeholder ?? null, false),
      },
      allOthers: code(c.allOthers, false),
      gap: round(c.gap),
      selfMinusOthers: round(c.selfMinusOthers),
    })),
    domains: legacy.domains.map((d) => ({
      ...d,
      self: round(d.self),
      allOthers: round(d.allOthers),
      target: round(d.target),
      groups: {
        manager: round(d.groups.manager),
        peer: round(d.groups.peer),
        direct_report: round(d.groups.direct_report),
        stakeholder: round(d.groups.stakeholder),
      },
    })),
  }
}

/**
 * Closes a cycle: computes the report from the submitted self-assessment and every submitted,
 * unrevoked rater, and freezes it with per-capability rows for analytics. Answers after this are
 * refused. `actorId` null: closed by the system because the due date passed.
 */
export function closeCycle(
  tx: Db,
  actorId: number | null,
  cycleId: number,
  framework: Framework,
  now = new Date(),
): Report {
  const cycle = tx.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()
  if (!cycle) throw new RuleError('No such cycle.', undefined, 404)
  if (!isOpen(cycle.state)) throw new RuleError(`This cycle is already ${cycle.state}.`, undefined, 409)
  if (cycle.frameworkVersion !== frameworkVersionOf(framework))
    throw new RuleError(
      `This cycle uses framework ${cycle.frameworkVersion}, but ${frameworkVersionOf(framework)} is loaded.`,
      undefined,
      409,
    )

  const self = getSelfAssessment(tx, cycleId)
  const report = scoreCycle(tx, cycle, framework)

  tx.update(assessmentCycles)
    .set({ state: 'closed', closedAt: now.toISOString(), closedBy: actorId, reportJson: JSON.stringify(report) })
    .where(eq(assessmentCycles.id, cycleId))
    .run()
  freezeResults(tx, cycleId, report)
  // Links stop working at close: end every rater session of the cycle.
  tx.delete(raterSessions)
    .where(inArray(raterSessions.raterId, tx.select({ id: raters.id }).from(raters).where(eq(raters.cycleId, cycleId))))
    .run()
  recordAudit(
    tx,
    {
      actorId,
      action: 'cycle.close',
      entityType: 'cycle',
      entityId: cycleId,
      before: { state: cycle.state },
      // No response count: the total minus the shown groups would give the hidden groups' count.
      after: {
        state: 'closed',
        selfSubmitted: Boolean(self?.submittedAt),
        reason: actorId === null ? 'due date passed' : 'closed by hand',
      },
    },
    now,
  )
  return report
}

export function cancelCycle(tx: Db, actorId: number, cycleId: number, reason: string, now = new Date()) {
  const cycle = tx.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()
  if (!cycle) throw new RuleError('No such cycle.', undefined, 404)
  if (!isOpen(cycle.state)) throw new RuleError(`This cycle is already ${cycle.state}.`, undefined, 409)
  tx.update(assessmentCycles)
    .set({ state: 'cancelled', cancelledAt: now.toISOString(), cancelReason: reason })
    .where(eq(assessmentCycles.id, cycleId))
    .run()
  tx.delete(raterSessions)
    .where(inArray(raterSessions.raterId, tx.select({ id: raters.id }).from(raters).where(eq(raters.cycleId, cycleId))))
    .run()
  recordAudit(
    tx,
    {
      actorId,
      action: 'cycle.cancel',
      entityType: 'cycle',
      entityId: cycleId,
      before: { state: cycle.state },
      after: { state: 'cancelled', reason },
    },
    now,
  )
}

/** Open cycles whose due day is over, oldest first. */
export function overdueOpenCycleIds(db: Db, now = new Date()): number[] {
  const today = now.toISOString().slice(0, 10)
  return db
    .select({ id: assessmentCycles.id, dueOn: assessmentCycles.dueOn })
    .from(assessmentCycles)
    .where(and(inArray(assessmentCycles.state, ['nominating', 'collecting']), lt(assessmentCycles.dueOn, today)))
    .orderBy(asc(assessmentCycles.id))
    .all()
    .filter((c) => isPastDue(c.dueOn, now))
    .map((c) => c.id)
}

export function getReport(cycle: Pick<Cycle, 'reportJson'>): Report | null {
  return cycle.reportJson ? (JSON.parse(cycle.reportJson) as Report) : null
}

/** The candidate's closed cycle before this one, for the trend. */
export function previousClosedCycle(db: Db, candidateId: number, beforeCycleId: number) {
  return (
    db
      .select()
      .from(assessmentCycles)
      .where(
        and(
          eq(assessmentCycles.candidateId, candidateId),
          eq(assessmentCycles.state, 'closed'),
          lt(assessmentCycles.id, beforeCycleId),
        ),
      )
      .orderBy(desc(assessmentCycles.id))
      .limit(1)
      .get() ?? null
  )
}

export function latestClosedCycle(db: Db, candidateId: number) {
  return (
    db
      .select()
      .from(assessmentCycles)
      .where(and(eq(assessmentCycles.candidateId, candidateId), eq(assessmentCycles.state, 'closed')))
      .orderBy(desc(assessmentCycles.id))
      .limit(1)
      .get() ?? null
  )
}

/** Plan items already accepted from this cycle's suggestions. */
export function acceptedSuggestions(db: Db, candidateId: number, cycleId: number): string[] {
  return db
    .select({ capabilityId: planItems.capabilityId })
    .from(planItems)
    .where(and(eq(planItems.candidateId, candidateId), eq(planItems.cycleId, cycleId)))
    .all()
    .map((r) => r.capabilityId)
}

/** The candidate accepts one of the report's suggested plan items (one of its largest gaps). */
export function acceptSuggestion(
  tx: Db,
  candidateId: number,
  cycle: Cycle,
  capabilityId: string,
  action: string,
  now = new Date(),
) {
  const report = getReport(cycle)
  if (!report) throw new RuleError('This cycle has no report yet.', undefined, 409)
  if (!report.largestGaps.includes(capabilityId))
    throw new RuleError('That capability is not one of this report’s suggestions.')
  if (acceptedSuggestions(tx, candidateId, cycle.id).includes(capabilityId))
    throw new RuleError('You have already added this suggestion to your plan.', undefined, 409)
  const { id } = tx
    .insert(planItems)
    .values({
      candidateId,
      capabilityId,
      source: 'assessment',
      cycleId: cycle.id,
      action,
      status: 'open',
      createdAt: now.toISOString(),
      createdBy: candidateId,
    })
    .returning({ id: planItems.id })
    .get()
  recordAudit(
    tx,
    {
      actorId: candidateId,
      action: 'plan.accept',
      entityType: 'plan_item',
      entityId: id,
      after: { capabilityId, cycleId: cycle.id, action },
    },
    now,
  )
}

export function openCycleOf(db: Db, candidateId: number) {
  return (
    db
      .select()
      .from(assessmentCycles)
      .where(
        and(
          eq(assessmentCycles.candidateId, candidateId),
          inArray(assessmentCycles.state, ['nominating', 'collecting']),
        ),
      )
      .get() ?? null
  )
}

export function countCyclesByState(db: Db) {
  return db
    .select({ state: assessmentCycles.state, n: sql<number>`count(*)` })
    .from(assessmentCycles)
    .where(ne(assessmentCycles.state, 'cancelled'))
    .groupBy(assessmentCycles.state)
    .all()
}
