/** Writing and reading the append-only, hash-chained audit log. */
import { asc, desc, eq, inArray } from 'drizzle-orm'
import { auditLog, auditRedactions } from '#db/schema/audit'
import { chainHash, contentHashOf, GENESIS_HASH, verifyChain, type AuditRow } from '~/domain/audit-chain'
import type { Db } from '~/utils/db.server'

export type AuditEvent = {
  actorId: number | null
  action: string
  entityType: string
  entityId: string | number
  before?: unknown
  after?: unknown
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v))

/**
 * Appends one entry. Call it inside the transaction of the change it records, so the change and
 * its record commit together (the transaction's write lock also serialises the chain).
 */
export function recordAudit(tx: Db, event: AuditEvent, at: Date = new Date()) {
  const last = tx
    .select({ id: auditLog.id, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get()
  const content = {
    id: (last?.id ?? 0) + 1,
    at: at.toISOString(),
    actorId: event.actorId,
    action: event.action,
    entityType: event.entityType,
    entityId: String(event.entityId),
    before: json(event.before),
    after: json(event.after),
  }
  const prevHash = last?.hash ?? GENESIS_HASH
  const contentHash = contentHashOf(content)
  tx.insert(auditLog)
    .values({ ...content, contentHash, prevHash, hash: chainHash(prevHash, contentHash) })
    .run()
}

export function verifyAuditLog(db: Db) {
  const rows: AuditRow[] = db.select().from(auditLog).orderBy(asc(auditLog.id)).all()
  const redacted = new Set(
    db
      .select({ id: auditRedactions.auditId })
      .from(auditRedactions)
      .all()
      .map((r) => r.id),
  )
  return verifyChain(rows, redacted)
}

/**
 * Blanks the payloads (before/after) of these audit entries, recording who did it and why first:
 * the only change the audit log accepts (migration 0008). Ids, actions, actors and hashes stay, so
 * the history still says that something happened, by whom and when.
 */
export function redactAuditEntries(
  tx: Db,
  actorId: number | null,
  ids: number[],
  reason: string,
  at: Date = new Date(),
) {
  const already = new Set(
    tx
      .select({ id: auditRedactions.auditId })
      .from(auditRedactions)
      .where(inArray(auditRedactions.auditId, ids))
      .all()
      .map((r) => r.id),
  )
  const fresh = [...new Set(ids)].filter((id) => !already.has(id))
  for (const id of fresh) {
    tx.insert(auditRedactions).values({ auditId: id, at: at.toISOString(), actorId, reason }).run()
    tx.update(auditLog).set({ before: null, after: null }).where(eq(auditLog.id, id)).run()
  }
  return fresh.length
}

export function recentAudit(db: Db, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all()
}
