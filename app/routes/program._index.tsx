import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { activeDays, dayAfterActiveMonths, describeDays } from '~/domain/program/dates'
import { hasPermission } from '~/domain/permissions'
import { pausesOf, programRoster } from '~/models/program.server'
import { pendingSignoffCounts } from '~/models/queues.server'
import { requireUser } from '~/utils/auth.server'
import { findStage } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'
import { today } from '~/utils/program.server'

export const meta: MetaFunction = () => [{ title: 'Program · STO Pathway' }]

/** HR: every enrolled candidate; a mentor: their mentees; a candidate: their own timeline. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const seesAll = hasPermission(user, 'read:program:any')
  const seesMentees = hasPermission(user, 'read:program:mentee')
  if (!seesAll && !seesMentees) {
    if (hasPermission(user, 'read:program:own')) throw redirect(`/program/${user.id}`)
    throw forbidden()
  }
  const db = getDb()
  const roster = programRoster(db, seesAll ? {} : { mentorId: user.id })
  const pauseRows = pausesOf(
    db,
    roster.map((r) => r.enrollmentId),
  )
  const pending = pendingSignoffCounts(
    db,
    roster.map((r) => r.candidateId),
  )
  const day = today()
  return {
    scope: seesAll ? ('all' as const) : ('mentees' as const),
    rows: roster.map((r) => {
      const stage = findStage(r.stage)
      const ps = pauseRows
        .filter((p) => p.enrollmentId === r.enrollmentId && p.startedOn >= r.enteredOn)
        .map((p) => ({ startedOn: p.startedOn, endedOn: p.endedOn }))
      const max = stage?.window?.maxMonths ?? null
      const overdue = max !== null && dayAfterActiveMonths(r.enteredOn, max, ps, day) < day
      return {
        candidateId: r.candidateId,
        name: r.name,
        status: r.status,
        stage: stageName(r.stage),
        background: backgroundName(r.background),
        enteredOn: r.enteredOn,
        timeInStage: describeDays(activeDays(r.enteredOn, ps, day)),
        window: stage?.window
          ? stage.window.maxMonths === null
            ? `${stage.window.minMonths}+ months`
            : `${stage.window.minMonths}–${stage.window.maxMonths} months`
          : '—',
        overdue,
        pendingSignoffs: pending.get(r.candidateId) ?? 0,
      }
    }),
  }
}

export default function ProgramRosterPage() {
  const { scope, rows } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{scope === 'all' ? 'Development program' : 'My mentees’ program'}</h1>
      {rows.length === 0 ? (
        <p>No enrolled candidates.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Stage</th>
              <th scope="col">Time in stage (active)</th>
              <th scope="col">Window</th>
              <th scope="col">Status</th>
              <th scope="col">Pending sign-offs</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.candidateId}>
                <td>
                  <Link to={`/program/${r.candidateId}`}>{r.name}</Link> <span className="muted">{r.background}</span>
                </td>
                <td>{r.stage}</td>
                <td>
                  {r.timeInStage} <span className="muted">since {r.enteredOn}</span>
                </td>
                <td>{r.window}</td>
                <td>
                  {r.status === 'paused' ? <span className="badge">paused</span> : 'active'}
                  {r.overdue ? <span className="badge inactive">overdue</span> : null}
                </td>
                <td>{r.pendingSignoffs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
