/**
 * What waits for someone: pending sign-offs for a mentor or HR, recommended advancements for HR,
 * and pending sign-off counts for the roster.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { candidateProfiles, people } from '#db/schema/people'
import { advancements, enrollments, milestones } from '#db/schema/program'
import type { Db } from '~/utils/db.server'

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
