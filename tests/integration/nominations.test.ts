import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, outbox, raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { appBaseUrl } from '~/utils/cycles.server'
import { getDb } from '~/utils/db.server'
import {
  answerForm,
  collectingCycle,
  cycleRow,
  decide,
  latestLinkToken,
  loadCycle,
  loadRate,
  minimumSet,
  noticeOf,
  nominate,
  openLink,
  postCycle,
  postRate,
  raterBrowser,
  raterRow,
  reply,
  specs,
  type RaterSpec,
  freshCycle as freshCycleFor,
} from '../helpers/cycles'
import { loggedIn } from '../helpers/db'

const ratersOf = (cycleId: number) => getDb().select().from(raters).where(eq(raters.cycleId, cycleId)).all()
const raterCount = (cycleId: number) => ratersOf(cycleId).length
const outboxOf = (cycleId: number) => getDb().select().from(outbox).where(eq(outbox.cycleId, cycleId)).all()
const allOutboxCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .get()!.n
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, mentor: Viewer, otherMentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hilde HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Marek Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Olivia Othermentor' })
})

let n = 0
const freshCycle = () => freshCycleFor(hr.cookie, mentor.id, 'Nomi Candidate')

const nominateRes = (cookie: string, cycleId: number, spec: Partial<Record<keyof RaterSpec, string>>) =>
  postCycle(cookie, cycleId, {
    intent: 'nominate',
    name: 'Some Rater',
    email: `some-${++n}@raters.example`,
    relationship: 'peer',
    ...spec,
  })

