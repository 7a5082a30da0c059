import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Development program · STO Pathway' }]

const signOffLabel = { mentor: 'Mentor', hr: 'HR', 'mentor-then-hr': 'Mentor, then HR' } as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:framework:any')
  const fw = getFramework()
  const capabilityName = new Map(fw.capabilities.map((c) => [c.id, c.name]))
  return {
    stages: fw.stages.map((s) => ({
      ...s,
      exitTarget: s.exitTarget
        ? {
            rule: s.exitTarget.rule,
            tolerance: s.exitTarget.tolerance,
            targets: Object.entries(s.exitTarget.targets).map(([id, level]) => ({
              id,
              name: capabilityName.get(id) ?? id,
              level,
            })),
          }
        : null,
    })),
    riskTiers: fw.riskTiers,
    rights: fw.decisionRights,
  }
}

export default function ProgramPage() {
  const { stages, riskTiers, rights } = useLoaderData<typeof loader>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/framework">Framework</Link> › Development program
      </nav>
      <h1>The STO development program</h1>
      {stages.map((s) => (
        <section key={s.id} className="card" aria-labelledby={`stage-${s.id}`}>
          <h2 id={`stage-${s.id}`}>
            {s.order}. {s.name}{' '}
            <span className="muted">
              {s.window
                ? s.window.maxMonths === null
                  ? `(${s.window.minMonths}+ months)`
                  : `(${s.window.minMonths}–${s.window.maxMonths} months)`
                : ''}
            </span>
          </h2>
          <p>{s.summary}</p>
          {s.milestones.length > 0 ? (
            <table>
              <caption>Milestones</caption>
              <thead>
                <tr>
                  <th scope="col">Milestone</th>
                  <th scope="col">What to do</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Signed off by</th>
                </tr>
              </thead>
              <tbody>
                {s.milestones.map((m) => (
                  <tr key={m.id}>
                    <td>
                      {m.title}
                      {m.required ? null : <span className="muted"> (optional)</span>}
                    </td>
                    <td>{m.description}</td>
                    <td>{m.evidence}</td>
                    <td>{signOffLabel[m.signOff]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {s.exitTarget ? (
            <details>
              <summary>Exit target profile</summary>
              <p>
                {s.exitTarget.rule} (tolerance {s.exitTarget.tolerance})
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Capability</th>
                    <th scope="col">Target level</th>
                  </tr>
                </thead>
                <tbody>
                  {s.exitTarget.targets.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      <td>{t.level}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      ))}
      <h2>Risk tiers</h2>
      <ul>
        {riskTiers.map((t) => (
          <li key={t.id}>
            <strong>{t.name}:</strong> {t.description}
          </li>
        ))}
      </ul>
      <h2>What an STO decides alone</h2>
      <ul>
        {rights.decideAlone.map((r) => (
          <li key={r.id}>
            <strong>{r.area}:</strong> {r.description}
          </li>
        ))}
      </ul>
      <h2>What needs escalation</h2>
      <ul>
        {rights.escalate.map((r) => (
          <li key={r.id}>
            <strong>{r.area}</strong> (to {r.escalateTo}): {r.description}
          </li>
        ))}
      </ul>
      <h2>Guardrails, not gates</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Guardrail</th>
            <th scope="col">Example</th>
            <th scope="col">STO response</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {rights.guardrails.map((g) => (
            <tr key={g.id}>
              <td>{g.type}</td>
              <td>{g.example}</td>
              <td>{g.response}</td>
              <td>{g.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
