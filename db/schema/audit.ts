import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * Append-only audit log. Triggers (migration 0001) refuse UPDATE and DELETE.
 * Each row is chained: contentHash = sha256(canonical row), hash = sha256(prevHash + contentHash).
 * Hashing the content separately lets a later, recorded redaction blank a payload without
 * breaking the chain (see docs/decisions/0004-audit-log-hash-chain.md).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** ISO-8601 UTC timestamp. */
    at: text('at').notNull(),
    /** null: the system itself (setup, migrations, scheduled closes). */
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
    contentHash: text('content_hash').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId), index('audit_log_actor_idx').on(t.actorId)],
)

/**
 * Recorded redactions of audit payloads (a person's erasure). Append-only (triggers, migration
 * 0008). An audit row may have its `before`/`after` blanked only once a row here names it; the
 * chain then verifies from the stored content hash (docs/decisions/0004, 0014).
 */
export const auditRedactions = sqliteTable('audit_redactions', {
  auditId: integer('audit_id')
    .primaryKey()
    .references(() => auditLog.id),
  at: text('at').notNull(),
  actorId: integer('actor_id'),
  reason: text('reason').notNull(),
})
