/** Pipeline filters live in the URL (bookmarkable, shareable); unknown values are ignored, not errors. */
import { z } from 'zod'
import type { PipelineFilter } from '~/models/pipeline.server'
import { getFramework } from './content.server'
import { idField } from '~/domain/forms'

const schema = z.object({
  background: z.string().max(64).optional().catch(undefined),
  stage: z.string().max(64).optional().catch(undefined),
  mentor: idField().optional().catch(undefined),
  cohort: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/)
    .optional()
    .catch(undefined),
  status: z.enum(['on-track', 'overdue', 'stalled']).optional().catch(undefined),
})

export type PipelineQuery = PipelineFilter & { status?: 'on-track' | 'overdue' | 'stalled' }

export function parsePipelineQuery(url: URL): PipelineQuery {
  const raw = schema.parse(Object.fromEntries(url.searchParams))
  const fw = getFramework()
  return {
    background: fw.backgrounds.some((b) => b.id === raw.background) ? raw.background : undefined,
    stage: fw.stages.some((s) => s.id === raw.stage) ? raw.stage : undefined,
    mentorId: raw.mentor,
    cohort: raw.cohort,
    status: raw.status,
  }
}

export function pipelineSearch(q: PipelineQuery): string {
  const p = new URLSearchParams()
  if (q.background) p.set('background', q.background)
  if (q.stage) p.set('stage', q.stage)
  if (q.mentorId) p.set('mentor', String(q.mentorId))
  if (q.cohort) p.set('cohort', q.cohort)
  if (q.status) p.set('status', q.status)
  const s = p.toString()
  return s ? `?${s}` : ''
}
