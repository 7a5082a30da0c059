/**
 * The outbox is a delivery log: HR and admins see who was mailed what and whether it left, never a
 * usable personal link (kept, queued, failed or sent). A message that never left can be re-sent
 * with a fresh link; the re-send behaves the same whether or not the rater has answered, and every
 * refusal is a 4xx that writes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { desc, eq, sql } from 'drizzle-orm'
import { assessmentCycles, outbox, raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { action as messageAction, loader as messageLoader } from '~/routes/outbox.$messageId'
import { loader as logLoader } from '~/routes/outbox._index'
import { queueEmail, SCRUBBED_LINK } from '~/models/outbox.server'
import { getDb, transaction } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import {
  answerForm,
  args,
  collectingCycle,
  isoDay,
  loadRate,
  minimumSet,
  noticeOf,
  openLink,
  postCycle,
  postRate,
  raterBrowser,
} from '../helpers/cycles'
import { call, loggedIn, request } from '../helpers/db'
import { messageOf } from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, admin: Viewer, mentor: Viewer

const received: string[] = []
let server: SMTPServer
let smtpUrl = ''

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Dora Delivery' })
  admin = await loggedIn({ roles: ['admin'], name: 'Adam Delivery' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mila Delivery' })
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push(
          raw
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        )
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`
})

afterEach(() => {
  delete process.env.SMTP_URL
  resetEnvCache()
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const withSmtp = () => {
  process.env.SMTP_URL = smtpUrl
  resetEnvCache()
}

const TOKEN = /\/r\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g
/** Every token ever written to the outbox or delivered by SMTP in this file. */
const knownTokens = new Set<string>()
function collectTokens() {
  for (const m of getDb().select().from(outbox).all()) for (const [, t] of m.body.matchAll(TOKEN)) knownTokens.add(t!)
  for (const raw of received) for (const [, t] of raw.matchAll(TOKEN)) knownTokens.add(t!)
}

const counts = () => ({
  outbox: getDb()
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .get()!.n,
  audit: getDb()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .get()!.n,
  tokenHashes: getDb()
    .select({ h: raters.tokenHash })
    .from(raters)
    .all()
    .map((r) => r.h)
    .join(','),
})

const messagesOf = (cycleId: number) =>
  getDb().select().from(outbox).where(eq(outbox.cycleId, cycleId)).orderBy(outbox.id).all()
const messageRow = (id: number) => getDb().select().from(outbox).where(eq(outbox.id, id)).get()!
const resend = (cookie: string, id: number, form: Record<string, string> = { intent: 'resend' }) =>
  call(() => messageAction(args(request(`/outbox/${id}`, { cookie, form }), { messageId: String(id) })))
const loadMessage = (cookie: string, id: number) =>
  call(() => messageLoader(args(request(`/outbox/${id}`, { cookie }), { messageId: String(id) })))
const loadLog = (cookie: string) => call(() => logLoader(args(request('/outbox', { cookie }))))

let n = 0
/** A collecting cycle with the minimum set invited while no mail server is configured (so "kept"). */
async function keptCycle() {
  n++
  const cand = await loggedIn({
    roles: ['candidate'],
    name: `Delia Candidate ${n}`,
    candidate: { mentorId: mentor.id },
  })
  const c = await collectingCycle({
    approverCookie: mentor.cookie,
    openerCookie: hr.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    specs: minimumSet(),
  })
  const messages = messagesOf(c.cycleId)
  expect(messages.map((m) => m.status)).toEqual(['kept', 'kept', 'kept', 'kept'])
  return { ...c, messages }
}

/** Marks a message as given up after five tries, with an SMTP error that quotes its link. */
function markFailed(id: number) {
  const body = messageRow(id).body
  const link = body.match(/\S*\/r\/[A-Za-z0-9_-]{43}/)![0]
  getDb()
    .update(outbox)
    .set({ status: 'failed', attempts: 5, lastError: `550 rejected message with ${link}` })
    .where(eq(outbox.id, id))
    .run()
}

/** Waits until the background flush after a re-send has left the queue. */
async function settled() {
  for (let i = 0; i < 100; i++) {
    if (getDb().select().from(outbox).where(eq(outbox.status, 'queued')).all().length === 0) return
    await new Promise((r) => setTimeout(r, 20))
  }
}

function expectNoUsableLink(data: unknown, where: string) {
  collectTokens()
  const text = JSON.stringify(data)
  expect(knownTokens.size).toBeGreaterThan(0)
  for (const token of knownTokens) expect(text.includes(token), `${where} carries a token`).toBe(false)
  expect(/\/r\/[A-Za-z0-9_-]{20,}/.test(text), `${where} carries a personal link`).toBe(false)
}

