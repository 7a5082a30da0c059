/**
 * `npm run db:restore -- FILE`: puts a backup (from `npm run db:backup`) in place of DATABASE_PATH
 * (default data/sto.db). Refused while a server uses that database (its lock file, see
 * app/utils/server-lock.server.ts): an open connection would keep writing into the replaced file.
 *
 * Order of work, so that every failure leaves the current database untouched:
 * 1. check FILE: an SQLite file, no pending -wal beside it;
 * 2. copy it beside DATABASE_PATH and check the copy: integrity_check, the app's tables, and
 *    migrations no newer than this version of the app knows;
 * 3. fold the current database's WAL into it (refused while any process has it open) and keep it
 *    as `<DATABASE_PATH>.before-restore-<time>`, a single file;
 * 4. rename the checked copy to DATABASE_PATH.
 * The restore holds the server lock throughout, so a server cannot start halfway.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { inspectDatabaseFile, integrityOk } from '~/models/maintenance.server'
import { migrationsFolder } from '~/utils/db.server'
import { EnvError, getEnv } from '~/utils/env.server'
import {
  acquireServerLock,
  isServerRunning,
  releaseServerLock,
  ServerLockError,
  serverLockHolder,
} from '~/utils/server-lock.server'
import { fsyncPath } from '~/utils/fs.server'

const USAGE = 'Usage: npm run db:restore -- FILE   (replaces DATABASE_PATH, default data/sto.db, with the backup FILE)'
const REQUIRED_TABLES = ['__drizzle_migrations', 'people', 'audit_log', 'assessment_cycles']
const SQLITE_HEADER = 'SQLite format 3\0'

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

function parseArgs(argv: string[]) {
  const files: string[] = []
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (arg.startsWith('-')) fail(`Unknown option ${JSON.stringify(arg)}.\n${USAGE}`, 2)
    else files.push(arg)
  }
  if (files.length !== 1)
    fail(
      `${files.length === 0 ? 'Name the backup file to restore.' : `Expected one backup file, got ${files.length}.`}\n${USAGE}`,
      2,
    )
  return { file: files[0]! }
}

const size = (p: string) => (fs.existsSync(p) ? fs.statSync(p).size : 0)

/** The newest migration this version of the app ships (drizzle's folderMillis). */
function latestKnownMigration(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>
  }
  return Math.max(...journal.entries.map((e) => e.when))
}

const { file } = parseArgs(process.argv.slice(2))
let databasePath: string
try {
  databasePath = getEnv().DATABASE_PATH
} catch (error) {
  fail(error instanceof EnvError ? error.message : String(error), 2)
}
if (databasePath === ':memory:') fail('DATABASE_PATH is :memory:; there is no file to restore into.', 2)

const source = path.resolve(file)
const target = path.resolve(databasePath)

// 1. The backup file itself.
if (!fs.existsSync(source)) fail(`No such file: ${file}.`, 2)
if (!fs.statSync(source).isFile()) fail(`${file} is not a file.`, 2)
if (source === target) fail(`${file} is DATABASE_PATH itself; nothing to restore.`, 2)
{
  const header = Buffer.alloc(16)
  const fd = fs.openSync(source, 'r')
  const read = fs.readSync(fd, header, 0, 16, 0)
  fs.closeSync(fd)
  if (read < 16 || header.toString('latin1') !== SQLITE_HEADER) fail(`${file} is not an SQLite database.`)
}
if (size(`${source}-wal`) > 0) {
  fail(
    `${file} has unmerged changes in ${file}-wal: it looks like a live database, not a backup. Make a backup of it with npm run db:backup.`,
  )
}

// Refuse early with a clear message; the lock taken next also keeps a server from starting meanwhile.
if (isServerRunning(databasePath)) {
  fail(
    `A server (pid ${serverLockHolder(databasePath)}) is using ${databasePath}. Stop it, then run the restore again.`,
  )
}
try {
  acquireServerLock(databasePath)
} catch (error) {
  fail(error instanceof ServerLockError ? error.message : `Could not lock ${databasePath}: ${(error as Error).message}`)
}

// 2. A checked copy beside the target, so the final step is one rename on the same file system.
fs.mkdirSync(path.dirname(target), { recursive: true })
const temp = `${target}.restore-tmp-${process.pid}`
const removeTemp = () => {
  for (const f of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) fs.rmSync(f, { force: true })
}
process.on('exit', removeTemp)

fs.copyFileSync(source, temp)
let report
try {
  const copy = new Database(temp, { fileMustExist: true })
  try {
    // A backup from db:backup is already in DELETE mode; a raw copy of a WAL database is not.
    copy.pragma('journal_mode = DELETE')
    report = inspectDatabaseFile(copy)
  } finally {
    copy.close()
  }
} catch (error) {
  fail(`${file} cannot be read as an SQLite database: ${(error as Error).message}`)
}
if (!integrityOk(report))
  fail(`${file} failed its integrity check; nothing was changed:\n  ${report.integrity.join('\n  ')}`)
const missing = REQUIRED_TABLES.filter((t) => !report.tables.includes(t))
if (missing.length > 0)
  fail(`${file} is not an STO Pathway database (missing tables: ${missing.join(', ')}); nothing was changed.`)
const known = latestKnownMigration()
if (report.latestMigration !== null && report.latestMigration > known) {
  fail(
    `${file} was made by a newer version of STO Pathway (its schema has migrations this version does not know); nothing was changed.`,
  )
}
fsyncPath(temp)

// 3. Keep the current database, complete and standalone.
const keptName = `${databasePath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
let kept: string | null = null
if (fs.existsSync(target)) {
  kept = path.resolve(keptName)
  let folded = false
  try {
    const current = new Database(target, { fileMustExist: true })
    try {
      current.pragma('busy_timeout = 2000')
      // Reading first recovers a WAL or hot journal left by a crash.
      current.prepare('select count(*) from sqlite_schema').get()
      // Leaving WAL mode folds the WAL into the file and deletes -wal and -shm, and SQLite refuses
      // it (SQLITE_BUSY) while any other connection has the file open: the check the PID lock
      // cannot make for processes other than the server.
      current.pragma('journal_mode = DELETE')
      folded = true
    } finally {
      current.close()
    }
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string }).code ?? '')) {
      fail(`Another process has ${databasePath} open; stop it, then run the restore again. Nothing was changed.`)
    }
    // Not readable as a database (corrupt?): keep it exactly as it is, with its companion files.
    console.error(
      `Note: could not open the current ${databasePath} (${(error as Error).message}); keeping it as it is, with its -wal/-shm files.`,
    )
  }
  fs.renameSync(target, kept)
  if (!folded) {
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${kept}${suffix}`)
    }
  }
}
// A stale -wal beside the new file would be replayed into it: never leave one there.
for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${suffix}`, { force: true })

// 4. Into place.
fs.renameSync(temp, target)
fsyncPath(path.dirname(target))
releaseServerLock(databasePath)

const migrationNote =
  report.latestMigration === null || report.latestMigration < known
    ? 'The backup predates some migrations: the server applies them at its next start.'
    : null
console.log(
  [
    `Restored ${file} to ${databasePath}: ${report.pages} pages, integrity ok, ${report.people} people, ${report.cycles} cycles.`,
    kept ? `The previous database is kept as ${keptName}.` : 'There was no previous database.',
    migrationNote,
  ]
    .filter(Boolean)
    .join('\n'),
)
