/**
 * Database upkeep: the retention purge (`npm run maintenance`) and the checks that backups and
 * restores run on a database file (`npm run db:backup`, `npm run db:restore`).
 *
 * What the purge removes, and why only that: once a cycle has ended, its report is frozen in
 * `report_json` and `cycle_results`, so unsubmitted rater drafts, invitation token hashes, rater
 * sessions and the stored emails (whose bodies carry personal links) serve no one and only add
 * personal data to every copy of the database. Submitted answers stay: they are what the frozen
 * report was computed from. The audit log and sign-offs are append-only and never touched.
 *
 * The same run sweeps the uploads folder (`sweepOrphanUploads`): stored evidence files no row
 * refers to and temp files of uploads, once a day old. Uploads move into place only after their
 * transaction commits, so only a crash (or a failed delete after an erasure) leaves such files.
 */
import type Database from 'better-sqlite3'
import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { assessmentCycles, outbox, raters, raterSessions, rateLimitHits } from '#db/schema/assessments'
import { loginAttempts, sessions } from '#db/schema/auth'
import { evidenceFiles } from '#db/schema/program'
import type { Db } from '~/utils/db.server'
import { sweepUploads, type UploadSweep } from '~/utils/uploads.server'
import { recordAudit } from './audit.server'

const DAY_MS = 24 * 60 * 60 * 1000

export type PurgeCounts = {
  /** Cycles closed or cancelled before the cutoff (looked at, not changed). */
  endedCycles: number
  /** Raters who never submitted and whose draft was cleared. */
  raterDrafts: number
  /** Invitation token hashes cleared (old links then say nothing about the cycle). */
  invitationTokens: number
  raterSessions: number
  outboxMessages: number
  /** Expired login sessions. */
  loginSessions: number
  /** Rate-limit counters and login attempts older than a day: no limit looks back further. */
  rateLimitHits: number
  loginAttempts: number
}

export type PurgeResult = { retentionDays: number; cutoff: string; counts: PurgeCounts; changed: boolean }

/**
 * Purges what retention allows, in the caller's transaction, and records one audit entry when
 * anything changed (so a second run right after the first writes nothing at all).
 * Cancelled cycles count as ended at `cancelled_at`: their drafts and links are just as dead.
 */
export function purgeExpiredData(tx: Db, retentionDays: number, now = new Date()): PurgeResult {
  if (!Number.isInteger(retentionDays) || retentionDays < 1)
    throw new Error(`retentionDays must be a positive integer (got ${retentionDays})`)
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString()
  const nowMs = now.getTime()

  // closed_at / cancelled_at are ISO-8601 UTC strings, so text order is time order.
  const endedWhere = or(
    and(eq(assessmentCycles.state, 'closed'), lt(assessmentCycles.closedAt, cutoff)),
    and(eq(assessmentCycles.state, 'cancelled'), lt(assessmentCycles.cancelledAt, cutoff)),
  )
  const endedCycleIds = tx.select({ id: assessmentCycles.id }).from(assessmentCycles).where(endedWhere)
  const ratersOfEnded = tx.select({ id: raters.id }).from(raters).where(inArray(raters.cycleId, endedCycleIds))

  const endedCycles =
    tx
      .select({ n: sql<number>`count(*)` })
      .from(assessmentCycles)
      .where(endedWhere)
      .get()?.n ?? 0

  const raterDrafts = tx
    .update(raters)
    .set({ answersJson: null, commentsJson: null, draftSavedAt: null })
    .where(
      and(
        inArray(raters.cycleId, endedCycleIds),
        isNull(raters.submittedAt),
        or(isNotNull(raters.answersJson), isNotNull(raters.commentsJson), isNotNull(raters.draftSavedAt)),
      ),
    )
    .run().changes

  const invitationTokens = tx
    .update(raters)
    .set({ tokenHash: null })
    .where(and(inArray(raters.cycleId, endedCycleIds), isNotNull(raters.tokenHash)))
    .run().changes

  // Closing a cycle already ends its sessions; this also catches any left over, and expired ones anywhere.
  const raterSessionCount = tx
    .delete(raterSessions)
    .where(or(inArray(raterSessions.raterId, ratersOfEnded), lt(raterSessions.expiresAt, nowMs)))
    .run().changes

  const outboxMessages = tx
    .delete(outbox)
    .where(or(inArray(outbox.cycleId, endedCycleIds), inArray(outbox.raterId, ratersOfEnded)))
    .run().changes

  const loginSessions = tx.delete(sessions).where(lt(sessions.expiresAt, nowMs)).run().changes
  const rateLimitHitCount = tx
    .delete(rateLimitHits)
    .where(lt(rateLimitHits.at, nowMs - DAY_MS))
    .run().changes
  const loginAttemptCount = tx
    .delete(loginAttempts)
    .where(lt(loginAttempts.at, nowMs - DAY_MS))
    .run().changes

  const counts: PurgeCounts = {
    endedCycles,
    raterDrafts,
    invitationTokens,
    raterSessions: raterSessionCount,
    outboxMessages,
    loginSessions,
    rateLimitHits: rateLimitHitCount,
    loginAttempts: loginAttemptCount,
  }
  const changed = Object.entries(counts).some(([key, n]) => key !== 'endedCycles' && n > 0)
  if (changed) {
    recordAudit(
      tx,
      {
        actorId: null,
        action: 'maintenance.purge',
        entityType: 'system',
        entityId: 'retention',
        after: { retentionDays, cutoff, ...counts },
      },
      now,
    )
  }
  return { retentionDays, cutoff, counts, changed }
}

/**
 * Deletes the files under UPLOADS_DIR that no evidence row refers to and stale upload temp files
 * (both older than a day). Not a transaction: it changes no row, only removes what no row names.
 */
export function sweepOrphanUploads(db: Db, now = new Date()): UploadSweep {
  return sweepUploads(
    () =>
      new Set(
        db
          .selectDistinct({ sha256: evidenceFiles.sha256 })
          .from(evidenceFiles)
          .all()
          .map((r) => r.sha256),
      ),
    now,
  )
}

export type DatabaseFileReport = {
  pages: number
  /** ["ok"] when sound; otherwise SQLite's first problems. */
  integrity: string[]
  tables: string[]
  /** null when the table is missing (not an STO Pathway database). */
  people: number | null
  cycles: number | null
  /** created_at of the newest applied migration (drizzle's folderMillis), null without migrations. */
  latestMigration: number | null
}

/** Checks an open database file as backups and restores need: integrity, the app's tables, sizes. */
export function inspectDatabaseFile(sqlite: Database.Database): DatabaseFileReport {
  const integrity = (sqlite.pragma('integrity_check(10)') as Array<{ integrity_check: string }>).map(
    (r) => r.integrity_check,
  )
  const tables = (
    sqlite.prepare(`select name from sqlite_schema where type = 'table' order by name`).all() as Array<{ name: string }>
  ).map((t) => t.name)
  const countOf = (table: string) =>
    tables.includes(table) ? (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n : null
  const latestMigration = tables.includes('__drizzle_migrations')
    ? ((sqlite.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null }).at ??
      null)
    : null
  return {
    pages: sqlite.pragma('page_count', { simple: true }) as number,
    integrity,
    tables,
    people: countOf('people'),
    cycles: countOf('assessment_cycles'),
    latestMigration: latestMigration === null ? null : Number(latestMigration),
  }
}

export const integrityOk = (report: Pick<DatabaseFileReport, 'integrity'>) =>
  report.integrity.length === 1 && report.integrity[0] === 'ok'
