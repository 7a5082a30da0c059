import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, raterSessions } from '#db/schema/assessments'
import { getDb } from '~/utils/db.server'
import {
  allDomainIds,
  allStatementIds,
  answerForm,
  collectingCycle,
  freshAddress,
  isoDay,
  loadRate,
  minimumSet,
  openLink,
  postCycle,
  postRate,
  raterBrowser,
  raterRow,
} from '../helpers/cycles'
import { loggedIn } from '../helpers/db'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, mentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hugo HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mette Mentor' })
})

let n = 0
async function invitedCycle() {
  n++
  const cand = await loggedIn({
    roles: ['candidate'],
    name: `Rated Candidate ${n}`,
    candidate: { mentorId: mentor.id },
  })
  const cycle = await collectingCycle({
    approverCookie: mentor.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    openerCookie: hr.cookie,
    specs: minimumSet(),
  })
  return { cand, ...cycle, peer: cycle.raters.find((r) => r.relationship === 'peer')! }
}

type Reply = { ok: boolean; message?: string }
type RateForm = {
  kind: 'form'
  raterName: string
  candidateName: string
  relationship: string
  answers: Record<string, number | null>
  comments: Record<string, string>
}

const statements = () => allStatementIds()
const firstDomain = () => allDomainIds()[0]!

describe('opening a personal link (r.$token)', () => {
  it('exchanges a valid token for an HttpOnly rater cookie and redirects to /rate without the token', async () => {
    const { peer } = await invitedCycle()
    const res = await openLink(peer.token)
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe('/rate')
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const setCookie = res.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^sto_rater=/)
    expect(setCookie).toMatch(/;\s*HttpOnly/i)
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i)
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/)
    const maxAge = Number(setCookie.match(/Max-Age=(\d+)/i)![1])
    expect(maxAge).toBeGreaterThan(0)
    expect(maxAge).toBeLessThanOrEqual(2 * 60 * 60)
    expect(setCookie).not.toContain(peer.token)
    // One session row for the rater, stored by hash.
    const sessions = getDb().select().from(raterSessions).where(eq(raterSessions.raterId, peer.id)).all()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]!.idHash).toMatch(/^[0-9a-f]{64}$/)

    const page = await loadRate(setCookie.split(';')[0]!)
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({
      kind: 'form',
      raterName: peer.name,
      relationship: 'peer',
      answers: {},
      comments: {},
    })
  })

  it('shows "invalid" (404) for a tampered or malformed token, without a cookie', async () => {
    const { peer } = await invitedCycle()
    const flipped = (peer.token[0] === 'A' ? 'B' : 'A') + peer.token.slice(1)
    for (const token of [
      'A'.repeat(43),
      flipped,
      peer.token.slice(0, 42),
      `${peer.token}x`,
      'short',
      `${peer.token.slice(0, 42)}.`,
      '',
    ]) {
      const res = await openLink(token)
      expect(res, token).toMatchObject({ thrown: false, status: 404, data: { reason: 'invalid' } })
      expect(res.headers.get('Set-Cookie'), token).toBeNull()
    }
    expect(getDb().select().from(raterSessions).where(eq(raterSessions.raterId, peer.id)).all()).toEqual([])
  })

  // BUG (app/models/raters.server.ts, revokeInvitation sets tokenHash to null): exchangeRaterToken then finds
  // no rater for the token and answers "invalid" (404); its `revoked` branch can never be reached.
  it('shows "revoked" (410) for the link of a revoked invitation', async () => {
    const { cycleId, peer } = await invitedCycle()
    expect((await postCycle(mentor.cookie, cycleId, { intent: 'revoke', raterId: String(peer.id) })).status).toBe(302)
    const res = await openLink(peer.token)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    // The rater should see "This invitation was withdrawn", not "This link is not valid".
    expect({ status: res.status, data: res.data }).toEqual({ status: 410, data: { reason: 'revoked' } })
  })

  it('shows "closed" (410) once the cycle is closed, cancelled or past due', async () => {
    const closed = await invitedCycle()
    expect((await postCycle(hr.cookie, closed.cycleId, { intent: 'close' })).status).toBe(302)
    const cancelled = await invitedCycle()
    expect(
      (await postCycle(hr.cookie, cancelled.cycleId, { intent: 'cancel', reason: 'Left the company' })).status,
    ).toBe(302)
    const overdue = await invitedCycle()
    getDb()
      .update(assessmentCycles)
      .set({ dueOn: isoDay(-1) })
      .where(eq(assessmentCycles.id, overdue.cycleId))
      .run()

    for (const [what, c] of [
      ['closed', closed],
      ['cancelled', cancelled],
      ['past due', overdue],
    ] as const) {
      const res = await openLink(c.peer.token)
      expect(res, what).toMatchObject({ thrown: false, status: 410, data: { reason: 'closed' } })
      expect(res.headers.get('Set-Cookie'), what).toBeNull()
    }
  })

  it('allows 10 exchanges per client address per minute; the 11th gets 429, other addresses are unaffected', async () => {
    const { peer } = await invitedCycle()
    const address = freshAddress()
    for (let i = 0; i < 5; i++) expect((await openLink(peer.token, address)).status, `valid ${i}`).toBe(302)
    for (let i = 0; i < 5; i++) expect((await openLink('A'.repeat(43), address)).status, `invalid ${i}`).toBe(404)
    const eleventh = await openLink(peer.token, address)
    expect(eleventh).toMatchObject({ thrown: false, status: 429, data: { reason: 'rate-limited' } })
    expect(eleventh.headers.get('Set-Cookie')).toBeNull()
    expect((await openLink(peer.token, freshAddress())).status).toBe(302)
  })
})

