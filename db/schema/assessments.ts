import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { cycleStates, type CycleState } from '../../app/domain/assessment/cycle'
import { people } from './people'

// The states are a domain rule (app/domain is pure and imports no schema); the column uses them.
export { cycleStates, type CycleState }
export const raterRelationships = ['manager', 'peer', 'direct_report', 'stakeholder'] as const
export const nominationStatuses = ['proposed', 'approved', 'rejected'] as const

/**
 * One 360 assessment of one candidate. The framework version and the candidate's stage are
 * recorded at open; the report is computed once at close and frozen in `report_json`.
 */
export const assessmentCycles = sqliteTable(
  'assessment_cycles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => people.id),
    frameworkVersion: text('framework_version').notNull(),
    stage: text('stage').notNull(),
    state: text('state', { enum: cycleStates }).notNull(),
    /** Last day raters may answer (YYYY-MM-DD); the cycle closes when the day is over (UTC). */
    dueOn: text('due_on').notNull(),
    openedBy: integer('opened_by').references(() => people.id),
    openedAt: text('opened_at').notNull(),
    invitationsSentAt: text('invitations_sent_at'),
    closedAt: text('closed_at'),
    /** null with a closedAt: closed by the system when the due date passed. */
    closedBy: integer('closed_by').references(() => people.id),
    cancelledAt: text('cancelled_at'),
    cancelReason: text('cancel_reason'),
    lastReminderAt: text('last_reminder_at'),
    reportJson: text('report_json'),
  },
  (t) => [
    index('assessment_cycles_candidate_idx').on(t.candidateId, t.id),
    index('assessment_cycles_state_idx').on(t.state, t.dueOn),
    // At most one open cycle per candidate: opening a second is refused by the database too.
    uniqueIndex('assessment_cycles_one_open_idx')
      .on(t.candidateId)
      .where(sql`state in ('nominating', 'collecting')`),
    check('assessment_cycles_state_check', sql`${t.state} in ('nominating', 'collecting', 'closed', 'cancelled')`),
  ],
)

/** The candidate's own answers: statement id -> 1..5 or null ("not observed"), and a comment per domain. */
export const selfAssessments = sqliteTable('self_assessments', {
  cycleId: integer('cycle_id')
    .primaryKey()
    .references(() => assessmentCycles.id, { onDelete: 'cascade' }),
  answersJson: text('answers_json').notNull(),
  commentsJson: text('comments_json').notNull(),
  updatedAt: text('updated_at').notNull(),
  submittedAt: text('submitted_at'),
})

/**
 * A rater of one cycle: nominated by the candidate, approved or rejected by the mentor or HR,
 * invited with a personal link (only the token's SHA-256 is stored), then their draft and answers.
 */
export const raters = sqliteTable(
  'raters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => assessmentCycles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    relationship: text('relationship', { enum: raterRelationships }).notNull(),
    status: text('status', { enum: nominationStatuses }).notNull(),
    nominatedAt: text('nominated_at').notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    decidedAt: text('decided_at'),
    tokenHash: text('token_hash'),
    invitedAt: text('invited_at'),
    revokedAt: text('revoked_at'),
    answersJson: text('answers_json'),
    commentsJson: text('comments_json'),
    draftSavedAt: text('draft_saved_at'),
    submittedAt: text('submitted_at'),
    /**
     * The account the rater linked this row to, from their account page while holding a live
     * rater session of this row and logged in with its email (decision 0014, amended): only then
     * do they see their own answers there. Never set from an email alone.
     */
    personId: integer('person_id').references(() => people.id),
    linkedAt: text('linked_at'),
  },
  (t) => [
    index('raters_cycle_idx').on(t.cycleId, t.relationship),
    index('raters_person_idx').on(t.personId),
    uniqueIndex('raters_cycle_email_unique').on(t.cycleId, sql`lower(${t.email})`),
    uniqueIndex('raters_token_unique').on(t.tokenHash),
    check('raters_relationship_check', sql`${t.relationship} in ('manager', 'peer', 'direct_report', 'stakeholder')`),
    check('raters_status_check', sql`${t.status} in ('proposed', 'approved', 'rejected')`),
  ],
)

/** Short-lived rater sessions: the cookie a personal link is exchanged for. Times in epoch ms. */
export const raterSessions = sqliteTable(
  'rater_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    raterId: integer('rater_id')
      .notNull()
      .references(() => raters.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('rater_sessions_rater_idx').on(t.raterId)],
)

/**
 * The frozen per-capability figures of a closed cycle, for pipeline analytics without reading
 * answers. Hidden groups are null, exactly as in the report.
 */
export const cycleResults = sqliteTable(
  'cycle_results',
  {
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => assessmentCycles.id, { onDelete: 'cascade' }),
    capabilityId: text('capability_id').notNull(),
    self: real('self'),
    othersMean: real('others_mean'),
    othersN: integer('others_n').notNull(),
    managerMean: real('manager_mean'),
    peerMean: real('peer_mean'),
    directReportMean: real('direct_report_mean'),
    stakeholderMean: real('stakeholder_mean'),
    target: real('target'),
    gap: real('gap'),
  },
  (t) => [primaryKey({ columns: [t.cycleId, t.capabilityId] })],
)

/** Every email the app sends, kept in the same transaction as the change that caused it. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdAt: text('created_at').notNull(),
    kind: text('kind', { enum: ['invitation', 'reminder'] }).notNull(),
    toName: text('to_name').notNull(),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    cycleId: integer('cycle_id').references(() => assessmentCycles.id, { onDelete: 'set null' }),
    raterId: integer('rater_id').references(() => raters.id, { onDelete: 'set null' }),
    /** queued: to send; sent: delivered to SMTP (link scrubbed); kept: no SMTP configured; failed: gave up. */
    status: text('status', { enum: ['queued', 'sent', 'kept', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
  },
  (t) => [index('outbox_status_idx').on(t.status, t.id), index('outbox_cycle_idx').on(t.cycleId)],
)

/** Counters for rate limits other than login (e.g. rater-link exchanges), by key. Epoch ms. */
export const rateLimitHits = sqliteTable(
  'rate_limit_hits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('rate_limit_hits_key_idx').on(t.key, t.at)],
)
