import { and, eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { cycleResults, outbox, raters, selfAssessments } from '#db/schema/assessments'
import { planItems } from '#db/schema/program'
import type { Report } from '~/domain/assessment/scoring'
import { action as reportAction, loader as reportLoader } from '~/routes/cycles.$cycleId.report'
import { action as selfAction } from '~/routes/cycles.$cycleId.self'
import { loader as messageLoader } from '~/routes/outbox.$messageId'
import { loader as outboxLoader } from '~/routes/outbox._index'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import {
  answerForm,
  args,
  cycleRow,
  decide,
  latestLinkToken,
  nominate,
  openCycle,
  postCycle,
  postRate,
  raterBrowser,
  type RaterSpec,
} from '../helpers/cycles'
import { call, loggedIn, request } from '../helpers/db'
import { messageOf } from '../helpers/program'

/**
 * One realistic cycle: 1 manager, 3 peers, 2 direct reports, 1 stakeholder, all submitted, and the
 * candidate's self-assessment. Direct reports (2) and the stakeholder (1) are under their group
 * minimum of 3, so their groups are hidden; together they make a pool of 3 non-managers, which is
 * included in "all others" — but their comments are never shown.
 */

const ML = ['ml-fundamentals.b1', 'ml-fundamentals.b2', 'ml-fundamentals.b3']
type Scores = [string, string, string]
type Planned = RaterSpec & { handle: string; ml: Scores; base: number; comments: Record<string, string> }

// Each rater's comment names them by handle, so a leaked comment is traceable to its author.
const plan: Planned[] = [
  {
    handle: 'manager1',
    name: 'Magnus Overseer',
    email: 'magnus.overseer@raters.example',
    relationship: 'manager',
    ml: ['4', '5', '3'],
    base: 3,
    comments: {},
  },
  {
    handle: 'peer1',
    name: 'Petra Quillfeather',
    email: 'petra.quillfeather@raters.example',
    relationship: 'peer',
    ml: ['3', '3', '3'],
    base: 3,
    comments: {},
  },
  {
    handle: 'peer2',
    name: 'Pavel Brightwater',
    email: 'pavel.brightwater@raters.example',
    relationship: 'peer',
    ml: ['2', '3', '4'],
    base: 2,
    comments: {},
  },
  {
    handle: 'peer3',
    name: 'Priya Stonebridge',
    email: 'priya.stonebridge@raters.example',
    relationship: 'peer',
    ml: ['4', '4', '5'],
    base: 4,
    comments: {},
  },
  {
    handle: 'dr1',
    name: 'Dmitri Lowlander',
    email: 'dmitri.lowlander@raters.example',
    relationship: 'direct_report',
    ml: ['1', '2', '3'],
    base: 3,
    comments: {},
  },
  {
    handle: 'dr2',
    name: 'Delia Underhill',
    email: 'delia.underhill@raters.example',
    relationship: 'direct_report',
    ml: ['5', '5', '5'],
    base: 2,
    comments: {},
  },
  {
    handle: 'stakeholder1',
    name: 'Sigrid Farview',
    email: 'sigrid.farview@raters.example',
    relationship: 'stakeholder',
    ml: ['4', 'na', '2'],
    base: 3,
    comments: {},
  },
]
for (const p of plan) {
  p.comments = { 'technical-depth': `comment-by-${p.handle}` }
  if (p.relationship === 'manager') p.comments['business-acumen'] = `second-comment-by-${p.handle}`
}
const shownHandles = plan.filter((p) => p.relationship === 'manager' || p.relationship === 'peer').map((p) => p.handle)
const hiddenHandles = plan
  .filter((p) => p.relationship === 'direct_report' || p.relationship === 'stakeholder')
  .map((p) => p.handle)

/** Scores on capabilities other than ml-fundamentals: the rater's base, moved by the capability's position. */
const offsets = [0, -1, 1, 0, -1]
function scoreOf(p: Planned, statementId: string): string {
  const i = ML.indexOf(statementId)
  if (i >= 0) return p.ml[i]!
  const capIndex = getFramework().capabilities.findIndex((c) => c.behaviours.some((b) => b.id === statementId))
  return String(Math.min(5, Math.max(1, p.base + offsets[capIndex % offsets.length]!)))
}

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, admin: Viewer, mentor: Viewer, otherMentor: Viewer, cand: Viewer, otherCand: Viewer
let cycleId: number
const raterIds: number[] = []
let beforeClose: Awaited<ReturnType<typeof call>>

type ReadyData = Extract<Awaited<ReturnType<typeof reportLoader>>, { ready: true }>
const loadReport = (cookie: string, id: number | string = cycleId) =>
  call(() => reportLoader(args(request(`/cycles/${id}/report`, { cookie }), { cycleId: String(id) })))
const postReport = (cookie: string, form: Record<string, string>) =>
  call(() => reportAction(args(request(`/cycles/${cycleId}/report`, { cookie, form }), { cycleId: String(cycleId) })))

/** Every object key anywhere in a JSON value. */
function keysDeep(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, into)
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k)
      keysDeep(v, into)
    }
  return into
}

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Harriet HR' })
  admin = await loggedIn({ roles: ['admin'], name: 'Ansel Admin' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Marta Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Osric Othermentor' })
  cand = await loggedIn({
    roles: ['candidate'],
    name: 'Carmen Candidate',
    candidate: { mentorId: mentor.id, stage: 'low-risk-pod-leadership' },
  })
  otherCand = await loggedIn({
    roles: ['candidate'],
    name: 'Cedric Othercand',
    candidate: { mentorId: otherMentor.id },
  })

  cycleId = await openCycle(hr.cookie, cand.id)
  for (const p of plan) {
    const id = await nominate(cand.cookie, cycleId, p)
    expect((await decide(mentor.cookie, cycleId, id, 'approve')).status).toBe(302)
    raterIds.push(id)
  }
  expect((await postCycle(mentor.cookie, cycleId, { intent: 'invite' })).status).toBe(302)
  for (const [i, p] of plan.entries()) {
    const browser = await raterBrowser(latestLinkToken(raterIds[i]!))
    const comments = Object.fromEntries(Object.entries(p.comments).map(([d, text]) => [`c:${d}`, text]))
    const res = await postRate(
      browser,
      answerForm((id) => scoreOf(p, id), { ...comments, intent: 'submit' }),
    )
    expect(res.status, p.handle).toBe(302)
  }
  const self = await call(() =>
    selfAction(
      args(
        request(`/cycles/${cycleId}/self`, {
          cookie: cand.cookie,
          form: answerForm((id) => (ML.includes(id) ? '5' : '4'), {
            'c:technical-depth': 'self-comment-by-carmen',
            intent: 'submit',
          }),
        }),
        { cycleId: String(cycleId) },
      ),
    ),
  )
  expect(self.status).toBe(302)

  beforeClose = await loadReport(cand.cookie)
  const closed = await postCycle(mentor.cookie, cycleId, { intent: 'close' })
  expect(closed.status).toBe(302)
  expect(closed.headers.get('Location')).toBe(`/cycles/${cycleId}/report`)
})

