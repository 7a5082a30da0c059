/**
 * Backups under write load, and restores (scripts/db-backup.ts, scripts/db-restore.ts), run as the
 * operator runs them: the production server (tests/system/server.ts) serves the demo database
 * while another process keeps
 * committing rows; `db:backup` copies it meanwhile; `db:restore` puts the copy into a fresh folder.
 * The copy must be sound (integrity_check), transactionally consistent (no half-committed batch)
 * and restored row for row; a restore must be refused while a server holds the database's lock.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoDatabase, startServer, type RunningServer } from './server'
import {
  acquireServerLock,
  isServerRunning,
  releaseServerLock,
  ServerLockError,
  serverLockPath,
} from '~/utils/server-lock.server'

const tsx = path.resolve('node_modules/.bin/tsx')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-backup-test-'))
const live = path.join(dir, 'live', 'sto.db')
const backup = path.join(dir, 'backups', 'sto-backup.db')
const restored = path.join(dir, 'restored', 'sto.db')
const BATCH = 50

type Run = { status: number | null; stdout: string; stderr: string }

/** Runs a command to completion without blocking this process (the children keep running). */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

const script = (name: string, args: string[], databasePath: string) =>
  run(tsx, [`scripts/${name}.ts`, ...args], { DATABASE_PATH: databasePath })

/** Writes as fast as it can: batches of BATCH rows, each batch one transaction. */
const WRITER = `
const Database = require('better-sqlite3')
const db = new Database(process.env.DATABASE_PATH)
db.pragma('journal_mode = WAL')
db.pragma('busy_timeout = 5000')
const insert = db.prepare('insert into rate_limit_hits (key, at) values (?, ?)')
const batch = db.transaction((n) => { for (let i = 0; i < ${BATCH}; i++) insert.run('load:' + n, Date.now()) })
let n = 0
process.on('SIGTERM', () => { db.close(); process.exit(0) })
const tick = () => { batch(n++); if (n === 20) console.log('writing'); setImmediate(tick) }
tick()
`

