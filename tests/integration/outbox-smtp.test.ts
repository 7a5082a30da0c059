/**
 * Mail through a real SMTP conversation: a local smtp-server on a free loopback port receives what
 * flushOutbox sends; the stored copy then loses its personal link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMTPServer } from 'smtp-server'
import { eq } from 'drizzle-orm'
import { flushOutbox, queueEmail, SCRUBBED_LINK } from '~/models/outbox.server'
import { getDb, transaction } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { openCycles } from '~/models/assessments.server'
import { nominateRater } from '~/models/raters.server'
import { getFramework } from '~/utils/content.server'
import { makePerson } from '../helpers/db'
import { assessmentCycles, outbox } from '#db/schema/assessments'

/** A cycle with one nominated rater, for the outbox rows' references. */
async function cycleWithRater() {
  const hr = await makePerson({ roles: ['hr'] })
  const candidate = await makePerson({ roles: ['candidate'] })
  return transaction((tx) => {
    const [cycleId] = openCycles(tx, hr.id, { candidateIds: [candidate.id], dueOn: '2099-01-01' }, getFramework())
    const cycle = tx.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId!)).get()!
    const raterId = nominateRater(tx, cycle, candidate.email, {
      name: 'Rita Rater',
      email: `rita-${cycleId}@example.com`,
      relationship: 'peer',
    })
    return { cycleId: cycleId!, raterIds: [raterId] }
  })
}

/** The text of a raw message, with quoted-printable soft breaks and escapes undone. */
function decodeRaw(raw: string) {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

type Received = { to: string; subject: string; text: string }
const received: Received[] = []
let server: SMTPServer
let failNext = 0

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      if (failNext > 0) {
        failNext--
        stream.resume()
        stream.on('end', () => callback(new Error('451 try again later')))
        return
      }
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        const text = decodeRaw(raw)
        received.push({
          to: /^To: (.*)$/m.exec(text)?.[1] ?? '',
          subject: /^Subject: (.*)$/m.exec(text)?.[1] ?? '',
          text,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  resetEnvCache()
})

afterAll(async () => {
  delete process.env.SMTP_URL
  resetEnvCache()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('the outbox with SMTP configured', () => {
  it('delivers mail queued after a flush that found the queue empty', async () => {
    // Runs first, while the queue is still empty (as on a fresh server start).
    expect(getDb().select().from(outbox).where(eq(outbox.status, 'queued')).all()).toHaveLength(0)
    expect(await flushOutbox(getDb())).toBe(0)
    const { cycleId, raterIds } = await cycleWithRater()
    const email = `late-${cycleId}@example.com`
    transaction((tx) =>
      queueEmail(tx, {
        kind: 'invitation',
        toName: 'Lena Late',
        toEmail: email,
        subject: 'Feedback',
        body: 'Hello',
        cycleId,
        raterId: raterIds[0]!,
      }),
    )
    expect(await flushOutbox(getDb())).toBe(1)
    expect(received.some((m) => m.to.includes(email))).toBe(true)
    expect(getDb().select().from(outbox).where(eq(outbox.toEmail, email)).get()!.status).toBe('sent')
    received.length = 0
  })

  it('sends queued invitations and scrubs the personal link from the stored copy', async () => {
    const { cycleId, raterIds } = await cycleWithRater()
    const token = 'A'.repeat(43)
    transaction((tx) =>
      queueEmail(tx, {
        kind: 'invitation',
        toName: 'Rita Rater',
        toEmail: 'rita@example.com',
        subject: 'Feedback for someone',
        body: `Hello Rita,\nYour personal link: http://127.0.0.1:3000/r/${token}\nThanks`,
        cycleId,
        raterId: raterIds[0]!,
      }),
    )
    const row = getDb().select().from(outbox).where(eq(outbox.toEmail, 'rita@example.com')).get()!
    expect(row.status).toBe('queued')

    expect(await flushOutbox(getDb())).toBe(1)
    expect(received).toHaveLength(1)
    expect(received[0]!.to).toContain('rita@example.com')
    expect(received[0]!.text).toContain(`/r/${token}`)

    const after = getDb().select().from(outbox).where(eq(outbox.id, row.id)).get()!
    expect(after.status).toBe('sent')
    expect(after.sentAt).not.toBeNull()
    expect(after.body).not.toContain(token)
    expect(after.body).toContain(SCRUBBED_LINK)
  })

  it('one flush delivers the whole queue, not only its first hundred messages', async () => {
    const { cycleId, raterIds } = await cycleWithRater()
    transaction((tx) => {
      for (let i = 0; i < 105; i++)
        queueEmail(tx, {
          kind: 'invitation',
          toName: 'Many',
          toEmail: `many-${i}-${cycleId}@example.com`,
          subject: 'Feedback',
          body: 'Hello',
          cycleId,
          raterId: raterIds[0]!,
        })
    })
    expect(await flushOutbox(getDb())).toBe(105)
    expect(getDb().select().from(outbox).where(eq(outbox.status, 'queued')).all()).toHaveLength(0)
  })

  it('retries a failed delivery and keeps the message queued with the error', async () => {
    const { cycleId, raterIds } = await cycleWithRater()
    transaction((tx) =>
      queueEmail(tx, {
        kind: 'reminder',
        toName: 'Ron',
        toEmail: `ron-${cycleId}@example.com`,
        subject: 'Reminder',
        body: 'Hi',
        cycleId,
        raterId: raterIds[0]!,
      }),
    )
    failNext = 1
    expect(await flushOutbox(getDb())).toBe(0)
    const failed = getDb()
      .select()
      .from(outbox)
      .where(eq(outbox.toEmail, `ron-${cycleId}@example.com`))
      .get()!
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 })
    expect(failed.lastError).toMatch(/451/)
    expect(await flushOutbox(getDb())).toBe(1)
    expect(getDb().select().from(outbox).where(eq(outbox.id, failed.id)).get()!.status).toBe('sent')
  })
})
