/**
 * Regression tests of issue 11 (decision 0016), paths 4 and 5 and the approver's edit: who may be a
 * rater, who may approve, and reminders that do not tell staff who answered. Each test goes
 * through the real cycle-page action (or the model function) and checks that a refusal writes
 * nothing.
 */
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { outbox, raters } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { deliveryLog } from '~/models/delivery.server'
import { getPerson, updatePerson } from '~/models/people.server'
import { remindRaters } from '~/models/raters.server'
import { appBaseUrl } from '~/utils/cycles.server'
import { getDb, transaction } from '~/utils/db.server'
import {
  answerForm,
  collectingCycle,
  cycleRow,
  decide,
  latestLinkToken,
  loadRate,
  minimumSet,
  nominate,
  noticeOf,
  postCycle,
  postRate,
  raterBrowser,
  raterRow,
  reply,
  specs,
  type RaterSpec,
  freshCycle as freshCycleFor,
} from '../helpers/cycles'
import { loggedIn, makePerson } from '../helpers/db'

const ratersOf = (cycleId: number) =>
  getDb().select().from(raters).where(eq(raters.cycleId, cycleId)).orderBy(raters.id).all()
const auditCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .get()!.n
const outboxCount = () =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .get()!.n
const remindersOf = (cycleId: number) =>
  getDb()
    .select()
    .from(outbox)
    .where(eq(outbox.cycleId, cycleId))
    .all()
    .filter((m) => m.kind === 'reminder')

/** Everything a refusal must leave as it was. */
const snapshot = (cycleId: number) => ({
  raters: ratersOf(cycleId),
  cycle: cycleRow(cycleId),
  audit: auditCount(),
  outbox: outboxCount(),
})

const READER_ONLY_AS_MANAGER = /can read the report.*only as the manager/

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, admin: Viewer, mentor: Viewer, otherMentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Heda HR' })
  admin = await loggedIn({ roles: ['admin'], name: 'Aldo Admin' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mira Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Otto Othermentor' })
})

let n = 0
const freshCycle = () => freshCycleFor(hr.cookie, mentor.id, 'Elig Candidate')

const nominateRes = (cookie: string, cycleId: number, spec: RaterSpec) =>
  postCycle(cookie, cycleId, { intent: 'nominate', ...spec })