describe('the rater form (rate.tsx)', () => {
  it('saves a draft that the next visit shows, refuses an incomplete submit with the count, then accepts a full one', async () => {
    const { cand, peer } = await invitedCycle()
    const browser = await raterBrowser(peer.token)
    const ids = statements()
    const domain = firstDomain()

    const draft = {
      [`s:${ids[0]}`]: '4',
      [`s:${ids[1]}`]: 'na',
      [`s:${ids[2]}`]: '',
      [`c:${domain}`]: '  Clear thinker  ',
      intent: 'save',
    }
    const saved = await postRate(browser, draft)
    expect(saved).toMatchObject({ status: 200, data: { ok: true } })
    const row = raterRow(peer.id)
    expect(JSON.parse(row.answersJson!)).toEqual({ [ids[0]!]: 4, [ids[1]!]: null })
    expect(JSON.parse(row.commentsJson!)).toEqual({ [domain]: 'Clear thinker' })
    expect(row.submittedAt).toBeNull()
    expect(row.draftSavedAt).not.toBeNull()

    // A new browser (the link opened again) resumes the draft.
    const later = await raterBrowser(peer.token)
    const page = await loadRate(later)
    expect(page.data).toMatchObject({
      kind: 'form',
      candidateName: cand.name,
      answers: { [ids[0]!]: 4, [ids[1]!]: null },
      comments: { [domain]: 'Clear thinker' },
    })

    const incomplete = await postRate(later, {
      ...answerForm((id) => (id === ids[5] || id === ids[7] ? '' : '3')),
      intent: 'submit',
    })
    expect(incomplete.status).toBe(400)
    expect((incomplete.data as Reply).message).toContain('(2 left)')
    expect(raterRow(peer.id)).toEqual(row)

    const full = await postRate(
      later,
      answerForm((id) => (id === ids[0] ? 'na' : '5'), { [`c:${domain}`]: 'Final words', intent: 'submit' }),
    )
    expect(full).toMatchObject({ thrown: true, status: 302 })
    expect(full.headers.get('Location')).toBe('/rate')
    const submitted = raterRow(peer.id)
    expect(submitted.submittedAt).not.toBeNull()
    const answers = JSON.parse(submitted.answersJson!) as Record<string, number | null>
    expect(Object.keys(answers)).toHaveLength(ids.length)
    expect(answers[ids[0]!]).toBeNull()
    expect(answers[ids[1]!]).toBe(5)
    expect(JSON.parse(submitted.commentsJson!)).toEqual({ [domain]: 'Final words' })

    expect(await loadRate(later)).toMatchObject({ status: 200, data: { kind: 'thanks', candidateName: cand.name } })
    // The thank-you page reveals nothing of the answers.
    expect(JSON.stringify((await loadRate(browser)).data)).not.toContain('Final words')
  })

  it('refuses out-of-range scores, junk and unknown statements with 400, writing nothing', async () => {
    const { peer } = await invitedCycle()
    const browser = await raterBrowser(peer.token)
    const ids = statements()
    expect((await postRate(browser, { [`s:${ids[0]}`]: '2', intent: 'save' })).status).toBe(200)
    const before = raterRow(peer.id)

    for (const bad of ['6', '0', 'x', '3.5', '-1', ' 4']) {
      for (const intent of ['save', 'submit']) {
        const res = await postRate(
          browser,
          answerForm((id) => (id === ids[3] ? bad : '3'), { intent }),
        )
        expect(res.status, `${bad} ${intent}`).toBe(400)
        expect((res.data as Reply).message, bad).toContain(`Statement "${ids[3]}": a score is 1 to 5`)
      }
    }
    const unknown = await postRate(
      browser,
      answerForm(() => '3', { 's:ml-fundamentals.b99': '3', intent: 'save' }),
    )
    expect(unknown.status).toBe(400)
    expect((unknown.data as Reply).message).toContain('Unknown statement "ml-fundamentals.b99"')
    const unknownDomain = await postRate(browser, { [`s:${ids[0]}`]: '3', 'c:no-such-domain': 'hello', intent: 'save' })
    expect(unknownDomain.status).toBe(400)
    const tooLong = await postRate(browser, {
      [`s:${ids[0]}`]: '3',
      [`c:${firstDomain()}`]: 'x'.repeat(2001),
      intent: 'save',
    })
    expect(tooLong.status).toBe(400)
    const noIntent = await postRate(
      browser,
      answerForm(() => '3'),
    )
    expect(noIntent.status).toBe(400)
    expect((noIntent.data as Reply).message).toBe('Choose "Save draft" or "Submit".')

    expect(raterRow(peer.id)).toEqual(before)
  })

  it('ignores a second submission: it redirects to the thank-you page and changes nothing', async () => {
    const { peer } = await invitedCycle()
    const browser = await raterBrowser(peer.token)
    expect(
      (
        await postRate(
          browser,
          answerForm(() => '4', { intent: 'submit' }),
        )
      ).status,
    ).toBe(302)
    const first = raterRow(peer.id)

    for (const intent of ['submit', 'save']) {
      const again = await postRate(
        browser,
        answerForm(() => '1', { [`c:${firstDomain()}`]: 'changed my mind', intent }),
      )
      expect(again, intent).toMatchObject({ thrown: true, status: 302 })
      expect(again.headers.get('Location')).toBe('/rate')
    }
    const after = raterRow(peer.id)
    expect(after).toEqual(first)
    expect(after.submittedAt).toBe(first.submittedAt)
    expect(after.answersJson).toBe(first.answersJson)
  })

  it('refuses answers once the cycle is past due (409) or closed (session ended, 401), writing nothing', async () => {
    const overdue = await invitedCycle()
    const browser = await raterBrowser(overdue.peer.token)
    expect(
      (
        await postRate(
          browser,
          answerForm((id) => (id.endsWith('.b1') ? '2' : ''), { intent: 'save' }),
        )
      ).status,
    ).toBe(200)
    const before = raterRow(overdue.peer.id)
    getDb()
      .update(assessmentCycles)
      .set({ dueOn: isoDay(-1) })
      .where(eq(assessmentCycles.id, overdue.cycleId))
      .run()
    for (const intent of ['submit', 'save']) {
      const res = await postRate(
        browser,
        answerForm(() => '5', { intent }),
      )
      expect(res.status, intent).toBe(409)
      expect((res.data as Reply).message).toBe('This feedback request has closed; answers can no longer be saved.')
    }
    expect(raterRow(overdue.peer.id)).toEqual(before)

    const closed = await invitedCycle()
    const closedBrowser = await raterBrowser(closed.peer.token)
    expect((await postCycle(hr.cookie, closed.cycleId, { intent: 'close' })).status).toBe(302)
    const beforeClosed = raterRow(closed.peer.id)
    const res = await postRate(
      closedBrowser,
      answerForm(() => '5', { intent: 'submit' }),
    )
    expect(res.status).toBe(401)
    expect(raterRow(closed.peer.id)).toEqual(beforeClosed)
    expect(await loadRate(closedBrowser)).toMatchObject({ status: 401, data: { kind: 'expired' } })
  })

  it('shows the "open your link again" page (401) for an expired, missing or forged session', async () => {
    const { peer } = await invitedCycle()
    const browser = await raterBrowser(peer.token)
    expect((await loadRate(browser)).status).toBe(200)
    getDb()
      .update(raterSessions)
      .set({ expiresAt: Date.now() - 1000 })
      .where(eq(raterSessions.raterId, peer.id))
      .run()
    expect(await loadRate(browser)).toMatchObject({ thrown: false, status: 401, data: { kind: 'expired' } })
    const before = raterRow(peer.id)
    const res = await postRate(
      browser,
      answerForm(() => '3', { intent: 'save' }),
    )
    expect(res.status).toBe(401)
    expect((res.data as Reply).message).toMatch(/^Your session has ended/)
    expect(raterRow(peer.id)).toEqual(before)

    expect(await loadRate('')).toMatchObject({ status: 401, data: { kind: 'expired' } })
    expect(await loadRate(`sto_rater=${peer.token}`)).toMatchObject({ status: 401, data: { kind: 'expired' } })
    // The link still works: a fresh session resumes.
    const fresh = await raterBrowser(peer.token)
    expect((await loadRate(fresh)).data).toMatchObject({
      kind: 'form',
      raterName: peer.name,
    } satisfies Partial<RateForm>)
  })
})
