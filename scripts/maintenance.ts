/**
 * `npm run maintenance`: the retention purge on DATABASE_PATH (default data/sto.db) with
 * RETENTION_DAYS (default 180): rater drafts, invitation links, rater sessions and stored emails of
 * cycles that ended more than RETENTION_DAYS days ago, expired login sessions and rate-limit rows
 * older than a day. One transaction with one audit entry; safe while the server runs (it waits for
 * the write lock like any request). Then it sweeps UPLOADS_DIR: evidence files no row refers to and
 * upload temp files, both older than a day. Takes no arguments; run it daily, e.g. from cron.
 */
import fs from 'node:fs'
import { purgeExpiredData, sweepOrphanUploads } from '~/models/maintenance.server'
import { closeDb, getDb, isServiceBusy, transaction } from '~/utils/db.server'
import type { UploadSweep } from '~/utils/uploads.server'
import { EnvError, getEnv } from '~/utils/env.server'

const args = process.argv.slice(2)
if (args.length > 0) {
  console.error(
    `npm run maintenance takes no arguments (got ${args.map((a) => JSON.stringify(a)).join(' ')}); set RETENTION_DAYS to change the retention.`,
  )
  process.exit(2)
}

let env
try {
  env = getEnv()
} catch (error) {
  console.error(error instanceof EnvError ? error.message : String(error))
  process.exit(2)
}

if (!fs.existsSync(env.DATABASE_PATH)) {
  console.error(`No database at ${env.DATABASE_PATH} (DATABASE_PATH): nothing to maintain.`)
  process.exit(1)
}

let result
let swept: UploadSweep
try {
  result = transaction((tx) => purgeExpiredData(tx, env.RETENTION_DAYS))
  // After the purge has committed; the folder is read before the references (see sweepUploads).
  try {
    swept = sweepOrphanUploads(getDb())
  } catch (error) {
    console.error(
      `The purge is done, but ${env.UPLOADS_DIR} (UPLOADS_DIR) could not be swept: ${(error as Error).message}`,
    )
    process.exitCode = 1
    swept = { unreferencedFiles: 0, staleTempFiles: 0 }
  }
} catch (error) {
  // transaction() turns a lock held past the busy timeout into the app's 503 answer; say it plainly.
  console.error(
    isServiceBusy(error)
      ? `${env.DATABASE_PATH} stayed locked by another writer for ${env.DATABASE_BUSY_TIMEOUT_MS} ms; nothing was purged. Run maintenance again later.`
      : `Maintenance failed; nothing was purged: ${(error as Error).message}`,
  )
  process.exit(1)
} finally {
  closeDb()
}

const c = result.counts
console.log(
  [
    `Maintenance of ${env.DATABASE_PATH} (retention ${result.retentionDays} days: cycles ended before ${result.cutoff}):`,
    `  ${c.endedCycles} ended cycles past retention`,
    `  ${c.raterDrafts} unsubmitted rater drafts cleared`,
    `  ${c.invitationTokens} invitation links (token hashes) cleared`,
    `  ${c.raterSessions} rater sessions deleted`,
    `  ${c.outboxMessages} outbox messages deleted`,
    `  ${c.loginSessions} expired login sessions deleted`,
    `  ${c.rateLimitHits} rate-limit rows and ${c.loginAttempts} login attempts older than a day deleted`,
    `  ${swept.unreferencedFiles} unreferenced evidence files and ${swept.staleTempFiles} stale upload temp files (older than a day) deleted from ${env.UPLOADS_DIR}`,
    result.changed ? '  Recorded in the audit log (maintenance.purge).' : '  Nothing to purge; nothing written.',
  ].join('\n'),
)
