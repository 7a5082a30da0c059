/**
 * The retention purge (app/models/maintenance.server.ts, `npm run maintenance`): what a cycle that
 * ended long ago loses (drafts, links, sessions, emails), what everything else keeps, and that a
 * second run changes nothing; the sweep of the uploads folder (unreferenced and temp files).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { asc, eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, cycleResults, outbox, raters, raterSessions, rateLimitHits } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { loginAttempts, sessions } from '#db/schema/auth'
import { verifyAuditLog } from '~/models/audit.server'
import { purgeExpiredData, sweepOrphanUploads } from '~/models/maintenance.server'
import { submitEvidence } from '~/models/milestones.server'
import { getDb, transaction } from '~/utils/db.server'
import { EnvError, parseEnv, resetEnvCache } from '~/utils/env.server'
import { answerForm, collectingCycle, minimumSet, postCycle, postRate, raterBrowser } from '../helpers/cycles'
import { loggedIn } from '../helpers/db'
import { enrollVia, milestoneByTemplate, monthsAgo, pdfBytes, useTempUploads } from '../helpers/program'

const DAY_MS = 24 * 60 * 60 * 1000
const daysAgo = (days: number, from = Date.now()) => new Date(from - days * DAY_MS).toISOString()

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, mentor: Viewer
// Never the default data/uploads: the sweep deletes what this test database does not refer to.
let uploads: string

beforeAll(async () => {
  uploads = useTempUploads()
  hr = await loggedIn({ roles: ['hr'], name: 'Hilde HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Max Mentor' })
})
afterAll(() => {
  fs.rmSync(uploads, { recursive: true, force: true })
  delete process.env.UPLOADS_DIR
  resetEnvCache()
})

/**
 * A collecting cycle with one rater of each kind: submitted, draft only, link opened (a rater
 * session), never opened. Invitations and a reminder are in the outbox.
 */
async function cycleWithRaters(name: string) {
  const cand = await loggedIn({ roles: ['candidate'], name, candidate: { mentorId: mentor.id } })
  const { cycleId, raters: made } = await collectingCycle({
    approverCookie: hr.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    specs: minimumSet(),
  })
  const [submitted, drafted, opened, idle] = made as [
    (typeof made)[0],
    (typeof made)[0],
    (typeof made)[0],
    (typeof made)[0],
  ]
  expect((await postCycle(hr.cookie, cycleId, { intent: 'remind' })).status).toBe(302)
  // The reminder issued fresh links; read them again.
  const tokenOf = (raterId: number) => {
    const body = getDb()
      .select()
      .from(outbox)
      .where(eq(outbox.raterId, raterId))
      .orderBy(asc(outbox.id))
      .all()
      .at(-1)!.body
    return body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1]!
  }
  const submittedBrowser = await raterBrowser(tokenOf(submitted.id))
  expect(
    (
      await postRate(
        submittedBrowser,
        answerForm(() => '4', { intent: 'submit' }),
      )
    ).status,
  ).toBe(302)
  const draftBrowser = await raterBrowser(tokenOf(drafted.id))
  expect(
    (
      await postRate(
        draftBrowser,
        answerForm((id) => (id.endsWith('.b1') ? '2' : ''), { intent: 'save' }),
      )
    ).status,
  ).toBe(200)
  await raterBrowser(tokenOf(opened.id))
  return { cycleId, submitted, drafted, opened, idle }
}

const close = async (cycleId: number, closedAt: string) => {
  expect((await postCycle(hr.cookie, cycleId, { intent: 'close' })).status).toBe(302)
  getDb().update(assessmentCycles).set({ closedAt }).where(eq(assessmentCycles.id, cycleId)).run()
}

const raterIdsOf = (cycleId: number) =>
  getDb()
    .select({ id: raters.id })
    .from(raters)
    .where(eq(raters.cycleId, cycleId))
    .all()
    .map((r) => r.id)

