/**
 * Data-access requests and erasure of one person. The export gathers what is stored about them as
 * a candidate, mentor, approver or rater — but never another rater's identity or answers (decision
 * 0009), and of their own rating of others only counts: their answers are shown to them alone, on
 * their account page (`ownFeedbackGiven`, decision 0014 amended). Erasure blanks what identifies them and what they wrote, and keeps the records that other
 * people's careers rest on (sign-offs, decisions, frozen reports). Who may do either is the
 * route's job; these functions take a person id.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import { alias, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { assessmentCycles, outbox, raters, raterSessions, selfAssessments } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { loginAttempts, sessions } from '#db/schema/auth'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import {
  advancements,
  certificates,
  enrolmentProposals,
  enrollments,
  evidenceFiles,
  milestones,
  milestoneSubmissions,
  pauses,
  planItemComments,
  planItems,
  signoffs,
  stagePeriods,
} from '#db/schema/program'
import { isOpen } from '~/domain/assessment/cycle'
import type { Report } from '~/domain/assessment/scoring'
import { relationships, type Answers } from '~/domain/assessment/types'
import type { Db } from '~/utils/db.server'
import { endAllSessionsOf } from '~/utils/session.server'
import { removeStoredFile } from '~/utils/uploads.server'
import { cancelCycle } from './assessments.server'
import { recordAudit, redactAuditEntries } from './audit.server'
import { RuleError } from '~/domain/errors'
import { getCandidateProfile, listMentees } from './people.server'
import { currentEnrollment, withdrawEnrollment } from './program.server'
import { redactSignoffNotes } from './milestones.server'
import { groupBy } from '~/domain/collections'

export const ERASED = '[erased]'
export const EXPORT_FORMAT = 'sto-pathway/person-export@1'
export const erasedName = (personId: number) => `Erased person #${personId}`
export const erasedEmail = (personId: number) => `erased-${personId}@erased.invalid`
const erasedRaterEmail = (raterId: number) => `erased-rater-${raterId}@erased.invalid`
export const isErased = (person: { id: number; email: string }) => person.email === erasedEmail(person.id)

const parse = <T>(json: string | null, fallback: T): T => (json === null ? fallback : (JSON.parse(json) as T))

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Their enrollments with everything the program recorded about them, as the timeline shows it. */
function programOf(db: Db, personId: number) {
  const enrollmentRows = db
    .select()
    .from(enrollments)
    .where(eq(enrollments.candidateId, personId))
    .orderBy(asc(enrollments.id))
    .all()
  const enrollmentIds = enrollmentRows.map((e) => e.id)
  const periods = groupBy(
    db
      .select()
      .from(stagePeriods)
      .where(inArray(stagePeriods.enrollmentId, enrollmentIds))
      .orderBy(asc(stagePeriods.id))
      .all(),
    (p) => p.enrollmentId,
  )
  const pauseRows = groupBy(
    db.select().from(pauses).where(inArray(pauses.enrollmentId, enrollmentIds)).orderBy(asc(pauses.id)).all(),
    (p) => p.enrollmentId,
  )
  const recommender = alias(people, 'recommender')
  const decider = alias(people, 'decider')
  const advancementRows = groupBy(
    db
      .select({ advancement: advancements, recommendedByName: recommender.name, decidedByName: decider.name })
      .from(advancements)
      .leftJoin(recommender, eq(recommender.id, advancements.recommendedBy))
      .leftJoin(decider, eq(decider.id, advancements.decidedBy))
      .where(inArray(advancements.enrollmentId, enrollmentIds))
      .orderBy(asc(advancements.id))
      .all()
      .map((a) => ({
        ...a.advancement,
        gate: parse<unknown>(a.advancement.gateJson, null),
        gateJson: undefined,
        recommendedByName: a.recommendedByName,
        decidedByName: a.decidedByName,
      })),
    (a) => a.enrollmentId,
  )
  const certificateRows = groupBy(
    db
      .select()
      .from(certificates)
      .where(eq(certificates.candidateId, personId))
      .all()
      .map((c) => ({ ...c, riskTiers: parse<string[]>(c.riskTiersJson, []), riskTiersJson: undefined })),
    (c) => c.enrollmentId,
  )
  const milestonesByEnrollment = groupBy(milestonesOf(db, personId), (m) => m.enrollmentId)
  return enrollmentRows.map((e) => ({
    ...e,
    stagePeriods: (periods.get(e.id) ?? []).map((p) => ({
      ...p,
      certifiedTiers: parse<string[] | null>(p.certifiedTiersJson, null),
      certifiedTiersJson: undefined,
    })),
    pauses: pauseRows.get(e.id) ?? [],
    milestones: milestonesByEnrollment.get(e.id) ?? [],
    advancements: advancementRows.get(e.id) ?? [],
    certificates: certificateRows.get(e.id) ?? [],
  }))
}

