/**
 * Raters of a cycle: nominations, approval, invitations with personal links, rater sessions,
 * drafts and submissions, reminders. Personal-link tokens are stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, gte, isNull, lt, sql } from 'drizzle-orm'
import { assessmentCycles, raters, raterSessions, rateLimitHits } from '#db/schema/assessments'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { closesAt, isOpen, isPastDue, nextReminderAllowedAt } from '~/domain/assessment/cycle'
import {
  approvedSetProblems,
  countByRelationship,
  nominationRoomProblem,
  raterEligibilityProblem,
  selfApprovalProblem,
  type NomineeFacts,
} from '~/domain/assessment/nominations'
import { canAccess } from '~/domain/permissions'
import { canManageCycle } from '~/domain/assessment/rights'
import { relationshipLabels, type Answers, type Relationship } from '~/domain/assessment/types'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import type { Cycle } from './assessments.server'
import { RuleError } from '~/domain/errors'
import { queueEmail } from './outbox.server'
import { getActiveUser, normalizeEmail } from './people.server'

export type Rater = typeof raters.$inferSelect

export const RATER_SESSION_MS = 2 * 60 * 60 * 1000
export const TOKEN_EXCHANGES_PER_MINUTE = 10

const hash = (token: string) => createHash('sha256').update(token).digest('hex')
const newToken = () => randomBytes(32).toString('base64url')

/** A fresh personal-link token for a rater: only its hash is stored, so only the newest link works. */
export function issueRaterToken(tx: Db, raterId: number): string {
  const token = newToken()
  tx.update(raters)
    .set({ tokenHash: hash(token) })
    .where(eq(raters.id, raterId))
    .run()
  return token
}

export function listRaters(db: Db, cycleId: number) {
  return db
    .select()
    .from(raters)
    .where(eq(raters.cycleId, cycleId))
    .orderBy(asc(raters.relationship), asc(raters.id))
    .all()
}

function activeNominations(tx: Db, cycleId: number) {
  return tx
    .select({ relationship: raters.relationship })
    .from(raters)
    .where(and(eq(raters.cycleId, cycleId), sql`${raters.status} != 'rejected'`, isNull(raters.revokedAt)))
    .all()
}

/** The acting person, read in the transaction, may manage this cycle (canManageCycle), else 403. */
function assertManager(tx: Db, actorId: number, cycle: Cycle) {
  const actor = getActiveUser(tx, actorId)
  const mentorId =
    tx
      .select({ mentorId: candidateProfiles.mentorId })
      .from(candidateProfiles)
      .where(eq(candidateProfiles.personId, cycle.candidateId))
      .get()?.mentorId ?? null
  const right = actor
    ? canManageCycle(actor, { candidateId: cycle.candidateId, mentorId })
    : { ok: false as const, reason: 'Your account is not active.' }
  if (!right.ok) throw new RuleError(right.reason, undefined, 403)
}

function assertNominationsOpen(cycle: Cycle, now: Date) {
  if (!isOpen(cycle.state) || isPastDue(cycle.dueOn, now))
    throw new RuleError('This cycle is closed; raters can no longer change.', undefined, 409)
}

function assertEmailFree(tx: Db, cycleId: number, email: string, exceptId?: number) {
  const existing = tx
    .select({ id: raters.id })
    .from(raters)
    .where(and(eq(raters.cycleId, cycleId), eq(sql`lower(${raters.email})`, normalizeEmail(email))))
    .get()
  if (existing && existing.id !== exceptId)
    throw new RuleError('This person is already nominated in this cycle.', 'email', 409)
}

/** The candidate nominates one rater; maxima per relationship and in all are enforced here. */
export function nominateRater(
  tx: Db,
  cycle: Cycle,
  candidateEmail: string,
  input: { name: string; email: string; relationship: Relationship },
  now = new Date(),
): number {
  assertNominationsOpen(cycle, now)
  if (normalizeEmail(input.email) === normalizeEmail(candidateEmail))
    throw new RuleError('You cannot rate yourself as a rater; use the self-assessment.', 'email')
  assertEligible(tx, cycle, input.email, input.relationship)
  assertEmailFree(tx, cycle.id, input.email)
  const problem = nominationRoomProblem(countByRelationship(activeNominations(tx, cycle.id)), input.relationship)
  if (problem) throw new RuleError(problem, 'relationship')
  const { id } = tx
    .insert(raters)
    .values({
      cycleId: cycle.id,
      name: input.name,
      email: normalizeEmail(input.email),
      relationship: input.relationship,
      status: 'proposed',
      nominatedAt: now.toISOString(),
    })
    .returning({ id: raters.id })
    .get()
  recordAudit(
    tx,
    {
      actorId: cycle.candidateId,
      action: 'rater.nominate',
      entityType: 'cycle',
      entityId: cycle.id,
      after: { raterId: id, relationship: input.relationship },
    },
    now,
  )
  return id
}

