/** Writing and reading the append-only, hash-chained audit log. */
import { asc, desc } from 'drizzle-orm'
import { auditLog } from '#db/schema/audit'
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
  const last = tx.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()
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
  return verifyChain(rows)
}

export function recentAudit(db: Db, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all()
}