describe('the delivery log', () => {
  it('shows recipient, subject, kind, status, attempts, error and times, and never a usable link (kept, queued, failed)', async () => {
    const kept = await keptCycle()
    markFailed(kept.messages[0]!.id)
    // A queued message: written while a mail server is configured, not flushed yet.
    withSmtp()
    transaction((tx) =>
      queueEmail(tx, {
        kind: 'reminder',
        toName: kept.raters[2]!.name,
        toEmail: kept.raters[2]!.email,
        subject: 'Reminder: feedback',
        body: `Your personal link (do not forward it): http://127.0.0.1:3000/r/${'Q'.repeat(43)}\nThanks`,
        cycleId: kept.cycleId,
        raterId: kept.raters[2]!.id,
      }),
    )
    delete process.env.SMTP_URL
    resetEnvCache()

    const log = await loadLog(hr.cookie)
    expect(log.status).toBe(200)
    const { messages } = log.data as { messages: Array<Record<string, unknown>> }
    const failed = messages.find((m) => m.id === kept.messages[0]!.id)!
    expect(failed).toMatchObject({
      kind: 'invitation',
      status: 'failed',
      statusLabel: 'Failed',
      attempts: 5,
      canResend: true,
    })
    expect(failed.lastError).toContain(SCRUBBED_LINK)
    expect(failed).toHaveProperty('toEmail', kept.messages[0]!.toEmail)
    expect(failed).toHaveProperty('sentAt', null)
    const keptEntry = messages.find((m) => m.id === kept.messages[1]!.id)!
    expect(keptEntry).toMatchObject({
      status: 'kept',
      statusLabel: 'Not sent: no mail server is configured',
      attempts: 0,
    })
    expect(messages.some((m) => m.status === 'queued')).toBe(true)
    expectNoUsableLink(log.data, 'the delivery log')

    for (const m of getDb().select().from(outbox).all()) {
      for (const viewer of [hr, admin]) {
        const page = await loadMessage(viewer.cookie, m.id)
        expect(page.status).toBe(200)
        const body = (page.data as { message: { body: string } }).message.body
        expect(body).toContain(SCRUBBED_LINK)
        expectNoUsableLink(page.data, `message ${m.id} (${m.status})`)
      }
    }
    // Leave no queued message behind for the re-send tests' deliveries.
    getDb().update(outbox).set({ status: 'failed', attempts: 5 }).where(eq(outbox.status, 'queued')).run()
  })

  it('is for HR and admins only: a mentor can neither read it nor re-send', async () => {
    const { messages } = await keptCycle()
    expect((await loadLog(mentor.cookie)).status).toBe(403)
    expect((await loadMessage(mentor.cookie, messages[0]!.id)).status).toBe(403)
    withSmtp()
    const before = counts()
    expect((await resend(mentor.cookie, messages[0]!.id)).status).toBe(403)
    expect(counts()).toEqual(before)
  })
})

