import { describe, expect, it } from 'vitest'
import {
  GENESIS_HASH,
  chainHash,
  contentHashOf,
  verifyChain,
  type AuditContent,
  type AuditRow,
} from '~/domain/audit-chain'
import { recordAudit, recentAudit, redactAuditEntries, verifyAuditLog } from '~/models/audit.server'
import { getDb, transaction } from '~/utils/db.server'

/** A correctly chained list of rows built by hand. */
function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = []
  let prev = GENESIS_HASH
  for (let i = 1; i <= n; i++) {
    const content: AuditContent = {
      id: i,
      at: `2026-01-0${i}T10:00:00.000Z`,
      actorId: i === 1 ? null : 1,
      action: 'person.update',
      entityType: 'person',
      entityId: String(i),
      before: i === 1 ? null : JSON.stringify({ name: `Old ${i}` }),
      after: JSON.stringify({ name: `New ${i}` }),
    }
    const contentHash = contentHashOf(content)
    const hash = chainHash(prev, contentHash)
    rows.push({ ...content, contentHash, prevHash: prev, hash })
    prev = hash
  }
  return rows
}

describe('verifyChain on hand-built rows', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(5))).toEqual({ intact: true, entries: 5 })
    expect(verifyChain([])).toEqual({ intact: true, entries: 0 })
  })

  it('hashes content in a fixed way: any field change changes the content hash', () => {
    const [row] = chain(1)
    const base = contentHashOf(row!)
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(contentHashOf({ ...row! })).toBe(base)
    for (const change of [
      { actorId: 2 },
      { action: 'person.create' },
      { entityId: '9' },
      { before: '{}' },
      { after: null },
      { at: '2026-01-01T10:00:00.001Z' },
    ])
      expect(contentHashOf({ ...row!, ...change }), JSON.stringify(change)).not.toBe(base)
  })

  it('detects content changed after writing, at that row', () => {
    const rows = chain(5)
    rows[2] = { ...rows[2]!, after: JSON.stringify({ name: 'Someone else' }) }
    expect(verifyChain(rows)).toEqual({
      intact: false,
      entries: 3,
      brokenAtId: 3,
      reason: 'its content was changed after it was written',
    })
  })

  it('detects a row whose content and content hash were both rewritten (the chain hash no longer matches)', () => {
    const rows = chain(4)
    const forged = { ...rows[1]!, actorId: 42 }
    rows[1] = { ...forged, contentHash: contentHashOf(forged) }
    expect(verifyChain(rows)).toMatchObject({ intact: false, brokenAtId: 2, reason: 'its chain hash does not match' })
  })

  it('detects a broken link (a row removed from the middle)', () => {
    const rows = chain(5)
    rows.splice(1, 1)
    expect(verifyChain(rows)).toEqual({
      intact: false,
      entries: 2,
      brokenAtId: 3,
      reason: 'its link to the previous entry does not match',
    })
  })

  it('detects a first row that does not start from the genesis hash', () => {
    const rows = chain(3).slice(1)
    expect(verifyChain(rows)).toMatchObject({
      intact: false,
      brokenAtId: 2,
      reason: 'its link to the previous entry does not match',
    })
  })

  it('hashes to known answers (computed independently, outside this code base)', () => {
    // sha256 of [1,"2026-01-01T10:00:00.000Z",null,"person.update","person","1",null,"{\"name\":\"New 1\"}"],
    // then sha256 of 64 zeros followed by that hex digest.
    const [row] = chain(1)
    expect(row!.contentHash).toBe('5e20f84ffc80f2a55efeb47b13fd51d0ca780192631885d9a04de64bb3a4169d')
    expect(row!.hash).toBe('c692466cb18012a513270adfb7957531732d3b9d687553a468e292d2480372dc')
  })

  it('detects a forger who rewrites one row consistently and the next row’s prev_hash to match', () => {
    const rows = chain(4)
    const forged = { ...rows[1]!, after: JSON.stringify({ name: 'Forged' }) }
    const contentHash = contentHashOf(forged)
    rows[1] = { ...forged, contentHash, hash: chainHash(forged.prevHash, contentHash) }
    rows[2] = { ...rows[2]!, prevHash: rows[1].hash }
    expect(verifyChain(rows)).toMatchObject({ intact: false, brokenAtId: 3, reason: 'its chain hash does not match' })
  })

  it('detects a fully recomputed forgery from the row after it', () => {
    // Rewriting a row consistently (content, content hash and hash) still breaks the next link.
    const rows = chain(4)
    const forged = { ...rows[1]!, after: JSON.stringify({ name: 'Forged' }) }
    const contentHash = contentHashOf(forged)
    rows[1] = { ...forged, contentHash, hash: chainHash(forged.prevHash, contentHash) }
    expect(verifyChain(rows)).toMatchObject({
      intact: false,
      brokenAtId: 3,
      reason: 'its link to the previous entry does not match',
    })
  })
})

