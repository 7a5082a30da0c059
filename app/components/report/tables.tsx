/** The report's tables: every capability, the background's typical gap, and the trend by domain. */
import { formatCoded, roundShown } from '~/domain/assessment/precision'
import { relationshipLabels, relationships } from '~/domain/assessment/types'
import type { Report } from '~/domain/assessment/scoring'
import { fmt, signed } from './format'

/** The previous closed cycle's "all others" figures, for the trend. */
export type PreviousFigures = {
  closedAt: string | null
  capabilities: Record<string, number | null>
  domains: Record<string, number | null>
}

export function CapabilityTable({ report, previous }: { report: Report; previous: PreviousFigures | null }) {
  const shownGroups = relationships.filter((g) => report.groupsShown[g].shown)
  return (
    <section className="card" aria-labelledby="detail">
      <h2 id="detail">Every capability</h2>
      <div style={{ overflowX: 'auto' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Capability</th>
              <th scope="col">Self</th>
              {shownGroups.map((g) => (
                <th key={g} scope="col">
                  {relationshipLabels[g].many}
                </th>
              ))}
              <th scope="col">All others</th>
              <th scope="col">Target</th>
              <th scope="col">Gap</th>
              <th scope="col">Coverage</th>
              {previous ? <th scope="col">Trend</th> : null}
            </tr>
          </thead>
          <tbody>
            {report.capabilities.map((c) => {
              const before = previous?.capabilities[c.capabilityId] ?? null
              const now = c.allOthers?.mean ?? null
              return (
                <tr key={c.capabilityId}>
                  <th scope="row">
                    {c.name}
                    {c.flag === 'blind-spot' ? (
                      <span className="badge">blind spot</span>
                    ) : c.flag === 'hidden-strength' ? (
                      <span className="badge">hidden strength</span>
                    ) : null}
                  </th>
                  <td className="num">{fmt(c.self)}</td>
                  {shownGroups.map((g) => (
                    <td key={g} className="num">
                      {c.groups[g] ? (
                        formatCoded({ value: c.groups[g]!.mean, censored: c.groups[g]!.censored })
                      ) : (
                        <span title="Too few ratings on this capability to show this group">—</span>
                      )}
                    </td>
                  ))}
                  <td className="num">
                    {c.allOthers ? formatCoded({ value: c.allOthers.mean, censored: c.allOthers.censored }) : '—'}
                  </td>
                  <td className="num">{fmt(c.target)}</td>
                  <td className={`num${c.meetsTarget === false ? ' below' : ''}`}>
                    {signed(c.gap)}
                    {c.meetsTarget === false ? <span className="sr-only"> (below target)</span> : null}
                  </td>
                  <td>
                    rated by {c.coverage.rated} of {c.coverage.of}
                    {c.coverage.notObserved ? `, ${c.coverage.notObserved} not observed` : ''}
                  </td>
                  {previous ? (
                    <td className="num">{before !== null && now !== null ? signed(roundShown(now - before)) : '—'}</td>
                  ) : null}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="field-hint">
        “≥ 4.8” and “≤ 1.2” mark results at the ends of the scale: a figure there is shown as a bound, so that it never
        tells how many raters gave the top or the bottom score.
        {previous ? ` Trend compares “all others” with the cycle closed ${previous.closedAt?.slice(0, 10)}.` : ''}
      </p>
    </section>
  )
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)

export function BackgroundGapSection({
  report,
  background,
  name,
}: {
  report: Report
  background: { name: string; gap: string; capabilityIds: string[] }
  name: (id: string) => string
}) {
  const gapOf = new Map(report.capabilities.map((c) => [c.capabilityId, c.gap]))
  const typicalIds = new Set(background.capabilityIds)
  const typicalGapMean = mean(
    [...typicalIds].map((id) => gapOf.get(id)).filter((g): g is number => g !== null && g !== undefined),
  )
  const otherGapMean = mean(
    report.capabilities.filter((c) => !typicalIds.has(c.capabilityId) && c.gap !== null).map((c) => c.gap!),
  )
  return (
    <section className="card" aria-labelledby="typical-gap">
      <h2 id="typical-gap">Your background’s typical gap</h2>
      <p>
        <strong>{background.name}:</strong> {background.gap}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Capability in the typical gap</th>
            <th scope="col">Your gap to target</th>
          </tr>
        </thead>
        <tbody>
          {background.capabilityIds.map((id) => (
            <tr key={id}>
              <th scope="row">{name(id)}</th>
              <td className="num">{signed(gapOf.get(id))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {typicalGapMean !== null && otherGapMean !== null ? (
        <p>
          On these capabilities your average gap is {signed(typicalGapMean)}, against {signed(otherGapMean)} on the
          others:{' '}
          {typicalGapMean < otherGapMean - 0.25
            ? 'the typical gap of your background shows in your results.'
            : typicalGapMean > otherGapMean + 0.25
              ? 'smaller than the rest of your profile — the typical gap is not your main one.'
              : 'about the same as the rest of your profile.'}
        </p>
      ) : null}
    </section>
  )
}

export function TrendSection({ report, previous }: { report: Report; previous: PreviousFigures }) {
  return (
    <section className="card" aria-labelledby="trend">
      <h2 id="trend">Trend by domain</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Previous ({previous.closedAt?.slice(0, 10)})</th>
            <th scope="col">Now</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {report.domains.map((d) => {
            const before = previous.domains[d.domainId] ?? null
            return (
              <tr key={d.domainId}>
                <th scope="row">{d.name}</th>
                <td className="num">{fmt(before)}</td>
                <td className="num">{fmt(d.allOthers)}</td>
                <td className="num">{before !== null && d.allOthers !== null ? signed(d.allOthers - before) : '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
