import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { assessmentCycles } from './assessments'
import { people } from './people'

export const planItemSources = ['assessment', 'background', 'own'] as const
export const planItemStatuses = ['open', 'done', 'dropped'] as const

/** A candidate's place in the development program. One active (or paused) enrollment at a time. */
export const enrollments = sqliteTable(
  'enrollments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => people.id),
    status: text('status', { enum: ['active', 'paused', 'withdrawn', 'certified'] }).notNull(),
    enrolledOn: text('enrolled_on').notNull(),
    enrolledBy: integer('enrolled_by').references(() => people.id),
    /** A start beyond the first stage: the second HR person who confirmed the proposal (enrolled_by proposed it). */
    confirmedBy: integer('confirmed_by').references(() => people.id),
    startStage: text('start_stage').notNull(),
    /** Required when the candidate starts beyond the first stage (e.g. prior experience). */
    startReason: text('start_reason'),
    endedOn: text('ended_on'),
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('enrollments_one_current_idx')
      .on(t.candidateId)
      .where(sql`status in ('active', 'paused')`),
    index('enrollments_status_idx').on(t.status),
    check('enrollments_status_check', sql`${t.status} in ('active', 'paused', 'withdrawn', 'certified')`),
  ],
)

export const enrolmentProposalStatuses = ['pending', 'confirmed', 'cancelled'] as const

/**
 * An enrolment beyond the first stage (prior experience): one HR person proposes it with a written
 * reason, a second HR person (never the proposer, the named mentor or the candidate) confirms it,
 * and only then does the enrollment exist. Either may cancel it, with a reason.
 */
export const enrolmentProposals = sqliteTable(
  'enrolment_proposals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => people.id),
    stage: text('stage').notNull(),
    enrolledOn: text('enrolled_on').notNull(),
    mentorId: integer('mentor_id')
      .notNull()
      .references(() => people.id),
    reason: text('reason').notNull(),
    /** What the starting stage records (delegated domain, pod and risk tier), as checked when proposed. */
    recordJson: text('record_json').notNull(),
    status: text('status', { enum: enrolmentProposalStatuses }).notNull(),
    proposedBy: integer('proposed_by')
      .notNull()
      .references(() => people.id),
    proposedAt: text('proposed_at').notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    decidedAt: text('decided_at'),
    decisionNote: text('decision_note'),
    enrollmentId: integer('enrollment_id').references(() => enrollments.id),
  },
  (t) => [
    uniqueIndex('enrolment_proposals_one_pending_idx')
      .on(t.candidateId)
      .where(sql`status = 'pending'`),
    index('enrolment_proposals_status_idx').on(t.status),
    check('enrolment_proposals_status_check', sql`${t.status} in ('pending', 'confirmed', 'cancelled')`),
  ],
)

/** The stage history: one row per stage entered, with what that stage records. */
export const stagePeriods = sqliteTable(
  'stage_periods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    stage: text('stage').notNull(),
    enteredOn: text('entered_on').notNull(),
    exitedOn: text('exited_on'),
    /** Assistant STO: the domain of delegated authority. */
    delegatedDomain: text('delegated_domain'),
    /** Low-Risk Pod Leadership: the pod or product led, and its risk tier. */
    podName: text('pod_name'),
    riskTier: text('risk_tier'),
    /** Full STO Certification: the risk tiers certified for (JSON array of tier ids). */
    certifiedTiersJson: text('certified_tiers_json'),
  },
  (t) => [
    index('stage_periods_enrollment_idx').on(t.enrollmentId, t.id),
    uniqueIndex('stage_periods_one_open_idx')
      .on(t.enrollmentId)
      .where(sql`exited_on is null`),
  ],
)

/** Leave or reassignment: paused time does not count toward a stage window. */
export const pauses = sqliteTable(
  'pauses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    startedOn: text('started_on').notNull(),
    endedOn: text('ended_on'),
    reason: text('reason').notNull(),
    createdBy: integer('created_by').references(() => people.id),
  },
  (t) => [index('pauses_enrollment_idx').on(t.enrollmentId)],
)

export const milestoneStatuses = ['open', 'submitted', 'returned', 'awaiting-hr', 'signed-off'] as const
export type MilestoneStatus = (typeof milestoneStatuses)[number]

/** A milestone of a stage for one candidate: from a content template, or a one-off added by HR. */
export const milestones = sqliteTable(
  'milestones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => people.id),
    stage: text('stage').notNull(),
    templateId: text('template_id'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    evidence: text('evidence').notNull(),
    signOff: text('sign_off', { enum: ['mentor', 'hr', 'mentor-then-hr'] }).notNull(),
    required: integer('required', { mode: 'boolean' }).notNull(),
    /** A cache of the sign-off log's outcome, updated in the same transaction as each entry. */
    status: text('status', { enum: milestoneStatuses }).notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('milestones_candidate_idx').on(t.candidateId, t.stage),
    // The gate and the pipeline read a stage's milestones by enrollment (the unique index above is partial).
    index('milestones_enrollment_idx').on(t.enrollmentId, t.stage),
    index('milestones_status_idx').on(t.status, t.updatedAt),
    uniqueIndex('milestones_template_unique')
      .on(t.enrollmentId, t.templateId)
      .where(sql`template_id is not null`),
    check(
      'milestones_status_check',
      sql`${t.status} in ('open', 'submitted', 'returned', 'awaiting-hr', 'signed-off')`,
    ),
  ],
)