// Fails without `assertEligible(tx, cycle, input.email, input.relationship)` in nominateRater
// (app/models/raters.server.ts): before issue 11 each of these nominations was accepted (302).
describe('a report reader may be nominated only as the manager', () => {
  it('refuses the candidate’s mentor as a peer (any case of the email), and allows them as the manager', async () => {
    const { cand, cycleId } = await freshCycle()
    const before = snapshot(cycleId)
    for (const email of [mentor.email, mentor.email.toUpperCase()]) {
      const res = await nominateRes(cand.cookie, cycleId, { name: mentor.name, email, relationship: 'peer' })
      expect(res.status, email).toBe(400)
      expect(reply(res.data).fieldErrors.email, email).toMatch(READER_ONLY_AS_MANAGER)
    }
    for (const relationship of ['direct_report', 'stakeholder'] as const) {
      const res = await nominateRes(cand.cookie, cycleId, { name: mentor.name, email: mentor.email, relationship })
      expect(res.status, relationship).toBe(400)
      expect(reply(res.data).fieldErrors.email, relationship).toMatch(READER_ONLY_AS_MANAGER)
    }
    expect(snapshot(cycleId)).toEqual(before)

    // As the manager, whose answers are attributable anyway, the mentor may rate.
    const id = await nominate(cand.cookie, cycleId, { name: mentor.name, email: mentor.email, relationship: 'manager' })
    expect(raterRow(id)).toMatchObject({
      relationship: 'manager',
      status: 'proposed',
      email: mentor.email.toLowerCase(),
    })
  })

  it('refuses an HR person as a stakeholder, and a person holding HR and candidate roles as a peer', async () => {
    const { cand, cycleId } = await freshCycle()
    const hrPerson = await makePerson({ roles: ['hr'], name: 'Hugo Hrperson' })
    // another candidate (of another mentor) who also holds the HR role: HR may read every report
    const hrCandidate = await makePerson({
      roles: ['hr', 'candidate'],
      name: 'Hana Hrcandidate',
      candidate: { mentorId: otherMentor.id },
    })
    const before = snapshot(cycleId)

    const stakeholder = await nominateRes(cand.cookie, cycleId, {
      name: hrPerson.name,
      email: hrPerson.email,
      relationship: 'stakeholder',
    })
    expect(stakeholder.status).toBe(400)
    expect(reply(stakeholder.data).fieldErrors.email).toMatch(READER_ONLY_AS_MANAGER)

    const peer = await nominateRes(cand.cookie, cycleId, {
      name: hrCandidate.name,
      email: hrCandidate.email,
      relationship: 'peer',
    })
    expect(peer.status).toBe(400)
    expect(reply(peer.data).fieldErrors.email).toMatch(READER_ONLY_AS_MANAGER)
    expect(snapshot(cycleId)).toEqual(before)

    // Without the HR role, another candidate cannot read this report: a peer like any other.
    const plainCandidate = await makePerson({
      roles: ['candidate'],
      name: 'Pia Plaincandidate',
      candidate: { mentorId: otherMentor.id },
    })
    await nominate(cand.cookie, cycleId, {
      name: plainCandidate.name,
      email: plainCandidate.email,
      relationship: 'peer',
    })
    // Nor can another candidate's mentor.
    await nominate(cand.cookie, cycleId, { name: otherMentor.name, email: otherMentor.email, relationship: 'peer' })
    expect(ratersOf(cycleId)).toHaveLength(2)
  })
})

// Fails without `if (selfApproval) throw new RuleError(selfApproval, 'email', 403)` in
// decideNomination (app/models/raters.server.ts): before, the mentor approved herself (302).
describe('nobody decides their own nomination', () => {
  it('refuses the mentor approving (or rejecting) her own nomination as the manager with 403; HR may approve it', async () => {
    const { cand, cycleId } = await freshCycle()
    const id = await nominate(cand.cookie, cycleId, { name: mentor.name, email: mentor.email, relationship: 'manager' })
    const before = snapshot(cycleId)

    for (const intent of ['approve', 'reject'] as const) {
      const res = await decide(mentor.cookie, cycleId, id, intent)
      expect(res.thrown, intent).toBe(false)
      expect(res.status, intent).toBe(403)
      expect(reply(res.data).fieldErrors.email, intent).toMatch(/cannot approve your own nomination/)
      // …beside that rater's row: the reply names the rater its form was about.
      expect(reply(res.data).raterId, intent).toBe(String(id))
    }
    expect(snapshot(cycleId)).toEqual(before)
    expect(raterRow(id)).toMatchObject({ status: 'proposed', decidedBy: null })

    const byHr = await decide(hr.cookie, cycleId, id, 'approve')
    expect(byHr.status).toBe(302)
    expect(raterRow(id)).toMatchObject({ status: 'approved', decidedBy: hr.id, relationship: 'manager' })
  })
})

