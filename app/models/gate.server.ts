/**
 * What the stage gate reads about candidates (milestones, the latest closed 360, the stage period),
 * one by one or in a batch, and its evaluation.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { cycleResults, assessmentCycles } from '#db/schema/assessments'
import { candidateProfiles, people } from '#db/schema/people'
import { advancements, enrollments, milestones, pauses, stagePeriods } from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import { evaluateGate, type GateInput } from '~/domain/program/gate'
import type { Db } from '~/utils/db.server'
import { groupBy } from '~/domain/collections'
import { currentEnrollment, openPeriod, pendingAdvancement } from './program.server'

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