describe('the report before the cycle closes', () => {
  it('is not ready and carries no figures or comments', () => {
    expect(beforeClose.status).toBe(200)
    const data = beforeClose.data as Record<string, unknown>
    expect(data).toMatchObject({
      ready: false,
      candidate: { id: cand.id, name: 'Carmen Candidate' },
      cycle: { id: cycleId },
    })
    expect(Object.keys(data).sort()).toEqual(['candidate', 'cycle', 'ready'])
    const json = JSON.stringify(data)
    for (const word of ['report', 'allOthers', 'mean', 'comment-by', 'groupsShown']) expect(json).not.toContain(word)
  })
})

describe('the report of a closed cycle', () => {
  it('is shown to the candidate, their mentor and HR; only the candidate may accept suggestions', async () => {
    for (const [who, cookie, canAccept] of [
      ['candidate', cand.cookie, true],
      ['mentor', mentor.cookie, false],
      ['hr', hr.cookie, false],
    ] as const) {
      const res = await loadReport(cookie)
      expect(res.status, who).toBe(200)
      expect(res.data, who).toMatchObject({ ready: true, canAccept, candidate: { id: cand.id } })
    }
    expect(cycleRow(cycleId)).toMatchObject({ state: 'closed', closedBy: mentor.id })
  })

  it('is refused to another candidate, another mentor and an admin-only user (403)', async () => {
    for (const [who, cookie] of [
      ['other candidate', otherCand.cookie],
      ['other mentor', otherMentor.cookie],
      ['admin', admin.cookie],
    ] as const) {
      expect(await loadReport(cookie), who).toMatchObject({ thrown: true, status: 403 })
    }
    expect(await loadReport(hr.cookie, 'abc')).toMatchObject({ thrown: true, status: 404 })
  })

  it('names no rater, carries no rater ids, and never shows the hidden groups’ comments', async () => {
    for (const cookie of [cand.cookie, mentor.cookie, hr.cookie]) {
      const data = (await loadReport(cookie)).data
      const json = JSON.stringify(data)
      for (const p of plan) {
        expect(json).not.toContain(p.name)
        expect(json).not.toContain(p.name.split(' ')[1]!)
        expect(json).not.toContain(p.email)
      }
      const keys = keysDeep(data)
      for (const id of raterIds) expect(keys.has(String(id)), `key ${id}`).toBe(false)
      for (const k of ['raterKey', 'raterId', 'raterKeys', 'email', 'provenance']) expect(keys.has(k), k).toBe(false)
      for (const h of hiddenHandles) expect(json).not.toContain(`comment-by-${h}`)
      for (const h of shownHandles) expect(json).toContain(`comment-by-${h}`)
    }
  })

  it('shows managers and peers as groups, hides direct reports and stakeholders, and keeps only shown groups’ comments', async () => {
    const { report } = (await loadReport(cand.cookie)).data as ReadyData
    expect(report.groupsShown).toEqual({
      manager: { shown: true, responses: 1 },
      peer: { shown: true, responses: 3 },
      direct_report: { shown: false, responses: null },
      stakeholder: { shown: false, responses: null },
    })
    expect(report.comments.map((c) => c.text).sort()).toEqual(
      [
        'comment-by-manager1',
        'second-comment-by-manager1',
        'comment-by-peer1',
        'comment-by-peer2',
        'comment-by-peer3',
      ].sort(),
    )
    for (const c of report.comments) {
      expect(['manager', 'peer']).toContain(c.relationship)
      expect(Object.keys(c).sort()).toEqual(['domainId', 'relationship', 'text'])
    }
    expect(report.comments.find((c) => c.text === 'second-comment-by-manager1')).toMatchObject({
      relationship: 'manager',
      domainId: 'business-acumen',
    })
    for (const cap of report.capabilities) {
      expect(cap.groups.direct_report, cap.capabilityId).toBeNull()
      expect(cap.groups.stakeholder, cap.capabilityId).toBeNull()
    }
  })

  it('computes ml-fundamentals as by hand: all others include the pooled direct reports and stakeholder', async () => {
    const { report } = (await loadReport(mentor.cookie)).data as ReadyData
    const ml = report.capabilities.find((c) => c.capabilityId === 'ml-fundamentals')!
    // Per rater: mean of their scored statements ("not observed" left out).
    const manager = (4 + 5 + 3) / 3 // 4
    const peers = [(3 + 3 + 3) / 3, (2 + 3 + 4) / 3, (4 + 4 + 5) / 3] // 3, 3, 13/3
    const directReports = [(1 + 2 + 3) / 3, (5 + 5 + 5) / 3] // 2, 5
    const stakeholder = (4 + 2) / 2 // 3 ("not observed" on b2)
    // Each block's mean is coded once (one decimal, decision 0016): manager 4; peers 31 / 9 = 3.44...
    // -> 3.4; the pool of direct reports and stakeholder (2 + 5 + 3) / 3 = 3.33... -> 3.3.
    const peerMean = (peers[0]! + peers[1]! + peers[2]!) / 3
    const poolMean = (directReports[0]! + directReports[1]! + stakeholder) / 3
    expect(peerMean).toBeCloseTo(31 / 9, 12)
    expect(poolMean).toBeCloseTo(10 / 3, 12)
    // All others is the n-weighted mean of the coded blocks, coded again: (4 + 3 * 3.4 + 3 * 3.3) / 7
    // = 24.1 / 7 = 3.44... -> 3.4 (the raw mean 73 / 21 = 3.48 would show 3.5: it is not used).
    expect((manager + 3 * 3.4 + 3 * 3.3) / 7).toBeCloseTo(24.1 / 7, 12)

    expect(ml.allOthers).toEqual({ mean: 3.4, n: 7, censored: null })
    expect(ml.groups.manager).toEqual({ mean: 4, n: 1, censored: null })
    expect(ml.groups.peer).toEqual({ mean: 3.4, n: 3, censored: null })
    expect(ml.coverage).toEqual({ rated: 7, of: 7, notObserved: 0 })
    expect(ml.self).toBe(5)
    expect(ml.target).toBe(3)
    expect(ml.gap).toBe(0.4) // 3.4 - 3
    expect(ml.meetsTarget).toBe(true)
    expect(ml.selfMinusOthers).toBe(1.6) // 5 - 3.4
    expect(ml.flag).toBe('blind-spot')
    expect(ml).not.toHaveProperty('spread')
    expect(report.precision).toBe('coded-1dp')
    expect(report.blindSpots).toContain('ml-fundamentals')
  })

  it('stores one cycle_results row per capability, matching the report', async () => {
    const rows = getDb().select().from(cycleResults).where(eq(cycleResults.cycleId, cycleId)).all()
    expect(rows).toHaveLength(16)
    expect(new Set(rows.map((r) => r.capabilityId))).toEqual(new Set(getFramework().capabilities.map((c) => c.id)))
    const ml = rows.find((r) => r.capabilityId === 'ml-fundamentals')!
    // the rows hold the figures as shown, never finer
    expect(ml).toMatchObject({
      othersN: 7,
      othersMean: 3.4,
      managerMean: 4,
      peerMean: 3.4,
      directReportMean: null,
      stakeholderMean: null,
      self: 5,
      target: 3,
      gap: 0.4,
    })
    for (const r of rows)
      for (const x of [r.self, r.othersMean, r.managerMean, r.peerMean, r.gap])
        if (x !== null) expect(Math.round(x * 10) / 10, r.capabilityId).toBe(x)
    expect(rows.every((r) => r.directReportMean === null && r.stakeholderMean === null && r.othersN === 7)).toBe(true)
  })

  it('is frozen: answers changed in the database after close do not change it', async () => {
    const before = ((await loadReport(hr.cookie)).data as ReadyData).report
    getDb()
      .update(raters)
      .set({
        answersJson: JSON.stringify(Object.fromEntries(ML.map((id) => [id, 1]))),
        commentsJson: JSON.stringify({ 'technical-depth': 'tampered-comment' }),
      })
      .where(eq(raters.cycleId, cycleId))
      .run()
    getDb()
      .update(selfAssessments)
      .set({ answersJson: JSON.stringify({ [ML[0]!]: 1 }) })
      .where(eq(selfAssessments.cycleId, cycleId))
      .run()
    const after = ((await loadReport(hr.cookie)).data as ReadyData).report
    expect(after).toEqual(before)
    expect(JSON.stringify(after)).not.toContain('tampered-comment')
    // Closing again is refused, so nothing can recompute it.
    const again = await postCycle(hr.cookie, cycleId, { intent: 'close' })
    expect(again.status).toBe(409)
    expect(((await loadReport(hr.cookie)).data as ReadyData).report).toEqual(before)
  })

  it('lets the candidate accept a suggested plan item once; other capabilities and other people are refused', async () => {
    const data = (await loadReport(cand.cookie)).data as ReadyData
    const report: Report = data.report
    expect(report.largestGaps.length).toBeGreaterThan(0)
    expect(data.suggestions.map((s) => s.capabilityId)).toEqual(report.largestGaps)
    const capabilityId = report.largestGaps[0]!
    const planCount = () =>
      getDb()
        .select({ n: sql<number>`count(*)` })
        .from(planItems)
        .get()!.n
    const form = { intent: 'accept', capabilityId, action: 'Pair with the ML lead on two model reviews' }

    for (const [who, cookie] of [
      ['mentor', mentor.cookie],
      ['hr', hr.cookie],
    ] as const) {
      expect(await postReport(cookie, form), who).toMatchObject({ thrown: true, status: 403 })
    }
    expect(planCount()).toBe(0)

    const ok = await postReport(cand.cookie, form)
    expect(ok).toMatchObject({ thrown: true, status: 302 })
    expect(ok.headers.get('Location')).toBe(`/cycles/${cycleId}/report#plan`)
    const rows = getDb()
      .select()
      .from(planItems)
      .where(and(eq(planItems.candidateId, cand.id), eq(planItems.cycleId, cycleId)))
      .all()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      capabilityId,
      source: 'assessment',
      status: 'open',
      action: form.action,
      createdBy: cand.id,
    })
    const shown = (await loadReport(cand.cookie)).data as ReadyData
    expect(shown.suggestions.find((s) => s.capabilityId === capabilityId)!.accepted).toBe(true)

    const again = await postReport(cand.cookie, form)
    expect(again.status).toBe(409)
    expect(messageOf(again)).toBe('You have already added this suggestion to your plan.')

    expect(report.largestGaps).not.toContain('ml-fundamentals')
    for (const other of ['ml-fundamentals', 'no-such-capability']) {
      const res = await postReport(cand.cookie, { ...form, capabilityId: other })
      expect(res.status, other).toBe(400)
      expect(messageOf(res), other).toBe('That capability is not one of this report’s suggestions.')
    }
    const short = await postReport(cand.cookie, {
      ...form,
      capabilityId: report.largestGaps[1] ?? capabilityId,
      action: 'do',
    })
    expect(short.status).toBe(400)
    expect(messageOf(short)).toBe('Describe what you will do (at least 5 characters).')
    expect(planCount()).toBe(1)
  })
})

