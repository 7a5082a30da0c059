import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getPerson } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { findBackground, findStage, getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { notFound, requireAccess } from '~/utils/permissions.server'
import { hasPermission } from '~/domain/permissions'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.candidate.name ?? 'Candidate'} · STO Pathway` },
]

/** A candidate's profile: the candidate, their mentor, HR and admins may read it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = parseId(params.personId)
  if (id === null) throw notFound('There is no candidate with that id.')
  const person = getPerson(getDb(), id)
  if (!person?.candidate) throw notFound('There is no candidate with that id.')
  requireAccess(user, 'read', 'profile', { ownerId: person.id, mentorId: person.candidate.mentorId })

  const profile = person.candidate
  const background = findBackground(profile.background)
  const stage = findStage(profile.stage)
  const capabilityNames = new Map(getFramework().capabilities.map((c) => [c.id, c.name]))
  return {
    isSelf: user.id === person.id,
    canExport: hasPermission(user, 'export:person:any'),
    candidate: {
      id: person.id,
      name: person.name,
      email: person.email,
      active: person.active,
      joinedOn: profile.joinedOn,
      mentorName: profile.mentorName,
      background: background
        ? {
            name: background.name,
            description: background.description,
            gap: background.typicalGap.summary,
            gapCapabilities: background.typicalGap.capabilities.map((c) => capabilityNames.get(c) ?? c),
          }
        : { name: profile.background, description: '', gap: '', gapCapabilities: [] },
      stage: stage
        ? {
            name: stage.name,
            summary: stage.summary,
            window: stage.window,
            milestones: stage.milestones.map((m) => ({
              id: m.id,
              title: m.title,
              evidence: m.evidence,
              required: m.required,
            })),
          }
        : { name: profile.stage, summary: '', window: null, milestones: [] },
    },
  }
}

function windowText(window: { minMonths: number; maxMonths: number | null } | null) {
  if (!window) return 'No fixed length'
  return window.maxMonths === null ? `${window.minMonths}+ months` : `${window.minMonths}–${window.maxMonths} months`
}

export default function CandidateProfilePage() {
  const { candidate, isSelf, canExport } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>
        {candidate.name}
        {candidate.active ? null : <span className="badge inactive">deactivated</span>}
      </h1>
      {canExport ? (
        <p className="no-print">
          <a href={`/admin/people/${candidate.id}/export`} download>
            Download their data (JSON)
          </a>{' '}
          — for a data-access request.
        </p>
      ) : null}
      <section className="card" aria-labelledby="profile-facts">
        <h2 id="profile-facts">{isSelf ? 'Your profile' : 'Profile'}</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{candidate.email}</dd>
          <dt>Background</dt>
          <dd>{candidate.background.name}</dd>
          <dt>Program stage</dt>
          <dd>
            {candidate.stage.name} <span className="muted">({windowText(candidate.stage.window)})</span>
          </dd>
          <dt>Mentor</dt>
          <dd>{candidate.mentorName ?? 'Not assigned yet'}</dd>
          <dt>Joined the program</dt>
          <dd>{candidate.joinedOn}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="profile-gap">
        <h2 id="profile-gap">Typical gap of the {candidate.background.name} background</h2>
        <p>{candidate.background.gap}</p>
        {candidate.background.gapCapabilities.length > 0 ? (
          <p>
            Capabilities it concerns:{' '}
            {candidate.background.gapCapabilities.map((c) => (
              <span key={c} className="badge">
                {c}
              </span>
            ))}
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="profile-stage">
        <h2 id="profile-stage">{candidate.stage.name}</h2>
        <p>{candidate.stage.summary}</p>
        {candidate.stage.milestones.length > 0 ? (
          <table>
            <caption className="sr-only">Milestones of this stage</caption>
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Evidence expected</th>
              </tr>
            </thead>
            <tbody>
              {candidate.stage.milestones.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.title}
                    {m.required ? null : <span className="muted"> (optional)</span>}
                  </td>
                  <td>{m.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p>
          <Link to="/framework/program">How the development program works</Link>
        </p>
      </section>
    </>
  )
}
