/**
 * The outbox: every email is written here in the transaction that causes it, then delivered by
 * `flushOutbox` (nodemailer over SMTP_URL). Without SMTP messages are kept, not sent; the delivery
 * log shows every message with its personal links masked. Once delivered, the personal link is
 * scrubbed from the stored copy, so a rater's token lives in the database only until it has been sent.
 */
import { and, asc, desc, eq, gt, inArray, lt } from 'drizzle-orm'
import { outbox } from '#db/schema/assessments'
import type { Db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { sendMail } from '~/utils/mail.server'

export type NewEmail = {
  kind: 'invitation' | 'reminder'
  toName: string
  toEmail: string
  subject: string
  body: string
  cycleId: number
  raterId: number
}

export const MAX_SEND_ATTEMPTS = 5
export const SCRUBBED_LINK = '[personal link removed after sending]'

export function queueEmail(tx: Db, email: NewEmail, now = new Date()) {
  tx.insert(outbox)
    .values({ ...email, createdAt: now.toISOString(), status: getEnv().SMTP_URL ? 'queued' : 'kept', attempts: 0 })
    .run()
}

/** Replaces personal rater links (/r/<token>) with a note. */
export function scrubLinks(body: string): string {
  return body.replace(/\S*\/r\/[A-Za-z0-9_-]{20,}\S*/g, SCRUBBED_LINK)
}

/** In an HTTP worker of the production server: the primary process sends the mail (startWorker). */
let delegate: (() => void) | null = null
export function delegateOutboxFlush(ask: (() => void) | null) {
  delegate = ask
}

let flushing: Promise<number> | null = null
/** Set when a flush is asked for during one: messages queued meanwhile get one more pass. */
let again = false

/**
 * Delivers queued messages; returns how many were sent. One flush at a time per process; a call
 * during a flush joins it and makes it take one more pass, so nothing queued meanwhile waits for
 * the next background run.
 */
export function flushOutbox(db: Db): Promise<number> {
  if (!getEnv().SMTP_URL) return Promise.resolve(0)
  // Two processes flushing at once could both send a message before either marks it sent.
  if (delegate) {
    delegate()
    return Promise.resolve(0)
  }
  if (flushing) {
    again = true
    return flushing
  }
  // Cleared in a `.finally` chained after the assignment: with nothing queued the async body runs to
  // its end before returning, so clearing inside it would happen before `flushing` is assigned and
  // leave a settled promise that every later flush would return without sending.
  const run = (async () => {
    let sent = 0
    do {
      again = false
      sent += await flushPass(db)
    } while (again)
    return sent
  })()
  const current: Promise<number> = run.finally(() => {
    if (flushing === current) flushing = null
  })
  flushing = current
  return current
}

/** One pass over the whole queue in id order, in batches of 100; each message is tried at most once. */
async function flushPass(db: Db): Promise<number> {
  let sent = 0
  let after = 0
  for (;;) {
    const queued = db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'queued'), lt(outbox.attempts, MAX_SEND_ATTEMPTS), gt(outbox.id, after)))
      .orderBy(asc(outbox.id))
      .limit(100)
      .all()
    if (queued.length === 0) return sent
    after = queued.at(-1)!.id
    sent += await sendBatch(db, queued)
  }
}

async function sendBatch(db: Db, queued: Array<typeof outbox.$inferSelect>): Promise<number> {
  let sent = 0
  for (const message of queued) {
    try {
      await sendMail({ to: `${message.toName} <${message.toEmail}>`, subject: message.subject, text: message.body })
      db.update(outbox)
        .set({
          status: 'sent',
          sentAt: new Date().toISOString(),
          body: scrubLinks(message.body),
          attempts: message.attempts + 1,
          lastError: null,
        })
        .where(eq(outbox.id, message.id))
        .run()
      sent++
    } catch (error) {
      const attempts = message.attempts + 1
      db.update(outbox)
        .set({
          attempts,
          lastError: String((error as Error).message).slice(0, 500),
          status: attempts >= MAX_SEND_ATTEMPTS ? 'failed' : 'queued',
        })
        .where(eq(outbox.id, message.id))
        .run()
    }
  }
  return sent
}

/** The newest messages first (by when they were written). */
export function listOutbox(db: Db, limit = 200) {
  return db
    .select({
      id: outbox.id,
      createdAt: outbox.createdAt,
      kind: outbox.kind,
      toName: outbox.toName,
      toEmail: outbox.toEmail,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      sentAt: outbox.sentAt,
      cycleId: outbox.cycleId,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit)
    .all()
}

export function getOutboxMessage(db: Db, id: number) {
  return db.select().from(outbox).where(eq(outbox.id, id)).get() ?? null
}

/** Messages of a cycle (tests and the cycle page's counts). */
export function outboxForRaters(db: Db, raterIds: number[]) {
  if (raterIds.length === 0) return []
  return db.select().from(outbox).where(inArray(outbox.raterId, raterIds)).all()
}
