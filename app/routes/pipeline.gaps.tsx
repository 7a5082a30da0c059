import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { PlainSelect } from '~/components/forms'
import { z } from 'zod'
import { ChartFrame } from '~/components/charts/chart-frame'
import { DomainBars } from '~/components/charts/domain-bars'
import { summarizeGaps } from '~/domain/pipeline/gaps'
import { MIN_CANDIDATES_FOR_AGGREGATE } from '~/domain/pipeline/signals'
import { requireUser } from '~/utils/auth.server'
import { gapRows } from '~/utils/pipeline.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Gaps by background · STO Pathway' }]

const querySchema = z.object({ stage: z.string().max(64).optional().catch(undefined) })

/** What each candidate background lacks, measured: others' ratings against each candidate's stage target. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:pipeline:any')
  const fw = getFramework()
  const raw = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const stage = fw.stages.some((s) => s.id === raw.stage) ? raw.stage : undefined
  return {
    stage: stage ?? '',
    stages: fw.stages.map((s) => ({ value: s.id, label: s.name })),
    backgrounds: summarizeGaps(gapRows(getDb(), stage), fw),
    domains: fw.domains.map((d) => ({ id: d.id, name: d.name })),
    minimum: MIN_CANDIDATES_FOR_AGGREGATE,
  }
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(1))
const signed = (v: number | null) => (v === null ? '—' : v > 0 ? `+${v.toFixed(1)}` : v.toFixed(1))

/** Red for below target, green above; stronger with the size of the gap. */
function heat(gap: number | null) {
  if (gap === null) return '#f1f3f6'
  const strength = Math.min(1, Math.abs(gap) / 1.5)
  return gap < 0 ? `rgba(164, 35, 35, ${0.12 + strength * 0.55})` : `rgba(29, 107, 58, ${0.12 + strength * 0.45})`
}

export default function GapsPage() {
  const { stage, stages, backgrounds, domains, minimum } = useLoaderData<typeof loader>()
  const chartData = domains.map((d) => ({
    domain: d.name,
    ...Object.fromEntries(backgrounds.map((b) => [b.id, b.domains.find((x) => x.domainId === d.id)?.others ?? null])),
  }))
  const capabilities = backgrounds[0]?.cells ?? []
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/pipeline">Pipeline</Link> › Gaps by background
      </nav>
      <h1>What each background needs</h1>
      <p>
        Others’ ratings from each candidate’s latest closed 360, against the exit target of the stage they were in. A
        figure resting on fewer than {minimum} candidates is not shown (“fewer than {minimum} candidates”); no figure
        here reaches a single rater.
      </p>
      <Form
        method="get"
        className="no-print"
        style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', marginBottom: '1rem' }}
      >
        <PlainSelect
          id="g-stage"
          name="stage"
          label="Stage"
          options={stages}
          defaultValue={stage}
          emptyLabel="All stages"
        />
        <button className="secondary" type="submit">
          Apply
        </button>
        <a href={`/pipeline/gaps.csv${stage ? `?stage=${stage}` : ''}`} download>
          Download the gap table as CSV
        </a>
      </Form>

      <section className="card" aria-labelledby="needs">
        <h2 id="needs">Largest gaps per background</h2>
        <div className="grid">
          {backgrounds.map((b) => (
            <div key={b.id}>
              <h3>{b.name}</h3>
              <p className="field-hint">
                Typical gap: {b.typicalGap} ({b.candidates} candidate{b.candidates === 1 ? '' : 's'} with a closed 360)
              </p>
              {b.needs.length === 0 ? (
                <p>
                  {b.candidatesWithTarget < minimum
                    ? `Fewer than ${minimum} candidates with a stage target.`
                    : 'No capability below target.'}
                </p>
              ) : (
                <ol>
                  {b.needs.map((c) => (
                    <li key={c.capabilityId}>
                      {c.name} ({signed(c.gap)}){c.typical ? <span className="badge">typical gap</span> : null}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="domain-chart">
        <h2 id="domain-chart">Backgrounds compared by domain</h2>
        <ChartFrame
          title="Others’ mean rating per domain, by background"
          width={760}
          height={360}
          chart={() => (
            <DomainBars
              data={chartData}
              series={backgrounds.map((b) => ({ key: b.id, name: b.name }))}
              width={760}
              height={360}
            />
          )}
          table={
            <table>
              <BackgroundColumns first="Domain" backgrounds={backgrounds} />
              <tbody>
                {domains.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">{d.name}</th>
                    {backgrounds.map((b) => {
                      const v = b.domains.find((x) => x.domainId === d.id)
                      return (
                        <td key={b.id}>
                          {v?.others === null || v === undefined
                            ? `fewer than ${minimum} candidates`
                            : `${fmt(v.others)} (gap ${signed(v.gap)})`}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      </section>

      <section className="card" aria-labelledby="heatmap">
        <h2 id="heatmap">Gap to target by capability</h2>
        <p className="field-hint">
          Cell colour: red below target, green above; outlined cells are the background’s typical gap. Each cell shows
          the gap and the number of candidates with a stage target (certified STOs have none).
        </p>
        <div style={{ overflowX: 'auto' }}>
          <table className="heatmap">
            <BackgroundColumns first="Capability" backgrounds={backgrounds} />
            <tbody>
              {capabilities.map((cap) => (
                <tr key={cap.capabilityId}>
                  <th scope="row">{cap.name}</th>
                  {backgrounds.map((b) => {
                    const cell = b.cells.find((c) => c.capabilityId === cap.capabilityId)!
                    return (
                      <td
                        key={b.id}
                        style={{
                          background: heat(cell.gap),
                          outline: cell.typical ? '2px solid #1b2430' : undefined,
                          outlineOffset: '-2px',
                        }}
                      >
                        {cell.gap === null ? `fewer than ${minimum} candidates` : signed(cell.gap)} (n=
                        {cell.gapCandidates}){cell.typical ? <span className="sr-only"> typical gap</span> : null}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}

/** The header row of a table with one column per background. */
function BackgroundColumns({
  first,
  backgrounds,
}: {
  first: string
  backgrounds: Array<{ id: string; name: string }>
}) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {backgrounds.map((b) => (
          <th key={b.id} scope="col">
            {b.name}
          </th>
        ))}
      </tr>
    </thead>
  )
}