/** Milestones with every submission, the metadata of its files (never the bytes) and the sign-offs received. */
function milestonesOf(db: Db, personId: number) {
  const rows = db
    .select()
    .from(milestones)
    .where(eq(milestones.candidateId, personId))
    .orderBy(asc(milestones.id))
    .all()
  const ids = rows.map((m) => m.id)
  const submissions = db
    .select()
    .from(milestoneSubmissions)
    .where(inArray(milestoneSubmissions.milestoneId, ids))
    .orderBy(asc(milestoneSubmissions.id))
    .all()
  const files = groupBy(
    db
      .select({
        id: evidenceFiles.id,
        submissionId: evidenceFiles.submissionId,
        fileName: evidenceFiles.fileName,
        contentType: evidenceFiles.contentType,
        sizeBytes: evidenceFiles.sizeBytes,
        sha256: evidenceFiles.sha256,
        createdAt: evidenceFiles.createdAt,
      })
      .from(evidenceFiles)
      .where(
        inArray(
          evidenceFiles.submissionId,
          submissions.map((s) => s.id),
        ),
      )
      .orderBy(asc(evidenceFiles.id))
      .all(),
    (f) => f.submissionId,
  )
  const bySubmission = groupBy(
    submissions.map((s) => ({
      ...s,
      links: parse<string[]>(s.linksJson, []),
      linksJson: undefined,
      files: files.get(s.id) ?? [],
    })),
    (s) => s.milestoneId,
  )
  const signer = alias(people, 'signer')
  const log = groupBy(
    db
      .select({ entry: signoffs, byName: signer.name })
      .from(signoffs)
      .innerJoin(signer, eq(signer.id, signoffs.byId))
      .where(inArray(signoffs.milestoneId, ids))
      .orderBy(asc(signoffs.id))
      .all()
      .map((s) => ({ ...s.entry, byName: s.byName })),
    (s) => s.milestoneId,
  )
  return rows.map((m) => ({ ...m, submissions: bySubmission.get(m.id) ?? [], signoffsReceived: log.get(m.id) ?? [] }))
}

/** Their plan with every comment on it (theirs and their mentor's or HR's). */
function planOf(db: Db, personId: number) {
  const items = db.select().from(planItems).where(eq(planItems.candidateId, personId)).orderBy(asc(planItems.id)).all()
  const author = alias(people, 'author')
  const comments = groupBy(
    db
      .select({ comment: planItemComments, authorName: author.name })
      .from(planItemComments)
      .innerJoin(author, eq(author.id, planItemComments.authorId))
      .where(
        inArray(
          planItemComments.planItemId,
          items.map((i) => i.id),
        ),
      )
      .orderBy(asc(planItemComments.id))
      .all()
      .map((c) => ({ ...c.comment, authorName: c.authorName })),
    (c) => c.planItemId,
  )
  return items.map((i) => ({ ...i, comments: comments.get(i.id) ?? [] }))
}

/**
 * Their 360 cycles: the frozen report (already confidential), their own self-assessment, and of
 * the raters only counts per relationship — the nominations they made, by status, and for a closed
 * cycle the responses of each group the frozen report shows (a hidden group is "not shown", with
 * no count). Never a rater's name, email, answers or comments, and never an invited/answered count
 * of an open cycle or of a hidden group: with the nomination list, that tells whether one named
 * rater answered (issue 11).
 */
