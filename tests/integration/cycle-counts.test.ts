/**
 * Regression tests of issue 11 (decision 0016), path 4: response counts. While a cycle collects,
 * the cycle page carries no count of answers at all, so no sequence of actions (answering,
 * revoking) changes what the candidate or the approver sees; after close, only the groups the
 * frozen report shows carry a count. The cycle.close audit entry carries no total either (total
 * minus shown groups would give the hidden groups' count).
 *
 * They fail on the code before the change: the loader returned
 * `progress: progressByGroup(db, cycle.id)` (invited / submitted per group) while collecting and
 * after close, and closeCycle audited `responses: submissions.length`.
 */
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { getDb } from '~/utils/db.server'
import {
  answerForm,
  collectingCycle,
  loadCycle,
  noticeOf,
  postCycle,
  postRate,
  raterBrowser,
  specs,
  type RaterSpec,
} from '../helpers/cycles'
import { loggedIn } from '../helpers/db'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, mentor: Viewer

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hesper HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Minna Mentor' })
})

type Invited = RaterSpec & { id: number; token: string }
let n = 0
async function collecting(raterSpecs: RaterSpec[]) {
  n++
  const cand = await loggedIn({
    roles: ['candidate'],
    name: `Count Candidate ${n}`,
    candidate: { mentorId: mentor.id },
  })
  const cycle = await collectingCycle({
    approverCookie: mentor.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    openerCookie: hr.cookie,
    specs: raterSpecs,
  })
  return { cand, ...cycle }
}

async function submit(rater: Invited) {
  const res = await postRate(
    await raterBrowser(rater.token),
    answerForm(() => '4', { intent: 'submit' }),
  )
  expect(res.status, rater.name).toBe(302)
}

type Page = {
  raters: Array<{ id: number; status: string }>
  responses: Array<{ relationship: string; responses: number | null }> | null
}
async function page(cookie: string, cycleId: number) {
  const res = await loadCycle(cookie, cycleId)
  expect(res.status).toBe(200)
  // The status message of the viewer's own last action is shown once; it is not part of what is compared.
  const { notice: _shownOnce, ...rest } = res.data as Page & { notice: string | null }
  return rest as Page
}

/**
 * The loader data with everything that names this cycle, its candidate or its raters replaced by
 * placeholders (ids by order of appearance, names and emails by the raters' order), so the data of
 * two cycles can be compared byte for byte.
 */
function normalised(data: unknown, cand: { id: number; name: string }, invited: Invited[]): string {
  const ids = new Map<number, string>()
  const text = (s: string) => {
    let out = s.split(cand.name).join('CANDIDATE')
    invited.forEach((r, i) => {
      out = out.split(r.email).join(`rater-${i}@example`).split(r.name).join(`RATER ${i}`)
    })
    return out.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
  }
  const walk = (value: unknown, key: string | null): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, null))
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]))
    if (typeof value === 'number' && key !== null && /(^id|Id)$/.test(key)) {
      if (!ids.has(value)) ids.set(value, `ID${ids.size}`)
      return ids.get(value)
    }
    return typeof value === 'string' ? text(value) : value
  }
  return JSON.stringify(walk(data, null))
}

const NO_COUNT_KEYS = ['"progress"', '"submitted"', '"invited":', '"answered"', '"pending"']

