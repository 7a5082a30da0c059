import { beforeAll, describe, expect, it } from 'vitest'
import { planItems } from '#db/schema/program'
import { getDb, transaction } from '~/utils/db.server'
import Database from 'better-sqlite3'
import { sessions } from '#db/schema/auth'
import { createPerson } from '~/models/people.server'
import { enroll } from '~/models/enrolment.server'
import { gateFor, gatesFor } from '~/models/gate.server'
import { submitEvidence } from '~/models/milestones.server'
import { getFramework } from '~/utils/content.server'
import { pipelineSummary } from '~/utils/pipeline.server'
import { loggedIn } from '../helpers/db'
import {
  closedCycleWithResults,
  gapsCsv,
  loadGaps,
  loadGapsCsv,
  loadPipeline,
  loadPipelineCsv,
  pipelineCsv,
  readCsvText,
} from '../helpers/pipeline'
import { daysFromToday, enrollVia, milestonesOf, monthsAgo, noonOf, today } from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
type PipelinePage = {
  query: Record<string, unknown>
  search: string
  funnel: Array<{ id: string; name: string; count: number }>
  matrix: Array<{ id: string; name: string; cells: Array<{ stage: string; count: number }> }>
  buckets: Array<{ id: string; label: string; count: number }>
  forecast: Array<{ label: string; expected: number; low: number; high: number }>
  mentorLoad: Array<{ id: number; name: string; mentees: number; pending: number; oldestDays: number }>
  flagged: Array<{ id: number; name: string; flags: string[] }>
  list: Array<{
    id: number
    name: string
    background: string
    stage: string
    mentor: string | null
    track: string
    trackReason: string
    readiness: string
  }>
  total: number
}
type GapsPage = {
  stage: string
  minimum: number
  backgrounds: Array<{
    id: string
    name: string
    candidates: number
    cells: Array<{
      capabilityId: string
      name: string
      candidates: number
      others: number | null
      gap: number | null
      typical: boolean
    }>
    domains: Array<{ domainId: string; others: number | null; gap: number | null }>
    needs: Array<{ capabilityId: string; gap: number | null }>
  }>
}

const PIPELINE_COLUMNS = [
  'name',
  'background',
  'stage',
  'mentor',
  'cohort',
  'enrollment_status',
  'stage_entered_on',
  'active_days_in_stage',
  'track',
  'readiness',
  'readiness_estimate',
  'pending_signoffs',
  'flags',
]
const GAP_COLUMNS = ['background', 'capability', 'typical_gap', 'candidates', 'others_mean', 'gap_to_target', 'note']
const SDS = 'senior-data-scientist'
const TPM = 'technical-product-manager'
const EM = 'engineering-manager'
const RATER_NAMES = ['Zebulon Quillfeather', 'Xanthe Marrowby', 'Quentin Ravelstone']

let hr: Viewer, admin: Viewer, candidateViewer: Viewer, mentorViewer: Viewer
let m1: Viewer, m2: Viewer, m3: Viewer
type Cand = Viewer & { enrolledOn: string; stage: string; background: string; cycleId: number | null }
let ada: Cand, bea: Cand, cyd: Cand, dov: Cand, eve: Cand, fay: Cand

const evidence = { summary: 'What I did, and what it shows about my progress.', links: [], files: [], planItemId: null }

async function candidate(
  name: string,
  opts: {
    background: string
    stage: string
    enrolledOn: string
    mentor: Viewer
    reason?: string
    record?: Parameters<typeof enrollVia>[1]['record']
  },
): Promise<Cand> {
  const person = await loggedIn({
    roles: ['candidate'],
    name,
    candidate: { background: opts.background, joinedOn: opts.enrolledOn },
  })
  enrollVia(hr.id, {
    candidateId: person.id,
    mentorId: opts.mentor.id,
    stageId: opts.stage,
    enrolledOn: opts.enrolledOn,
    reason: opts.reason ?? null,
    record: opts.record,
  })
  return { ...person, enrolledOn: opts.enrolledOn, stage: opts.stage, background: opts.background, cycleId: null }
}

