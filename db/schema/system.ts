import { integer, sqliteTable } from 'drizzle-orm/sqlite-core'

/**
 * One row: a number that triggers (migration 0006) raise on every insert, update or delete of the
 * tables the pipeline and gap views are derived from. Those views are cached per value, so a
 * change by any connection or process makes the next view fresh (decision 0013).
 */
export const dataGeneration = sqliteTable('data_generation', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull(),
})