describe('an approver’s edit of who the rater is counts as a new nomination', () => {
  // Fails without the self-approval check in decideNomination (the edit was stored and approved).
  it('refuses the mentor changing a nominee’s email to her own while approving, writing nothing', async () => {
    const { cand, cycleId } = await freshCycle()
    const id = await nominate(cand.cookie, cycleId, {
      name: 'Pete Peer',
      email: 'pete.peer@raters.example',
      relationship: 'peer',
    })
    const before = snapshot(cycleId)
    for (const relationship of ['peer', 'manager'] as const) {
      const res = await decide(mentor.cookie, cycleId, id, 'approve', {
        name: mentor.name,
        email: mentor.email.toUpperCase(),
        relationship,
      })
      expect(res.status, relationship).toBe(403)
      expect(reply(res.data).fieldErrors.email, relationship).toMatch(/cannot approve your own nomination/)
    }
    expect(snapshot(cycleId)).toEqual(before)
    expect(raterRow(id)).toEqual(before.raters[0])
  })

  // Fails without `if (input.decision === 'approve') assertEligible(...)` in decideNomination.
  it('refuses HR changing a peer nominee’s email to the mentor’s (a report reader), and allows it as the manager', async () => {
    const { cand, cycleId } = await freshCycle()
    const id = await nominate(cand.cookie, cycleId, {
      name: 'Pete Peer',
      email: 'pete.peer2@raters.example',
      relationship: 'peer',
    })
    const before = snapshot(cycleId)
    const res = await decide(hr.cookie, cycleId, id, 'approve', { name: mentor.name, email: mentor.email })
    expect(res.status).toBe(400)
    expect(reply(res.data).fieldErrors.email).toMatch(READER_ONLY_AS_MANAGER)
    expect(snapshot(cycleId)).toEqual(before)

    const asManager = await decide(hr.cookie, cycleId, id, 'approve', {
      name: mentor.name,
      email: mentor.email,
      relationship: 'manager',
    })
    expect(asManager.status).toBe(302)
    expect(raterRow(id)).toMatchObject({
      status: 'approved',
      relationship: 'manager',
      email: mentor.email.toLowerCase(),
      decidedBy: hr.id,
    })
  })

  // Fails without the same assertEligible line: the nominee is checked as they stand at approval.
  it('refuses approving as a peer someone who became HR after being nominated', async () => {
    const { cand, cycleId } = await freshCycle()
    const person = await makePerson({ roles: ['mentor'], name: 'Rolf Rolechange' })
    const id = await nominate(cand.cookie, cycleId, { name: person.name, email: person.email, relationship: 'peer' })
    transaction((tx) =>
      updatePerson(tx, admin.id, person.id, {
        name: person.name,
        email: person.email,
        roles: ['mentor', 'hr'],
        candidate: null,
      }),
    )
    const before = snapshot(cycleId)
    const res = await decide(mentor.cookie, cycleId, id, 'approve')
    expect(res.status).toBe(400)
    expect(reply(res.data).fieldErrors.email).toMatch(READER_ONLY_AS_MANAGER)
    expect(snapshot(cycleId)).toEqual(before)
  })
})

// Fails without the re-check loop in sendInvitations (app/models/raters.server.ts): before, the
// invitations went out (302) and the new HR person would rate inside the peer block.
describe('invitations re-check eligibility', () => {
  it('refuses to invite when an approved peer has since become HR (409), writing nothing; fixed by moving them to manager', async () => {
    const { cand, cycleId } = await freshCycle()
    const person = await makePerson({ roles: ['mentor'], name: 'Greta Grownrole' })
    for (const s of minimumSet())
      await decide(mentor.cookie, cycleId, await nominate(cand.cookie, cycleId, s), 'approve')
    const id = await nominate(cand.cookie, cycleId, { name: person.name, email: person.email, relationship: 'peer' })
    expect((await decide(mentor.cookie, cycleId, id, 'approve')).status).toBe(302)

    const roles = getPerson(getDb(), person.id)!.roles
    transaction((tx) =>
      updatePerson(tx, admin.id, person.id, {
        name: person.name,
        email: person.email,
        roles: [...roles, 'hr'],
        candidate: null,
      }),
    )

    const before = snapshot(cycleId)
    const res = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(res.status).toBe(409)
    expect(reply(res.data).message).toMatch(
      new RegExp(`^${person.name}: This person can read the report.*Reject or change this nomination first\\.$`),
    )
    expect(snapshot(cycleId)).toEqual(before)
    expect(cycleRow(cycleId)).toMatchObject({ state: 'nominating', invitationsSentAt: null })
    expect(ratersOf(cycleId).every((r) => r.tokenHash === null && r.invitedAt === null)).toBe(true)

    // As the second manager they may rate; then the invitations go out.
    expect((await decide(hr.cookie, cycleId, id, 'approve', { relationship: 'manager' })).status).toBe(302)
    const ok = await postCycle(mentor.cookie, cycleId, { intent: 'invite' })
    expect(ok.status).toBe(302)
    expect(await noticeOf(mentor.cookie)).toBe('5 invitations sent.')
  })
})