/** "2026-Q1" for an ISO day, computed independently of the app. */
const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`

const page = async (viewer: Viewer, search = '') => {
  const res = await loadPipeline(viewer.cookie, search)
  expect(res.status).toBe(200)
  return res.data as PipelinePage
}
const namesOf = (p: PipelinePage) => p.list.map((c) => c.name)

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Harriet HR' })
  admin = await loggedIn({ roles: ['admin'], name: 'Adam Admin' })
  candidateViewer = await loggedIn({ roles: ['candidate'], name: 'Nina Notenrolled' })
  mentorViewer = await loggedIn({ roles: ['mentor'], name: 'Mo Mentorless' })
  m1 = await loggedIn({ roles: ['mentor'], name: 'Mentor One' })
  m2 = await loggedIn({ roles: ['mentor'], name: 'Mentor Two' })
  m3 = await loggedIn({ roles: ['mentor'], name: 'Mentor Three' })

  // Senior Data Scientists: three with closed 360s.
  ada = await candidate('Ada Shadowfresh', {
    background: SDS,
    stage: 'shadow',
    enrolledOn: daysFromToday(-30),
    mentor: m1,
  })
  bea = await candidate('Bea Assistant', {
    background: SDS,
    stage: 'assistant-sto',
    enrolledOn: daysFromToday(-60),
    mentor: m1,
    reason: 'Prior experience leading a data product.',
    record: { delegatedDomain: 'technical-decisions' },
  })
  cyd = await candidate('Cyd Overdue', { background: SDS, stage: 'shadow', enrolledOn: monthsAgo(8), mentor: m2 })
  // Technical Product Managers: two with closed 360s; Dov's only activity is 70 days old.
  dov = await candidate('Dov Stalled', {
    background: TPM,
    stage: 'shadow',
    enrolledOn: daysFromToday(-100),
    mentor: m2,
  })
  eve = await candidate('Eve Podlead', {
    background: TPM,
    stage: 'low-risk-pod-leadership',
    enrolledOn: daysFromToday(-45),
    mentor: m1,
    reason: 'Led a pod in a previous role for two years.',
    record: { podName: 'Churn pod', riskTier: 'low' },
  })
  // An Engineering Manager enrolled straight into certification: certified.
  fay = await candidate('Fay Certified', {
    background: EM,
    stage: 'full-sto-certification',
    enrolledOn: daysFromToday(-100),
    mentor: m3,
    reason: 'Certified STO at a previous employer.',
    record: { certifiedTiers: ['low'] },
  })

  ada.cycleId = closedCycleWithResults(ada.id, { score: 2, raterNames: RATER_NAMES })
  bea.cycleId = closedCycleWithResults(bea.id, { score: 3, raterNames: RATER_NAMES.map((n) => `${n} Jr`) })
  cyd.cycleId = closedCycleWithResults(cyd.id, { score: 1.5 })
  dov.cycleId = closedCycleWithResults(dov.id, { score: 2.5, closedOn: daysFromToday(-70) })
  eve.cycleId = closedCycleWithResults(eve.id, { score: 3.5 })

  // Pending sign-offs: one of Bea's (today), two of Eve's (one waiting 20 days).
  transaction((tx) => {
    submitEvidence(tx, bea.id, milestonesOf(bea.id, 'assistant-sto')[0]!.id, evidence)
    const [e1, e2] = milestonesOf(eve.id, 'low-risk-pod-leadership')
    submitEvidence(tx, eve.id, e1!.id, evidence, noonOf(daysFromToday(-20)))
    submitEvidence(tx, eve.id, e2!.id, evidence)
  })
})

describe('who may see the pipeline', () => {
  const routes = [
    ['/pipeline', loadPipeline],
    ['/pipeline.csv', loadPipelineCsv],
    ['/pipeline/gaps', loadGaps],
    ['/pipeline/gaps.csv', loadGapsCsv],
  ] as const

  it.each(routes)('%s: HR and admin get 200', async (_path, load) => {
    for (const viewer of [hr, admin]) expect((await load(viewer.cookie)).status).toBe(200)
  })

  it.each(routes)('%s: candidates and mentors get 403', async (_path, load) => {
    for (const viewer of [candidateViewer, mentorViewer, m1])
      expect(await load(viewer.cookie)).toMatchObject({ thrown: true, status: 403 })
  })

  it.each(routes)('%s: anonymous visitors are sent to the login page', async (path, load) => {
    const res = await load(undefined)
    expect(res).toMatchObject({ thrown: true, status: 302 })
    const location = new URL(res.headers.get('Location')!, 'http://localhost')
    expect(location.pathname).toBe('/login')
    expect(location.searchParams.get('redirectTo')).toBe(path)
  })

  it('the CSV exports are CSV downloads that are never cached', async () => {
    for (const res of [await pipelineCsv(hr.cookie), await gapsCsv(hr.cookie)]) {
      expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
      expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".+\.csv"$/)
      expect(res.headers.get('Cache-Control')).toBe('no-store')
    }
    expect((await pipelineCsv(hr.cookie)).headers.get('Content-Disposition')).toBe(
      `attachment; filename="pipeline-${today()}.csv"`,
    )
  })
})

describe('the pipeline dashboard', () => {
  it('lists every enrolled candidate (not the unenrolled) with funnel and background × stage counts', async () => {
    const p = await page(hr)
    expect(p.total).toBe(6)
    expect(namesOf(p)).toEqual([
      'Ada Shadowfresh',
      'Bea Assistant',
      'Cyd Overdue',
      'Dov Stalled',
      'Eve Podlead',
      'Fay Certified',
    ])
    expect(p.funnel.map((f) => [f.id, f.count])).toEqual([
      ['shadow', 3],
      ['assistant-sto', 1],
      ['low-risk-pod-leadership', 1],
      ['full-sto-certification', 1],
    ])
    const cells = (background: string) =>
      Object.fromEntries(p.matrix.find((r) => r.id === background)!.cells.map((c) => [c.stage, c.count]))
    expect(cells(SDS)).toEqual({
      shadow: 2,
      'assistant-sto': 1,
      'low-risk-pod-leadership': 0,
      'full-sto-certification': 0,
    })
    expect(cells(TPM)).toEqual({
      shadow: 1,
      'assistant-sto': 0,
      'low-risk-pod-leadership': 1,
      'full-sto-certification': 0,
    })
    expect(cells(EM)).toEqual({
      shadow: 0,
      'assistant-sto': 0,
      'low-risk-pod-leadership': 0,
      'full-sto-certification': 1,
    })
    // Every cell together is the whole population, each candidate counted once.
    expect(p.matrix.flatMap((r) => r.cells).reduce((s, c) => s + c.count, 0)).toBe(6)
    expect(p.list.find((c) => c.id === fay.id)).toMatchObject({
      stage: 'Full STO Certification',
      track: 'on-track',
      readiness: 'Certified',
      mentor: 'Mentor Three',
    })
  })

  it('filtering by background changes the list and the CSV alike', async () => {
    const p = await page(hr, `?background=${TPM}`)
    expect(p.query).toMatchObject({ background: TPM })
    expect(p.search).toBe(`?background=${TPM}`)
    expect(namesOf(p)).toEqual(['Dov Stalled', 'Eve Podlead'])
    expect(p.list.every((c) => c.background === 'Technical Product Manager')).toBe(true)

    const res = await pipelineCsv(hr.cookie, `?background=${TPM}`)
    expect(res.status).toBe(200)
    const csv = readCsvText(res.text)
    expect(csv.header).toEqual(PIPELINE_COLUMNS)
    expect(csv.rows.map((r) => r.name)).toEqual(['Dov Stalled', 'Eve Podlead'])
    expect(csv.rows[0]).toMatchObject({
      name: 'Dov Stalled',
      background: 'Technical Product Manager',
      stage: 'Shadow',
      mentor: 'Mentor Two',
      cohort: quarterOf(dov.enrolledOn),
      enrollment_status: 'active',
      stage_entered_on: dov.enrolledOn,
      active_days_in_stage: '100',
      track: 'stalled',
      pending_signoffs: '0',
    })
    expect(csv.rows[1]).toMatchObject({
      name: 'Eve Podlead',
      stage: 'Low-Risk Pod Leadership',
      mentor: 'Mentor One',
      pending_signoffs: '2',
      track: 'on-track',
    })

    // Another background gives another list, and the unfiltered CSV has everyone.
    const sds = readCsvText((await pipelineCsv(hr.cookie, `?background=${SDS}`)).text)
    expect(sds.rows.map((r) => r.name)).toEqual(['Ada Shadowfresh', 'Bea Assistant', 'Cyd Overdue'])
    expect(readCsvText((await pipelineCsv(hr.cookie)).text).rows).toHaveLength(6)
  })

  it('filters by stage, mentor and cohort; unknown filter values are ignored', async () => {
    expect(namesOf(await page(hr, '?stage=shadow'))).toEqual(['Ada Shadowfresh', 'Cyd Overdue', 'Dov Stalled'])
    expect(namesOf(await page(hr, `?mentor=${m2.id}`))).toEqual(['Cyd Overdue', 'Dov Stalled'])
    expect(namesOf(await page(hr, `?mentor=${m1.id}&stage=shadow`))).toEqual(['Ada Shadowfresh'])

    const all = [ada, bea, cyd, dov, eve, fay]
    const cohort = quarterOf(cyd.enrolledOn)
    const expected = all.filter((c) => quarterOf(c.enrolledOn) === cohort).map((c) => c.name)
    expect(expected).toContain('Cyd Overdue')
    expect(namesOf(await page(hr, `?cohort=${cohort}`))).toEqual(expected)
    expect(readCsvText((await pipelineCsv(hr.cookie, `?cohort=${cohort}`)).text).rows.map((r) => r.name)).toEqual(
      expected,
    )
    expect(namesOf(await page(hr, '?cohort=1999-Q1'))).toEqual([])

    const ignored = await page(hr, '?background=astronaut&stage=ceo&cohort=2026-Q9&status=sleepy&mentor=abc')
    expect(ignored.search).toBe('')
    expect(ignored.list).toHaveLength(6)
  })

  it('finds the mentor filter by name: one match filters, several are offered, none is said so', async () => {
    const res = await loadPipeline(hr.cookie, '?mentorName=mentor%20two&stage=assistant-sto')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/pipeline?stage=assistant-sto&mentor=${m2.id}`)
    const several = (await page(hr, '?mentorName=Mentor')) as PipelinePage & {
      mentorSearch: { text: string; matches: Array<{ id: number; name: string }> }
    }
    expect(several.mentorSearch.matches.map((m) => m.name)).toEqual(
      expect.arrayContaining(['Mentor One', 'Mentor Two', 'Mentor Three']),
    )
    // "%" and "_" are literal, not LIKE wildcards.
    for (const text of ['nobody-like-this', '%', '_'])
      expect(
        ((await page(hr, `?mentorName=${encodeURIComponent(text)}`)) as typeof several).mentorSearch.matches,
      ).toEqual([])
    const filtered = (await page(hr, `?mentor=${m2.id}`)) as PipelinePage & { mentorName: string | null }
    expect(filtered.mentorName).toBe('Mentor Two')
  })

  it('status=overdue lists only the candidate past the stage maximum, flagged "Overdue"', async () => {
    const p = await page(hr, '?status=overdue')
    expect(namesOf(p)).toEqual(['Cyd Overdue'])
    expect(p.list[0]).toMatchObject({ track: 'overdue', trackReason: 'Past the stage’s maximum window.' })
    const flagged = (await page(hr)).flagged.find((f) => f.id === cyd.id)!
    expect(flagged.flags).toEqual([
      expect.stringMatching(/^Overdue: past the Shadow maximum window since \d{4}-\d{2}-\d{2}\.$/),
    ])

    const csv = readCsvText((await pipelineCsv(hr.cookie, '?status=overdue')).text)
    expect(csv.rows.map((r) => r.name)).toEqual(['Cyd Overdue'])
    expect(csv.rows[0]!.track).toBe('overdue')
    expect(csv.rows[0]!.flags).toMatch(/^Overdue: /)
  })

  it('a candidate with no activity for 60+ days is stalled and flagged', async () => {
    const p = await page(hr, '?status=stalled')
    expect(namesOf(p)).toEqual(['Dov Stalled'])
    expect(p.list[0]!.track).toBe('stalled')
    expect(p.list[0]!.trackReason).toBe(
      `No milestone activity, plan update or assessment for 70 days (since ${daysFromToday(-70)}).`,
    )
    const flagged = (await page(hr)).flagged.find((f) => f.id === dov.id)!
    expect(flagged.flags).toEqual([
      `Stalled: No milestone activity, plan update or assessment for 70 days (since ${daysFromToday(-70)}).`,
    ])
    // Everyone else who is active is on track.
    const onTrack = await page(hr, '?status=on-track')
    expect(namesOf(onTrack)).toEqual(['Ada Shadowfresh', 'Bea Assistant', 'Eve Podlead', 'Fay Certified'])
  })

  it('a sign-off waiting more than two weeks is flagged', async () => {
    const flagged = (await page(hr)).flagged
    expect(flagged.find((f) => f.id === eve.id)!.flags).toEqual(['A sign-off has waited 20 days for the mentor or HR.'])
    expect(flagged.map((f) => f.name).sort()).toEqual(['Cyd Overdue', 'Dov Stalled', 'Eve Podlead'])
  })

  it('mentor load counts mentees and pending sign-offs, busiest first', async () => {
    const p = await page(hr)
    const load = (m: Viewer) => p.mentorLoad.find((x) => x.id === m.id)
    expect(load(m1)).toEqual({ id: m1.id, name: 'Mentor One', mentees: 3, pending: 3, oldestDays: 20 })
    expect(load(m2)).toEqual({ id: m2.id, name: 'Mentor Two', mentees: 2, pending: 0, oldestDays: 0 })
    expect(load(mentorViewer)).toBeUndefined()
    expect(p.mentorLoad[0]!.id).toBe(m1.id)
  })

  it('the forecast covers the rest of this quarter and the next four, each with low <= expected <= high', async () => {
    const { forecast } = await page(hr)
    expect(forecast).toHaveLength(5)
    const [y, m] = [Number(today().slice(0, 4)), Number(today().slice(5, 7))]
    expect(forecast[0]!.label).toBe(`${y} Q${Math.ceil(m / 3)} (rest)`)
    let q = Math.ceil(m / 3)
    let year = y
    for (const row of forecast.slice(1)) {
      q = q === 4 ? 1 : q + 1
      if (q === 1) year++
      expect(row.label).toBe(`${year} Q${q}`)
    }
    for (const row of forecast) {
      expect(row.low).toBeLessThanOrEqual(row.expected + 1e-9)
      expect(row.expected).toBeLessThanOrEqual(row.high + 1e-9)
      expect(row.low).toBeGreaterThanOrEqual(0)
      // Five candidates are still on the path; the certified one is not forecast.
      expect(row.high).toBeLessThanOrEqual(5)
    }
  })

  it('readiness buckets sum to the number of candidates not yet certified', async () => {
    const p = await page(hr)
    expect(p.buckets.map((b) => b.id)).toEqual(['ready-now', 'within-6-months', 'within-12-months', 'later'])
    expect(p.buckets.reduce((s, b) => s + b.count, 0)).toBe(5)
    // Filters narrow the buckets too.
    const tpm = await page(hr, `?background=${TPM}`)
    expect(tpm.buckets.reduce((s, b) => s + b.count, 0)).toBe(2)
    const em = await page(hr, `?background=${EM}`)
    expect(em.buckets.reduce((s, b) => s + b.count, 0)).toBe(0)
  })
})

