import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { roleLabels } from '~/domain/navigation'
import { countCyclesByState, latestClosedCycle, openCycleOf } from '~/models/assessments.server'
import { candidateCounts } from '~/models/pipeline.server'
import { pendingApprovalsForMentor } from '~/models/raters.server'
import { advancementQueue, hrSignoffQueue, mentorQueue } from '~/models/queues.server'
import { stateLabels } from '~/domain/assessment/cycle'
import { getCandidateProfile, listMentees, listPeople } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { findBackground, findStage, getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'

export const meta: MetaFunction = () => [{ title: 'Home · STO Pathway' }]

/** One home for everyone: a section per role the person holds, each with what to do next. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const framework = getFramework()
  const has = (role: (typeof user.roles)[number]) => user.roles.includes(role)

  let candidate = null
  if (has('candidate')) {
    const profile = getCandidateProfile(db, user.id)
    if (profile) {
      const stage = findStage(profile.stage)
      const background = findBackground(profile.background)
      candidate = {
        stageName: stage?.name ?? profile.stage,
        stageSummary: stage?.summary ?? '',
        milestones: (stage?.milestones ?? []).filter((m) => m.required).map((m) => ({ id: m.id, title: m.title })),
        backgroundName: background?.name ?? profile.background,
        typicalGap: background?.typicalGap.summary ?? '',
        mentorName: profile.mentorName,
      }
    }
  }
  const openCycle = has('candidate') ? openCycleOf(db, user.id) : null
  const lastReport = has('candidate') ? latestClosedCycle(db, user.id) : null
  const assessments = has('candidate')
    ? {
        open: openCycle ? { id: openCycle.id, state: stateLabels[openCycle.state], dueOn: openCycle.dueOn } : null,
        lastReportId: lastReport?.id ?? null,
      }
    : null
  const approvals = has('mentor') ? pendingApprovalsForMentor(db, user.id) : null
  const cycleCounts = has('hr') ? Object.fromEntries(countCyclesByState(db).map((c) => [c.state, c.n])) : null
  const signoffsWaiting = has('mentor') ? mentorQueue(db, user.id).length : null
  const hrWaiting = has('hr')
    ? { signoffs: hrSignoffQueue(db).length, advancements: advancementQueue(db).length }
    : null

  const mentees = has('mentor')
    ? listMentees(db, user.id).map((m) => ({
        id: m.id,
        name: m.name,
        background: findBackground(m.background)?.name ?? m.background,
        stage: findStage(m.stage)?.name ?? m.stage,
      }))
    : null

  let pipeline = null
  if (has('hr') || has('admin')) {
    const counts = candidateCounts(db)
    pipeline = framework.stages.map((s) => ({
      id: s.id,
      name: s.name,
      count: counts.filter((c) => c.stage === s.id).reduce((n, c) => n + c.count, 0),
    }))
  }

  const admin = has('admin')
    ? (() => {
        const everyone = listPeople(db)
        return { people: everyone.length, inactive: everyone.filter((p) => !p.active).length }
      })()
    : null

  return {
    user: { id: user.id, name: user.name, roles: user.roles },
    candidate,
    assessments,
    approvals,
    cycleCounts,
    signoffsWaiting,
    hrWaiting,
    mentees,
    pipeline,
    admin,
  }
}

export default function HomePage() {
  const { user, candidate, assessments, approvals, cycleCounts, signoffsWaiting, hrWaiting, mentees, pipeline, admin } =
    useLoaderData<typeof loader>()
  return (
    <>
      <h1>Welcome, {user.name}</h1>
      <p className="muted">Signed in as {user.roles.map((r) => roleLabels[r]).join(', ')}.</p>

      {user.roles.includes('candidate') ? (
        <section className="card" aria-labelledby="home-candidate">
          <h2 id="home-candidate">Your STO path</h2>
          {candidate ? (
            <>
              <p>
                You are in the <strong>{candidate.stageName}</strong> stage. Background: {candidate.backgroundName}.
                {candidate.mentorName ? ` Your mentor is ${candidate.mentorName}.` : ' No mentor is assigned yet.'}
              </p>
              <p className="muted">{candidate.typicalGap}</p>
              {candidate.milestones.length > 0 ? (
                <>
                  <h3>Milestones of this stage</h3>
                  <ul>
                    {candidate.milestones.map((m) => (
                      <li key={m.id}>{m.title}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              <p>
                <Link to={`/program/${user.id}`}>Your development program</Link> ·{' '}
                <Link to={`/candidates/${user.id}`}>Open your profile</Link> ·{' '}
                <Link to="/framework">Read the competency framework</Link>
              </p>
            </>
          ) : (
            <p>Your candidate profile has not been set up yet. Ask your HR contact to complete it.</p>
          )}
          {assessments ? (
            <>
              <h3>360 feedback</h3>
              {assessments.open ? (
                <p>
                  Your 360 assessment is open ({assessments.open.state}, due {assessments.open.dueOn}):{' '}
                  <Link to={`/cycles/${assessments.open.id}/self`}>complete your self-assessment</Link> and{' '}
                  <Link to={`/cycles/${assessments.open.id}`}>nominate your raters</Link>.
                </p>
              ) : (
                <p>No 360 assessment is open for you right now.</p>
              )}
              {assessments.lastReportId ? (
                <p>
                  <Link to={`/cycles/${assessments.lastReportId}/report`}>Read your latest 360 report</Link>
                </p>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      {mentees ? (
        <section className="card" aria-labelledby="home-mentor">
          <h2 id="home-mentor">Your mentees</h2>
          {mentees.length === 0 ? (
            <p>No candidates are assigned to you yet.</p>
          ) : (
            <ul>
              {mentees.map((m) => (
                <li key={m.id}>
                  <Link to={`/candidates/${m.id}`}>{m.name}</Link> — {m.stage}, {m.background}
                </li>
              ))}
            </ul>
          )}
          {approvals && approvals.length > 0 ? (
            <>
              <h3>Raters waiting for your approval</h3>
              <ul>
                {approvals.map((a) => (
                  <li key={a.cycleId}>
                    <Link to={`/cycles/${a.cycleId}`}>{a.candidateName}</Link>: {a.proposed} nomination
                    {a.proposed === 1 ? '' : 's'}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {signoffsWaiting ? (
            <p>
              <Link to="/queue">
                {signoffsWaiting} milestone{signoffsWaiting === 1 ? '' : 's'} waiting for your sign-off
              </Link>
            </p>
          ) : null}
          <p>
            <Link to="/program">Their program</Link> · <Link to="/mentees">See all mentees</Link> ·{' '}
            <Link to="/cycles">Their 360 cycles</Link>
          </p>
        </section>
      ) : null}

      {pipeline ? (
        <section className="card" aria-labelledby="home-pipeline">
          <h2 id="home-pipeline">Candidates by stage</h2>
          <table>
            <caption className="sr-only">Active candidates per program stage</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Candidates</th>
              </tr>
            </thead>
            <tbody>
              {pipeline.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>{s.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cycleCounts ? (
            <p>
              360 cycles: {cycleCounts.nominating ?? 0} nominating, {cycleCounts.collecting ?? 0} collecting,{' '}
              {cycleCounts.closed ?? 0} closed. <Link to="/cycles">Manage cycles</Link> ·{' '}
              <Link to="/cycles/new">Open cycles</Link>
            </p>
          ) : null}
          {hrWaiting ? (
            <p>
              <Link to="/queue">
                {hrWaiting.advancements} advancement{hrWaiting.advancements === 1 ? '' : 's'} and {hrWaiting.signoffs}{' '}
                HR sign-off{hrWaiting.signoffs === 1 ? '' : 's'} waiting
              </Link>{' '}
              · <Link to="/program">Every candidate’s program</Link>
            </p>
          ) : null}
          <p>
            <Link to="/pipeline">Open the talent pipeline</Link> · <Link to="/pipeline/gaps">Gaps by background</Link> ·{' '}
            <Link to="/people">See everyone</Link>
          </p>
        </section>
      ) : null}

      {admin ? (
        <section className="card" aria-labelledby="home-admin">
          <h2 id="home-admin">Administration</h2>
          <p>
            {admin.people} people, {admin.inactive} deactivated.
          </p>
          <p>
            <Link to="/admin/people/new">Add a person</Link> · <Link to="/admin/people">Manage people and roles</Link> ·{' '}
            <Link to="/admin/audit">Audit log</Link>
          </p>
        </section>
      ) : null}
    </>
  )
}