describe('nominating raters (the candidate)', () => {
  it('enforces the maxima: a 3rd manager, a 9th peer and a 21st rater are refused, writing nothing', async () => {
    const { cand, cycleId } = await freshCycle()
    for (const s of specs('manager', 2)) await nominate(cand.cookie, cycleId, s)
    let before = raterCount(cycleId)
    const thirdManager = await nominateRes(cand.cookie, cycleId, { relationship: 'manager' })
    expect(thirdManager.status).toBe(400)
    expect(reply(thirdManager.data).fieldErrors.relationship).toBe('You can nominate at most 2 managers.')
    expect(raterCount(cycleId)).toBe(before)

    for (const s of specs('peer', 8)) await nominate(cand.cookie, cycleId, s)
    before = raterCount(cycleId)
    const ninthPeer = await nominateRes(cand.cookie, cycleId, { relationship: 'peer' })
    expect(ninthPeer.status).toBe(400)
    expect(reply(ninthPeer.data).fieldErrors.relationship).toBe('You can nominate at most 8 peers.')
    expect(raterCount(cycleId)).toBe(before)

    for (const s of [...specs('direct_report', 8), ...specs('stakeholder', 2)]) await nominate(cand.cookie, cycleId, s)
    expect(raterCount(cycleId)).toBe(20)
    const twentyFirst = await nominateRes(cand.cookie, cycleId, { relationship: 'stakeholder' })
    expect(twentyFirst.status).toBe(400)
    expect(reply(twentyFirst.data).fieldErrors.relationship).toBe('You can nominate at most 20 raters in all.')
    expect(raterCount(cycleId)).toBe(20)

    // A rejected nomination frees its place.
    const aManager = ratersOf(cycleId).find((r) => r.relationship === 'manager')!
    expect((await decide(mentor.cookie, cycleId, aManager.id, 'reject')).status).toBe(302)
    const replacement = await nominateRes(cand.cookie, cycleId, {
      relationship: 'manager',
      name: 'Replacement Manager',
    })
    expect(replacement.status).toBe(302)
    expect(raterCount(cycleId)).toBe(21)
  })

  it('refuses a duplicate email (any case), the candidate’s own email, a bad relationship and over-long fields, writing nothing', async () => {
    const { cand, cycleId } = await freshCycle()
    await nominate(cand.cookie, cycleId, {
      name: 'Paula Peer',
      email: 'paula.peer@raters.example',
      relationship: 'peer',
    })
    const before = {
      raters: ratersOf(cycleId),
      audit: getDb()
        .select({ n: sql<number>`count(*)` })
        .from(auditLog)
        .get()!.n,
    }

    const dup = await nominateRes(cand.cookie, cycleId, {
      email: 'Paula.PEER@Raters.Example',
      relationship: 'stakeholder',
    })
    expect(dup.status).toBe(409)
    expect(reply(dup.data).fieldErrors.email).toBe('This person is already nominated in this cycle.')

    const self = await nominateRes(cand.cookie, cycleId, { email: cand.email.toUpperCase() })
    expect(self.status).toBe(400)
    expect(reply(self.data).fieldErrors.email).toBe('You cannot rate yourself as a rater; use the self-assessment.')

    for (const relationship of ['boss', 'self', '', 'MANAGER']) {
      const bad = await nominateRes(cand.cookie, cycleId, { relationship })
      expect(bad.status, relationship).toBe(400)
      expect(reply(bad.data).fieldErrors.relationship, relationship).toBe('Choose a relationship.')
    }

    const longName = await nominateRes(cand.cookie, cycleId, { name: 'N'.repeat(121) })
    expect(longName.status).toBe(400)
    expect(reply(longName.data).fieldErrors.name).toBe('Use at most 120 characters.')

    const longEmail = await nominateRes(cand.cookie, cycleId, { email: `${'e'.repeat(245)}@example.com` })
    expect(longEmail.status).toBe(400)
    expect(reply(longEmail.data).fieldErrors.email).toBe('An email address has at most 254 characters.')

    const notEmail = await nominateRes(cand.cookie, cycleId, { email: 'not an email' })
    expect(notEmail.status).toBe(400)
    expect(reply(notEmail.data).fieldErrors.email).toBeTruthy()

    expect(ratersOf(cycleId)).toEqual(before.raters)
    expect(
      getDb()
        .select({ n: sql<number>`count(*)` })
        .from(auditLog)
        .get()!.n,
    ).toBe(before.audit)
  })

  // BUG (app/models/raters.server.ts, decideNomination): the room check runs only when the relationship
  // changes, so re-approving a rejected nomination with the same relationship skips the maxima.
  it('keeps the maxima when a rejected nomination is approved again after its place was taken', async () => {
    const { cand, cycleId } = await freshCycle()
    const m1 = await nominate(cand.cookie, cycleId, {
      name: 'Manager One',
      email: 'm1@raters.example',
      relationship: 'manager',
    })
    const m2 = await nominate(cand.cookie, cycleId, {
      name: 'Manager Two',
      email: 'm2@raters.example',
      relationship: 'manager',
    })
    expect((await decide(mentor.cookie, cycleId, m2, 'reject')).status).toBe(302)
    // The freed place is taken by a new nomination: two active managers again.
    await nominate(cand.cookie, cycleId, { name: 'Manager Three', email: 'm3@raters.example', relationship: 'manager' })
    expect((await decide(mentor.cookie, cycleId, m1, 'approve')).status).toBe(302)

    // Approving the rejected one now would make three managers: refused like a third nomination.
    const res = await decide(mentor.cookie, cycleId, m2, 'approve')
    expect({ status: res.status, error: reply(res.data)?.fieldErrors?.relationship }).toEqual({
      status: 400,
      error: 'You can nominate at most 2 managers.',
    })
    expect(raterRow(m2).status).toBe('rejected')
    expect(ratersOf(cycleId).filter((r) => r.relationship === 'manager' && r.status !== 'rejected')).toHaveLength(2)
  })

  it('stores a nomination as proposed with a lowercased email, and only the candidate may nominate', async () => {
    const { cand, cycleId } = await freshCycle()
    const id = await nominate(cand.cookie, cycleId, {
      name: 'Mixed Case',
      email: 'Mixed.Case@Raters.Example',
      relationship: 'manager',
    })
    expect(raterRow(id)).toMatchObject({
      name: 'Mixed Case',
      email: 'mixed.case@raters.example',
      relationship: 'manager',
      status: 'proposed',
      tokenHash: null,
      invitedAt: null,
    })
    const before = raterCount(cycleId)
    for (const cookie of [mentor.cookie, hr.cookie]) {
      const res = await nominateRes(cookie, cycleId, {})
      expect(res).toMatchObject({ thrown: true, status: 403 })
    }
    expect(raterCount(cycleId)).toBe(before)
  })
})

