/**
 * verifyChain (app/domain/audit-chain.ts), pure: a chain built in memory, then changed one way at a
 * time. The database side (triggers, redaction records) is in audit-chain.test.ts.
 */
import { describe, expect, it } from 'vitest'
import {
  chainHash,
  contentHashOf,
  GENESIS_HASH,
  verifyChain,
  type AuditContent,
  type AuditRow,
} from '~/domain/audit-chain'

function chain(contents: AuditContent[]): AuditRow[] {
  let prev = GENESIS_HASH
  return contents.map((c) => {
    const contentHash = contentHashOf(c)
    const row = { ...c, contentHash, prevHash: prev, hash: chainHash(prev, contentHash) }
    prev = row.hash
    return row
  })
}
const entry = (id: number, before: string | null, after: string | null): AuditContent => ({
  id,
  at: `2026-12-0${id}T10:00:00.000Z`,
  actorId: 7,
  action: 'person.update',
  entityType: 'person',
  entityId: String(100 + id),
  before,
  after,
})
const rows = () =>
  chain([entry(1, null, '{"name":"Ann"}'), entry(2, '{"name":"Ann"}', '{"name":"Ann Lee"}'), entry(3, '{"x":1}', null)])

describe('verifyChain', () => {
  it('accepts an untouched chain and counts its entries', () => {
    expect(verifyChain(rows())).toEqual({ intact: true, entries: 3 })
    expect(verifyChain([])).toEqual({ intact: true, entries: 0 })
  })

  it('finds changed content, also in an entry with no "before" or no "after"', () => {
    for (const [i, change] of [
      [0, { after: '{"name":"Eve"}' }],
      [1, { action: 'person.delete' }],
      [2, { entityId: '999' }],
    ] as const) {
      const r = rows()
      r[i] = { ...r[i]!, ...change }
      expect(verifyChain(r)).toEqual({
        intact: false,
        entries: i + 1,
        brokenAtId: i + 1,
        reason: 'its content was changed after it was written',
      })
    }
  })

  it('lets a recorded redaction blank both payloads of that entry and nothing else', () => {
    const r = rows()
    r[1] = { ...r[1]!, before: null, after: null }
    expect(verifyChain(r, new Set([2]))).toEqual({ intact: true, entries: 3 })
    // Not recorded as redacted: a change.
    expect(verifyChain(r, new Set([1]))).toMatchObject({ intact: false, brokenAtId: 2 })
    // Recorded, but only one payload blanked, or something else changed: a change.
    const half = rows()
    half[1] = { ...half[1]!, before: null }
    expect(verifyChain(half, new Set([2]))).toMatchObject({
      intact: false,
      brokenAtId: 2,
      reason: 'its content was changed after it was written',
    })
    const halfAfter = rows()
    halfAfter[1] = { ...halfAfter[1]!, after: null }
    expect(verifyChain(halfAfter, new Set([2]))).toMatchObject({ intact: false, brokenAtId: 2 })
  })

  it('finds a removed or reordered entry, and a rewritten hash', () => {
    const r = rows()
    expect(verifyChain([r[0]!, r[2]!])).toEqual({
      intact: false,
      entries: 2,
      brokenAtId: 3,
      reason: 'its link to the previous entry does not match',
    })
    expect(verifyChain([r[1]!, r[0]!, r[2]!])).toMatchObject({ intact: false, brokenAtId: 2 })
    const forged = rows()
    forged[2] = { ...forged[2]!, hash: forged[1]!.hash }
    expect(verifyChain(forged)).toEqual({
      intact: false,
      entries: 3,
      brokenAtId: 3,
      reason: 'its chain hash does not match',
    })
  })
})
