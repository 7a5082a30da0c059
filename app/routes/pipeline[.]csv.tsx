import type { LoaderFunctionArgs } from '@remix-run/node'
import { stringify } from 'csv-stringify/sync'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { parsePipelineQuery } from '~/utils/pipeline-filter.server'
import { pipelineSummary } from '~/utils/pipeline.server'
import { requirePermission } from '~/utils/permissions.server'
import { today } from '~/utils/program.server'

/** The pipeline list as CSV, with the page's filters applied. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:pipeline:any')
  const query = parsePipelineQuery(new URL(request.url))
  const fw = getFramework()
  const day = today()
  const { candidates } = pipelineSummary(getDb(), fw, query, day)
  const rows = candidates.filter((c) => !query.status || c.track === query.status)
  const csv = stringify(
    rows.map((c) => [
      c.name,
      c.backgroundName,
      c.stageName,
      c.mentorName ?? '',
      c.cohort,
      c.status,
      c.enteredOn,
      c.activeDays,
      c.track,
      c.readinessLabel,
      c.readinessEstimate ?? '',
      c.pendingSignoffs,
      c.flags.join(' '),
    ]),
    {
      header: true,
      columns: [
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
      ],
      escape_formulas: true,
    },
  )
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="pipeline-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
