import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { stateLabels } from '~/domain/assessment/cycle'
import { hasPermission } from '~/domain/permissions'
import { listCycles, type CycleScope } from '~/models/assessments.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: '360 cycles · STO Pathway' }]

/** The cycles a person may see: all (HR), their mentees' (mentor), their own (candidate). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const scope: CycleScope | null = hasPermission(user, 'read:cycle:any')
    ? { kind: 'all' }
    : hasPermission(user, 'read:cycle:mentee')
      ? { kind: 'mentor', id: user.id }
      : hasPermission(user, 'read:cycle:own')
        ? { kind: 'candidate', id: user.id }
        : null
  if (!scope) throw forbidden()
  const db = getDb()
  // A mentor who is also a candidate sees both their mentees' cycles and their own.
  const rows =
    scope.kind === 'mentor' && hasPermission(user, 'read:cycle:own')
      ? [...listCycles(db, scope), ...listCycles(db, { kind: 'candidate', id: user.id })].sort((a, b) => b.id - a.id)
      : listCycles(db, scope)
  return {
    scope: scope.kind,
    canOpen: hasPermission(user, 'create:cycle:any') || hasPermission(user, 'create:cycle:mentee'),
    cycles: rows.map((c) => ({ ...c, stage: stageName(c.stage), stateLabel: stateLabels[c.state] })),
  }
}

export default function CyclesPage() {
  const { scope, canOpen, cycles } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{scope === 'candidate' ? 'My 360 assessments' : '360 assessment cycles'}</h1>
      {canOpen ? (
        <p>
          <Link className="button" to="/cycles/new">
            Open cycles
          </Link>
        </p>
      ) : null}
      {cycles.length === 0 ? (
        <p>
          {scope === 'candidate'
            ? 'No 360 assessment has been opened for you yet. HR or your mentor opens one.'
            : 'No cycles yet.'}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              {scope === 'candidate' ? null : <th scope="col">Candidate</th>}
              <th scope="col">Status</th>
              <th scope="col">Stage at opening</th>
              <th scope="col">Due</th>
              <th scope="col">Report</th>
            </tr>
          </thead>
          <tbody>
            {cycles.map((c) => (
              <tr key={c.id}>
                {scope === 'candidate' ? null : <td>{c.candidateName}</td>}
                <td>
                  <Link to={`/cycles/${c.id}`}>{c.stateLabel}</Link>
                </td>
                <td>{c.stage}</td>
                <td>{c.dueOn}</td>
                <td>{c.state === 'closed' ? <Link to={`/cycles/${c.id}/report`}>Open report</Link> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