function cyclesAsCandidate(db: Db, personId: number) {
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
function feedbackGiven(db: Db, email: string) {
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

/** What they decided about others, as mentor or approver. Rater decisions are counts only. */
function decisionsMade(db: Db, personId: number) {
  const candidate = alias(people, 'candidate')
  const signoffsGiven = db
    .select({
      id: signoffs.id,
      milestoneId: signoffs.milestoneId,
      milestoneTitle: milestones.title,
      candidateId: milestones.candidateId,
      candidateName: candidate.name,
      kind: signoffs.kind,
      role: signoffs.role,
      at: signoffs.at,
      note: signoffs.note,
      revokesId: signoffs.revokesId,
    })
    .from(signoffs)
    .innerJoin(milestones, eq(milestones.id, signoffs.milestoneId))
    .innerJoin(candidate, eq(candidate.id, milestones.candidateId))
    .where(eq(signoffs.byId, personId))
    .orderBy(asc(signoffs.id))
    .all()
  const advancementsDecided = db
    .select({ advancement: advancements, candidateId: enrollments.candidateId, candidateName: candidate.name })
    .from(advancements)
    .innerJoin(enrollments, eq(enrollments.id, advancements.enrollmentId))
    .innerJoin(candidate, eq(candidate.id, enrollments.candidateId))
    .where(or(eq(advancements.recommendedBy, personId), eq(advancements.decidedBy, personId)))
    .orderBy(asc(advancements.id))
    .all()
    .map(({ advancement: { gateJson, ...a }, ...rest }) => ({ ...a, ...rest, gate: parse<unknown>(gateJson, null) }))
  const certificatesApproved = db
    .select({
      id: certificates.id,
      candidateId: certificates.candidateId,
      candidateName: candidate.name,
      issuedOn: certificates.issuedOn,
    })
    .from(certificates)
    .innerJoin(candidate, eq(candidate.id, certificates.candidateId))
    .where(eq(certificates.approverId, personId))
    .all()
  const planCommentsWritten = db
    .select({
      id: planItemComments.id,
      planItemId: planItemComments.planItemId,
      candidateId: planItems.candidateId,
      candidateName: candidate.name,
      body: planItemComments.body,
      createdAt: planItemComments.createdAt,
    })
    .from(planItemComments)
    .innerJoin(planItems, eq(planItems.id, planItemComments.planItemId))
    .innerJoin(candidate, eq(candidate.id, planItems.candidateId))
    .where(and(eq(planItemComments.authorId, personId), sql`${planItems.candidateId} != ${personId}`))
    .orderBy(asc(planItemComments.id))
    .all()
  const nominationDecisions = db
    .select({ status: raters.status, n: sql<number>`count(*)` })
    .from(raters)
    .where(eq(raters.decidedBy, personId))
    .groupBy(raters.status)
    .all()
  const mentees = db
    .select({ id: people.id, name: people.name, active: people.active })
    .from(candidateProfiles)
    .innerJoin(people, eq(people.id, candidateProfiles.personId))
    .where(eq(candidateProfiles.mentorId, personId))
    .orderBy(asc(people.name))
    .all()
  return {
    mentees,
    signoffsGiven,
    advancements: advancementsDecided,
    certificatesApproved,
    planCommentsWritten,
    nominationDecisions,
  }
}

/**
 * Audit entries with them as actor, or about them as a person or candidate. An entry they made
 * about another person (an admin editing someone) carries that person's name and email, so its
 * payload is left out.
 */
function auditOf(db: Db, personId: number) {
  const aboutThem = and(inArray(auditLog.entityType, ['person', 'candidate']), eq(auditLog.entityId, String(personId)))
  return db
    .select()
    .from(auditLog)
    .where(or(eq(auditLog.actorId, personId), aboutThem))
    .orderBy(asc(auditLog.id))
    .all()
    .map((e) => {
      const aboutOther = e.entityType === 'person' && e.entityId !== String(personId)
      return {
        id: e.id,
        at: e.at,
        actorId: e.actorId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: aboutOther ? '[about another person: left out]' : parse<unknown>(e.before, null),
        after: aboutOther ? '[about another person: left out]' : parse<unknown>(e.after, null),
      }
    })
}

/** Everything stored about one person, as one JSON-ready object; null when there is no such person. */
export function personExport(db: Db, personId: number, now = new Date()) {
  const person = db.select().from(people).where(eq(people.id, personId)).get()
  if (!person) return null
  const { passwordHash, ...record } = person
  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    notes: [
      'Evidence files are listed with their name, size and SHA-256; the files themselves are not included.',
      'Of the raters of your 360 cycles only counts per relationship are included — the nominations made, and for a closed cycle the responses of each group its report shows (other groups are “not shown”): their names, addresses and answers are theirs and stay confidential; your reports show the combined results.',
      'Of the feedback you gave as a rater only the number of cycles you were nominated and invited in is included. Your own answers are shown only to you: log in and open “Feedback you gave” on your account page.',
    ],
    person: { ...record, hasPassword: passwordHash !== null },
    roles: db
      .select({ role: roleAssignments.role, grantedAt: roleAssignments.grantedAt })
      .from(roleAssignments)
      .where(eq(roleAssignments.personId, personId))
      .all(),
    candidateProfile: getCandidateProfile(db, personId),
    program: {
      enrollments: programOf(db, personId),
      enrolmentProposals: db
        .select()
        .from(enrolmentProposals)
        .where(eq(enrolmentProposals.candidateId, personId))
        .orderBy(asc(enrolmentProposals.id))
        .all(),
      plan: planOf(db, personId),
    },
    assessments: { cycles: cyclesAsCandidate(db, personId), feedbackGiven: feedbackGiven(db, person.email) },
    asMentorOrApprover: decisionsMade(db, personId),
    audit: auditOf(db, personId),
  }
}

export type PersonExport = NonNullable<ReturnType<typeof personExport>>

// ---------------------------------------------------------------------------------------------
// A rater's own answers (their account page only)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Erasure
// ---------------------------------------------------------------------------------------------

/** Why this person may not be erased by `actorId`, or null. Shared by the confirmation page and the erasure. */
export function erasureRefusal(db: Db, actorId: number, personId: number): RuleError | null {
  const person = db
    .select({ id: people.id, email: people.email, active: people.active })
    .from(people)
    .where(eq(people.id, personId))
    .get()
  if (!person) return new RuleError('There is no person with that id.', undefined, 404)
  if (isErased(person)) return new RuleError('This person’s data has already been erased.', undefined, 409)
  if (personId === actorId) return new RuleError('You cannot erase yourself; ask another admin.')
  const certified =
    db
      .select({ id: certificates.id })
      .from(certificates)
      .where(eq(certificates.candidateId, personId))
      .limit(1)
      .get() ??
    db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(eq(enrollments.candidateId, personId), eq(enrollments.status, 'certified')))
      .limit(1)
      .get()
  if (certified)
    return new RuleError(
      'This person completed a certification. Certificates must stay attributable to the person certified, so their data cannot be erased.',
      undefined,
      409,
    )
  const isAdmin = db
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.personId, personId), eq(roleAssignments.role, 'admin')))
    .get()
  if (isAdmin && person.active) {
    const activeAdmins =
      db
        .select({ n: sql<number>`count(*)` })
        .from(roleAssignments)
        .innerJoin(people, eq(people.id, roleAssignments.personId))
        .where(and(eq(roleAssignments.role, 'admin'), eq(people.active, true)))
        .get()?.n ?? 0
    if (activeAdmins <= 1)
      return new RuleError('This is the last active admin; give someone else the admin role first.', undefined, 409)
  }
  const mentees = listMentees(db, personId).length
  if (mentees > 0)
    return new RuleError(
      `This person mentors ${mentees} active candidate(s); assign them another mentor first.`,
      undefined,
      409,
    )
  return null
}

