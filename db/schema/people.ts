import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

import { roles } from '../../app/domain/roles'

export { roles, type Role } from '../../app/domain/roles'

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Stored lowercased; the unique index on lower(email) guards raw writes too. */
    email: text('email').notNull(),
    /** scrypt hash in the self-describing format of app/utils/password.server.ts; null: cannot log in. */
    passwordHash: text('password_hash'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('people_email_unique').on(sql`lower(${t.email})`)],
)

export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    grantedAt: text('granted_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.role] }),
    check('role_assignments_role_check', sql`${t.role} in ('candidate', 'mentor', 'hr', 'admin')`),
    index('role_assignments_role_idx').on(t.role),
  ],
)

/**
 * What makes a person a candidate: background, mentor, current program stage.
 * Background and stage are ids from content/ (checked by the app against the loaded framework).
 */
export const candidateProfiles = sqliteTable(
  'candidate_profiles',
  {
    personId: integer('person_id')
      .primaryKey()
      .references(() => people.id, { onDelete: 'cascade' }),
    background: text('background').notNull(),
    mentorId: integer('mentor_id').references(() => people.id, { onDelete: 'set null' }),
    stage: text('stage').notNull(),
    /** Calendar date (YYYY-MM-DD) the candidate joined the program. */
    joinedOn: text('joined_on').notNull(),
  },
  (t) => [
    index('candidate_profiles_mentor_idx').on(t.mentorId),
    index('candidate_profiles_stage_idx').on(t.stage, t.background),
  ],
)
