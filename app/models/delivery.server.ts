/**
 * The delivery log (HR and admins): what the app wrote to whom and whether it left, never a usable
 * personal link. Bodies are masked at display time, also for mail not sent yet, and a message
 * that did not leave (failed, or kept without a mail server) can be re-sent with a fresh link.
 *
 * A re-send behaves the same whether or not the rater has answered: a submitted rater's new link
 * shows them the thank-you page. Any difference would tell staff who answered.
 */
import { desc, eq } from 'drizzle-orm'
import { assessmentCycles, outbox, raters } from '#db/schema/assessments'
import { isOpen, isPastDue } from '~/domain/assessment/cycle'
import { recordAudit } from '~/models/audit.server'
import { RuleError } from '~/domain/errors'
import { getOutboxMessage, listOutbox, queueEmail, SCRUBBED_LINK, scrubLinks } from '~/models/outbox.server'
import { issueRaterToken } from '~/models/raters.server'
import { appBaseUrl } from '~/utils/cycles.server'
import type { Db } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

export type DeliveryStatus = 'queued' | 'sent' | 'kept' | 'failed'

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  queued: 'Waiting to send',
  sent: 'Sent',
  kept: 'Not sent: no mail server is configured',
  failed: 'Failed',
}

/** Statuses of a message that never left, which HR can re-send. */
export const resendable = (status: DeliveryStatus) => status === 'failed' || status === 'kept'

const PERSONAL_LINK = /\S*\/r\/[A-Za-z0-9_-]{20,}\S*/g

/** The facts of one message, with every personal link masked (also in an SMTP error text). */
function entryOf(m: {
  id: number
  createdAt: string
  kind: 'invitation' | 'reminder'
  toName: string
  toEmail: string
  subject: string
  status: DeliveryStatus
  attempts: number
  lastError: string | null
  sentAt: string | null
  cycleId: number | null
}) {
  return {
    id: m.id,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    kind: m.kind,
    toName: m.toName,
    toEmail: m.toEmail,
    subject: scrubLinks(m.subject),
    status: m.status,
    statusLabel: deliveryStatusLabels[m.status],
    attempts: m.attempts,
    lastError: m.lastError === null ? null : scrubLinks(m.lastError),
    cycleId: m.cycleId,
    canResend: resendable(m.status),
  }
}

export type DeliveryEntry = ReturnType<typeof entryOf>

/** The newest messages first, as the delivery log shows them. */
export function deliveryLog(db: Db, limit = 200): DeliveryEntry[] {
  return listOutbox(db, limit).map(entryOf)
}

/** One message with its body masked, or null. */
export function deliveryEntry(db: Db, id: number) {
  const m = getOutboxMessage(db, id)
  if (!m) return null
  return { ...entryOf(m), body: scrubLinks(m.body) }
}

/**
 * Writes a new message in place of one that never left, with a fresh personal link (the old link
 * stops working), audits it and returns the new message's id. Runs inside the caller's transaction;
 * a refusal (RuleError 409) writes nothing.
 */
export function resendMessage(tx: Db, actorId: number, messageId: number, now = new Date()): number {
  const message = getOutboxMessage(tx, messageId)
  if (!message) throw new RuleError('There is no message with that id.', undefined, 404)
  if (message.status === 'sent')
    throw new RuleError('This message was sent; it cannot be re-sent from here.', undefined, 409)
  if (!resendable(message.status))
    throw new RuleError('This message is still waiting to be sent; it can be re-sent only if it fails.', undefined, 409)
  if (!getEnv().SMTP_URL)
    throw new RuleError(
      'No mail server is configured (SMTP_URL), so a re-sent message would not leave either.',
      undefined,
      409,
    )
  if (message.raterId === null || message.cycleId === null)
    throw new RuleError('This message is not addressed to a rater; there is no link to renew.', undefined, 409)
  const rater = tx.select().from(raters).where(eq(raters.id, message.raterId)).get()
  const cycle = tx.select().from(assessmentCycles).where(eq(assessmentCycles.id, message.cycleId)).get()
  if (!rater || !cycle || rater.cycleId !== cycle.id)
    throw new RuleError(
      'This message is not addressed to a rater of a cycle; there is no link to renew.',
      undefined,
      409,
    )
  if (!isOpen(cycle.state) || isPastDue(cycle.dueOn, now))
    throw new RuleError('The cycle of this message is no longer open, so its link would not work.', undefined, 409)
  if (rater.revokedAt !== null)
    throw new RuleError('This invitation was revoked; it cannot be re-sent.', undefined, 409)
  // Deliberately nothing about whether the rater has answered: a re-send behaves the same either way.

  if (!/\/r\/[A-Za-z0-9_-]{20,}/.test(message.body) && !message.body.includes(SCRUBBED_LINK))
    throw new RuleError('This message carries no personal link to renew.', undefined, 409)
  const token = issueRaterToken(tx, rater.id)
  const link = `${appBaseUrl()}/r/${token}`
  const body = message.body.replace(PERSONAL_LINK, link).split(SCRUBBED_LINK).join(link)
  queueEmail(
    tx,
    {
      kind: message.kind,
      toName: message.toName,
      toEmail: message.toEmail,
      subject: message.subject,
      body,
      cycleId: cycle.id,
      raterId: rater.id,
    },
    now,
  )
  const newId = tx.select({ id: outbox.id }).from(outbox).orderBy(desc(outbox.id)).limit(1).get()!.id
  recordAudit(
    tx,
    {
      actorId,
      action: 'outbox.resend',
      entityType: 'outbox',
      entityId: message.id,
      before: { messageId: message.id, status: message.status },
      after: { messageId: newId },
    },
    now,
  )
  return newId
}