/** Each time the candidate submits evidence: a written summary and links (files in evidence_files). */
export const milestoneSubmissions = sqliteTable(
  'milestone_submissions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    milestoneId: integer('milestone_id')
      .notNull()
      .references(() => milestones.id),
    summary: text('summary').notNull(),
    linksJson: text('links_json').notNull(),
    planItemId: integer('plan_item_id'),
    submittedAt: text('submitted_at').notNull(),
    submittedBy: integer('submitted_by')
      .notNull()
      .references(() => people.id),
  },
  (t) => [index('milestone_submissions_milestone_idx').on(t.milestoneId, t.id)],
)

/** Uploaded evidence, stored on disk under data/uploads/ by content hash. */
export const evidenceFiles = sqliteTable(
  'evidence_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => milestoneSubmissions.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('evidence_files_submission_idx').on(t.submissionId)],
)

/**
 * The sign-off log, append-only (triggers in a migration): a sign-off, a return with feedback, or a
 * revocation of an earlier sign-off with its reason. Never edited, never deleted.
 */
export const signoffs = sqliteTable(
  'signoffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    milestoneId: integer('milestone_id')
      .notNull()
      .references(() => milestones.id),
    submissionId: integer('submission_id').references(() => milestoneSubmissions.id),
    kind: text('kind', { enum: ['signed', 'returned', 'revoked'] }).notNull(),
    role: text('role', { enum: ['mentor', 'hr'] }).notNull(),
    byId: integer('by_id')
      .notNull()
      .references(() => people.id),
    at: text('at').notNull(),
    note: text('note'),
    revokesId: integer('revokes_id'),
  },
  (t) => [
    index('signoffs_milestone_idx').on(t.milestoneId, t.id),
    check('signoffs_kind_check', sql`${t.kind} in ('signed', 'returned', 'revoked')`),
  ],
)

/**
 * Recorded redactions of sign-off notes (a person's erasure). Append-only (migration 0010): a note
 * may be replaced by "[erased]" only once a row here names its sign-off (decision 0014).
 */
export const signoffRedactions = sqliteTable('signoff_redactions', {
  signoffId: integer('signoff_id')
    .primaryKey()
    .references(() => signoffs.id),
  at: text('at').notNull(),
  actorId: integer('actor_id'),
  reason: text('reason').notNull(),
})

/** A move to the next stage: the mentor recommends, HR (never the mentor) approves or declines. */
export const advancements = sqliteTable(
  'advancements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    fromStage: text('from_stage').notNull(),
    toStage: text('to_stage').notNull(),
    status: text('status', { enum: ['recommended', 'approved', 'declined'] }).notNull(),
    recommendedBy: integer('recommended_by').references(() => people.id),
    recommendedAt: text('recommended_at'),
    recommendationNote: text('recommendation_note'),
    decidedBy: integer('decided_by').references(() => people.id),
    decidedAt: text('decided_at'),
    decisionNote: text('decision_note'),
    override: integer('override', { mode: 'boolean' }).notNull().default(false),
    overrideReason: text('override_reason'),
    /** The gate as the approver saw it (conditions and reasons), kept with the decision. */
    gateJson: text('gate_json'),
  },
  (t) => [
    index('advancements_enrollment_idx').on(t.enrollmentId, t.id),
    index('advancements_status_idx').on(t.status),
    uniqueIndex('advancements_one_pending_idx')
      .on(t.enrollmentId)
      .where(sql`status = 'recommended'`),
  ],
)

export const certificates = sqliteTable('certificates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  candidateId: integer('candidate_id')
    .notNull()
    .references(() => people.id),
  enrollmentId: integer('enrollment_id')
    .notNull()
    .references(() => enrollments.id),
  issuedOn: text('issued_on').notNull(),
  riskTiersJson: text('risk_tiers_json').notNull(),
  approverId: integer('approver_id')
    .notNull()
    .references(() => people.id),
  frameworkVersion: text('framework_version').notNull(),
})

/** A development-plan item linked to a capability: from a 360 gap, the background's typical gap, or the candidate. */
export const planItems = sqliteTable(
  'plan_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => people.id),
    capabilityId: text('capability_id').notNull(),
    source: text('source', { enum: planItemSources }).notNull(),
    cycleId: integer('cycle_id').references(() => assessmentCycles.id),
    action: text('action').notNull(),
    status: text('status', { enum: planItemStatuses }).notNull(),
    dueOn: text('due_on'),
    milestoneId: integer('milestone_id').references(() => milestones.id),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    updatedAt: text('updated_at'),
  },
  (t) => [
    index('plan_items_candidate_idx').on(t.candidateId, t.status),
    // A suggestion from one cycle is accepted once.
    uniqueIndex('plan_items_cycle_capability_unique')
      .on(t.candidateId, t.cycleId, t.capabilityId)
      .where(sql`cycle_id is not null`),
    check('plan_items_source_check', sql`${t.source} in ('assessment', 'background', 'own')`),
    check('plan_items_status_check', sql`${t.status} in ('open', 'done', 'dropped')`),
  ],
)

/** Mentor (or candidate) comments on a plan item. */
export const planItemComments = sqliteTable(
  'plan_item_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    planItemId: integer('plan_item_id')
      .notNull()
      .references(() => planItems.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => people.id),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('plan_item_comments_item_idx').on(t.planItemId)],
)
