/**
 * The assessment part of a person's export (privacy-export.server.ts): the cycles about them, and
 * of their rating of others only counts (decision 0009).
 */
import { asc, eq, inArray, sql } from 'drizzle-orm'
import { assessmentCycles, raters, selfAssessments } from '#db/schema/assessments'
import type { Report } from '~/domain/assessment/scoring'
import { relationships, type Answers } from '~/domain/assessment/types'
import type { Db } from '~/utils/db.server'

const parse = <T>(json: string | null, fallback: T): T => (json === null ? fallback : (JSON.parse(json) as T))
/**
 * Their 360 cycles: the frozen report (already confidential), their own self-assessment, and of
 * the raters only counts per relationship — the nominations they made, by status, and for a closed
 * cycle the responses of each group the frozen report shows (a hidden group is "not shown", with
 * no count). Never a rater's name, email, answers or comments, and never an invited/answered count
 * of an open cycle or of a hidden group: with the nomination list, that tells whether one named
 * rater answered (issue 11).
 */
export function cyclesAsCandidate(db: Db, personId: number) {
  const cycles = db
    .select()
    .from(assessmentCycles)
    .where(eq(assessmentCycles.candidateId, personId))
    .orderBy(asc(assessmentCycles.id))
    .all()
  const ids = cycles.map((c) => c.id)
  const selfRows = new Map(
    db
      .select()
      .from(selfAssessments)
      .where(inArray(selfAssessments.cycleId, ids))
      .all()
      .map((s) => [s.cycleId, s]),
  )
  const nominationRows = db
    .select({
      cycleId: raters.cycleId,
      relationship: raters.relationship,
      status: raters.status,
      revoked: sql<number>`${raters.revokedAt} is not null`,
      n: sql<number>`count(*)`,
    })
    .from(raters)
    .where(inArray(raters.cycleId, ids))
    .groupBy(raters.cycleId, raters.relationship, raters.status, sql`${raters.revokedAt} is not null`)
    .all()
  return cycles.map((c) => {
    const self = selfRows.get(c.id)
    const mine = nominationRows.filter((r) => r.cycleId === c.id)
    const nominations = Object.fromEntries(
      relationships.map((rel) => {
        const of = mine.filter((r) => r.relationship === rel)
        const sum = (pick: (r: (typeof of)[number]) => boolean) => of.filter(pick).reduce((n, r) => n + r.n, 0)
        return [
          rel,
          {
            proposed: sum((r) => r.status === 'proposed' && !r.revoked),
            approved: sum((r) => r.status === 'approved' && !r.revoked),
            rejected: sum((r) => r.status === 'rejected'),
            revoked: sum((r) => Boolean(r.revoked)),
          },
        ]
      }),
    )
    return {
      id: c.id,
      stage: c.stage,
      state: c.state,
      frameworkVersion: c.frameworkVersion,
      dueOn: c.dueOn,
      openedAt: c.openedAt,
      invitationsSentAt: c.invitationsSentAt,
      closedAt: c.closedAt,
      cancelledAt: c.cancelledAt,
      cancelReason: c.cancelReason,
      report: parse<Report | null>(c.reportJson, null),
      selfAssessment: self
        ? {
            answers: parse<Answers>(self.answersJson, {}),
            comments: parse<Record<string, string>>(self.commentsJson, {}),
            updatedAt: self.updatedAt,
            submittedAt: self.submittedAt,
          }
        : null,
      nominationsMade: nominations,
      responses: c.state === 'closed' ? responsesShown(parse<Report | null>(c.reportJson, null)) : null,
    }
  })
}

/** Per group of a closed cycle: the frozen report's response count where it shows the group, else "not shown". */
function responsesShown(report: Report | null) {
  if (!report) return null
  return Object.fromEntries(
    relationships.map((rel) => {
      const g = report.groupsShown[rel]
      return [
        rel,
        g?.shown && g.responses !== null ? { shown: true as const, responses: g.responses } : ('not shown' as const),
      ]
    }),
  )
}

/**
 * Where they were asked for feedback, as an export made by someone else sees it: in how many
 * cycles they were nominated, and invited — nothing else (issue 11). Rater rows are found by the
 * person's email, which HR or an admin may have typed (an import, a new person): so nothing here
 * may tell more than that the address was asked. No cycle, candidate, relationship, status, date,
 * submitted flag, answer or comment; the rater reads their own answers only on their account
 * page, from rows they linked themselves (`ownFeedbackGiven`).
 */
export function feedbackGiven(db: Db, email: string) {
  const row = db
    .select({
      nominated: sql<number>`count(distinct ${raters.cycleId})`,
      invited: sql<number>`count(distinct case when ${raters.invitedAt} is not null then ${raters.cycleId} end)`,
    })
    .from(raters)
    .where(eq(sql`lower(${raters.email})`, email.toLowerCase()))
    .get()
  return { nominatedInCycles: row?.nominated ?? 0, invitedInCycles: row?.invited ?? 0 }
}
