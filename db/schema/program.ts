import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { assessmentCycles } from './assessments'
import { people } from './people'

export const planItemSources = ['assessment', 'background', 'own'] as const
export const planItemStatuses = ['open', 'done', 'dropped'] as const

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
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => people.id),
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
