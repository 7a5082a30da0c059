/**
 * Queries about the candidate population as a whole (HR views): the pipeline roster with each
 * candidate's signals, mentor load, and background gap aggregates from the frozen 360 results.
 * Aggregates read `cycle_results` (frozen at close), never individual answers.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { assessmentCycles, cycleResults } from '#db/schema/assessments'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { enrollments, milestones, pauses, planItems, stagePeriods } from '#db/schema/program'
import type { Framework } from '~/domain/framework/parse'
import { activeDays, type Pause } from '~/domain/program/dates'
import type { Db } from '~/utils/db.server'
import { gatesFor, inIdList } from './gate.server'
import { groupBy } from '~/domain/collections'

/** Active people holding the candidate role, counted by stage and background. */
export function candidateCounts(db: Db) {
  return (
    db
      .select({
        stage: candidateProfiles.stage,
        background: candidateProfiles.background,
        count: sql<number>`count(*)`,
      })
      .from(candidateProfiles)
      .innerJoin(people, and(eq(people.id, candidateProfiles.personId), eq(people.active, true)))
      // A profile outlives the candidate role (their history stays theirs); count current candidates only.
      .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'candidate')))
      .groupBy(candidateProfiles.stage, candidateProfiles.background)
      .all()
  )
}

export type PipelineFilter = { background?: string; stage?: string; mentorId?: number; cohort?: string }

