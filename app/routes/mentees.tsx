import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listMentees } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'My mentees · STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:profile:mentee')
  const mentees = listMentees(getDb(), user.id).map((m) => ({
    ...m,
    background: backgroundName(m.background),
    stage: stageName(m.stage),
  }))
  return { mentees }
}

export default function MenteesPage() {
  const { mentees } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>My mentees</h1>
      {mentees.length === 0 ? (
        <p>No candidates are assigned to you yet. HR or an administrator assigns mentors.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Background</th>
              <th scope="col">Stage</th>
              <th scope="col">Joined</th>
            </tr>
          </thead>
          <tbody>
            {mentees.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/candidates/${m.id}`}>{m.name}</Link>
                </td>
                <td>{m.background}</td>
                <td>{m.stage}</td>
                <td>{m.joinedOn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
