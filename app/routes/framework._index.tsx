import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ScaleLevels } from '~/components/scale-levels'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Framework · STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:framework:any')
  const fw = getFramework()
  return {
    title: fw.title,
    version: fw.version,
    scale: fw.scale,
    domains: fw.domains.map((d) => ({
      id: d.id,
      name: d.name,
      summary: d.summary,
      capabilities: d.capabilities.map((c) => ({ id: c.id, name: c.name, whatGoodLooksLike: c.whatGoodLooksLike })),
    })),
    backgrounds: fw.backgrounds.map((b) => ({
      id: b.id,
      name: b.name,
      description: b.description,
      gap: b.typicalGap.summary,
    })),
  }
}

export default function FrameworkPage() {
  const { title, version, scale, domains, backgrounds } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{title}</h1>
      <p className="muted">Version {version}. Four domains, four capabilities each, rated on a five-level scale.</p>
      <div className="grid">
        {domains.map((d) => (
          <section key={d.id} className="card" aria-labelledby={`domain-${d.id}`}>
            <h2 id={`domain-${d.id}`}>
              <Link to={`/framework/${d.id}`}>{d.name}</Link>
            </h2>
            <p>{d.summary}</p>
            <ul>
              {d.capabilities.map((c) => (
                <li key={c.id}>
                  <Link to={`/framework/${d.id}#${c.id}`}>{c.name}</Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <h2>The proficiency scale</h2>
      <ScaleLevels scale={scale} className="levels card" />
      <h2>Candidate backgrounds</h2>
      <div className="grid">
        {backgrounds.map((b) => (
          <section key={b.id} className="card" aria-labelledby={`bg-${b.id}`}>
            <h3 id={`bg-${b.id}`}>{b.name}</h3>
            <p>{b.description}</p>
            <p>
              <strong>Typical gap:</strong> {b.gap}
            </p>
          </section>
        ))}
      </div>
      <p>
        <Link to="/framework/program">The development program and decision rights</Link>
      </p>
    </>
  )
}
