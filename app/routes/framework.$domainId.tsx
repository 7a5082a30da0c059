import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/utils/auth.server'
import { findDomain, getFramework } from '~/utils/content.server'
import { notFound, requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.domain.name ?? 'Domain'} · STO Pathway` },
]

/** One domain: each capability with what good looks like, its five level anchors and its 360 statements. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:framework:any')
  const domain = findDomain(params.domainId ?? '')
  if (!domain) throw notFound('There is no competency domain with that name.')
  return { domain, scale: getFramework().scale.map((l) => ({ level: l.level, name: l.name })) }
}

export default function DomainPage() {
  const { domain, scale } = useLoaderData<typeof loader>()
  const levelName = new Map(scale.map((l) => [l.level, l.name]))
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/framework">Framework</Link> › {domain.name}
      </nav>
      <h1>{domain.name}</h1>
      <p>{domain.summary}</p>
      {domain.capabilities.map((c) => (
        <section key={c.id} id={c.id} className="card" aria-labelledby={`cap-${c.id}`}>
          <h2 id={`cap-${c.id}`}>{c.name}</h2>
          <p>
            <strong>What good looks like:</strong> {c.whatGoodLooksLike}
          </p>
          <h3>Levels</h3>
          <ol className="levels">
            {c.levels.map((l) => (
              <li key={l.level}>
                <span className="level-name">
                  {l.level} · {levelName.get(l.level)}
                </span>
                <span>{l.anchor}</span>
              </li>
            ))}
          </ol>
          <h3>What 360 raters are asked</h3>
          <ul>
            {c.behaviours.map((b) => (
              <li key={b.id}>{b.text}</li>
            ))}
          </ul>
        </section>
      ))}
    </>
  )
}