describe('deciding nominations (mentor / HR)', () => {
  it('lets the mentor approve, edit-and-approve and reject; refuses another mentor and the candidate (403)', async () => {
    const { cand, cycleId } = await freshCycle()
    const a = await nominate(cand.cookie, cycleId, {
      name: 'Ada Approve',
      email: 'ada@raters.example',
      relationship: 'peer',
    })
    const b = await nominate(cand.cookie, cycleId, {
      name: 'Bob Typo',
      email: 'bob@typo.example',
      relationship: 'peer',
    })
    const c = await nominate(cand.cookie, cycleId, {
      name: 'Cy Reject',
      email: 'cy@raters.example',
      relationship: 'stakeholder',
    })

    const before = ratersOf(cycleId)
    for (const [who, cookie] of [
      ['other mentor', otherMentor.cookie],
      ['candidate', cand.cookie],
    ] as const) {
      for (const intent of ['approve', 'reject'] as const) {
        const res = await decide(cookie, cycleId, a, intent)
        expect(res, `${who} ${intent}`).toMatchObject({ thrown: true, status: 403 })
      }
      const invite = await postCycle(cookie, cycleId, { intent: 'invite' })
      expect(invite, `${who} invite`).toMatchObject({ thrown: true, status: 403 })
    }
    expect(ratersOf(cycleId)).toEqual(before)

    expect((await decide(mentor.cookie, cycleId, a, 'approve')).status).toBe(302)
    expect(raterRow(a)).toMatchObject({ status: 'approved', decidedBy: mentor.id })

    const edited = await decide(mentor.cookie, cycleId, b, 'approve', {
      name: 'Bob Fixed',
      email: 'Bob@Fixed.Example',
      relationship: 'direct_report',
    })
    expect(edited.status).toBe(302)
    expect(await noticeOf(mentor.cookie)).toBe('Bob Fixed approved.')
    expect(raterRow(b)).toMatchObject({
      status: 'approved',
      name: 'Bob Fixed',
      email: 'bob@fixed.example',
      relationship: 'direct_report',
      decidedBy: mentor.id,
    })

    expect((await decide(hr.cookie, cycleId, c, 'reject')).status).toBe(302)
    expect(raterRow(c)).toMatchObject({ status: 'rejected', decidedBy: hr.id })

    const audit = getDb()
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, 'cycle'),
          eq(auditLog.entityId, String(cycleId)),
          sql`${auditLog.action} in ('rater.approve', 'rater.reject')`,
        ),
      )
      .all()
    expect(audit).toEqual([
      { action: 'rater.approve', actorId: mentor.id },
      { action: 'rater.approve', actorId: mentor.id },
      { action: 'rater.reject', actorId: hr.id },
    ])

    // An edit may not take an email already nominated in the cycle.
    const clash = await decide(mentor.cookie, cycleId, b, 'approve', { email: 'ADA@raters.example' })
    expect(clash.status).toBe(409)
    expect(reply(clash.data).fieldErrors.email).toBe('This person is already nominated in this cycle.')
    expect(raterRow(b).email).toBe('bob@fixed.example')

    // A rater id of another cycle is unknown here.
    const other = await freshCycle()
    const foreign = await nominate(other.cand.cookie, other.cycleId, {
      name: 'Far Away',
      email: 'far@raters.example',
      relationship: 'peer',
    })
    const res = await postCycle(mentor.cookie, cycleId, {
      intent: 'approve',
      raterId: String(foreign),
      name: 'Far Away',
      email: 'far@raters.example',
      relationship: 'peer',
    })
    expect(res.status).toBe(404)
    expect(raterRow(foreign).status).toBe('proposed')
  })
})