/**
 * The facts that decide whether the person behind `email` may rate this candidate: are they the
 * candidate, and may they read the candidate's report (any account with that email, active or not,
 * since a deactivated account can come back)?
 */
export function nomineeFacts(tx: Db, cycle: Cycle, email: string): NomineeFacts {
  const person = tx
    .select({ id: people.id })
    .from(people)
    .where(eq(sql`lower(${people.email})`, normalizeEmail(email)))
    .get()
  if (!person) return { isCandidate: false, readsReport: false }
  const roles = tx
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(eq(roleAssignments.personId, person.id))
    .all()
    .map((r) => r.role)
  const mentorId =
    tx
      .select({ mentorId: candidateProfiles.mentorId })
      .from(candidateProfiles)
      .where(eq(candidateProfiles.personId, cycle.candidateId))
      .get()?.mentorId ?? null
  return {
    isCandidate: person.id === cycle.candidateId,
    readsReport: canAccess({ id: person.id, roles }, 'read', 'report', { ownerId: cycle.candidateId, mentorId }),
  }
}

function assertEligible(tx: Db, cycle: Cycle, email: string, relationship: Relationship) {
  const problem = raterEligibilityProblem(relationship, nomineeFacts(tx, cycle, email))
  if (problem) throw new RuleError(problem, 'email')
}

function getRaterOfCycle(tx: Db, cycleId: number, raterId: number): Rater {
  const rater = tx
    .select()
    .from(raters)
    .where(and(eq(raters.id, raterId), eq(raters.cycleId, cycleId)))
    .get()
  if (!rater) throw new RuleError('No such rater in this cycle.', undefined, 404)
  return rater
}

/** The candidate withdraws a nomination that has not been invited yet. */
export function withdrawNomination(tx: Db, cycle: Cycle, raterId: number, now = new Date()) {
  assertNominationsOpen(cycle, now)
  const rater = getRaterOfCycle(tx, cycle.id, raterId)
  if (rater.invitedAt)
    throw new RuleError(
      'This rater has been invited already; ask your mentor to revoke the invitation.',
      undefined,
      409,
    )
  tx.delete(raters).where(eq(raters.id, raterId)).run()
  recordAudit(
    tx,
    {
      actorId: cycle.candidateId,
      action: 'rater.withdraw',
      entityType: 'cycle',
      entityId: cycle.id,
      before: { raterId, relationship: rater.relationship },
    },
    now,
  )
}

export type NominationDecision = {
  decision: 'approve' | 'reject'
  name: string
  email: string
  relationship: Relationship
}

/**
 * The mentor or HR approves (possibly after editing) or rejects a nomination. The relationship of a
 * rater who has started answering cannot change: their answers were given in that capacity.
 */
