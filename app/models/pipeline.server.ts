/** Queries about the candidate population as a whole (HR views). */
import { and, eq, sql } from 'drizzle-orm'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import type { Db } from '~/utils/db.server'

/** Active people holding the candidate role, counted by stage and background. */
export function candidateCounts(db: Db) {
  return db
    .select({ stage: candidateProfiles.stage, background: candidateProfiles.background, count: sql<number>`count(*)` })
    .from(candidateProfiles)
    .innerJoin(people, and(eq(people.id, candidateProfiles.personId), eq(people.active, true)))
    // A profile outlives the candidate role (their history stays theirs); count current candidates only.
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'candidate')))
    .groupBy(candidateProfiles.stage, candidateProfiles.background)
    .all()
}