/** What an erasure would blank or remove, for the confirmation page. */
export function erasurePreview(db: Db, personId: number) {
  const person = db.select({ email: people.email }).from(people).where(eq(people.id, personId)).get()
  const n = (table: SQLiteTable, where: ReturnType<typeof eq>) =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(table)
      .where(where)
      .get()?.n ?? 0
  const theirSubmissions = db
    .select({ id: milestoneSubmissions.id })
    .from(milestoneSubmissions)
    .where(eq(milestoneSubmissions.submittedBy, personId))
  return {
    submissions: n(milestoneSubmissions, eq(milestoneSubmissions.submittedBy, personId)),
    files: n(evidenceFiles, inArray(evidenceFiles.submissionId, theirSubmissions)),
    planItems: n(planItems, eq(planItems.candidateId, personId)),
    planComments: n(planItemComments, eq(planItemComments.authorId, personId)),
    selfAssessments: n(
      selfAssessments,
      inArray(
        selfAssessments.cycleId,
        db.select({ id: assessmentCycles.id }).from(assessmentCycles).where(eq(assessmentCycles.candidateId, personId)),
      ),
    ),
    raterRows: person ? n(raters, eq(sql`lower(${raters.email})`, person.email.toLowerCase())) : 0,
  }
}

/** Replaces every non-empty text value of a JSON object (comments per domain) with the erased marker. */
function blankValues(json: string | null): string | null {
  if (json === null) return null
  const value = JSON.parse(json) as Record<string, unknown>
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, typeof v === 'string' && v.trim() !== '' ? ERASED : v]),
    ),
  )
}