describe('gaps by background', () => {
  const gapsPage = async (search = '') => {
    const res = await loadGaps(hr.cookie, search)
    expect(res.status).toBe(200)
    return res.data as GapsPage
  }

  it('shows figures for a background with 3 candidates and suppresses one with 2', async () => {
    const p = await gapsPage()
    expect(p.minimum).toBe(3)
    const sds = p.backgrounds.find((b) => b.id === SDS)!
    const tpm = p.backgrounds.find((b) => b.id === TPM)!
    const em = p.backgrounds.find((b) => b.id === EM)!
    expect(sds.candidates).toBe(3)
    // Others: Ada 2, Bea 3, Cyd 1.5. Targets: Shadow 2 (Ada, Cyd), Assistant STO 3 (2 for financial literacy and market awareness).
    const ml = sds.cells.find((c) => c.capabilityId === 'ml-fundamentals')!
    expect(ml.candidates).toBe(3)
    expect(ml.others).toBeCloseTo((2 + 3 + 1.5) / 3, 9)
    expect(ml.gap).toBeCloseTo((0 + 0 - 0.5) / 3, 9)
    expect(sds.cells.find((c) => c.capabilityId === 'financial-literacy')!.gap).toBeCloseTo((0 + 1 - 0.5) / 3, 9)
    expect(sds.cells.every((c) => c.others !== null && c.gap !== null)).toBe(true)
    expect(sds.needs.length).toBeGreaterThan(0)
    expect(sds.needs.every((n) => n.gap! < 0)).toBe(true)
    expect(sds.domains.every((d) => d.others !== null)).toBe(true)

    expect(tpm.candidates).toBe(2)
    expect(tpm.cells.every((c) => c.candidates === 2 && c.others === null && c.gap === null)).toBe(true)
    expect(tpm.domains.every((d) => d.others === null && d.gap === null)).toBe(true)
    expect(tpm.needs).toEqual([])
    expect(em.candidates).toBe(0)
    expect(em.cells.every((c) => c.others === null)).toBe(true)
  })

  it('the stage filter narrows to candidates currently at that stage (and suppresses below 3)', async () => {
    const shadow = await gapsPage('?stage=shadow')
    expect(shadow.stage).toBe('shadow')
    const sds = shadow.backgrounds.find((b) => b.id === SDS)!
    // Ada and Cyd only.
    expect(sds.candidates).toBe(2)
    expect(sds.cells.every((c) => c.others === null)).toBe(true)
    expect((await gapsPage('?stage=nonsense')).stage).toBe('')
  })

  it('the CSV shows the figures, and an empty figure with the reason when suppressed', async () => {
    const res = await gapsCsv(hr.cookie)
    expect(res.status).toBe(200)
    const csv = readCsvText(res.text)
    expect(csv.header).toEqual(GAP_COLUMNS)
    const row = (background: string, capability: string) =>
      csv.rows.find((r) => r.background === background && r.capability === capability)!
    expect(row('Senior Data Scientist', 'Financial Literacy')).toEqual({
      background: 'Senior Data Scientist',
      capability: 'Financial Literacy',
      typical_gap: 'no',
      candidates: '3',
      others_mean: ((2 + 3 + 1.5) / 3).toFixed(2),
      gap_to_target: ((0 + 1 - 0.5) / 3).toFixed(2),
      note: '',
    })
    expect(row('Senior Data Scientist', 'Talent Development')).toMatchObject({
      typical_gap: 'yes',
      candidates: '3',
      others_mean: '2.17',
    })
    expect(row('Technical Product Manager', 'ML Fundamentals')).toEqual({
      background: 'Technical Product Manager',
      capability: 'ML Fundamentals',
      typical_gap: 'yes',
      candidates: '2',
      others_mean: '',
      gap_to_target: '',
      note: 'fewer than 3 candidates',
    })
    const tpmRows = csv.rows.filter((r) => r.background === 'Technical Product Manager')
    expect(tpmRows.length).toBeGreaterThan(0)
    expect(tpmRows.every((r) => r.others_mean === '' && r.note === 'fewer than 3 candidates')).toBe(true)
    expect(
      csv.rows
        .filter((r) => r.background === 'Senior Data Scientist')
        .every((r) => r.note === '' && r.others_mean !== ''),
    ).toBe(true)
  })

  // csv-stringify escapes text starting with '-' as a formula: gaps must be passed as numbers.
  it('a gap below target is a plain negative number in the CSV', async () => {
    const csv = readCsvText((await gapsCsv(hr.cookie)).text)
    const ml = csv.rows.find((r) => r.background === 'Senior Data Scientist' && r.capability === 'ML Fundamentals')!
    expect(ml).toMatchObject({ candidates: '3', others_mean: ((2 + 3 + 1.5) / 3).toFixed(2), note: '' })
    expect(ml.gap_to_target).toBe((-0.5 / 3).toFixed(2))
    expect(Number(ml.gap_to_target)).toBeCloseTo(-0.17, 9)
  })

  it('neither the gaps page nor its CSV carries rater names or cycle ids', async () => {
    const data = await gapsPage()
    const json = JSON.stringify(data)
    const csvText = (await gapsCsv(hr.cookie)).text
    for (const name of [...RATER_NAMES, 'raters.example']) {
      expect(json).not.toContain(name.split(' ')[0]!)
      expect(csvText).not.toContain(name.split(' ')[0]!)
    }
    const keys = new Set<string>()
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          keys.add(k)
          walk(x)
        }
    }
    walk(data)
    expect([...keys].filter((k) => /cycle|rater|email|person|candidateId/i.test(k))).toEqual([])
    // No figure is keyed by or equal to a cycle id of these candidates either.
    expect(json).not.toMatch(
      new RegExp(`"(cycleId|cycle_id|id)":(${[ada, bea, cyd, dov, eve].map((c) => c.cycleId).join('|')})[,}]`),
    )
  })
})