/** "2026-Q1" for an ISO day. */
export const cohortOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`

/** Every current enrollment (active, paused, or certified: the funnel's last stage) with its stage period, filtered. */
function currentRoster(db: Db, filter: PipelineFilter) {
  const mentor = alias(people, 'mentor')
  return db
    .select({
      candidateId: enrollments.candidateId,
      enrollmentId: enrollments.id,
      name: people.name,
      status: enrollments.status,
      enrolledOn: enrollments.enrolledOn,
      background: candidateProfiles.background,
      mentorId: candidateProfiles.mentorId,
      mentorName: mentor.name,
      stage: stagePeriods.stage,
      enteredOn: stagePeriods.enteredOn,
    })
    .from(enrollments)
    .innerJoin(people, and(eq(people.id, enrollments.candidateId), eq(people.active, true)))
    .innerJoin(candidateProfiles, eq(candidateProfiles.personId, enrollments.candidateId))
    .leftJoin(mentor, eq(mentor.id, candidateProfiles.mentorId))
    .innerJoin(stagePeriods, and(eq(stagePeriods.enrollmentId, enrollments.id), isNull(stagePeriods.exitedOn)))
    .where(
      and(
        inArray(enrollments.status, ['active', 'paused', 'certified']),
        filter.background ? eq(candidateProfiles.background, filter.background) : undefined,
        filter.stage ? eq(stagePeriods.stage, filter.stage) : undefined,
        filter.mentorId !== undefined ? eq(candidateProfiles.mentorId, filter.mentorId) : undefined,
        filter.cohort
          ? sql`(substr(${enrollments.enrolledOn}, 1, 4) || '-Q' || ((cast(substr(${enrollments.enrolledOn}, 6, 2) as integer) + 2) / 3)) = ${filter.cohort}`
          : undefined,
      ),
    )
    .orderBy(people.name)
    .all()
}

/** The latest day of anything that shows the candidate is moving: milestones, plan, assessments. */
function lastActivity(db: Db, candidateIds: number[]) {
  const out = new Map<number, string>()
  if (candidateIds.length === 0) return out
  const bump = (id: number, at: string | null) => {
    if (!at) return
    const day = at.slice(0, 10)
    if (!out.has(id) || out.get(id)! < day) out.set(id, day)
  }
  for (const r of db
    .select({ id: milestones.candidateId, at: sql<string>`max(${milestones.updatedAt})` })
    .from(milestones)
    .where(and(inIdList(milestones.candidateId, candidateIds), sql`${milestones.status} != 'open'`))
    .groupBy(milestones.candidateId)
    .all())
    bump(r.id, r.at)
  for (const r of db
    .select({
      id: planItems.candidateId,
      at: sql<string>`max(coalesce(${planItems.updatedAt}, ${planItems.createdAt}))`,
    })
    .from(planItems)
    .where(inIdList(planItems.candidateId, candidateIds))
    .groupBy(planItems.candidateId)
    .all())
    bump(r.id, r.at)
  for (const r of db
    .select({
      id: assessmentCycles.candidateId,
      at: sql<string>`max(coalesce(${assessmentCycles.closedAt}, ${assessmentCycles.openedAt}))`,
    })
    .from(assessmentCycles)
    .where(inIdList(assessmentCycles.candidateId, candidateIds))
    .groupBy(assessmentCycles.candidateId)
    .all())
    bump(r.id, r.at)
  return out
}

/**
 * Others' domain means of each candidate's two latest closed cycles (for the trend signal). The
 * averaging happens in SQL (capability → domain through a JSON map), so a large organisation's
 * ~16 frozen rows per cycle never become JavaScript objects.
 */
function latestTwoDomainMeans(db: Db, candidateIds: number[], fw: Framework) {
  const out = new Map<
    number,
    { latest: Record<string, number | null>; previous: Record<string, number | null> | null }
  >()
  if (candidateIds.length === 0) return out
  const ids = JSON.stringify(candidateIds)
  const ranked = sql`ranked as (
    select id, candidate_id, row_number() over (partition by candidate_id order by id desc) as rank
    from assessment_cycles where state = 'closed' and candidate_id in (select value from json_each(${ids})))`
  const cycles = db.all<{ candidateId: number; rank: number }>(
    sql`with ${ranked} select candidate_id as candidateId, rank from ranked where rank <= 2`,
  )
  // CASE rather than a join on a JSON map: json_each has no index, and this runs per result row.
  const domainOf = sql.join(
    [
      sql`case cycle_results.capability_id`,
      ...fw.capabilities.map((c) => sql`when ${c.id} then ${c.domainId}`),
      sql`end`,
    ],
    sql` `,
  )
  // CROSS JOIN keeps SQLite's join order: each ranked cycle looks its rows up by primary key.
  const means = db.all<{ candidateId: number; rank: number; domainId: string; mean: number }>(sql`
    with ${ranked}
    select ranked.candidate_id as candidateId, ranked.rank as rank, ${domainOf} as domainId, avg(cycle_results.others_mean) as mean
    from ranked cross join cycle_results on cycle_results.cycle_id = ranked.id
    where ranked.rank <= 2 and cycle_results.others_mean is not null
    group by 1, 2, 3`)
  const empty = () => Object.fromEntries(fw.domains.map((d) => [d.id, null])) as Record<string, number | null>
  for (const c of cycles) {
    const entry = out.get(c.candidateId) ?? { latest: empty(), previous: null }
    if (c.rank === 2) entry.previous = empty()
    out.set(c.candidateId, entry)
  }
  for (const m of means) {
    const entry = out.get(m.candidateId)
    const target = m.rank === 1 ? entry?.latest : entry?.previous
    if (target && m.domainId in target) target[m.domainId] = m.mean
  }
  return out
}

/** Pending sign-offs per candidate (current enrollments), with the oldest waiting day. */
function pendingSignoffs(db: Db, enrollmentIds: number[]) {
  if (enrollmentIds.length === 0) return new Map<number, { n: number; oldest: string }>()
  const rows = db
    .select({
      enrollmentId: milestones.enrollmentId,
      n: sql<number>`count(*)`,
      oldest: sql<string>`min(${milestones.updatedAt})`,
    })
    .from(milestones)
    .where(
      and(inIdList(milestones.enrollmentId, enrollmentIds), inArray(milestones.status, ['submitted', 'awaiting-hr'])),
    )
    .groupBy(milestones.enrollmentId)
    .all()
  return new Map(rows.map((r) => [r.enrollmentId, { n: r.n, oldest: r.oldest.slice(0, 10) }]))
}

export type PipelineRow = ReturnType<typeof pipelineRows>[number]

/**
 * The pipeline roster: each current candidate with stage, active time, the gate result, pending
 * sign-offs, last activity and 360 trend. The page and the CSV export share it.
 */
export function pipelineRows(db: Db, fw: Framework, filter: PipelineFilter, today: string) {
  const roster = currentRoster(db, filter)
  const enrollmentIds = roster.map((r) => r.enrollmentId)
  const candidateIds = roster.map((r) => r.candidateId)
  const pauseRows = enrollmentIds.length
    ? db.select().from(pauses).where(inIdList(pauses.enrollmentId, enrollmentIds)).all()
    : []
  const activity = lastActivity(db, candidateIds)
  const trends = latestTwoDomainMeans(db, candidateIds, fw)
  const pending = pendingSignoffs(db, enrollmentIds)
  const gates = gatesFor(db, candidateIds, fw, today)
  const pausesBy = groupBy(pauseRows, (p) => p.enrollmentId)
  return roster.map((r) => {
    const ps: Pause[] = (pausesBy.get(r.enrollmentId) ?? [])
      .filter((p) => p.endedOn === null || p.endedOn > r.enteredOn)
      .map((p) => ({ startedOn: p.startedOn, endedOn: p.endedOn }))
    const gate = gates.get(r.candidateId)
    return {
      ...r,
      cohort: cohortOf(r.enrolledOn),
      activeDays: activeDays(r.enteredOn, ps, today),
      paused: r.status === 'paused',
      gate: gate?.result ?? null,
      // Read from the gate's own milestones (readiness uses it only where there is a gate).
      unsignedRequired: gate ? gate.stageMilestones.filter((m) => m.required && !m.signedOff).length : 0,
      lastActivityOn: activity.get(r.candidateId) ?? null,
      trend: trends.get(r.candidateId) ?? null,
      pendingSignoffs: pending.get(r.enrollmentId)?.n ?? 0,
      oldestPendingOn: pending.get(r.enrollmentId)?.oldest ?? null,
    }
  })
}

/**
 * Per background, capability by capability: the mean of others' ratings and of the gap to each
 * candidate's stage target, over the candidates' latest closed cycles, with how many candidates.
 */
export function backgroundGaps(db: Db, filter: { stage?: string } = {}) {
  const latest = db
    .select({
      candidateId: assessmentCycles.candidateId,
      cycleId: sql<number>`max(${assessmentCycles.id})`.as('latest_cycle_id'),
    })
    .from(assessmentCycles)
    .where(eq(assessmentCycles.state, 'closed'))
    .groupBy(assessmentCycles.candidateId)
    .as('latest')
  return db
    .select({
      background: candidateProfiles.background,
      capabilityId: cycleResults.capabilityId,
      candidates: sql<number>`count(${cycleResults.othersMean})`,
      othersMean: sql<number | null>`avg(${cycleResults.othersMean})`,
      gapMean: sql<number | null>`avg(${cycleResults.gap})`,
      gapCandidates: sql<number>`count(${cycleResults.gap})`,
    })
    .from(latest)
    .innerJoin(cycleResults, eq(cycleResults.cycleId, latest.cycleId))
    .innerJoin(candidateProfiles, eq(candidateProfiles.personId, latest.candidateId))
    .innerJoin(people, and(eq(people.id, latest.candidateId), eq(people.active, true)))
    .where(filter.stage ? eq(candidateProfiles.stage, filter.stage) : undefined)
    .groupBy(candidateProfiles.background, cycleResults.capabilityId)
    .all()
}