/**
 * Free text written by other people, where the erased person may be named: a mention of their
 * full name (or email) becomes the erased label. Sign-off notes are not here: the sign-off log is
 * append-only by design (migration 0004), like the audit log.
 */
const mentionColumns: Array<[SQLiteTable, SQLiteColumn]> = [
  [advancements, advancements.gateJson],
  [advancements, advancements.recommendationNote],
  [advancements, advancements.decisionNote],
  [advancements, advancements.overrideReason],
  [planItemComments, planItemComments.body],
  [planItems, planItems.action],
  [milestoneSubmissions, milestoneSubmissions.summary],
  [milestones, milestones.title],
  [milestones, milestones.description],
  [pauses, pauses.reason],
  [enrollments, enrollments.startReason],
  [enrollments, enrollments.endReason],
  [enrolmentProposals, enrolmentProposals.reason],
  [enrolmentProposals, enrolmentProposals.decisionNote],
  [assessmentCycles, assessmentCycles.cancelReason],
  [assessmentCycles, assessmentCycles.reportJson],
  [raters, raters.commentsJson],
  [outbox, outbox.subject],
  [outbox, outbox.body],
  [outbox, outbox.toName],
  // A status message waiting in someone's session ("Rhea Vandermeer approved.").
  [sessions, sessions.flash],
]

/** A short name ("Al") would also match inside unrelated words; below this length mentions are left alone. */
const MIN_SCRUBBED_NAME = 4

function scrubMentions(tx: Db, needles: string[], label: string): number {
  // JSON columns hold a name as JSON.stringify writes it (quotes and backslashes escaped).
  const forms = [
    ...new Set(
      needles.filter((s) => s.length >= MIN_SCRUBBED_NAME).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]),
    ),
  ]
  let changed = 0
  for (const needle of forms)
    for (const [table, column] of mentionColumns)
      changed += tx.run(
        sql`update ${table} set ${sql.identifier(column.name)} = replace(${column}, ${needle}, ${label}) where instr(${column}, ${needle}) > 0`,
      ).changes
  return changed
}

export type ErasureResult = {
  /** SHA-256 of the evidence files whose rows were deleted: delete each file once nothing refers to it (after commit). */
  fileHashes: string[]
  counts: Record<string, number>
}

/**
 * Erases a person in the caller's transaction. Kept: the person row (id, roles, candidate
 * profile, dates) so sign-offs, decisions and the audit log still read "Erased person #id";
 * numbers (answers, scores) and frozen reports, which identify nobody without the name.
 * Blanked: name, email, password, sessions, and everything they wrote.
 */
