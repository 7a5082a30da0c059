/**
 * A PID lock file beside the database (`<DATABASE_PATH>.server.pid`) that says "a server is using
 * this database". SQLite's own locks cannot say it: in WAL mode a server that is merely reading
 * holds no lock that blocks `BEGIN EXCLUSIVE`, and swapping the file under an open connection
 * (`npm run db:restore`) would corrupt what that connection writes next.
 *
 * A lock whose process is gone (a crash, a kill -9) is stale and simply replaced, so no one has to
 * clean up by hand after a crash.
 */
import fs from 'node:fs'
import path from 'node:path'

export class ServerLockError extends Error {
  constructor(
    message: string,
    readonly holderPid: number,
  ) {
    super(message)
    this.name = 'ServerLockError'
  }
}

export function serverLockPath(databasePath: string): string {
  // Resolved, so a server and a script started from different directories agree on one file.
  return `${path.resolve(databasePath)}.server.pid`
}

/** Whether a process with this id exists (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(lockPath: string): number | null {
  let text: string
  try {
    text = fs.readFileSync(lockPath, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const pid = Number(text.trim())
  // An unreadable lock (empty, half-written) is treated as stale: 0 is never a live server.
  return Number.isInteger(pid) && pid > 0 ? pid : 0
}

/** The pid of the live process holding the lock, or null when there is none (or it is stale). */
export function serverLockHolder(databasePath: string): number | null {
  if (databasePath === ':memory:') return null
  const pid = readPid(serverLockPath(databasePath))
  return pid && isAlive(pid) ? pid : null
}

/** True when another live process (a server, or a restore in progress) holds the lock. */
export function isServerRunning(databasePath: string): boolean {
  const pid = serverLockHolder(databasePath)
  return pid !== null && pid !== process.pid
}

const held = new Set<string>()

/**
 * Takes the lock for this process; throws a ServerLockError naming the other process when a live
 * one holds it. Taking it again in the same process is a no-op. The lock is also dropped when the
 * process exits (even through process.exit), so only a hard kill leaves a stale file behind.
 */
export function acquireServerLock(databasePath: string): void {
  if (databasePath === ':memory:') return
  const lockPath = serverLockPath(databasePath)
  fs.mkdirSync(path.dirname(lockPath), { recursive: true })
  // A few rounds: another process may replace a stale lock between our read and our write.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx' creates only if absent: of two processes starting at once, exactly one wins.
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' })
      remember(lockPath)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const pid = readPid(lockPath)
    if (pid === process.pid) {
      remember(lockPath)
      return
    }
    if (pid !== null && pid !== 0 && isAlive(pid)) {
      throw new ServerLockError(
        `Another process (pid ${pid}) is using the database ${databasePath}: stop it first. ` +
          `If no STO Pathway server or restore is running, delete ${lockPath}.`,
        pid,
      )
    }
    // Stale: remove it only if it is still the file we judged (not a fresh lock taken meanwhile).
    if (readPid(lockPath) === pid) fs.rmSync(lockPath, { force: true })
  }
  throw new Error(`Could not take the server lock ${lockPath}: other processes keep replacing it.`)
}

/** Drops the lock if this process holds it (never another process's lock). */
export function releaseServerLock(databasePath: string): void {
  if (databasePath === ':memory:') return
  const lockPath = serverLockPath(databasePath)
  held.delete(lockPath)
  if (readPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true })
}

let exitHookInstalled = false
function remember(lockPath: string) {
  held.add(lockPath)
  if (exitHookInstalled) return
  exitHookInstalled = true
  // 'exit' handlers must be synchronous; rmSync is.
  process.on('exit', () => {
    for (const file of held) {
      try {
        if (readPid(file) === process.pid) fs.rmSync(file, { force: true })
      } catch {
        // Exiting anyway: a lock left behind is stale and replaced by the next start.
      }
    }
  })
}