describe('invitations', () => {
  it('are refused until one manager and three peers are approved, listing what is missing', async () => {
    const { cand, cycleId } = await freshCycle()
    const ids: number[] = []
    for (const s of minimumSet()) ids.push(await nominate(cand.cookie, cycleId, s))
    const [manager, ...peers] = ids
    const before = allOutboxCount()

    const none = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(none.status).toBe(409)
    expect(reply(none.data).message).toBe('Approve at least 1 manager (now 0). Approve at least 3 peers (now 0).')

    await decide(mentor.cookie, cycleId, peers[0]!, 'approve')
    await decide(mentor.cookie, cycleId, peers[1]!, 'approve')
    const partial = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(partial.status).toBe(409)
    expect(reply(partial.data).message).toBe('Approve at least 1 manager (now 0). Approve at least 3 peers (now 2).')

    await decide(mentor.cookie, cycleId, manager!, 'approve')
    const stillPeers = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(stillPeers.status).toBe(409)
    expect(reply(stillPeers.data).message).toBe('Approve at least 3 peers (now 2).')

    expect(allOutboxCount()).toBe(before)
    expect(cycleRow(cycleId)).toMatchObject({ state: 'nominating', invitationsSentAt: null })
    expect(ratersOf(cycleId).every((r) => r.tokenHash === null && r.invitedAt === null)).toBe(true)
  })

  it('send one kept message with a personal link per approved rater; only token hashes are stored', async () => {
    const { cand, cycleId } = await freshCycle()
    const ids = []
    for (const s of minimumSet()) ids.push(await nominate(cand.cookie, cycleId, s))
    for (const id of ids) await decide(mentor.cookie, cycleId, id, 'approve')
    const proposed = await nominate(cand.cookie, cycleId, {
      name: 'Pending Pat',
      email: 'pat@raters.example',
      relationship: 'direct_report',
    })
    const rejected = await nominate(cand.cookie, cycleId, {
      name: 'Rejected Rex',
      email: 'rex@raters.example',
      relationship: 'stakeholder',
    })
    await decide(mentor.cookie, cycleId, rejected, 'reject')

    const res = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(res.status).toBe(302)
    expect(await noticeOf(mentor.cookie)).toBe('4 invitations sent.')
    expect(cycleRow(cycleId)).toMatchObject({ state: 'collecting' })
    expect(cycleRow(cycleId).invitationsSentAt).not.toBeNull()

    const messages = outboxOf(cycleId)
    expect(messages).toHaveLength(4)
    expect(messages.map((m) => m.raterId).sort()).toEqual([...ids].sort())
    const hashes = ratersOf(cycleId)
      .map((r) => r.tokenHash)
      .filter((h): h is string => h !== null)
    expect(hashes).toHaveLength(4)
    for (const m of messages) {
      const rater = raterRow(m.raterId!)
      expect(m).toMatchObject({
        kind: 'invitation',
        status: 'kept',
        toEmail: rater.email,
        toName: rater.name,
        attempts: 0,
      })
      expect(m.subject).toContain(cand.name)
      const token = latestLinkToken(rater.id)
      // links are built from the configured base URL alone, never from the request
      expect(m.body).toContain(`${appBaseUrl()}/r/${token}`)
      expect(rater.invitedAt).not.toBeNull()
      // The raw token is nowhere in the raters table; only its SHA-256 is.
      expect(hashes).not.toContain(token)
      expect(rater.tokenHash).toBe(sha256(token))
      expect(JSON.stringify(ratersOf(cycleId))).not.toContain(token)
    }
    // Distinct links per rater.
    expect(new Set(messages.map((m) => latestLinkToken(m.raterId!))).size).toBe(4)
    expect(raterRow(proposed)).toMatchObject({ tokenHash: null, invitedAt: null })
    expect(raterRow(rejected)).toMatchObject({ tokenHash: null, invitedAt: null })

    // Nothing left to invite.
    const again = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(again.status).toBe(409)
    expect(reply(again.data).message).toBe('Every approved rater has been invited already.')
    expect(outboxOf(cycleId)).toHaveLength(4)

    // A rater approved later is invited on their own.
    await decide(hr.cookie, cycleId, proposed, 'approve')
    const late = await postCycle(hr.cookie, cycleId, { intent: 'invite' })
    expect(late.status).toBe(302)
    expect(outboxOf(cycleId)).toHaveLength(5)
    expect(raterRow(proposed).tokenHash).toBe(sha256(latestLinkToken(proposed)))
  })

  it('fix the relationship (and email) of an invited rater: changes are refused with 409', async () => {
    const { cand, cycleId, raters: invited } = await collectingFor()
    const manager = invited.find((r) => r.relationship === 'manager')!
    const before = raterRow(manager.id)
    const res = await decide(mentor.cookie, cycleId, manager.id, 'approve', { relationship: 'peer' })
    expect(res.status).toBe(409)
    expect(reply(res.data).fieldErrors.relationship).toBe(
      'This rater has been invited, so their relationship can no longer change.',
    )
    const email = await decide(mentor.cookie, cycleId, manager.id, 'approve', { email: 'someone.else@raters.example' })
    expect(email.status).toBe(409)
    const reject = await decide(mentor.cookie, cycleId, manager.id, 'reject')
    expect(reject.status).toBe(409)
    const withdraw = await postCycle(cand.cookie, cycleId, { intent: 'withdraw', raterId: String(manager.id) })
    expect(withdraw.status).toBe(409)
    expect(raterRow(manager.id)).toEqual(before)
  })

  it('can be revoked: the link stops working, a live rater session ends, and the rater is left out', async () => {
    const { cycleId, raters: invited } = await collectingFor()
    const peer = invited.find((r) => r.relationship === 'peer')!
    const browser = await raterBrowser(peer.token)
    await postRate(
      browser,
      answerForm(() => '4', { intent: 'save' }),
    )
    expect((await loadRate(browser)).data).toMatchObject({ kind: 'form' })

    const res = await postCycle(mentor.cookie, cycleId, { intent: 'revoke', raterId: String(peer.id) })
    expect(res.status).toBe(302)
    // Answers are discarded; the token hash stays so the link can say it was withdrawn.
    expect(raterRow(peer.id)).toMatchObject({ answersJson: null, commentsJson: null })
    expect(raterRow(peer.id).revokedAt).not.toBeNull()

    const link = await openLink(peer.token)
    expect(link.thrown).toBe(false)
    expect(link.status).toBe(410)
    expect(link.data).toMatchObject({ reason: 'revoked' })
    expect(link.headers.get('Set-Cookie')).toBeNull()
    expect(await loadRate(browser)).toMatchObject({ status: 401, data: { kind: 'expired' } })

    const again = await postCycle(mentor.cookie, cycleId, { intent: 'revoke', raterId: String(peer.id) })
    expect(again.status).toBe(409)
    // The cycle page shows the rater as revoked, and (decision 0016) no response counts while collecting.
    const page = (await loadCycle(mentor.cookie, cycleId)).data as {
      raters: Array<{ id: number; status: string }>
      responses: unknown
    }
    expect(page.raters.find((r) => r.id === peer.id)!.status).toBe('revoked')
    expect(page.responses).toBeNull()
    expect(page).not.toHaveProperty('progress')
  })
})