/** Everything the purge could touch for one cycle. */
function snapshot(cycleId: number) {
  const db = getDb()
  const ids = raterIdsOf(cycleId)
  return {
    cycle: db.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get(),
    results: db.select().from(cycleResults).where(eq(cycleResults.cycleId, cycleId)).all(),
    raters: db.select().from(raters).where(eq(raters.cycleId, cycleId)).orderBy(asc(raters.id)).all(),
    outbox: db.select().from(outbox).where(eq(outbox.cycleId, cycleId)).orderBy(asc(outbox.id)).all(),
    raterSessions: db
      .select()
      .from(raterSessions)
      .where(inArray(raterSessions.raterId, ids))
      .orderBy(asc(raterSessions.idHash))
      .all(),
  }
}

/** Every table the purge writes to, whole. */
function wholeTables() {
  const db = getDb()
  return {
    raters: db.select().from(raters).orderBy(asc(raters.id)).all(),
    outbox: db.select().from(outbox).orderBy(asc(outbox.id)).all(),
    raterSessions: db.select().from(raterSessions).orderBy(asc(raterSessions.idHash)).all(),
    sessions: db.select().from(sessions).orderBy(asc(sessions.idHash)).all(),
    rateLimitHits: db.select().from(rateLimitHits).orderBy(asc(rateLimitHits.id)).all(),
    loginAttempts: db.select().from(loginAttempts).orderBy(asc(loginAttempts.id)).all(),
    audit: db.select().from(auditLog).orderBy(asc(auditLog.id)).all(),
  }
}

const auditCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .get()!.n

