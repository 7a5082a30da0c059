/**
 * `npm run db:backup -- FILE [--force]`: a consistent copy of DATABASE_PATH (default data/sto.db),
 * taken online with SQLite's backup API while the server may be running and writing.
 *
 * - The copy is written to a temporary file beside FILE and only given FILE's name once it has
 *   passed `PRAGMA integrity_check`, so FILE is never a half-written or unchecked backup.
 * - An existing FILE is kept unless --force (then it is replaced atomically by a rename).
 * - The copy is switched to journal_mode=DELETE: one self-contained file, with no -wal beside it
 *   that a later copy or restore could miss.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { inspectDatabaseFile, integrityOk } from '~/models/maintenance.server'
import { EnvError, getEnv } from '~/utils/env.server'
import { fsyncPath } from '~/utils/fs.server'

const USAGE = 'Usage: npm run db:backup -- FILE [--force]   (copies DATABASE_PATH, default data/sto.db, to FILE)'

/**
 * Pages per backup step: all of them. SQLite restarts a backup whenever another connection writes
 * to the source between steps, so under steady writes a stepwise backup may never finish. One step
 * copies one read snapshot; in WAL mode that snapshot does not block the server's writers.
 */
const ALL_PAGES = 0x7fffffff

function fail(message: string, code = 1): never {
  console.error(message)
  process.exit(code)
}

function parseArgs(argv: string[]) {
  let force = false
  const files: string[] = []
  for (const arg of argv) {
    if (arg === '--force') force = true
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (arg.startsWith('-')) fail(`Unknown option ${JSON.stringify(arg)}.\n${USAGE}`, 2)
    else files.push(arg)
  }
  if (files.length !== 1)
    fail(
      `${files.length === 0 ? 'Name the backup file.' : `Expected one backup file, got ${files.length}.`}\n${USAGE}`,
      2,
    )
  return { file: files[0]!, force }
}

const { file, force } = parseArgs(process.argv.slice(2))
let source: string
try {
  source = getEnv().DATABASE_PATH
} catch (error) {
  fail(error instanceof EnvError ? error.message : String(error), 2)
}

const target = path.resolve(file)
const sourceAbs = path.resolve(source)
if (source === ':memory:') fail('DATABASE_PATH is :memory:; there is no file to back up.', 2)
if (!fs.existsSync(sourceAbs) || !fs.statSync(sourceAbs).isFile()) fail(`No database at ${source} (DATABASE_PATH).`)
if ([sourceAbs, `${sourceAbs}-wal`, `${sourceAbs}-shm`].includes(target))
  fail(`${file} is the database itself; choose another backup file.`, 2)
if (!fs.existsSync(path.dirname(target)) || !fs.statSync(path.dirname(target)).isDirectory())
  fail(`The folder ${path.dirname(file)} does not exist.`, 2)
if (fs.existsSync(target)) {
  if (fs.statSync(target).isDirectory()) fail(`${file} is a folder; name a file.`, 2)
  if (!force) fail(`${file} already exists; pass --force to replace it.`)
}

const temp = `${target}.tmp-${process.pid}`
const cleanUp = () => {
  for (const f of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) fs.rmSync(f, { force: true })
}

try {
  const src = new Database(sourceAbs, { fileMustExist: true })
  try {
    src.pragma('busy_timeout = 5000')
    await src.backup(temp, { progress: () => ALL_PAGES })
  } finally {
    src.close()
  }

  const copy = new Database(temp, { fileMustExist: true })
  let report
  try {
    copy.pragma('journal_mode = DELETE')
    report = inspectDatabaseFile(copy)
  } finally {
    copy.close()
  }
  if (!integrityOk(report)) {
    cleanUp()
    fail(
      `The copy of ${source} failed its integrity check; nothing was written to ${file}:\n  ${report.integrity.join('\n  ')}`,
    )
  }
  fsyncPath(temp)

  if (force) {
    fs.renameSync(temp, target)
  } else {
    // link() refuses an existing name, so a FILE created meanwhile is never overwritten.
    try {
      fs.linkSync(temp, target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        cleanUp()
        fail(`${file} already exists; pass --force to replace it.`)
      }
      throw error
    }
    fs.rmSync(temp)
  }
  // The new name must survive a crash too.
  fsyncPath(path.dirname(target))

  const known = (n: number | null, what: string) => (n === null ? `no ${what} table` : `${n} ${what}`)
  console.log(
    `Backed up ${source} to ${file}: ${report.pages} pages, integrity ok, ${known(report.people, 'people')}, ${known(report.cycles, 'cycles')}`,
  )
} catch (error) {
  cleanUp()
  fail(`Backup of ${source} failed: ${(error as Error).message}`)
}