export function decideNomination(
  tx: Db,
  actorId: number,
  cycle: Cycle,
  raterId: number,
  input: NominationDecision,
  now = new Date(),
) {
  assertManager(tx, actorId, cycle)
  assertNominationsOpen(cycle, now)
  const rater = getRaterOfCycle(tx, cycle.id, raterId)
  if (rater.invitedAt && input.decision === 'reject')
    throw new RuleError('This rater is already invited; revoke the invitation instead.', undefined, 409)
  // Answers are given in a capacity, so the relationship is fixed once the rater may have answered.
  // Checked against the invitation, not the answers, so the refusal tells nobody whether they did.
  if (rater.invitedAt && input.relationship !== rater.relationship)
    throw new RuleError('This rater has been invited, so their relationship can no longer change.', 'relationship', 409)
  if (rater.invitedAt && normalizeEmail(input.email) !== rater.email)
    throw new RuleError(
      'This rater is already invited; their email cannot change. Revoke and nominate again instead.',
      'email',
      409,
    )
  if (normalizeEmail(input.email) === normalizeEmail(candidateEmailOf(tx, cycle)))
    throw new RuleError('The candidate cannot be their own rater.', 'email')
  // Changing who the rater is makes a new nomination: every eligibility rule applies to it again.
  // An approval also checks the nominee as they stand now (a role may have changed since).
  const approverEmail = tx.select({ email: people.email }).from(people).where(eq(people.id, actorId)).get()?.email ?? ''
  const selfApproval = selfApprovalProblem(approverEmail, input.email)
  if (selfApproval) throw new RuleError(selfApproval, 'email', 403)
  if (input.decision === 'approve') assertEligible(tx, cycle, input.email, input.relationship)
  assertEmailFree(tx, cycle.id, input.email, raterId)
  // Approving takes a place: re-check the maxima when the place is new (a rejected nomination
  // coming back, or a move to another relationship).
  if (input.decision === 'approve' && (rater.status === 'rejected' || input.relationship !== rater.relationship)) {
    const others = activeNominations(tx, cycle.id)
    const count = countByRelationship(others)
    if (rater.status !== 'rejected') count[rater.relationship]--
    const problem = nominationRoomProblem(count, input.relationship)
    if (problem) throw new RuleError(problem, 'relationship')
  }
  const status = input.decision === 'approve' ? 'approved' : 'rejected'
  tx.update(raters)
    .set({
      status,
      name: input.name,
      email: normalizeEmail(input.email),
      relationship: input.relationship,
      decidedBy: actorId,
      decidedAt: now.toISOString(),
    })
    .where(eq(raters.id, raterId))
    .run()
  recordAudit(
    tx,
    {
      actorId,
      action: `rater.${input.decision}`,
      entityType: 'cycle',
      entityId: cycle.id,
      before: { raterId, status: rater.status, relationship: rater.relationship },
      after: { raterId, status, relationship: input.relationship },
    },
    now,
  )
}

function candidateEmailOf(tx: Db, cycle: Cycle) {
  return tx.select({ email: people.email }).from(people).where(eq(people.id, cycle.candidateId)).get()?.email ?? ''
}

function invitationEmail(opts: {
  raterName: string
  candidateName: string
  relationship: Relationship
  dueOn: string
  link: string
  reminder: boolean
}) {
  const who =
    opts.relationship === 'manager'
      ? 'As their manager, your answers will be shown to them with your role attached.'
      : `Your answers are shown only combined with at least two other ${relationshipLabels[opts.relationship].many.toLowerCase()}' answers, never on their own, and without your name.`
  const subject = `${opts.reminder ? 'Reminder: ' : ''}Feedback for ${opts.candidateName} (due ${opts.dueOn})`
  const body = [
    `Hello ${opts.raterName},`,
    '',
    opts.reminder
      ? `A reminder: ${opts.candidateName} is asking for feedback for their development as a Single-Threaded Owner of an AI product. If you have already answered, thank you: there is nothing more to do, and this link shows your thank-you page.`
      : `${opts.candidateName} is developing as a Single-Threaded Owner (STO) of an AI product and has asked for your feedback as their ${relationshipLabels[opts.relationship].one.toLowerCase()}.`,
    '',
    'The questionnaire takes about 15 minutes. Your answers are saved as you go; the link resumes where you left off.',
    who,
    '',
    `Your personal link (do not forward it): ${opts.link}`,
    '',
    `Please answer by ${opts.dueOn}. The link stops working when the cycle closes.`,
    '',
    '— STO Pathway',
  ].join('\n')
  return { subject, body }
}

/**
 * Sends invitations to every approved, not yet invited rater, after checking the approved set meets
 * each group's minimum and maximum. The cycle moves to collecting. Returns how many were invited.
 */
export function sendInvitations(
  tx: Db,
  actorId: number,
  cycle: Cycle,
  candidateName: string,
  baseUrl: string,
  now = new Date(),
): number {
  assertManager(tx, actorId, cycle)
  assertNominationsOpen(cycle, now)
  const all = listRaters(tx, cycle.id).filter((r) => r.revokedAt === null)
  const approved = all.filter((r) => r.status === 'approved')
  const problems = approvedSetProblems(countByRelationship(approved))
  if (problems.length > 0) throw new RuleError(problems.join(' '), undefined, 409)
  const pending = approved.filter((r) => r.invitedAt === null)
  if (pending.length === 0) throw new RuleError('Every approved rater has been invited already.', undefined, 409)
  // Roles and mentors change: someone approved as a peer may have become able to read the report.
  for (const rater of pending) {
    const problem = raterEligibilityProblem(rater.relationship, nomineeFacts(tx, cycle, rater.email))
    if (problem)
      throw new RuleError(`${rater.name}: ${problem} Reject or change this nomination first.`, undefined, 409)
  }
  for (const rater of pending) {
    const token = newToken()
    tx.update(raters)
      .set({ tokenHash: hash(token), invitedAt: now.toISOString() })
      .where(eq(raters.id, rater.id))
      .run()
    const email = invitationEmail({
      raterName: rater.name,
      candidateName,
      relationship: rater.relationship,
      dueOn: cycle.dueOn,
      link: `${baseUrl}/r/${token}`,
      reminder: false,
    })
    queueEmail(
      tx,
      { kind: 'invitation', toName: rater.name, toEmail: rater.email, ...email, cycleId: cycle.id, raterId: rater.id },
      now,
    )
  }
  if (cycle.state === 'nominating') {
    tx.update(assessmentCycles)
      .set({ state: 'collecting', invitationsSentAt: now.toISOString() })
      .where(eq(assessmentCycles.id, cycle.id))
      .run()
  }
  recordAudit(
    tx,
    {
      actorId,
      action: 'cycle.invite',
      entityType: 'cycle',
      entityId: cycle.id,
      before: { state: cycle.state },
      after: { state: 'collecting', invited: pending.length },
    },
    now,
  )
  return pending.length
}