describe('activity', () => {
  // Last: it changes Dov's standing.
  it('a plan update ends a stall', async () => {
    getDb()
      .insert(planItems)
      .values({
        candidateId: dov.id,
        capabilityId: 'ml-fundamentals',
        source: 'own',
        action: 'Pair with a data scientist weekly.',
        status: 'open',
        createdAt: new Date().toISOString(),
        createdBy: dov.id,
      })
      .run()
    const p = await page(hr)
    expect(p.list.find((c) => c.id === dov.id)).toMatchObject({
      track: 'on-track',
      trackReason: 'Active within the last 0 days.',
    })
    expect(p.flagged.find((f) => f.id === dov.id)).toBeUndefined()
    expect(namesOf(await page(hr, '?status=stalled'))).toEqual([])
  })
})

describe('at scale', () => {
  it('the batch gate of the pipeline equals each candidate’s own gate', () => {
    const fw = getFramework()
    const everyone = [ada, bea, cyd, dov, eve, fay, candidateViewer].map((c) => c.id)
    const batch = gatesFor(getDb(), everyone, fw, today())
    const one = everyone
      .map((id) => [id, gateFor(getDb(), id, fw, null, today())] as const)
      .filter(([, g]) => g !== null)
    expect([...batch.keys()].sort()).toEqual(one.map(([id]) => id).sort())
    for (const [id, g] of one) expect(batch.get(id)?.result, `candidate ${id}`).toEqual(g!.result)
    // Not a vacuous comparison: the fixture has gates in different states.
    expect(new Set(one.map(([, g]) => JSON.stringify(g!.result.conditions.map((c) => c.met)))).size).toBeGreaterThan(1)
  })

  it('keeps the summary until a pipeline table changes, from this connection or another', () => {
    const fw = getFramework()
    const first = pipelineSummary(getDb(), fw, {}, today())
    expect(pipelineSummary(getDb(), fw, {}, today())).toBe(first)
    // Sessions, raters and logins do not touch the pipeline's tables.
    getDb().update(sessions).set({ lastSeenAt: Date.now() }).run()
    expect(pipelineSummary(getDb(), fw, {}, today())).toBe(first)
    expect(pipelineSummary(getDb(), fw, {}, daysFromToday(1))).not.toBe(first)

    const other = new Database(process.env.DATABASE_PATH!)
    try {
      other.prepare("update people set name = 'Ada Renamed' where id = ?").run(ada.id)
    } finally {
      other.close()
    }
    const fresh = pipelineSummary(getDb(), fw, {}, today())
    expect(fresh).not.toBe(first)
    expect(fresh.candidates.find((c) => c.id === ada.id)?.name).toBe('Ada Renamed')
  })

  it('lists 50 candidates a page, with the rest a page further; a bad page number shows the nearest page', async () => {
    const fw = getFramework()
    transaction((tx) => {
      for (let i = 0; i < 60; i++) {
        const id = createPerson(tx, hr.id, {
          name: `Paged Candidate ${String(i).padStart(2, '0')}`,
          email: `paged${i}@example.com`,
          roles: ['candidate'],
          passwordHash: null,
          candidate: { background: EM, stage: 'shadow', mentorId: m3.id, joinedOn: today() },
        })
        enroll(
          tx,
          hr.id,
          { candidateId: id, stageId: 'shadow', enrolledOn: today(), reason: null, mentorId: m3.id, record: {} },
          fw,
        )
      }
    })
    const first = (await page(hr, `?background=${EM}`)) as PipelinePage & {
      page: number
      pages: number
      matching: number
    }
    expect(first.matching).toBeGreaterThanOrEqual(60)
    expect(first.list).toHaveLength(50)
    expect(first).toMatchObject({ page: 1, pages: Math.ceil(first.matching / 50) })
    const second = (await page(hr, `?background=${EM}&page=2`)) as typeof first
    expect(second.list).toHaveLength(first.matching - 50)
    expect(new Set([...namesOf(first), ...namesOf(second)]).size).toBe(first.matching)
    expect(((await page(hr, `?background=${EM}&page=99`)) as typeof first).page).toBe(2)
    expect(((await page(hr, `?background=${EM}&page=abc`)) as typeof first).page).toBe(1)
    const csv = readCsvText((await pipelineCsv(hr.cookie, `?background=${EM}`)).text)
    expect(csv.rows).toHaveLength(first.matching)
  })
})