export function erasePerson(tx: Db, actorId: number, personId: number, now = new Date()): ErasureResult {
  const refusal = erasureRefusal(tx, actorId, personId)
  if (refusal) throw refusal
  const person = tx.select().from(people).where(eq(people.id, personId)).get()!
  const label = erasedName(personId)
  const at = now.toISOString()
  const reason = 'The person’s data was erased on request.'
  // Audit entries written before this erasure that are about them or carry their name or email;
  // their payloads are blanked by a recorded redaction at the end (decision 0014).
  const needles = [person.email, ...(person.name.length >= 4 ? [person.name] : [])]
  const aboutThem = auditEntriesMentioning(tx, personId, needles)
  const notesAboutThem = signoffNotesMentioning(tx, personId, needles)

  // They cannot go on in the program or be assessed: end what is open, through the usual steps.
  const enrollmentWithdrawn = currentEnrollment(tx, personId) !== null
  if (enrollmentWithdrawn) withdrawEnrollment(tx, actorId, personId, reason, now)
  // A later start still waiting for its confirmation can no longer be confirmed.
  const proposalsCancelled = tx
    .update(enrolmentProposals)
    .set({ status: 'cancelled', decidedBy: actorId, decidedAt: at, decisionNote: reason })
    .where(and(eq(enrolmentProposals.candidateId, personId), eq(enrolmentProposals.status, 'pending')))
    .run().changes
  const cycleIds = tx
    .select({ id: assessmentCycles.id, state: assessmentCycles.state })
    .from(assessmentCycles)
    .where(eq(assessmentCycles.candidateId, personId))
    .all()
  const openCycles = cycleIds.filter((c) => isOpen(c.state))
  for (const c of openCycles) cancelCycle(tx, actorId, c.id, reason, now)

  // What they wrote as a candidate.
  const theirSubmissions = tx
    .select({ id: milestoneSubmissions.id })
    .from(milestoneSubmissions)
    .where(eq(milestoneSubmissions.submittedBy, personId))
  const files = tx
    .select({ id: evidenceFiles.id, sha256: evidenceFiles.sha256 })
    .from(evidenceFiles)
    .where(inArray(evidenceFiles.submissionId, theirSubmissions))
    .all()
  tx.delete(evidenceFiles)
    .where(
      inArray(
        evidenceFiles.id,
        files.map((f) => f.id),
      ),
    )
    .run()
  const submissions = tx
    .update(milestoneSubmissions)
    .set({ summary: ERASED, linksJson: '[]' })
    .where(eq(milestoneSubmissions.submittedBy, personId))
    .run().changes
  const items = tx
    .update(planItems)
    .set({ action: ERASED, updatedAt: at })
    .where(eq(planItems.candidateId, personId))
    .run().changes
  const comments = tx
    .update(planItemComments)
    .set({ body: ERASED })
    .where(eq(planItemComments.authorId, personId))
    .run().changes
  let selfComments = 0
  for (const s of tx
    .select()
    .from(selfAssessments)
    .where(
      inArray(
        selfAssessments.cycleId,
        cycleIds.map((c) => c.id),
      ),
    )
    .all()) {
    tx.update(selfAssessments)
      .set({ commentsJson: blankValues(s.commentsJson)! })
      .where(eq(selfAssessments.cycleId, s.cycleId))
      .run()
    selfComments++
  }

  // Where they were a rater: anonymous from now on. A closed cycle keeps their scores (its report is
  // frozen and no longer names anyone); an open one drops them, as a revocation does.
  const raterRows = tx
    .select({
      id: raters.id,
      state: assessmentCycles.state,
      revokedAt: raters.revokedAt,
      commentsJson: raters.commentsJson,
    })
    .from(raters)
    .innerJoin(assessmentCycles, eq(assessmentCycles.id, raters.cycleId))
    .where(eq(sql`lower(${raters.email})`, person.email.toLowerCase()))
    .all()
  for (const r of raterRows) {
    const open = isOpen(r.state)
    tx.update(raters)
      .set({
        name: 'Erased rater',
        email: erasedRaterEmail(r.id),
        commentsJson: open ? null : blankValues(r.commentsJson),
        ...(open ? { answersJson: null, draftSavedAt: null, revokedAt: r.revokedAt ?? at } : {}),
      })
      .where(eq(raters.id, r.id))
      .run()
    tx.update(outbox)
      .set({ toName: 'Erased rater', toEmail: erasedRaterEmail(r.id) })
      .where(eq(outbox.raterId, r.id))
      .run()
  }
  const raterIds = raterRows.map((r) => r.id)
  // Rows they linked to their account (from their account page) are no longer theirs to read.
  // Not counted: the count would tell the admin that they had opened their link.
  tx.update(raters).set({ personId: null, linkedAt: null }).where(eq(raters.personId, personId)).run()
  // Mail to them whose rater row is gone (or never linked) still carries their address.
  tx.update(outbox)
    .set({ toName: 'Erased rater', toEmail: erasedEmail(personId) })
    .where(eq(sql`lower(${outbox.toEmail})`, person.email.toLowerCase()))
    .run()
  tx.delete(raterSessions).where(inArray(raterSessions.raterId, raterIds)).run()
  // Mail not yet sent that names them, or goes to them, is not sent.
  tx.update(outbox)
    .set({ status: 'failed', lastError: 'Not sent: personal data erased.' })
    .where(
      and(
        eq(outbox.status, 'queued'),
        or(
          inArray(outbox.raterId, raterIds),
          inArray(
            outbox.cycleId,
            cycleIds.map((c) => c.id),
          ),
        ),
      ),
    )
    .run()

  const mentions = scrubMentions(tx, [person.name, person.email], label)

  // The person: no name, no email, no way in. Roles and profile stay so history reads sensibly;
  // without a password and deactivated, the roles grant nothing.
  tx.update(people)
    .set({ name: label, email: erasedEmail(personId), passwordHash: null, active: false, updatedAt: at })
    .where(eq(people.id, personId))
    .run()
  endAllSessionsOf(personId, tx)
  tx.delete(loginAttempts).where(eq(loginAttempts.email, person.email.toLowerCase())).run()

  const auditRedacted = redactAuditEntries(tx, actorId, aboutThem, reason, now)
  const signoffNotes = redactSignoffNotes(tx, actorId, notesAboutThem, reason, now)
  const counts = {
    submissions,
    evidenceFiles: files.length,
    planItems: items,
    planComments: comments,
    selfAssessments: selfComments,
    raterRows: raterRows.length,
    cyclesCancelled: openCycles.length,
    enrollmentsWithdrawn: enrollmentWithdrawn ? 1 : 0,
    proposalsCancelled,
    mentions,
    auditRedacted,
    signoffNotes,
  }
  // Ids and counts only: the entry must not bring back what was just erased.
  recordAudit(tx, { actorId, action: 'privacy.erase', entityType: 'person', entityId: personId, after: counts }, now)
  return { fileHashes: [...new Set(files.map((f) => f.sha256))], counts }
}

