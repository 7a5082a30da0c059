/**
 * The audit log's hash chain, pure. Each entry's content is hashed on its own, then chained:
 * hash = sha256(prevHash + contentHash). Verifying recomputes both from the first row.
 */
import { createHash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

export type AuditContent = {
  id: number
  at: string
  actorId: number | null
  action: string
  entityType: string
  entityId: string
  before: string | null
  after: string | null
}

export type AuditRow = AuditContent & { contentHash: string; prevHash: string; hash: string }

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')

/** A fixed field order, so the same content always gives the same hash. */
export function canonicalContent(c: AuditContent): string {
  return JSON.stringify([c.id, c.at, c.actorId, c.action, c.entityType, c.entityId, c.before, c.after])
}

export function contentHashOf(c: AuditContent): string {
  return sha256(canonicalContent(c))
}

export function chainHash(prevHash: string, contentHash: string): string {
  return sha256(prevHash + contentHash)
}

export type ChainVerdict =
  { intact: true; entries: number } | { intact: false; entries: number; brokenAtId: number; reason: string }

/**
 * Rows must come in id order. Stops at the first broken entry. A row whose payload was blanked by
 * a recorded redaction (`redacted`) cannot have its content recomputed; its stored content hash
 * still links it into the chain, so nothing before or after it can change unnoticed.
 */
export function verifyChain(rows: Iterable<AuditRow>, redacted: ReadonlySet<number> = new Set()): ChainVerdict {
  let prev = GENESIS_HASH
  let entries = 0
  for (const row of rows) {
    entries++
    if (row.prevHash !== prev)
      return { intact: false, entries, brokenAtId: row.id, reason: 'its link to the previous entry does not match' }
    const blanked = redacted.has(row.id) && row.before === null && row.after === null
    if (!blanked && contentHashOf(row) !== row.contentHash)
      return { intact: false, entries, brokenAtId: row.id, reason: 'its content was changed after it was written' }
    if (chainHash(row.prevHash, row.contentHash) !== row.hash)
      return { intact: false, entries, brokenAtId: row.id, reason: 'its chain hash does not match' }
    prev = row.hash
  }
  return { intact: true, entries }
}