describe('the retention purge', () => {
  it('purges drafts, links, sessions and emails of cycles ended long ago, keeps everything else, and a second run changes nothing', async () => {
    const old = await cycleWithRaters('Olga Oldcycle')
    await close(old.cycleId, daysAgo(200))
    const recent = await cycleWithRaters('Rita Recentcycle')
    await close(recent.cycleId, daysAgo(10))
    const open = await cycleWithRaters('Otto Opencycle')
    const cancelled = await cycleWithRaters('Carla Cancelledcycle')
    expect(
      (await postCycle(hr.cookie, cancelled.cycleId, { intent: 'cancel', reason: 'Left the company' })).status,
    ).toBe(302)
    getDb()
      .update(assessmentCycles)
      .set({ cancelledAt: daysAgo(400) })
      .where(eq(assessmentCycles.id, cancelled.cycleId))
      .run()

    const now = Date.now()
    // Closing ends rater sessions; a session left over anyway (say, from a crash) must go too.
    getDb()
      .insert(raterSessions)
      .values({ idHash: 'a'.repeat(64), raterId: old.opened.id, expiresAt: now + DAY_MS })
      .run()
    // One closed recently keeps its (odd but unexpired) session; an expired one on the open cycle goes.
    getDb()
      .insert(raterSessions)
      .values({ idHash: 'b'.repeat(64), raterId: recent.opened.id, expiresAt: now + DAY_MS })
      .run()
    getDb()
      .insert(raterSessions)
      .values({ idHash: 'c'.repeat(64), raterId: open.idle.id, expiresAt: now - 1000 })
      .run()
    getDb()
      .insert(sessions)
      .values({
        idHash: 'd'.repeat(64),
        personId: hr.id,
        createdAt: now - 30 * DAY_MS,
        lastSeenAt: now - 20 * DAY_MS,
        expiresAt: now - 1000,
      })
      .run()
    getDb()
      .insert(rateLimitHits)
      .values({ key: 'rater-link:10.9.9.9', at: now - 2 * DAY_MS })
      .run()
    getDb()
      .insert(loginAttempts)
      .values({ email: 'someone@example.com', ip: '10.9.9.9', at: now - 2 * DAY_MS, succeeded: false })
      .run()
    getDb()
      .insert(loginAttempts)
      .values({ email: 'someone@example.com', ip: '10.9.9.9', at: now - 60_000, succeeded: false })
      .run()

    const before = {
      old: snapshot(old.cycleId),
      recent: snapshot(recent.cycleId),
      open: snapshot(open.cycleId),
      cancelled: snapshot(cancelled.cycleId),
    }
    const liveSessions = getDb()
      .select()
      .from(sessions)
      .where(sql`${sessions.expiresAt} >= ${now}`)
      .all()
    const recentHits = getDb()
      .select()
      .from(rateLimitHits)
      .where(sql`${rateLimitHits.at} >= ${now - DAY_MS}`)
      .all()
    // The fixtures are what they claim to be.
    const oldRater = (id: number) => before.old.raters.find((r) => r.id === id)!
    expect(oldRater(old.submitted.id).submittedAt).not.toBeNull()
    expect(oldRater(old.drafted.id)).toMatchObject({
      submittedAt: null,
      draftSavedAt: expect.any(String),
      answersJson: expect.any(String),
    })
    expect(before.old.raters.every((r) => r.tokenHash !== null)).toBe(true)
    expect(before.old.outbox.length).toBe(4 + 4) // four invitations, four reminders
    expect(before.old.cycle!.reportJson).not.toBeNull()
    expect(before.open.raterSessions).toHaveLength(4) // three raters opened their links; plus the expired session
    const auditBefore = auditCount()

    const first = transaction((tx) => purgeExpiredData(tx, 180))
    expect(first.changed).toBe(true)
    expect(first.counts).toEqual({
      endedCycles: 2, // the old closed one and the long-cancelled one
      raterDrafts: 2, // one draft in each
      invitationTokens: 8, // every rater of both
      raterSessions: 2, // the leftover of the old cycle and the expired one
      outboxMessages: before.old.outbox.length + before.cancelled.outbox.length,
      loginSessions: 1,
      rateLimitHits: 1,
      loginAttempts: 1,
    })

    const after = {
      old: snapshot(old.cycleId),
      recent: snapshot(recent.cycleId),
      open: snapshot(open.cycleId),
      cancelled: snapshot(cancelled.cycleId),
    }
    for (const ended of ['old', 'cancelled'] as const) {
      expect(after[ended].outbox, ended).toEqual([])
      expect(after[ended].raterSessions, ended).toEqual([])
      // The cycle itself and its frozen figures stay as they were.
      expect(after[ended].cycle, ended).toEqual(before[ended].cycle)
      expect(after[ended].results, ended).toEqual(before[ended].results)
      for (const r of after[ended].raters) {
        const was = before[ended].raters.find((x) => x.id === r.id)!
        if (was.submittedAt) {
          // Submitted answers are kept; only the link is gone.
          expect(r, `${ended} rater ${r.id}`).toEqual({ ...was, tokenHash: null })
        } else {
          expect(r, `${ended} rater ${r.id}`).toEqual({
            ...was,
            tokenHash: null,
            answersJson: null,
            commentsJson: null,
            draftSavedAt: null,
          })
        }
      }
    }
    expect(after.old.raters.find((r) => r.id === old.submitted.id)!.answersJson).toBe(
      oldRater(old.submitted.id).answersJson,
    )
    expect(after.recent).toEqual(before.recent)
    expect(after.open).toEqual({
      ...before.open,
      raterSessions: before.open.raterSessions.filter((s) => s.idHash !== 'c'.repeat(64)),
    })
    expect(
      getDb()
        .select()
        .from(sessions)
        .where(eq(sessions.idHash, 'd'.repeat(64)))
        .all(),
    ).toEqual([])
    expect(
      getDb()
        .select()
        .from(sessions)
        .where(sql`${sessions.expiresAt} >= ${now}`)
        .all(),
    ).toEqual(liveSessions)
    expect(
      getDb()
        .select()
        .from(rateLimitHits)
        .where(sql`${rateLimitHits.at} >= ${now - DAY_MS}`)
        .all(),
    ).toEqual(recentHits)
    expect(
      getDb().select().from(loginAttempts).where(eq(loginAttempts.email, 'someone@example.com')).all(),
    ).toHaveLength(1)

    // One audit entry by the system, with the counts; the chain still verifies.
    expect(auditCount()).toBe(auditBefore + 1)
    const entry = getDb()
      .select()
      .from(auditLog)
      .orderBy(sql`${auditLog.id} desc`)
      .limit(1)
      .get()!
    expect(entry).toMatchObject({
      actorId: null,
      action: 'maintenance.purge',
      entityType: 'system',
      entityId: 'retention',
      before: null,
    })
    expect(JSON.parse(entry.after!)).toEqual({ retentionDays: 180, cutoff: first.cutoff, ...first.counts })
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })

    // A second run finds nothing and writes nothing, not even an audit entry.
    const tables = wholeTables()
    const second = transaction((tx) => purgeExpiredData(tx, 180))
    expect(second.changed).toBe(false)
    expect(second.counts).toEqual({
      endedCycles: 2,
      raterDrafts: 0,
      invitationTokens: 0,
      raterSessions: 0,
      outboxMessages: 0,
      loginSessions: 0,
      rateLimitHits: 0,
      loginAttempts: 0,
    })
    expect(wholeTables()).toEqual(tables)
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })

  it('counts RETENTION_DAYS from the moment the cycle closed', async () => {
    const c = await cycleWithRaters('Bruno Boundary')
    const now = Date.now()
    await close(c.cycleId, daysAgo(30, now + 5_000)) // 30 days old five seconds from now
    const before = snapshot(c.cycleId)
    transaction((tx) => purgeExpiredData(tx, 30, new Date(now)))
    expect(snapshot(c.cycleId)).toEqual(before)
    transaction((tx) => purgeExpiredData(tx, 30, new Date(now + 10_000)))
    expect(snapshot(c.cycleId).raters.every((r) => r.tokenHash === null)).toBe(true)
    expect(snapshot(c.cycleId).outbox).toEqual([])
    expect(() => transaction((tx) => purgeExpiredData(tx, 0))).toThrow(/positive integer/)
    expect(verifyAuditLog(getDb())).toMatchObject({ intact: true })
  })

  it('npm run maintenance runs the purge on DATABASE_PATH and prints the counts; it refuses arguments', () => {
    const tsx = path.resolve('node_modules/.bin/tsx')
    const run = spawnSync(tsx, ['scripts/maintenance.ts'], {
      encoding: 'utf8',
      env: { ...process.env, RETENTION_DAYS: '180' },
      timeout: 60_000,
    })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain(`Maintenance of ${process.env.DATABASE_PATH} (retention 180 days`)
    expect(run.stdout).toMatch(/\d+ ended cycles past retention/)
    expect(run.stdout).toContain('Nothing to purge; nothing written.')

    const bad = spawnSync(tsx, ['scripts/maintenance.ts', '--now'], { encoding: 'utf8', timeout: 60_000 })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('takes no arguments')
  }, 60_000)
})