describe('while a cycle collects', () => {
  it('the cycle page carries no response count for the candidate or the mentor: answering changes nothing they see', async () => {
    const {
      cand,
      cycleId,
      raters: invited,
    } = await collecting([...specs('manager', 1), ...specs('peer', 3), ...specs('stakeholder', 2)])
    const viewers = [
      ['candidate', cand.cookie],
      ['mentor', mentor.cookie],
    ] as const
    const before = new Map<string, string>()
    for (const [who, cookie] of viewers) {
      const data = await page(cookie, cycleId)
      expect(data.responses, who).toBeNull()
      expect(data, who).not.toHaveProperty('progress')
      before.set(who, JSON.stringify(data))
    }

    // The manager, one peer and one stakeholder answer.
    for (const r of [invited[0]!, invited[1]!, invited[4]!]) await submit(r)

    for (const [who, cookie] of viewers) {
      const data = await page(cookie, cycleId)
      const json = JSON.stringify(data)
      for (const key of NO_COUNT_KEYS) expect(json, `${who}: ${key}`).not.toContain(key)
      expect(data.responses, who).toBeNull()
      expect(
        data.raters.every((r) => r.status === 'invited'),
        who,
      ).toBe(true)
      // byte for byte what they saw before anyone answered
      expect(json, who).toBe(before.get(who))
    }
  })

  it('revoking a rater who answered and one who did not look the same to the candidate and the mentor (“revoke reveals nothing”)', async () => {
    const plan = () => [...specs('manager', 1), ...specs('peer', 4)]
    const a = await collecting(plan())
    const b = await collecting(plan())
    // In both cycles the manager and the first peer answer; the fourth peer answers only in cycle a.
    for (const c of [a, b]) for (const r of [c.raters[0]!, c.raters[1]!]) await submit(r)
    await submit(a.raters[4]!)

    const views = async (c: typeof a) => {
      const out: string[] = []
      for (const cookie of [c.cand.cookie, mentor.cookie])
        out.push(normalised(await page(cookie, c.cycleId), c.cand, c.raters))
      return out
    }
    const beforeA = await views(a)
    const beforeB = await views(b)
    expect(beforeA).toEqual(beforeB)

    const revokedA = await postCycle(mentor.cookie, a.cycleId, { intent: 'revoke', raterId: String(a.raters[4]!.id) })
    const noticeA = await noticeOf(mentor.cookie)
    const revokedB = await postCycle(mentor.cookie, b.cycleId, { intent: 'revoke', raterId: String(b.raters[4]!.id) })
    const noticeB = await noticeOf(mentor.cookie)
    expect(noticeA).not.toBeNull()
    expect([revokedA.status, noticeA]).toEqual([revokedB.status, noticeB])

    const afterA = await views(a)
    const afterB = await views(b)
    expect(afterA).toEqual(afterB)
    // the revocation itself is visible (the rater is listed as revoked), nothing else changed
    expect(afterA[0]).not.toBe(beforeA[0])
    expect(afterA[0]!.replace('"status":"revoked"', '"status":"invited"')).toBe(beforeA[0])
  })
})

describe('after close', () => {
  async function closedCycle(stakeholdersAnswering: number) {
    const c = await collecting([...specs('manager', 1), ...specs('peer', 3), ...specs('stakeholder', 2)])
    const answering = [...c.raters.slice(0, 4), ...c.raters.slice(4, 4 + stakeholdersAnswering)]
    for (const r of answering) await submit(r)
    const closed = await postCycle(mentor.cookie, c.cycleId, { intent: 'close' })
    expect(closed.status).toBe(302)
    return c
  }

  it('shows counts only for the groups the report shows: 2 stakeholders who answered are “not shown”, with no count anywhere', async () => {
    const two = await closedCycle(2)
    for (const [who, cookie] of [
      ['candidate', two.cand.cookie],
      ['mentor', mentor.cookie],
    ] as const) {
      const data = await page(cookie, two.cycleId)
      expect(data.responses, who).toEqual([
        { relationship: 'manager', responses: 1 },
        { relationship: 'peer', responses: 3 },
        { relationship: 'direct_report', responses: null },
        { relationship: 'stakeholder', responses: null },
      ])
      const json = JSON.stringify(data)
      for (const key of NO_COUNT_KEYS) expect(json, `${who}: ${key}`).not.toContain(key)
    }

    // Byte for byte the same page as a cycle in which one stakeholder answered, and one in which none did.
    for (const answered of [1, 0]) {
      const other = await closedCycle(answered)
      for (const [cookieOf, who] of [
        [(c: typeof two) => c.cand.cookie, 'candidate'],
        [() => mentor.cookie, 'mentor'],
      ] as const) {
        const mine = normalised(await page(cookieOf(two), two.cycleId), two.cand, two.raters)
        const theirs = normalised(await page(cookieOf(other), other.cycleId), other.cand, other.raters)
        expect(mine, `${who}: 2 vs ${answered} stakeholders answered`).toBe(theirs)
      }
    }
  })

  it('audits cycle.close without a response count', async () => {
    const c = await closedCycle(2)
    const entries = getDb()
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'cycle.close'),
          eq(auditLog.entityType, 'cycle'),
          eq(auditLog.entityId, String(c.cycleId)),
        ),
      )
      .all()
    expect(entries).toHaveLength(1)
    const after = JSON.parse(entries[0]!.after!) as Record<string, unknown>
    expect(after).not.toHaveProperty('responses')
    expect(after).toEqual({ state: 'closed', selfSubmitted: false, reason: 'closed by hand' })
    expect(JSON.parse(entries[0]!.before!)).toEqual({ state: 'collecting' })
  })
})