// Fails with the filter of the old remindPendingRaters (`&& !r.submittedAt`, and the 409 "Every
// invited rater has answered"): reminders then went to those who had not answered only.
describe('reminders do not tell who answered', () => {
  async function collecting(extra: RaterSpec[] = []) {
    n++
    const cand = await loggedIn({
      roles: ['candidate'],
      name: `Remind Candidate ${n}`,
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
  const submit = async (token: string) =>
    expect(
      (
        await postRate(
          await raterBrowser(token),
          answerForm(() => '4', { intent: 'submit' }),
        )
      ).status,
    ).toBe(302)

  it('go to every invited rater, one who answered included; the count is the number invited, and the delivery log looks the same for each', async () => {
    const { cand, cycleId, raters: invited } = await collecting(specs('peer', 1))
    const peers = invited.filter((r) => r.relationship === 'peer')
    await submit(peers[0]!.token)
    await submit(peers[1]!.token)

    const reminded = transaction((tx) => remindRaters(tx, hr.id, cycleRow(cycleId), cand.name, appBaseUrl()))
    expect(reminded).toBe(invited.length) // 5, not 3
    const reminders = remindersOf(cycleId)
    expect(reminders.map((m) => m.raterId).sort()).toEqual(invited.map((r) => r.id).sort())
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'cycle.remind'))
      .all()
      .filter((a) => a.entityId === String(cycleId))
    expect(audit.map((a) => JSON.parse(a.after!))).toEqual([{ reminded: 5 }])

    // In the delivery log, the peers who answered and those who did not are indistinguishable.
    const ids = new Set(reminders.map((m) => m.id))
    const entries = deliveryLog(getDb()).filter((e) => ids.has(e.id))
    expect(entries).toHaveLength(5)
    const peerEmails = new Set(peers.map((p) => p.email))
    const facts = entries
      .filter((e) => peerEmails.has(e.toEmail))
      .map(({ id: _id, toName: _n, toEmail: _e, createdAt: _c, ...rest }) => JSON.stringify(rest))
    expect(facts).toHaveLength(4)
    expect(new Set(facts).size).toBe(1)

    // Each newest link works: the form for those who have not answered, the thank-you page for the others.
    for (const p of peers) {
      const page = await loadRate(await raterBrowser(latestLinkToken(p.id)))
      expect(page.data, p.name).toMatchObject({ kind: p === peers[0] || p === peers[1] ? 'thanks' : 'form' })
    }
  })

  it('go out when everyone has answered, with the same notice as ever (no "everyone has answered" refusal)', async () => {
    const { cycleId, raters: invited } = await collecting()
    for (const r of invited) await submit(r.token)
    const before = outboxCount()
    const res = await postCycle(mentor.cookie, cycleId, { intent: 'remind' })
    expect(res.status).toBe(302)
    expect(await noticeOf(mentor.cookie)).toBe(
      'A reminder went to all 4 invited raters; it thanks those who have already answered.',
    )
    expect(outboxCount()).toBe(before + 4)
  })

  it('are refused only when nobody is invited any more (all revoked)', async () => {
    const { cycleId, raters: invited } = await collecting()
    for (const r of invited)
      expect((await postCycle(mentor.cookie, cycleId, { intent: 'revoke', raterId: String(r.id) })).status).toBe(302)
    const before = snapshot(cycleId)
    const res = await postCycle(mentor.cookie, cycleId, { intent: 'remind' })
    expect(res.status).toBe(409)
    expect(reply(res.data).message).toBe('Nobody has been invited yet.')
    expect(snapshot(cycleId)).toEqual(before)
  })
})
