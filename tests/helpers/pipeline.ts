/**
 * Fixtures for pipeline and people-import integration tests: closed 360s written directly with
 * frozen per-capability results (others' mean, the stage target and the gap, as the close writes
 * them) and named raters, wrappers around the pipeline loaders, and a CSV reader for the exports.
 */
import { parse } from 'csv-parse/sync'
import { assessmentCycles, cycleResults, raters } from '#db/schema/assessments'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { loader as gapsCsvLoader } from '~/routes/pipeline.gaps[.]csv'
import { loader as gapsLoader } from '~/routes/pipeline.gaps'
import { loader as pipelineLoader } from '~/routes/pipeline._index'
import { loader as pipelineCsvLoader } from '~/routes/pipeline[.]csv'
import { getFramework } from '~/utils/content.server'
import { transaction } from '~/utils/db.server'
import { call, request } from './db'
import { args, daysFromToday, profileOf } from './program'

/**
 * A closed 360 of the candidate at their current stage, written directly: others' mean `score` for
 * every capability (or as in `overrides`), with the stage's exit target and the gap to it frozen
 * per capability, and `raterNames` as approved raters of the cycle. Returns the cycle id.
 */
export function closedCycleWithResults(
  candidateId: number,
  opts: { score: number; overrides?: Record<string, number | null>; closedOn?: string; raterNames?: string[] },
) {
  const fw = getFramework()
  const stageId = profileOf(candidateId).stage
  const targets = fw.stages.find((s) => s.id === stageId)?.exitTarget?.targets ?? {}
  const closedOn = opts.closedOn ?? daysFromToday(-7)
  return transaction((db) => {
    const { id } = db
      .insert(assessmentCycles)
      .values({
        candidateId,
        frameworkVersion: frameworkVersionOf(fw),
        stage: stageId,
        state: 'closed',
        dueOn: closedOn,
        openedAt: `${closedOn}T08:00:00.000Z`,
        closedAt: `${closedOn}T23:59:59.000Z`,
      })
      .returning({ id: assessmentCycles.id })
      .get()
    for (const c of fw.capabilities) {
      const others = opts.overrides && c.id in opts.overrides ? opts.overrides[c.id]! : opts.score
      const target = targets[c.id] ?? null
      db.insert(cycleResults)
        .values({
          cycleId: id,
          capabilityId: c.id,
          self: opts.score,
          othersMean: others,
          othersN: others === null ? 0 : 5,
          target,
          gap: others === null || target === null ? null : others - target,
        })
        .run()
    }
    ;(opts.raterNames ?? []).forEach((name, i) => {
      db.insert(raters)
        .values({
          cycleId: id,
          name,
          email: `rater-${id}-${i}@raters.example`,
          relationship: i === 0 ? 'manager' : 'peer',
          status: 'approved',
          nominatedAt: `${closedOn}T08:00:00.000Z`,
          submittedAt: `${closedOn}T12:00:00.000Z`,
        })
        .run()
    })
    return id
  })
}

// Pipeline routes.

export const loadPipeline = (cookie: string | undefined, search = '') =>
  call(() => pipelineLoader(args(request(`/pipeline${search}`, { cookie }))))
export const loadPipelineCsv = (cookie: string | undefined, search = '') =>
  call(() => pipelineCsvLoader(args(request(`/pipeline.csv${search}`, { cookie }))))
export const loadGaps = (cookie: string | undefined, search = '') =>
  call(() => gapsLoader(args(request(`/pipeline/gaps${search}`, { cookie }))))
export const loadGapsCsv = (cookie: string | undefined, search = '') =>
  call(() => gapsCsvLoader(args(request(`/pipeline/gaps.csv${search}`, { cookie }))))

/** A route's Response (returned or thrown) as it reaches the client: status, headers and body text. */
export async function fetchText(fn: () => Promise<unknown> | unknown) {
  let value: unknown
  try {
    value = await fn()
  } catch (thrown) {
    value = thrown
  }
  if (!(value instanceof Response)) throw new Error(`expected a Response, got ${JSON.stringify(value)}`)
  return { status: value.status, headers: value.headers, text: value.status === 200 ? await value.text() : '' }
}
export const pipelineCsv = (cookie: string, search = '') =>
  fetchText(() => pipelineCsvLoader(args(request(`/pipeline.csv${search}`, { cookie }))))
export const gapsCsv = (cookie: string, search = '') =>
  fetchText(() => gapsCsvLoader(args(request(`/pipeline/gaps.csv${search}`, { cookie }))))

/** CSV text as objects keyed by the header, plus the header itself. */
export function readCsvText(text: string) {
  const rows = parse(text, { bom: true }) as string[][]
  const [header = [], ...body] = rows
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) }
}