/**
 * Revokes an invitation: the link stops working at once and any answers of theirs are left out of
 * the results. Allowed whether or not they answered, so revoking reveals nothing about it.
 */
export function revokeInvitation(tx: Db, actorId: number, cycle: Cycle, raterId: number, now = new Date()) {
  assertManager(tx, actorId, cycle)
  assertNominationsOpen(cycle, now)
  const rater = getRaterOfCycle(tx, cycle.id, raterId)
  if (!rater.invitedAt) throw new RuleError('This rater has not been invited.', undefined, 409)
  if (rater.revokedAt) throw new RuleError('This invitation is already revoked.', undefined, 409)
  // The token hash stays, so the link can say "withdrawn" rather than "not valid".
  tx.update(raters)
    .set({ revokedAt: now.toISOString(), answersJson: null, commentsJson: null })
    .where(eq(raters.id, raterId))
    .run()
  tx.delete(raterSessions).where(eq(raterSessions.raterId, raterId)).run()
  recordAudit(tx, { actorId, action: 'rater.revoke', entityType: 'cycle', entityId: cycle.id, after: { raterId } }, now)
}

/**
 * One reminder to every invited rater, at most once per 48 hours per cycle. It goes to those who
 * have answered too (their link shows the thank-you page, and the email thanks them): if it went
 * only to those who have not, the delivery log and the count would tell staff who answered.
 * Returns how many were reminded: the number invited, which everyone already knows.
 */