let server: RunningServer | undefined
let writer: ChildProcess | undefined

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${out}\n${err}`)), 60_000)
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const match = out.match(pattern)
      if (match) {
        clearTimeout(timer)
        resolve(match)
      }
    })
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}) before it started:\n${out}\n${err}`)))
  })
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** Table name -> row count, for every table of a database file (opened read-only). */
function tableCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare(`select name from sqlite_schema where type = 'table' order by name`).all() as Array<{
      name: string
    }>
    return Object.fromEntries(
      tables.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]),
    )
  } finally {
    db.close()
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

const loadRows = (file: string) => tableCounts(file).rate_limit_hits ?? 0

beforeAll(async () => {
  if (!fs.existsSync('build/server/index.js'))
    throw new Error('No production build in build/: run "npm run build" first.')
  // The demo organisation: every table has rows, so "row for row" means something.
  fs.mkdirSync(path.dirname(live), { recursive: true })
  expect(demoDatabase(path.dirname(live)).file).toBe(live)
  server = await startServer(live)
  expect((await fetch(`${server.origin}/login`)).status).toBe(200)

  writer = spawn(process.execPath, ['-e', WRITER], {
    env: { ...process.env, DATABASE_PATH: live },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitFor(writer, /writing/, 'The writer')
})

afterAll(async () => {
  await Promise.all([stop(writer), server?.stop()])
  fs.rmSync(dir, { recursive: true, force: true })
})

it('backs up the live database while it is being written to: a sound, consistent snapshot', async () => {
  fs.mkdirSync(path.dirname(backup), { recursive: true })
  const rowsBefore = loadRows(live)
  const result = await script('db-backup', [backup], live)
  const rowsAfter = loadRows(live)
  expect(result.status, result.stderr).toBe(0)
  expect(result.stdout).toMatch(
    new RegExp(
      `^Backed up ${escapeRegExp(live)} to ${escapeRegExp(backup)}: \\d+ pages, integrity ok, \\d+ people, \\d+ cycles\\n$`,
    ),
  )

  // The writer kept going throughout, and the copy is a moment in between.
  expect(rowsAfter).toBeGreaterThan(rowsBefore)
  const copied = loadRows(backup)
  expect(copied).toBeGreaterThanOrEqual(rowsBefore)
  expect(copied).toBeLessThanOrEqual(rowsAfter)
  // Every batch is whole: the copy never holds part of a transaction.
  const db = new Database(backup, { readonly: true })
  const partial = db
    .prepare(`select key, count(*) as n from rate_limit_hits where key like 'load:%' group by key having n != ${BATCH}`)
    .all()
  const journalMode = db.pragma('journal_mode', { simple: true })
  db.close()
  expect(partial).toEqual([])
  expect(integrity(backup)).toBe('ok')
  // One self-contained file: no WAL that a copy could leave behind, no temporary file left over.
  expect(journalMode).toBe('delete')
  expect(fs.readdirSync(path.dirname(backup))).toEqual(['sto-backup.db'])
  // The load has served its purpose; the remaining checks run faster without it.
  await Promise.all([stop(writer), server!.stop()])
})

it('refuses to overwrite an existing backup without --force, and replaces it with --force', async () => {
  const hash = sha256(backup)
  const refused = await script('db-backup', [backup], live)
  expect(refused.status).toBe(1)
  expect(refused.stderr).toContain(`${backup} already exists; pass --force to replace it.`)
  expect(sha256(backup)).toBe(hash)

  const usage = await script('db-backup', [], live)
  expect(usage.status).toBe(2)
  expect(usage.stderr).toContain('Usage: npm run db:backup -- FILE [--force]')

  const forced = await script('db-backup', [path.join(dir, 'backups', 'second.db'), '--force'], live)
  expect(forced.status, forced.stderr).toBe(0)
  expect(integrity(path.join(dir, 'backups', 'second.db'))).toBe('ok')
  fs.rmSync(path.join(dir, 'backups', 'second.db'))
})

it('restores the backup into a fresh folder row for row, and keeps the previous database on a second restore', async () => {
  const result = await script('db-restore', [backup], restored)
  expect(result.status, result.stderr).toBe(0)
  expect(result.stdout).toContain(`Restored ${backup} to ${restored}: `)
  expect(result.stdout).toMatch(/: \d+ pages, integrity ok, \d+ people, \d+ cycles\./)
  expect(result.stdout).toContain('There was no previous database.')
  expect(integrity(restored)).toBe('ok')
  const counts = tableCounts(backup)
  expect(Object.keys(counts)).toEqual(
    expect.arrayContaining(['__drizzle_migrations', 'people', 'audit_log', 'assessment_cycles', 'raters', 'outbox']),
  )
  expect(tableCounts(restored)).toEqual(counts)

  // Again, over the database now there, after a crash left a committed row only in its WAL: the
  // previous database is kept beside, complete, and no stale WAL is left next to the new one.
  const crash = await run(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.env.DATABASE_PATH); db.pragma('journal_mode = WAL');` +
        ` db.prepare("insert into rate_limit_hits (key, at) values ('after-restore', 0)").run(); process.kill(process.pid, 'SIGKILL')`,
    ],
    { DATABASE_PATH: restored },
  )
  expect(crash.status, crash.stderr).toBeNull()
  expect(fs.statSync(`${restored}-wal`).size).toBeGreaterThan(0)
  const again = await script('db-restore', [backup], restored)
  expect(again.status, again.stderr).toBe(0)
  const keptLine = again.stdout.match(/The previous database is kept as (.+)\.\n/)
  expect(keptLine, again.stdout).not.toBeNull()
  const kept = keptLine![1]!
  expect(kept.startsWith(`${restored}.before-restore-`)).toBe(true)
  expect(integrity(kept)).toBe('ok')
  // The kept copy has the row that was only in its WAL when the restore began.
  expect(tableCounts(kept).rate_limit_hits).toBe(counts.rate_limit_hits! + 1)
  expect(tableCounts(restored)).toEqual(counts)
  expect(fs.readdirSync(path.dirname(restored)).sort()).toEqual([path.basename(kept), 'sto.db'].sort())
}, 120_000)

it('refuses to restore while a server holds the lock on the target or another process has it open, and refuses files that are not STO Pathway backups', async () => {
  // Any other process with the file open (here, this one) is caught as well, lock or not.
  const countsBefore = tableCounts(restored)
  const open = new Database(restored)
  open.pragma('journal_mode = WAL')
  open.prepare('select count(*) from people').get()
  try {
    const busy = await script('db-restore', [backup], restored)
    expect(busy.status).toBe(1)
    expect(busy.stderr).toContain(
      `Another process has ${restored} open; stop it, then run the restore again. Nothing was changed.`,
    )
  } finally {
    open.close()
  }
  // That connection left the file in WAL mode; closing it folded everything back in.
  expect(fs.existsSync(`${restored}-wal`)).toBe(false)
  expect(tableCounts(restored)).toEqual(countsBefore)

  const hash = sha256(restored)
  acquireServerLock(restored)
  try {
    const refused = await script('db-restore', [backup], restored)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(
      `A server (pid ${process.pid}) is using ${restored}. Stop it, then run the restore again.`,
    )
  } finally {
    releaseServerLock(restored)
  }

  const text = path.join(dir, 'notes.txt')
  fs.writeFileSync(text, 'not a database at all\n')
  const notSqlite = await script('db-restore', [text], restored)
  expect(notSqlite.status).toBe(1)
  expect(notSqlite.stderr).toContain('is not an SQLite database')

  const other = path.join(dir, 'other.db')
  const db = new Database(other)
  db.exec('create table notes (id integer primary key, body text)')
  db.close()
  const foreign = await script('db-restore', [other], restored)
  expect(foreign.status).toBe(1)
  expect(foreign.stderr).toContain(
    'is not an STO Pathway database (missing tables: __drizzle_migrations, people, audit_log, assessment_cycles)',
  )

  const missing = await script('db-restore', [path.join(dir, 'nope.db')], restored)
  expect(missing.status).toBe(2)
  expect(missing.stderr).toContain('No such file')

  // Nothing of that touched the restored database, and no temporary file is left beside it.
  expect(sha256(restored)).toBe(hash)
  expect(
    fs.readdirSync(path.dirname(restored)).filter((f) => f.includes('restore-tmp') || f.endsWith('.server.pid')),
  ).toEqual([])
}, 120_000)

it('the server lock: a live holder is refused by pid, a stale or garbled lock is replaced, release removes only our own', async () => {
  const db = path.join(dir, 'lock', 'sto.db')
  const lock = serverLockPath(db)
  expect(lock).toBe(`${path.resolve(db)}.server.pid`)
  expect(isServerRunning(db)).toBe(false)

  // Another live process holds it.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  fs.mkdirSync(path.dirname(lock), { recursive: true })
  fs.writeFileSync(lock, `${other.pid}\n`)
  expect(isServerRunning(db)).toBe(true)
  expect(() => acquireServerLock(db)).toThrow(ServerLockError)
  expect(() => acquireServerLock(db)).toThrow(`Another process (pid ${other.pid}) is using the database`)
  releaseServerLock(db) // not ours: left alone
  expect(fs.readFileSync(lock, 'utf8')).toBe(`${other.pid}\n`)
  await stop(other)

  // Its process is gone: stale, replaced.
  expect(isServerRunning(db)).toBe(false)
  acquireServerLock(db)
  expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`)
  acquireServerLock(db) // again in the same process: fine
  expect(isServerRunning(db)).toBe(false) // our own lock does not count as "a server is running"
  releaseServerLock(db)
  expect(fs.existsSync(lock)).toBe(false)

  // Garbage in the file counts as stale too.
  fs.writeFileSync(lock, 'not a pid')
  expect(isServerRunning(db)).toBe(false)
  acquireServerLock(db)
  expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`)
  releaseServerLock(db)
  expect(fs.existsSync(lock)).toBe(false)
})
