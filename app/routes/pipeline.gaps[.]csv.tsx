import type { LoaderFunctionArgs } from '@remix-run/node'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { summarizeGaps } from '~/domain/pipeline/gaps'
import { MIN_CANDIDATES_FOR_AGGREGATE } from '~/domain/pipeline/signals'
import { requireUser } from '~/utils/auth.server'
import { gapRows } from '~/utils/pipeline.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { requirePermission } from '~/utils/permissions.server'

/** The background gap table as CSV (suppressed figures stay empty, with the reason). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:pipeline:any')
  const fw = getFramework()
  const raw = z
    .object({ stage: z.string().max(64).optional().catch(undefined) })
    .parse(Object.fromEntries(new URL(request.url).searchParams))
  const stage = fw.stages.some((s) => s.id === raw.stage) ? raw.stage : undefined
  const backgrounds = summarizeGaps(gapRows(getDb(), stage), fw)
  const rows = backgrounds.flatMap((b) =>
    b.cells.map((c) => [
      b.name,
      c.name,
      c.typical ? 'yes' : 'no',
      c.candidates,
      c.others === null ? '' : Number(c.others.toFixed(2)),
      // Numbers, not strings: a text "-0.17" would be escaped as a formula.
      c.gap === null ? '' : Number(c.gap.toFixed(2)),
      c.others === null
        ? `fewer than ${MIN_CANDIDATES_FOR_AGGREGATE} candidates`
        : c.gap === null
          ? `fewer than ${MIN_CANDIDATES_FOR_AGGREGATE} candidates with a stage target`
          : '',
    ]),
  )
  const csv = stringify(rows, {
    header: true,
    columns: ['background', 'capability', 'typical_gap', 'candidates', 'others_mean', 'gap_to_target', 'note'],
    escape_formulas: true,
  })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="background-gaps${stage ? `-${stage}` : ''}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