async function collectingFor(extra: RaterSpec[] = []) {
  n++
  const cand = await loggedIn({
    roles: ['candidate'],
    name: `Collecting Candidate ${n}`,
    candidate: { mentorId: mentor.id },
  })
  const cycle = await collectingCycle({
    approverCookie: mentor.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    openerCookie: hr.cookie,
    specs: [...minimumSet(), ...extra],
  })
  return { cand, ...cycle }
}

describe('reminders', () => {
  // Decision 0016: a reminder goes to every invited rater, answered or not, so that neither the
  // delivery log nor the count tells staff who answered.
  it('go to every invited rater (also one who answered), at most once per 48 hours; only the newest link works', async () => {
    const { cycleId, raters: invited } = await collectingFor()
    const done = invited.find((r) => r.relationship === 'peer')
    const doneBrowser = await raterBrowser(done!.token)
    expect(
      (
        await postRate(
          doneBrowser,
          answerForm(() => '3', { intent: 'submit' }),
        )
      ).status,
    ).toBe(302)
    const invitationTokens = new Map(invited.map((r) => [r.id, r.token]))

    const first = await postCycle(hr.cookie, cycleId, { intent: 'remind' })
    expect(first.status).toBe(302)
    expect(await noticeOf(hr.cookie)).toBe(
      'A reminder went to all 4 invited raters; it thanks those who have already answered.',
    )
    const reminders = outboxOf(cycleId).filter((m) => m.kind === 'reminder')
    expect(reminders.map((m) => m.raterId).sort()).toEqual(invited.map((r) => r.id).sort())
    expect(reminders.every((m) => m.status === 'kept' && m.subject.startsWith('Reminder: '))).toBe(true)
    // the peer who answered gets the same message as the other peers (only names and links differ)
    const shape = (m: { body: string; toName: string; subject: string }) =>
      m.subject +
      m.body
        .split(m.toName)
        .join('NAME')
        .replace(/\/r\/[A-Za-z0-9_-]{43}/, '/r/TOKEN')
    const peerIds = new Set(invited.filter((r) => r.relationship === 'peer').map((r) => r.id))
    expect(new Set(reminders.filter((m) => peerIds.has(m.raterId!)).map(shape)).size).toBe(1)
    expect(cycleRow(cycleId).lastReminderAt).not.toBeNull()

    const before = allOutboxCount()
    const second = await postCycle(mentor.cookie, cycleId, { intent: 'remind' })
    expect(second.status).toBe(409)
    expect(reply(second.data).message).toMatch(/^A reminder went out less than 48 hours ago/)
    expect(allOutboxCount()).toBe(before)
    const page = (await loadCycle(mentor.cookie, cycleId)).data as { reminder: { nextAllowedAt: string | null } }
    expect(page.reminder.nextAllowedAt).not.toBeNull()

    const firstReminderTokens = new Map(invited.map((r) => [r.id, latestLinkToken(r.id)]))
    const past = new Date(Date.now() - 49 * 60 * 60 * 1000).toISOString()
    getDb().update(assessmentCycles).set({ lastReminderAt: past }).where(eq(assessmentCycles.id, cycleId)).run()
    const third = await postCycle(mentor.cookie, cycleId, { intent: 'remind' })
    expect(third.status).toBe(302)
    expect(allOutboxCount()).toBe(before + 4)

    for (const r of invited) {
      const newest = latestLinkToken(r.id)
      expect(newest).not.toBe(firstReminderTokens.get(r.id))
      for (const old of [invitationTokens.get(r.id)!, firstReminderTokens.get(r.id)!]) {
        const res = await openLink(old)
        expect(res.status).toBe(404)
        expect(res.data).toEqual({ reason: 'invalid' })
      }
      const ok = await openLink(newest)
      expect(ok.status).toBe(302)
    }
    // The submitted rater got both reminders too, and their newest link shows the thank-you page.
    expect(outboxOf(cycleId).filter((m) => m.raterId === done!.id)).toHaveLength(3)
    const doneAgain = await raterBrowser(latestLinkToken(done!.id))
    expect((await loadRate(doneAgain)).data).toMatchObject({ kind: 'thanks' })
  })

  it('are refused before invitations go out', async () => {
    const { cycleId } = await freshCycle()
    const before = allOutboxCount()
    const res = await postCycle(hr.cookie, cycleId, { intent: 'remind' })
    expect(res.status).toBe(409)
    expect(reply(res.data).message).toBe('Reminders go out only while feedback is being collected.')
    expect(allOutboxCount()).toBe(before)
  })
})

