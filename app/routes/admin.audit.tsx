import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { recentAudit, verifyAuditLog } from '~/models/audit.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Audit log · STO Pathway' }]

/** The audit chain's verdict and the latest entries (admins only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:audit:any')
  const db = getDb()
  return {
    verdict: verifyAuditLog(db),
    entries: recentAudit(db, 100).map((e) => ({
      id: e.id,
      at: e.at,
      actorId: e.actorId,
      action: e.action,
      entity: `${e.entityType} ${e.entityId}`,
      after: e.after,
    })),
  }
}

export default function AuditPage() {
  const { verdict, entries } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Audit log</h1>
      <p className={verdict.intact ? 'notice' : 'form-error'} role="status">
        {verdict.intact
          ? `Chain intact (${verdict.entries} entries).`
          : `Chain broken at entry ${verdict.brokenAtId}: ${verdict.reason}.`}
      </p>
      <table>
        <caption className="sr-only">Latest 100 entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.id}</td>
              <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
              <td>{e.actorId ?? 'system'}</td>
              <td>{e.action}</td>
              <td>{e.entity}</td>
              <td>
                <code style={{ fontSize: '0.8rem', wordBreak: 'break-all' }}>{e.after ?? ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
