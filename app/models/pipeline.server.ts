/** Queries about the candidate population as a whole (HR views). */
import { and, eq, sql } from 'drizzle-orm'
import { candidateProfiles, people } from '#db/schema/people'
import type { Db } from '~/utils/db.server'

/** Active candidates counted by stage and background. */
export function candidateCounts(db: Db) {
  return db
    .select({ stage: candidateProfiles.stage, background: candidateProfiles.background, count: sql<number>`count(*)` })
    .from(candidateProfiles)
    .innerJoin(people, and(eq(people.id, candidateProfiles.personId), eq(people.active, true)))
    .groupBy(candidateProfiles.stage, candidateProfiles.background)
    .all()
}
