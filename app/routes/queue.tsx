import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { hasPermission } from '~/domain/permissions'
import { advancementQueue, hrSignoffQueue, mentorQueue } from '~/models/program.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Sign-offs and approvals · STO Pathway' }]

const age = (iso: string | null) => (iso ? Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000)) : 0)

/** A mentor's pending sign-offs; HR's sign-offs and advancement approvals. Oldest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const isMentor = hasPermission(user, 'update:milestone:mentee')
  const isHr = hasPermission(user, 'update:advancement:any')
  if (!isMentor && !isHr) throw forbidden()
  const db = getDb()
  return {
    mentor: isMentor ? mentorQueue(db, user.id).map((m) => ({ ...m, stage: stageName(m.stage), days: age(m.since) })) : null,
    hrSignoffs: isHr ? hrSignoffQueue(db).map((m) => ({ ...m, stage: stageName(m.stage), days: age(m.since), ownMentee: m.mentorId === user.id })) : null,
    advancements: isHr
      ? advancementQueue(db).map((a) => ({ ...a, fromStage: stageName(a.fromStage), toStage: stageName(a.toStage), days: age(a.recommendedAt), ownMentee: a.mentorId === user.id }))
      : null,
  }
}

export default function QueuePage() {
  const { mentor, hrSignoffs, advancements } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Sign-offs and approvals</h1>
      {mentor ? (
        <section className="card" aria-labelledby="mentor-queue">
          <h2 id="mentor-queue">Waiting for your sign-off</h2>
          {mentor.length === 0 ? (
            <p>Nothing is waiting for you.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Milestone</th>
                  <th scope="col">Candidate</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Waiting</th>
                </tr>
              </thead>
              <tbody>
                {mentor.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/milestones/${m.id}`}>{m.title}</Link>
                    </td>
                    <td>{m.candidateName}</td>
                    <td>{m.stage}</td>
                    <td>{m.days} days</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {advancements ? (
        <section className="card" aria-labelledby="advancement-queue">
          <h2 id="advancement-queue">Advancements waiting for approval</h2>
          {advancements.length === 0 ? (
            <p>No recommendations are waiting.</p>
          ) : (
            <ul>
              {advancements.map((a) => (
                <li key={a.id}>
                  <Link to={`/program/${a.candidateId}/gate`}>{a.candidateName}</Link>: {a.fromStage} → {a.toStage}, recommended {a.days} days ago
                  {a.ownMentee ? ' (your mentee: another HR person must approve)' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {hrSignoffs ? (
        <section className="card" aria-labelledby="hr-queue">
          <h2 id="hr-queue">Milestones waiting for an HR sign-off</h2>
          {hrSignoffs.length === 0 ? (
            <p>Nothing is waiting.</p>
          ) : (
            <ul>
              {hrSignoffs.map((m) => (
                <li key={m.id}>
                  <Link to={`/milestones/${m.id}`}>{m.title}</Link> — {m.candidateName}, {m.stage}, waiting {m.days} days
                  {m.ownMentee ? ' (your mentee: another HR person must sign)' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  )
}
