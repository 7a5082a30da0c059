/**
 * A rater's own answers, shown on their account page only (decision 0014, amended for issue 11).
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { assessmentCycles, raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { people } from '#db/schema/people'
import { type Answers } from '~/domain/assessment/types'
import type { Db } from '~/utils/db.server'
import { RuleError } from '~/domain/errors'

const parse = <T>(json: string | null, fallback: T): T => (json === null ? fallback : (JSON.parse(json) as T))

/**
 * The rule (decision 0014, amended for issue 11): a person sees their own answers as a rater only
 * for rater rows linked to their account, and a row is linked only by its rater, who shows both
 *  - that they hold the personal link: a live rater session of that row in the same browser (the
 *    link went to the rater's mailbox; no page shows it to anyone else), and
 *  - that they hold the account: logged in, with the row's email, and with a password they set
 *    themselves (the latest `person.password` entry of the account is theirs), so no admin who
 *    created the account or set its password knows it.
 * A link stops showing anything as soon as someone else sets the account's password afterwards
 * (an admin's reset could otherwise be used to log in as the rater): the rater can link again
 * while a cycle is open. An email alone — typed into an import or a new person by HR or an admin —
 * never matches anything here. Linking writes no audit entry: like a submission, it would tell
 * staff that the rater opened their link.
 */
const passwordSetters = (db: Db, personId: number) =>
  db
    .select({ actorId: auditLog.actorId, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, 'person.password'),
        eq(auditLog.entityType, 'person'),
        eq(auditLog.entityId, String(personId)),
      ),
    )
    .orderBy(asc(auditLog.id))
    .all()

/** Whether the account's current password was set by its holder (and by nobody else since). */
export function ownsPassword(db: Db, personId: number): boolean {
  const last = passwordSetters(db, personId).at(-1)
  return last !== undefined && last.actorId === personId
}

/** Links the rater row of the caller's live rater session to their account, under the rule above. */
export function linkOwnRaterRow(
  tx: Db,
  account: { id: number; email: string },
  rater: { id: number; email: string } | null,
  now = new Date(),
): 'linked' {
  if (!rater)
    throw new RuleError(
      'Open the personal link from your invitation email in this browser first, then come back here while the cycle is open.',
      undefined,
      403,
    )
  if (rater.email.toLowerCase() !== account.email.toLowerCase())
    throw new RuleError(
      'That invitation was sent to another address than your account’s: it cannot be linked to your account.',
      undefined,
      403,
    )
  if (!ownsPassword(tx, account.id))
    throw new RuleError(
      'Set a password of your own first (Change your password, on your account page): the one you log in with was given to you by someone else.',
      undefined,
      409,
    )
  tx.update(raters).set({ personId: account.id, linkedAt: now.toISOString() }).where(eq(raters.id, rater.id)).run()
  return 'linked'
}

/**
 * The caller's own answers as a rater: rows linked to their account where answers exist and no one
 * else set the account's password since the link. Per row: the candidate, relationship, due date,
 * each answered statement (with its text from the framework) and the comments per domain.
 */
export function ownFeedbackGiven(
  db: Db,
  personId: number,
  framework: {
    domains: Array<{ id: string; name: string }>
    capabilities: Array<{ behaviours: Array<{ id: string; text: string }> }>
  },
) {
  const resets = passwordSetters(db, personId).filter((e) => e.actorId !== personId)
  const candidate = alias(people, 'candidate')
  const statementText = new Map(framework.capabilities.flatMap((c) => c.behaviours.map((b) => [b.id, b.text] as const)))
  const domainName = new Map(framework.domains.map((d) => [d.id, d.name]))
  return db
    .select({
      raterId: raters.id,
      candidateName: candidate.name,
      relationship: raters.relationship,
      dueOn: assessmentCycles.dueOn,
      linkedAt: raters.linkedAt,
      submittedAt: raters.submittedAt,
      answersJson: raters.answersJson,
      commentsJson: raters.commentsJson,
    })
    .from(raters)
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .innerJoin(candidate, eq(candidate.id, assessmentCycles.candidateId))
    .where(and(eq(raters.personId, personId), sql`${raters.answersJson} is not null`))
    .orderBy(asc(raters.id))
    .all()
    .filter((r) => r.linkedAt !== null && !resets.some((e) => e.at >= r.linkedAt!))
    .map((r) => ({
      raterId: r.raterId,
      candidateName: r.candidateName,
      relationship: r.relationship,
      dueOn: r.dueOn,
      submittedAt: r.submittedAt,
      answers: Object.entries(parse<Answers>(r.answersJson, {})).map(([statementId, score]) => ({
        statementId,
        text: statementText.get(statementId) ?? statementId,
        score,
      })),
      comments: Object.entries(parse<Record<string, string>>(r.commentsJson, {}))
        .filter(([, text]) => text.trim() !== '')
        .map(([domainId, text]) => ({ domainId, domain: domainName.get(domainId) ?? domainId, text })),
    }))
}