describe('re-sending a message that never left', () => {
  it('writes a new message with a fresh working link, audits it by message ids only, and the old link stops working', async () => {
    const { messages, raters: rs } = await keptCycle()
    const old = messages[0]!
    markFailed(old.id)
    withSmtp()
    const before = counts()
    const res = await resend(hr.cookie, old.id)
    expect(res.status).toBe(302)
    const location = res.headers.get('Location')!
    const newId = Number(location.match(/^\/outbox\/(\d+)$/)![1])
    expect(newId).toBeGreaterThan(old.id)
    expect(await noticeOf(hr.cookie)).toBe(
      `Re-sent as this new message with a fresh personal link; the link of message ${old.id} no longer works.`,
    )
    const after = counts()
    expect(after.outbox).toBe(before.outbox + 1)
    expect(after.audit).toBe(before.audit + 1)
    await settled()

    const fresh = messageRow(newId)
    expect(fresh).toMatchObject({
      kind: old.kind,
      toEmail: old.toEmail,
      subject: old.subject,
      raterId: old.raterId,
      cycleId: old.cycleId,
      status: 'sent',
    })
    expect(messageRow(old.id).status).toBe('failed')
    const mail = received.find((raw) => raw.includes(old.toEmail))!
    const [, newToken] = [...mail.matchAll(TOKEN)][0]!
    expect(newToken).not.toBe(rs[0]!.token)
    expect(mail).toContain(`http://127.0.0.1:3000/r/${newToken}`)
    expect((await openLink(newToken!)).status).toBe(302)
    expect((await openLink(rs[0]!.token)).status).not.toBe(302)

    const entry = getDb().select().from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()!
    expect(entry).toMatchObject({
      action: 'outbox.resend',
      entityType: 'outbox',
      entityId: String(old.id),
      actorId: hr.id,
    })
    const payload = `${entry.before}${entry.after}`
    expect(payload).toContain(String(newId))
    for (const secret of [rs[0]!.name, rs[0]!.email, newToken!]) expect(payload).not.toContain(secret)
  })

  it('re-sends a kept message (written before a mail server was configured); admins may too', async () => {
    const { messages } = await keptCycle()
    withSmtp()
    const res = await resend(admin.cookie, messages[1]!.id)
    expect(res.status).toBe(302)
    await settled()
    expect(received.some((raw) => raw.includes(messages[1]!.toEmail))).toBe(true)
  })

  it('behaves the same whether or not the rater has answered (a submitted rater gets the thank-you page)', async () => {
    const { messages, raters: rs } = await keptCycle()
    const submitted = await postRate(
      await raterBrowser(rs[1]!.token),
      answerForm(() => '4', { intent: 'submit' }),
    )
    expect(submitted.status).toBeLessThan(400)
    withSmtp()
    const outcomes = []
    for (const m of [messages[1]!, messages[2]!]) {
      markFailed(m.id)
      const before = counts()
      const res = await resend(hr.cookie, m.id)
      const after = counts()
      outcomes.push({
        status: res.status,
        location: res.headers.get('Location')!.replace(/\d+/g, 'N'),
        data: res.data,
        outbox: after.outbox - before.outbox,
        audit: after.audit - before.audit,
      })
    }
    expect(outcomes[0]).toEqual(outcomes[1])
    await settled()
    const mail = received.filter((raw) => raw.includes(rs[1]!.email)).at(-1)!
    const [, token] = [...mail.matchAll(TOKEN)][0]!
    const rate = await loadRate(await raterBrowser(token!))
    expect((rate.data as { kind: string }).kind).toBe('thanks')
  })

  it('a message already re-sent once (its link scrubbed after sending) is refused as sent', async () => {
    const { messages } = await keptCycle()
    withSmtp()
    const first = await resend(hr.cookie, messages[3]!.id)
    await settled()
    const newId = Number(first.headers.get('Location')!.match(/^\/outbox\/(\d+)/)![1])
    expect(messageRow(newId)).toMatchObject({ status: 'sent' })
    expect(messageRow(newId).body).toContain(SCRUBBED_LINK)
    expectNoUsableLink((await loadMessage(hr.cookie, newId)).data, 'a sent message')
    expectNoUsableLink((await loadLog(hr.cookie)).data, 'the delivery log after sending')
    const before = counts()
    const again = await resend(hr.cookie, newId)
    expect(again.status).toBe(409)
    expect(counts()).toEqual(before)
  })

  describe('refusals: a clear 4xx, nothing written', () => {
    async function refused(
      setup: (c: Awaited<ReturnType<typeof keptCycle>>) => unknown,
      pattern: RegExp,
      opts: { smtp?: boolean; status?: number } = {},
    ) {
      const c = await keptCycle()
      markFailed(c.messages[0]!.id)
      await setup(c)
      if (opts.smtp !== false) withSmtp()
      const before = counts()
      const res = await resend(hr.cookie, c.messages[0]!.id)
      expect(res.status).toBe(opts.status ?? 409)
      expect(messageOf(res)).toMatch(pattern)
      expect(counts()).toEqual(before)
    }
    const setCycle = (cycleId: number, values: Partial<typeof assessmentCycles.$inferInsert>) =>
      getDb().update(assessmentCycles).set(values).where(eq(assessmentCycles.id, cycleId)).run()

    it('of a closed cycle', () => refused((c) => setCycle(c.cycleId, { state: 'closed' }), /no longer open/))
    it('of a cancelled cycle', () => refused((c) => setCycle(c.cycleId, { state: 'cancelled' }), /no longer open/))
    it('of a cycle past its due day', () =>
      refused((c) => setCycle(c.cycleId, { dueOn: isoDay(-1) }), /no longer open/))
    it('for a revoked rater', () =>
      refused(async (c) => {
        expect(
          (await postCycle(mentor.cookie, c.cycleId, { intent: 'revoke', raterId: String(c.raters[0]!.id) })).status,
        ).toBe(302)
      }, /revoked/))
    it('of a message that was sent', () =>
      refused(
        (c) =>
          getDb()
            .update(outbox)
            .set({ status: 'sent', sentAt: new Date().toISOString() })
            .where(eq(outbox.id, c.messages[0]!.id))
            .run(),
        /was sent/,
      ))
    it('of a message still queued', () =>
      refused(
        (c) => getDb().update(outbox).set({ status: 'queued' }).where(eq(outbox.id, c.messages[0]!.id)).run(),
        /waiting/,
      ))
    it('of a message without a rater', () =>
      refused(
        (c) => getDb().update(outbox).set({ raterId: null }).where(eq(outbox.id, c.messages[0]!.id)).run(),
        /not addressed to a rater/,
      ))
    it('while no mail server is configured', () => refused(() => {}, /No mail server/, { smtp: false }))
    it('with another intent', async () => {
      const c = await keptCycle()
      markFailed(c.messages[0]!.id)
      withSmtp()
      const before = counts()
      expect((await resend(hr.cookie, c.messages[0]!.id, { intent: 'show' })).status).toBe(400)
      expect((await resend(hr.cookie, c.messages[0]!.id, {})).status).toBe(400)
      expect(counts()).toEqual(before)
    })
    it('of a message that does not exist', async () => {
      withSmtp()
      const before = counts()
      expect((await resend(hr.cookie, 999_999)).status).toBe(404)
      expect(counts()).toEqual(before)
    })
  })
})