describe('the outbox pages', () => {
  it('list every message for HR and admins, and refuse candidates and mentors', async () => {
    for (const cookie of [hr.cookie, admin.cookie]) {
      const res = await call(() => outboxLoader(args(request('/outbox', { cookie }))))
      expect(res.status).toBe(200)
      const { smtp, messages } = res.data as Awaited<ReturnType<typeof outboxLoader>>
      expect(smtp).toBe(false)
      expect(messages.filter((m) => m.cycleId === cycleId)).toHaveLength(7)
      expect(messages.every((m) => m.status === 'kept')).toBe(true)
      // The list carries no bodies, so no links.
      expect(JSON.stringify(messages)).not.toContain('/r/')
    }
    for (const cookie of [cand.cookie, mentor.cookie]) {
      expect(await call(() => outboxLoader(args(request('/outbox', { cookie }))))).toMatchObject({
        thrown: true,
        status: 403,
      })
    }
  })

  it('show one message to HR and admins with its personal link masked; 403 for others; 404 for an unknown id', async () => {
    const raterId = raterIds[1]!
    const message = getDb().select().from(outbox).where(eq(outbox.raterId, raterId)).get()!
    const load = (cookie: string, id: string) =>
      call(() => messageLoader(args(request(`/outbox/${id}`, { cookie }), { messageId: id })))
    for (const cookie of [hr.cookie, admin.cookie]) {
      const res = await load(cookie, String(message.id))
      expect(res.status).toBe(200)
      expect(res.data).toMatchObject({
        message: { id: message.id, toName: plan[1]!.name, toEmail: plan[1]!.email, status: 'kept' },
      })
      // a delivery log, not a way into the rater's form (decision 0016): the link is masked
      const body = (res.data as { message: { body: string } }).message.body
      expect(body).toContain(plan[1]!.name)
      expect(body).not.toContain(latestLinkToken(raterId))
      expect(body).not.toMatch(/\/r\/[A-Za-z0-9_-]{20,}/)
    }
    for (const cookie of [cand.cookie, mentor.cookie])
      expect(await load(cookie, String(message.id))).toMatchObject({ thrown: true, status: 403 })
    for (const id of ['999999', 'abc', '0'])
      expect(await load(hr.cookie, id), id).toMatchObject({ thrown: true, status: 404 })
  })
})