describe('the sweep of the uploads folder', () => {
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
  /** Writes a file in the uploads folder, last modified `ageMs` ago. */
  const put = (name: string, ageMs: number, bytes: Uint8Array = pdfBytes(name)) => {
    const file = path.join(uploads, name)
    fs.writeFileSync(file, bytes)
    const at = new Date(Date.now() - ageMs)
    fs.utimesSync(file, at, at)
    return name
  }
  const listing = () => fs.readdirSync(uploads).sort()

  it('deletes stored files no row refers to and upload temp files once a day old; keeps referenced, younger and foreign files', async () => {
    const cand = await loggedIn({ roles: ['candidate'], name: 'Sven Sweep' })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
    const referencedBytes = pdfBytes('referenced')
    const m = milestoneByTemplate(cand.id, 'shadow-plan')
    transaction((tx) =>
      submitEvidence(tx, cand.id, m.id, {
        summary: 'A plan agreed with my mentor, reviewed fortnightly.',
        links: [],
        planItemId: null,
        files: [
          {
            fileName: 'plan.pdf',
            contentType: 'application/pdf',
            sizeBytes: referencedBytes.byteLength,
            sha256: sha(referencedBytes),
          },
        ],
      }),
    )
    const referenced = put(sha(referencedBytes), 400 * DAY_MS, referencedBytes)
    const orphan = put(sha(pdfBytes('orphan')), 2 * DAY_MS, pdfBytes('orphan'))
    const youngOrphan = put(sha(pdfBytes('young orphan')), DAY_MS - 60_000, pdfBytes('young orphan'))
    const staleTemp = put('.upload-0123456789abcdef01234567.tmp', DAY_MS + 60_000)
    const legacyTemp = put(`.${sha(pdfBytes('legacy'))}.a1b2c3d4.tmp`, 30 * DAY_MS)
    const runningTemp = put('.upload-fedcba9876543210fedcba98.tmp', 5_000)
    const foreign = put('README.txt', 400 * DAY_MS)

    expect(sweepOrphanUploads(getDb())).toEqual({ unreferencedFiles: 1, staleTempFiles: 2 })
    expect(listing()).toEqual([referenced, youngOrphan, runningTemp, foreign].sort())
    expect(listing()).not.toContain(orphan)
    expect([staleTemp, legacyTemp].filter((f) => listing().includes(f))).toEqual([])
    // A second run finds nothing; a day later the young orphan and the temp file go too.
    expect(sweepOrphanUploads(getDb())).toEqual({ unreferencedFiles: 0, staleTempFiles: 0 })
    expect(sweepOrphanUploads(getDb(), new Date(Date.now() + DAY_MS))).toEqual({
      unreferencedFiles: 1,
      staleTempFiles: 1,
    })
    expect(listing()).toEqual([referenced, foreign].sort())
    fs.rmSync(path.join(uploads, foreign))
  })

  it('a missing uploads folder is nothing to sweep', () => {
    process.env.UPLOADS_DIR = path.join(uploads, 'not-there')
    resetEnvCache()
    try {
      expect(sweepOrphanUploads(getDb())).toEqual({ unreferencedFiles: 0, staleTempFiles: 0 })
    } finally {
      process.env.UPLOADS_DIR = uploads
      resetEnvCache()
    }
  })

  it('npm run maintenance sweeps UPLOADS_DIR and prints the counts', () => {
    const orphan = put(sha(pdfBytes('script orphan')), 3 * DAY_MS, pdfBytes('script orphan'))
    const temp = put('.upload-00112233445566778899aabb.tmp', 3 * DAY_MS)
    const tsx = path.resolve('node_modules/.bin/tsx')
    const run = spawnSync(tsx, ['scripts/maintenance.ts'], {
      encoding: 'utf8',
      env: { ...process.env, UPLOADS_DIR: uploads },
      timeout: 60_000,
    })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain(
      `1 unreferenced evidence files and 1 stale upload temp files (older than a day) deleted from ${uploads}`,
    )
    expect(fs.existsSync(path.join(uploads, orphan))).toBe(false)
    expect(fs.existsSync(path.join(uploads, temp))).toBe(false)
  }, 60_000)
})

describe('RETENTION_DAYS', () => {
  it('defaults to 180 and accepts whole days from 1 to 3650', () => {
    expect(parseEnv({}).RETENTION_DAYS).toBe(180)
    expect(parseEnv({ RETENTION_DAYS: '1' }).RETENTION_DAYS).toBe(1)
    expect(parseEnv({ RETENTION_DAYS: '3650' }).RETENTION_DAYS).toBe(3650)
  })

  it.each(['0', '3651', '1.5', 'abc', '-30'])('refuses %s, naming the variable', (value) => {
    let caught: unknown
    try {
      parseEnv({ RETENTION_DAYS: value })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(EnvError)
    expect((caught as EnvError).problems[0]).toMatch(
      new RegExp(`^RETENTION_DAYS: .*\\(got "${value.replace('.', '\\.')}"\\)$`),
    )
  })
})
