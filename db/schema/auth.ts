import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { people } from './people'

/**
 * Server-side sessions. The cookie carries a 256-bit random token; only its SHA-256 is stored,
 * so a copy of the database does not hand out live sessions. Times are epoch milliseconds.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** The status message of the last action, shown once by the next page (app/utils/flash.server.ts). */
    flash: text('flash'),
  },
  (t) => [index('sessions_person_idx').on(t.personId), index('sessions_expires_idx').on(t.expiresAt)],
)

/** Every login attempt, for the per-IP and per-account limits. Pruned after a day. */
export const loginAttempts = sqliteTable(
  'login_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    at: integer('at').notNull(),
    succeeded: integer('succeeded', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('login_attempts_ip_idx').on(t.ip, t.at), index('login_attempts_email_idx').on(t.email, t.at)],
)
