/**
 * Data-access requests: the export gathers what is stored about one person as a candidate, mentor,
 * approver or rater — but never another rater's identity or answers (decision 0009), and of their
 * own rating of others only counts: their answers are shown to them alone, on their account page
 * (`ownFeedbackGiven` in own-feedback.server.ts, decision 0014 amended). Who may export is the
 * route's job; these functions take a person id.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
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
import type { Db } from '~/utils/db.server'
import { getCandidateProfile } from './people.server'
import { groupBy } from '~/domain/collections'
import { cyclesAsCandidate, feedbackGiven } from './export-assessments.server'

export const EXPORT_FORMAT = 'sto-pathway/person-export@1'

const parse = <T>(json: string | null, fallback: T): T => (json === null ? fallback : (JSON.parse(json) as T))

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
