/**
 * What the production server does before it listens. The server is one primary process and a few
 * HTTP workers (server.mjs, scripts/server-worker.mjs):
 * - the primary, once, before it forks: validate the environment, take the server lock, open the
 *   database and apply pending migrations, load and check the framework content, recode old
 *   reports, start the background jobs (`startup`); it alone runs jobs and sends mail;
 * - each worker: validate the environment, open its own connection, load the (already checked)
 *   content, and hand every request for mail to the primary (`startWorker`).
 * Each step throws an error whose message names the problem; server.mjs prints it and exits.
 */
import { overdueOpenCycleIds, recodeFrozenReports } from '~/models/assessments.server'
import { delegateOutboxFlush, flushOutbox } from '~/models/outbox.server'
import { getFramework } from './content.server'
import { closeIfStillDue } from './cycles.server'
import { closeDb, getDb, optimizeDatabase, runMigrations, transaction } from './db.server'
import { getEnv } from './env.server'
import { acquireServerLock, releaseServerLock } from './server-lock.server'

const JOB_INTERVAL_MS = 60_000
const OPTIMIZE_INTERVAL_MS = 60 * 60_000
let jobs: ReturnType<typeof setInterval> | undefined
let lastOptimized = 0

/** Closes cycles whose due day is over and sends queued mail. Each cycle closes in its own transaction. */
export async function runBackgroundJobs(now = new Date()) {
  for (const id of overdueOpenCycleIds(getDb(), now)) {
    try {
      closeIfStillDue(id, now)
    } catch (error) {
      console.error(`Could not close overdue cycle ${id}:`, error)
    }
  }
  await flushOutbox(getDb())
  // SQLite's advice for long-lived connections: refresh planner statistics now and then.
  if (now.getTime() - lastOptimized >= OPTIMIZE_INTERVAL_MS) {
    optimizeDatabase(getDb())
    lastOptimized = now.getTime()
  }
}

export function startup() {
  const env = getEnv()
  // One server per database; db:restore refuses while this lock is held.
  acquireServerLock(env.DATABASE_PATH)
  runMigrations(getDb())
  optimizeDatabase(getDb())
  lastOptimized = Date.now()
  const framework = getFramework()
  // Reports frozen before decision 0016 are brought to the shown precision before anyone reads them.
  transaction((tx) => recodeFrozenReports(tx, framework))
  void runBackgroundJobs().catch((error) => console.error('Background jobs failed:', error))
  jobs = setInterval(
    () => void runBackgroundJobs().catch((error) => console.error('Background jobs failed:', error)),
    JOB_INTERVAL_MS,
  )
  jobs.unref()
  return {
    host: env.HOST,
    port: env.PORT,
    frameworkVersion: `${framework.id}@${framework.version}`,
    databasePath: env.DATABASE_PATH,
  }
}

/**
 * A worker process: serves HTTP only. Migrations, checks, the lock and the jobs are the primary's
 * (it ran `startup` before forking this worker). `askPrimaryToFlush` carries a route's "send the
 * mail now" to the primary, so two processes never send the same queued message.
 */
export function startWorker(askPrimaryToFlush: () => void) {
  const env = getEnv()
  getDb()
  const framework = getFramework()
  delegateOutboxFlush(askPrimaryToFlush)
  return {
    host: env.HOST,
    port: env.PORT,
    frameworkVersion: `${framework.id}@${framework.version}`,
    databasePath: env.DATABASE_PATH,
  }
}

/** The primary, asked by a worker: send the queued mail now (joins a flush in progress). */
export function flushOutboxNow() {
  void flushOutbox(getDb()).catch((error) => console.error('Sending mail failed:', error))
}

/** A worker's end: close its connection (the lock and the jobs are the primary's). */
export function shutdownWorker() {
  closeDb()
}

export function shutdown() {
  clearInterval(jobs)
  closeDb()
  releaseServerLock(getEnv().DATABASE_PATH)
}
