/**
 * The one SQLite connection of this process, opened lazily with the pragmas the app relies on.
 * better-sqlite3 is synchronous, so one connection serves every request without pooling.
 */
import fs from 'node:fs'
import path from 'node:path'
import { data } from '@remix-run/node'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from '#db/schema/index'
import { getEnv } from './env.server'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

let connection: { db: Db; sqlite: Database.Database } | undefined

/** Opens a database file with the app's pragmas. Exported for scripts and tests. */
export function openDatabase(
  file: string,
  options: { busyTimeoutMs?: number } = {},
): { db: Db; sqlite: Database.Database } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  // How long a write waits for another connection's write lock before giving up (then: 503).
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
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
  if (!connection) {
    connection = openDatabase(getEnv().DATABASE_PATH, { busyTimeoutMs: getEnv().DATABASE_BUSY_TIMEOUT_MS })
    answerBusyWith503(connection.sqlite)
  }
  return connection.db
}

/** SQLite gave up waiting for another connection's lock (after busy_timeout). */
export function isBusyError(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code)
}

export const BUSY_RETRY_AFTER_SECONDS = 5

/**
 * What a request gets while the database stays locked: 503 with Retry-After and a plain
 * message — never a 500 — and, since the statement or transaction failed, nothing was written.
 */
const busyAnswers = new WeakSet<object>()
export function serviceBusy() {
  const answer = data(
    { message: 'STO Pathway is busy right now, so nothing was saved. Wait a few seconds and try again.' },
    { status: 503, headers: { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' } },
  )
  busyAnswers.add(answer)
  return answer
}

/** True for what serviceBusy() threw: a form that must keep its inputs can answer in place. */
export function isServiceBusy(thrown: unknown): thrown is ReturnType<typeof serviceBusy> {
  return typeof thrown === 'object' && thrown !== null && busyAnswers.has(thrown)
}

/**
 * The app's connection turns SQLITE_BUSY from any statement into the 503 above, thrown like any
 * Remix response, so every loader and action answers it without its own try/catch. (Transactions
 * begin through better-sqlite3's internal statements: `transaction()` handles those.)
 */
function answerBusyWith503(sqlite: Database.Database) {
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source) as unknown as Record<string, (...args: unknown[]) => unknown>
    for (const method of ['run', 'get', 'all', 'iterate']) {
      const original = statement[method]!.bind(statement)
      statement[method] = (...args: unknown[]) => {
        try {
          return original(...args)
        } catch (error) {
          if (isBusyError(error)) throw serviceBusy()
          throw error
        }
      }
    }
    return statement
  }) as unknown as typeof sqlite.prepare
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

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE): one business operation, one transaction.
 * If the write lock stays taken past the busy timeout, the request gets a 503 (see serviceBusy).
 */
export function transaction<T>(fn: (tx: Db) => T): T {
  const db = getDb()
  try {
    return db.$client.transaction(() => fn(db)).immediate()
  } catch (error) {
    if (isBusyError(error)) throw serviceBusy()
    throw error
  }
}
