/**
 * Erasure of one person: blanks what identifies them and what they wrote, and keeps the records
 * that other people's careers rest on (sign-offs, decisions, frozen reports). Who may erase is the
 * route's job; these functions take a person id.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import { type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { assessmentCycles, outbox, raters, raterSessions, selfAssessments } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { loginAttempts, sessions } from '#db/schema/auth'
import { people, roleAssignments } from '#db/schema/people'
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
} from '#db/schema/program'
import { isOpen } from '~/domain/assessment/cycle'
import type { Db } from '~/utils/db.server'
import { endAllSessionsOf } from '~/utils/session.server'
import { removeStoredFile } from '~/utils/uploads.server'
import { cancelCycle } from './assessments.server'
import { recordAudit, redactAuditEntries } from './audit.server'
import { RuleError } from '~/domain/errors'
import { listMentees } from './people.server'
import { currentEnrollment, withdrawEnrollment } from './program.server'
import { redactSignoffNotes } from './milestones.server'

export const ERASED = '[erased]'
export const erasedName = (personId: number) => `Erased person #${personId}`
export const erasedEmail = (personId: number) => `erased-${personId}@erased.invalid`
const erasedRaterEmail = (raterId: number) => `erased-rater-${raterId}@erased.invalid`
export const isErased = (person: { id: number; email: string }) => person.email === erasedEmail(person.id)
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
