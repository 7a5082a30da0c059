/**
 * The one SQLite connection of this process, opened lazily with the pragmas the app relies on.
 * better-sqlite3 is synchronous, so one connection serves every request without pooling.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from '#db/schema/index'
import { getEnv } from './env.server'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

let connection: { db: Db; sqlite: Database.Database } | undefined

/** Opens a database file with the app's pragmas. Exported for scripts and tests. */
export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // FULL: a committed sign-off survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL')
  const db = drizzle(sqlite, { schema }) as Db
  return { db, sqlite }
}

export const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')

/** Applies every pending migration (drizzle records applied ones in __drizzle_migrations). */
export function runMigrations(db: Db) {
  migrate(db, { migrationsFolder })
}

/**
 * Gathers planner statistics where they are missing or stale (PRAGMA optimize, bounded by
 * analysis_limit so it stays fast on a large database). Without them SQLite picks, for example,
 * the milestone status index for a mentor's queue and reads every submitted milestone
 * (docs/performance.md).
 */
export function optimizeDatabase(db: Db) {
  db.$client.pragma('analysis_limit = 1000')
  db.$client.pragma('optimize = 0x10002')
}

export function getDb(): Db {
  connection ??= openDatabase(getEnv().DATABASE_PATH)
  return connection.db
}

export function closeDb() {
  if (!connection) return
  const { sqlite } = connection
  connection = undefined
  if (sqlite.open) {
    // Fold the WAL back into the main file so a copied .db is complete.
    try {
      sqlite.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // A checkpoint can fail while another process reads; closing is still safe.
    }
    sqlite.close()
  }
}

/** Runs `fn` in one write transaction (BEGIN IMMEDIATE): one business operation, one transaction. */
export function transaction<T>(fn: (tx: Db) => T): T {
  const db = getDb()
  return db.$client.transaction(() => fn(db)).immediate()
}
