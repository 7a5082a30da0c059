/**
 * Issue 11's insider solver over the demo organisation: every closed cycle's report, as the report
 * loader hands it to its candidate, their mentor and HR. No block of non-manager raters can be
 * recovered, every figure is at the precision shown, and each viewer gets the same figures. The
 * legacy model (full precision and spread, as before decision 0016) is solved over the same raw
 * answers, so the note can give before/after figures and the test shows the solver bites.
 */
import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { assessmentCycles, raters } from '#db/schema/assessments'
import { candidateProfiles } from '#db/schema/people'
import { seedDemo } from '#db/seed/demo'
import { raterCapabilityScore, type Report } from '~/domain/assessment/scoring'
import { relationships, type Answers, type Relationship } from '~/domain/assessment/types'
import { loader as reportLoader } from '~/routes/cycles.$cycleId.report'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { args } from '../helpers/cycles'
import { call, loggedIn, request } from '../helpers/db'
import { checkCodedModel, checkDomains, solveCoded, solveLegacy, type LegacyCapability } from '../helpers/solver'

type Closed = { id: number; candidateId: number; mentorId: number | null }
let closed: Closed[] = []
let hrCookie = ''

async function cookieOf(personId: number) {
  return (await createSession(personId, getDb())).split(';')[0]!
}

async function reportAs(cookie: string, cycleId: number): Promise<Report> {
  const result = await call(() =>
    reportLoader(args(request(`/cycles/${cycleId}/report`, { cookie }), { cycleId: String(cycleId) })),
  )
  expect(result.status).toBe(200)
  const data = result.data as { ready: boolean; report?: Report }
  expect(data.ready).toBe(true)
  return data.report!
}

/** Every number anywhere in a value, with its path. */
function numbersIn(value: unknown, path = '$'): Array<{ path: string; n: number }> {
  if (typeof value === 'number') return [{ path, n: value }]
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`))
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`))
  return []
}

beforeAll(async () => {
  const db = getDb()
  expect(await seedDemo(db, new Date('2026-11-20T09:00:00Z'))).toBe(true)
  closed = db
    .select({
      id: assessmentCycles.id,
      candidateId: assessmentCycles.candidateId,
      mentorId: candidateProfiles.mentorId,
    })
    .from(assessmentCycles)
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, assessmentCycles.candidateId))
    .where(eq(assessmentCycles.state, 'closed'))
    .all()
  hrCookie = (await loggedIn({ roles: ['hr'] })).cookie
}, 120_000)

describe('insider solver over the demo organisation', () => {
  it('has closed cycles to attack', () => {
    expect(closed.length).toBeGreaterThanOrEqual(12)
  })

  it('recovers no non-manager block from any report; candidate, mentor and HR get the same figures at one decimal', async () => {
    const framework = getFramework()
    const statementsOf = new Map(framework.capabilities.map((c) => [c.id, c.behaviours.length]))
    let blocks = 0
    for (const cycle of closed) {
      const asHr = await reportAs(hrCookie, cycle.id)
      expect(await reportAs(await cookieOf(cycle.candidateId), cycle.id)).toEqual(asHr)
      if (cycle.mentorId) expect(await reportAs(await cookieOf(cycle.mentorId), cycle.id)).toEqual(asHr)
      expect(asHr.precision).toBe('coded-1dp')
      for (const { path, n } of numbersIn(asHr)) {
        const isCount = /\.n$|responses$|coverage\.\w+$/.test(path)
        if (!isCount) expect(Math.round(n * 10) / 10, path).toBe(n)
      }
      expect(checkDomains(asHr)).toEqual([])
      for (const result of asHr.capabilities) {
        expect(checkCodedModel(result, 0.25)).toEqual(
          expect.not.arrayContaining([expect.stringMatching(/unknown|finer|carries/)]),
        )
        for (const b of solveCoded(result, statementsOf.get(result.capabilityId)!)) {
          if (b.attributable) continue
          blocks++
          expect(b.solutions, `cycle ${cycle.id} ${result.capabilityId} ${b.label}`).toBeGreaterThanOrEqual(2)
        }
      }
    }
    console.info(`insider solver, demo, coded reports: 0 of ${blocks} non-manager blocks recovered`)
    expect(blocks).toBeGreaterThan(100)
  })

  it('the legacy figures of the same answers let the solver recover blocks (what the fix removed)', () => {
    const db = getDb()
    const framework = getFramework()
    let recovered = 0
    let total = 0
    for (const cycle of closed) {
      const rows = db
        .select({ relationship: raters.relationship, answersJson: raters.answersJson })
        .from(raters)
        .where(
          sql`${raters.cycleId} = ${cycle.id} and ${raters.submittedAt} is not null and ${raters.revokedAt} is null`,
        )
        .all()
      for (const cap of framework.capabilities) {
        const ids = cap.behaviours.map((b) => b.id)
        const scored = rows.flatMap((r) => {
          const s = raterCapabilityScore(JSON.parse(r.answersJson ?? '{}') as Answers, ids)
          return s === null ? [] : [{ g: r.relationship as Relationship, s }]
        })
        const of = (g: Relationship) => scored.filter((x) => x.g === g).map((x) => x.s)
        const shown = (g: Relationship) => of(g).length >= (g === 'manager' ? 1 : 3)
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
        const groups: LegacyCapability['groups'] = {}
        for (const g of relationships) if (shown(g)) groups[g] = { mean: mean(of(g)), n: of(g).length }
        const pool = relationships.filter((g) => g !== 'manager' && !shown(g)).flatMap(of)
        const all = [...relationships.filter(shown).flatMap(of), ...(pool.length >= 3 ? pool : [])]
        const m = all.length ? mean(all) : 0
        const legacy: LegacyCapability = {
          groups,
          allOthers: all.length ? { mean: m, n: all.length } : null,
          spread: all.length >= 2 ? Math.sqrt(all.reduce((a, x) => a + (x - m) ** 2, 0) / all.length) : null,
        }
        for (const b of solveLegacy(legacy, ids.length)) {
          if (b.attributable) continue
          total++
          if (b.solutions === 1) recovered++
        }
      }
    }
    console.info(`insider solver, demo, legacy figures: ${recovered} of ${total} non-manager blocks recovered`)
    expect(recovered).toBeGreaterThan(0)
  })
})
