import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/models/audit.server'
import { personExport } from '~/models/privacy-export.server'
import { requireUser } from '~/utils/auth.server'
import { transaction } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { notFound, requirePermission } from '~/utils/permissions.server'

/**
 * A data-access request: everything stored about one person as one JSON download (a resource
 * route: no page). Reading and recording the export share one transaction, so every export that
 * leaves the server is in the audit log, and the file matches one moment of the database.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'export:person:any')
  const id = parseId(params.personId)
  const now = new Date()
  const body = transaction((tx) => {
    const exported = id === null ? null : personExport(tx, id, now)
    if (exported)
      recordAudit(
        tx,
        { actorId: user.id, action: 'privacy.export', entityType: 'person', entityId: exported.person.id },
        now,
      )
    return exported
  })
  if (!body) throw notFound('There is no person with that id.')
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="person-${body.person.id}-export-${now.toISOString().slice(0, 10)}.json"`,
      // Confidential: never kept by a browser or proxy cache.
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