export function remindRaters(
  tx: Db,
  actorId: number,
  cycle: Cycle,
  candidateName: string,
  baseUrl: string,
  now = new Date(),
): number {
  assertManager(tx, actorId, cycle)
  if (cycle.state !== 'collecting' || isPastDue(cycle.dueOn, now))
    throw new RuleError('Reminders go out only while feedback is being collected.', undefined, 409)
  const next = nextReminderAllowedAt(cycle.lastReminderAt, now)
  if (next)
    throw new RuleError(
      `A reminder went out less than 48 hours ago; the next one can go after ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      undefined,
      409,
    )
  const invited = listRaters(tx, cycle.id).filter((r) => r.invitedAt && !r.revokedAt)
  if (invited.length === 0) throw new RuleError('Nobody has been invited yet.', undefined, 409)
  for (const rater of invited) {
    // A fresh token per reminder: the stored hash changes, so only the newest link works.
    const token = issueRaterToken(tx, rater.id)
    const email = invitationEmail({
      raterName: rater.name,
      candidateName,
      relationship: rater.relationship,
      dueOn: cycle.dueOn,
      link: `${baseUrl}/r/${token}`,
      reminder: true,
    })
    queueEmail(
      tx,
      { kind: 'reminder', toName: rater.name, toEmail: rater.email, ...email, cycleId: cycle.id, raterId: rater.id },
      now,
    )
  }
  tx.update(assessmentCycles).set({ lastReminderAt: now.toISOString() }).where(eq(assessmentCycles.id, cycle.id)).run()
  recordAudit(
    tx,
    { actorId, action: 'cycle.remind', entityType: 'cycle', entityId: cycle.id, after: { reminded: invited.length } },
    now,
  )
  return invited.length
}

/** Counts an event against a per-key limit within a window; true when the limit is already reached. */
export function rateLimited(db: Db, key: string, limit: number, windowMs: number, now = Date.now()): boolean {
  const n =
    db
      .select({ n: sql<number>`count(*)` })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.key, key), gte(rateLimitHits.at, now - windowMs)))
      .get()?.n ?? 0
  if (n >= limit) return true
  db.insert(rateLimitHits).values({ key, at: now }).run()
  db.delete(rateLimitHits)
    .where(lt(rateLimitHits.at, now - 24 * 60 * 60 * 1000))
    .run()
  return false
}

export type TokenOutcome =
  | { ok: true; raterId: number; sessionToken: string; expiresAt: number }
  | { ok: false; reason: 'invalid' | 'revoked' | 'closed' }

/**
 * Exchanges a personal link's token for a short rater session. Submitted raters still get a session
 * (it shows them the thank-you page); links of closed or cancelled cycles do not.
 */
export function exchangeRaterToken(tx: Db, token: string, now = new Date()): TokenOutcome {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: 'invalid' }
  const row = tx
    .select({
      id: raters.id,
      revokedAt: raters.revokedAt,
      state: assessmentCycles.state,
      dueOn: assessmentCycles.dueOn,
    })
    .from(raters)
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .where(eq(raters.tokenHash, hash(token)))
    .get()
  if (!row) return { ok: false, reason: 'invalid' }
  if (row.revokedAt) return { ok: false, reason: 'revoked' }
  if (!isOpen(row.state) || isPastDue(row.dueOn, now)) return { ok: false, reason: 'closed' }
  const sessionToken = newToken()
  const expiresAt = Math.min(now.getTime() + RATER_SESSION_MS, closesAt(row.dueOn).getTime())
  tx.insert(raterSessions)
    .values({ idHash: hash(sessionToken), raterId: row.id, expiresAt })
    .run()
  tx.delete(raterSessions).where(lt(raterSessions.expiresAt, now.getTime())).run()
  return { ok: true, raterId: row.id, sessionToken, expiresAt }
}

/** The rater behind a rater-session token, with their cycle and candidate, or null. */
export function raterBySession(db: Db, sessionToken: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionToken)) return null
  const row = db
    .select({ rater: raters, cycle: assessmentCycles, candidateName: people.name, expiresAt: raterSessions.expiresAt })
    .from(raterSessions)
    .innerJoin(raters, eq(raters.id, raterSessions.raterId))
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .innerJoin(people, eq(people.id, assessmentCycles.candidateId))
    .where(eq(raterSessions.idHash, hash(sessionToken)))
    .get()
  if (!row || row.expiresAt <= now.getTime() || row.rater.revokedAt) return null
  return row
}

/** Saves a rater's draft, or submits it (final). A second submit changes nothing and says so. */
export function saveRaterAnswers(
  tx: Db,
  raterId: number,
  input: { answers: Answers; comments: Record<string, string>; unanswered: string[]; submit: boolean },
  now = new Date(),
): 'saved' | 'submitted' | 'already-submitted' {
  const row = tx
    .select({ rater: raters, cycle: assessmentCycles })
    .from(raters)
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .where(eq(raters.id, raterId))
    .get()
  if (!row || row.rater.revokedAt) throw new RuleError('This invitation was withdrawn.', undefined, 409)
  if (row.rater.submittedAt) return 'already-submitted'
  if (!isOpen(row.cycle.state) || isPastDue(row.cycle.dueOn, now))
    throw new RuleError('This feedback request has closed; answers can no longer be saved.', undefined, 409)
  if (input.submit && input.unanswered.length > 0)
    throw new RuleError(
      `Answer every statement before submitting (${input.unanswered.length} left). Choose "Not observed" where you have not seen it.`,
    )
  tx.update(raters)
    .set({
      answersJson: JSON.stringify(input.answers),
      commentsJson: JSON.stringify(input.comments),
      draftSavedAt: now.toISOString(),
      submittedAt: input.submit ? now.toISOString() : null,
    })
    .where(eq(raters.id, raterId))
    .run()
  return input.submit ? 'submitted' : 'saved'
}

/** Open cycles of a mentor's mentees with nominations awaiting their decision. */
export function pendingApprovalsForMentor(db: Db, mentorId: number) {
  return db
    .select({ cycleId: assessmentCycles.id, candidateName: people.name, proposed: sql<number>`count(*)` })
    .from(raters)
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .innerJoin(people, eq(people.id, assessmentCycles.candidateId))
    .innerJoin(candidateProfiles, eq(candidateProfiles.personId, assessmentCycles.candidateId))
    .where(
      and(
        eq(candidateProfiles.mentorId, mentorId),
        eq(raters.status, 'proposed'),
        sql`${assessmentCycles.state} in ('nominating', 'collecting')`,
      ),
    )
    .groupBy(assessmentCycles.id, people.name)
    .all()
}
