/**
 * In an HTTP worker of the production server the primary process sends the mail: a route's
 * flushOutbox asks it (startWorker sets the delegate) and sends nothing itself, so two processes
 * never deliver the same queued message.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { assessmentCycles, outbox } from '#db/schema/assessments'
import { openCycles } from '~/models/assessments.server'
import { delegateOutboxFlush, flushOutbox, queueEmail } from '~/models/outbox.server'
import { nominateRater } from '~/models/raters.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { makePerson } from '../helpers/db'

beforeAll(() => {
  // Nothing listens here: a send attempt would be recorded as a failed attempt.
  process.env.SMTP_URL = 'smtp://127.0.0.1:9'
  resetEnvCache()
})
afterAll(() => {
  delegateOutboxFlush(null)
  delete process.env.SMTP_URL
  resetEnvCache()
})

it('with a delegate, flushOutbox asks it and leaves the queue to the primary', async () => {
  const hr = await makePerson({ roles: ['hr'] })
  const candidate = await makePerson({ roles: ['candidate'] })
  transaction((tx) => {
    const [cycleId] = openCycles(tx, hr.id, { candidateIds: [candidate.id], dueOn: '2099-01-01' }, getFramework())
    const cycle = tx.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId!)).get()!
    const raterId = nominateRater(tx, cycle, candidate.email, {
      name: 'Dee Legate',
      email: `dee-${cycleId}@example.com`,
      relationship: 'peer',
    })
    queueEmail(tx, {
      kind: 'invitation',
      toName: 'Dee Legate',
      toEmail: `dee-${cycleId}@example.com`,
      subject: 'Feedback',
      body: 'Hello',
      cycleId: cycleId!,
      raterId,
    })
  })
  let asked = 0
  delegateOutboxFlush(() => asked++)
  expect(await flushOutbox(getDb())).toBe(0)
  expect(await flushOutbox(getDb())).toBe(0)
  expect(asked).toBe(2)
  const queued = getDb().select().from(outbox).where(eq(outbox.status, 'queued')).all()
  expect(queued.length).toBeGreaterThan(0)
  // Not one attempt was made here.
  expect(queued.every((m) => m.attempts === 0)).toBe(true)
})