describe('the audit log in the database', () => {
  const sqlite = () => getDb().$client

  it('records entries in transactions and verifies them as an intact chain', () => {
    expect(verifyAuditLog(getDb())).toEqual({ intact: true, entries: 0 })
    transaction((tx) =>
      recordAudit(tx, { actorId: null, action: 'test.first', entityType: 'thing', entityId: 1, after: { a: 1 } }),
    )
    transaction((tx) => {
      recordAudit(tx, {
        actorId: 7,
        action: 'test.second',
        entityType: 'thing',
        entityId: 2,
        before: { a: 1 },
        after: { a: 2 },
      })
      recordAudit(tx, { actorId: 7, action: 'test.third', entityType: 'thing', entityId: '3' })
    })
    transaction((tx) =>
      recordAudit(
        tx,
        { actorId: 8, action: 'test.fourth', entityType: 'thing', entityId: 4, after: null },
        new Date('2026-02-01T00:00:00Z'),
      ),
    )
    expect(verifyAuditLog(getDb())).toEqual({ intact: true, entries: 4 })

    const entries = recentAudit(getDb())
    expect(entries.map((e) => e.action)).toEqual(['test.fourth', 'test.third', 'test.second', 'test.first'])
    const first = entries[3]!
    expect(first).toMatchObject({
      id: 1,
      actorId: null,
      entityId: '1',
      before: null,
      after: '{"a":1}',
      prevHash: GENESIS_HASH,
    })
    expect(entries[2]!.prevHash).toBe(first.hash)
    expect(entries[1]).toMatchObject({ before: null, after: null })
    expect(entries[0]).toMatchObject({ at: '2026-02-01T00:00:00.000Z', after: 'null' })
  })

  it('rolls the entry back with a failed transaction', () => {
    const before = verifyAuditLog(getDb()).entries
    expect(() =>
      transaction((tx) => {
        recordAudit(tx, { actorId: 1, action: 'test.rolled-back', entityType: 'thing', entityId: 5 })
        throw new Error('business rule refused')
      }),
    ).toThrow('business rule refused')
    expect(verifyAuditLog(getDb())).toEqual({ intact: true, entries: before })
  })

  it('refuses UPDATE and DELETE of audit rows (SQLite triggers)', () => {
    transaction((tx) => recordAudit(tx, { actorId: 1, action: 'test.guarded', entityType: 'thing', entityId: 6 }))
    expect(() => sqlite().prepare('UPDATE audit_log SET after = ? WHERE id = 1').run('{"a":99}')).toThrow(/append-only/)
    expect(() => sqlite().prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/)
    expect(() => sqlite().prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(sqlite().prepare('SELECT after FROM audit_log WHERE id = 1').get()).toEqual({ after: '{"a":1}' })
    expect(verifyAuditLog(getDb()).intact).toBe(true)
  })

  it('lets a recorded redaction blank a payload and nothing else; the chain still verifies', () => {
    transaction((tx) =>
      recordAudit(tx, {
        actorId: 1,
        action: 'test.personal',
        entityType: 'person',
        entityId: 7,
        after: { name: 'Quilla Personal' },
      }),
    )
    const id = sqlite().prepare("SELECT id FROM audit_log WHERE action = 'test.personal'").pluck().get() as number
    // Without a redaction record: refused, even to blank.
    expect(() => sqlite().prepare('UPDATE audit_log SET before = NULL, after = NULL WHERE id = ?').run(id)).toThrow(
      /append-only/,
    )
    expect(transaction((tx) => redactAuditEntries(tx, 1, [id], 'test erasure'))).toBe(1)
    expect(sqlite().prepare('SELECT before, after, action FROM audit_log WHERE id = ?').get(id)).toEqual({
      before: null,
      after: null,
      action: 'test.personal',
    })
    expect(verifyAuditLog(getDb()).intact).toBe(true)
    // Redacted, the row still cannot be changed otherwise, and the redaction record is append-only.
    expect(() => sqlite().prepare("UPDATE audit_log SET action = 'test.other' WHERE id = ?").run(id)).toThrow(
      /append-only/,
    )
    expect(() => sqlite().prepare("UPDATE audit_log SET after = '{}' WHERE id = ?").run(id)).toThrow(/append-only/)
    expect(() => sqlite().prepare('DELETE FROM audit_redactions').run()).toThrow(/append-only/)
    expect(transaction((tx) => redactAuditEntries(tx, 1, [id], 'again'))).toBe(0)
  })

  it('reports a row edited behind the triggers’ back as the break', () => {
    const entries = verifyAuditLog(getDb()).entries
    expect(entries).toBeGreaterThanOrEqual(3)
    sqlite().exec('DROP TRIGGER audit_log_no_update')
    sqlite().prepare('UPDATE audit_log SET after = ? WHERE id = 2').run('{"a":"edited"}')
    expect(verifyAuditLog(getDb())).toEqual({
      intact: false,
      entries: 2,
      brokenAtId: 2,
      reason: 'its content was changed after it was written',
    })
  })
})