/** Sign-offs with a note on this person's milestones, or whose note contains one of `needles`. */
function signoffNotesMentioning(tx: Db, personId: number, needles: string[]) {
  const theirMilestones = tx.select({ id: milestones.id }).from(milestones).where(eq(milestones.candidateId, personId))
  return tx
    .select({ id: signoffs.id })
    .from(signoffs)
    .where(
      and(
        sql`${signoffs.note} is not null and ${signoffs.note} != '[erased]'`,
        or(
          inArray(signoffs.milestoneId, theirMilestones),
          ...needles.map((n) => sql`instr(lower(${signoffs.note}), ${n.toLowerCase()}) > 0`),
        ),
      ),
    )
    .all()
    .map((r) => r.id)
}

/** Ids of audit entries about this person (as the entity) or whose payload contains one of `needles`. */
function auditEntriesMentioning(tx: Db, personId: number, needles: string[]) {
  const payload = sql`lower(coalesce(${auditLog.before}, '') || ' ' || coalesce(${auditLog.after}, ''))`
  return tx
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      or(
        and(inArray(auditLog.entityType, ['person', 'candidate']), eq(auditLog.entityId, String(personId))),
        ...needles.map((n) => sql`instr(${payload}, ${n.toLowerCase()}) > 0`),
      ),
    )
    .all()
    .map((r) => r.id)
}

/**
 * After the erasure has committed: deletes each stored file no evidence row refers to any more
 * (files are stored once per content, so another submission may share one). Returns the removed hashes.
 * A file that cannot be deleted now is left to `npm run maintenance`, which sweeps unreferenced files.
 */
export function removeUnreferencedFiles(db: Db, hashes: string[]): string[] {
  const removed: string[] = []
  for (const sha256 of new Set(hashes)) {
    if (db.select({ id: evidenceFiles.id }).from(evidenceFiles).where(eq(evidenceFiles.sha256, sha256)).limit(1).get())
      continue
    if (removeStoredFile(sha256)) removed.push(sha256)
  }
  return removed
}