describe('progress while collecting', () => {
  it('shows no response counts at all, and no rater carries a submission or draft state', async () => {
    const { cand, cycleId, raters: invited } = await collectingFor(specs('direct_report', 1))
    const peers = invited.filter((r) => r.relationship === 'peer')
    // One peer submits, another saves a draft, the third does nothing.
    expect(
      (
        await postRate(
          await raterBrowser(peers[0]!.token),
          answerForm(() => '5', { intent: 'submit' }),
        )
      ).status,
    ).toBe(302)
    expect(
      (
        await postRate(
          await raterBrowser(peers[1]!.token),
          answerForm((id) => (id.endsWith('b1') ? '2' : ''), { intent: 'save' }),
        )
      ).status,
    ).toBe(200)

    for (const [who, cookie] of [
      ['candidate', cand.cookie],
      ['mentor', mentor.cookie],
      ['hr', hr.cookie],
    ] as const) {
      const res = await loadCycle(cookie, cycleId)
      expect(res.status, who).toBe(200)
      const page = res.data as { raters: Array<Record<string, unknown>>; responses: unknown }
      for (const r of page.raters) {
        expect(Object.keys(r).sort(), who).toEqual(['email', 'id', 'name', 'relationship', 'status'])
        expect(r.status, who).toBe('invited')
      }
      const json = JSON.stringify(res.data)
      for (const word of [
        'submittedAt',
        'submitted_at',
        'draftSavedAt',
        'answers',
        'answersJson',
        'tokenHash',
        'comments',
      ])
        expect(json, `${who}: ${word}`).not.toContain(word)
      // decision 0016: while collecting, nothing about responses, not even per group
      expect(page.responses, who).toBeNull()
      expect(page, who).not.toHaveProperty('progress')
      for (const word of ['"submitted"', '"invited":', '"answered"', '"progress"'])
        expect(json, `${who}: ${word}`).not.toContain(word)
    }
  })
})
