/**
 * What the production server does before it listens: validate the environment, open the
 * database and apply pending migrations, load and check the framework content, start the
 * background jobs. Each step throws an error whose message names the problem; server.mjs prints
 * it and exits.
 */
import { overdueOpenCycleIds, recodeFrozenReports } from '~/models/assessments.server'
import { flushOutbox } from '~/models/outbox.server'
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

export function shutdown() {
  clearInterval(jobs)
  closeDb()
  releaseServerLock(getEnv().DATABASE_PATH)
}
