import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { hasPermission } from '~/domain/permissions'
import { canApprove, canConfirmEnrolment, canSignOff, type Right } from '~/domain/program/rights'
import { listPendingProposals } from '~/models/enrolment.server'
import { advancementQueue, hrSignoffQueue, mentorQueue } from '~/models/queues.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Sign-offs and approvals · STO Pathway' }]

const age = (iso: string | null) =>
  iso ? Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000)) : 0

/** Why the viewer cannot act on an item (another HR person must), or null when they can. */
const blockedBy = (right: Right) => (right.ok ? null : right.reason)

/**
 * A mentor's pending sign-offs; HR's sign-offs, advancement approvals and later-stage enrolments to
 * confirm. Oldest first. Each HR item says, by the same predicate the action uses, whether this
 * viewer may decide it or why another HR person must.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const isMentor = hasPermission(user, 'update:milestone:mentee')
  const isHr = hasPermission(user, 'update:advancement:any')
  if (!isMentor && !isHr) throw forbidden()
  const db = getDb()
  return {
    mentor: isMentor
      ? mentorQueue(db, user.id).map((m) => ({ ...m, stage: stageName(m.stage), days: age(m.since) }))
      : null,
    hrSignoffs: isHr
      ? hrSignoffQueue(db).map((m) => ({
          id: m.id,
          title: m.title,
          candidateId: m.candidateId,
          candidateName: m.candidateName,
          stage: stageName(m.stage),
          days: age(m.since),
          blocked: blockedBy(canSignOff(user, { candidateId: m.candidateId, mentorId: m.mentorId, step: 'hr' })),
        }))
      : null,
    advancements: isHr
      ? advancementQueue(db).map((a) => ({
          id: a.id,
          candidateId: a.candidateId,
          candidateName: a.candidateName,
          fromStage: stageName(a.fromStage),
          toStage: stageName(a.toStage),
          days: age(a.recommendedAt),
          blocked: blockedBy(
            canApprove(user, {
              candidateId: a.candidateId,
              mentorId: a.mentorId,
              status: a.status,
              recommendedBy: a.recommendedBy,
            }),
          ),
        }))
      : null,
    enrolments: isHr
      ? listPendingProposals(db).map((p) => ({
          id: p.proposal.id,
          candidateId: p.proposal.candidateId,
          candidateName: p.candidateName,
          stage: stageName(p.proposal.stage),
          proposedBy: p.proposedByName,
          days: age(p.proposal.proposedAt),
          blocked: blockedBy(
            canConfirmEnrolment(user, {
              candidateId: p.proposal.candidateId,
              proposedBy: p.proposal.proposedBy,
              mentorId: p.proposal.mentorId,
              pending: true,
              enrolled: false,
            }),
          ),
        }))
      : null,
  }
}

export default function QueuePage() {
  const { mentor, hrSignoffs, advancements, enrolments } = useLoaderData<typeof loader>()
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
                  <Link to={`/program/${a.candidateId}/gate`}>{a.candidateName}</Link>: {a.fromStage} → {a.toStage},
                  recommended {a.days} days ago
                  {a.blocked ? <span className="muted"> — {a.blocked}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {enrolments ? (
        <section className="card" aria-labelledby="enrolment-queue">
          <h2 id="enrolment-queue">Enrolments beyond Shadow waiting for confirmation</h2>
          {enrolments.length === 0 ? (
            <p>No proposals are waiting.</p>
          ) : (
            <ul>
              {enrolments.map((p) => (
                <li key={p.id}>
                  <Link to={`/program/${p.candidateId}`}>{p.candidateName}</Link>: start at {p.stage}, proposed by{' '}
                  {p.proposedBy} {p.days} days ago
                  {p.blocked ? <span className="muted"> — {p.blocked}</span> : null}
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
                  <Link to={`/milestones/${m.id}`}>{m.title}</Link> — {m.candidateName}, {m.stage}, waiting {m.days}{' '}
                  days
                  {m.blocked ? <span className="muted"> — {m.blocked}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  )
}
