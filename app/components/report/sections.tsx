/** The report's summary, who answered, the profile charts and the comments (routes/cycles.$cycleId.report). */
import { ChartFrame } from '~/components/charts/chart-frame'
import { GapBars, GapTable } from '~/components/charts/gap-bars'
import { ProfileRadar, ProfileTable } from '~/components/charts/profile-radar'
import { relationshipLabels, relationships, type groupMinimums } from '~/domain/assessment/types'
import type { Report } from '~/domain/assessment/scoring'

export function SummarySection({ report, name }: { report: Report; name: (id: string) => string }) {
  return (
    <section className="card" aria-labelledby="summary">
      <h2 id="summary">Summary</h2>
      <div className="report-grid">
        <div>
          <h3>Strongest (others’ view)</h3>
          <ol>
            {report.strongest.map((id) => (
              <li key={id}>{name(id)}</li>
            ))}
          </ol>
        </div>
        <div>
          <h3>Weakest (others’ view)</h3>
          <ol>
            {report.weakest.map((id) => (
              <li key={id}>{name(id)}</li>
            ))}
          </ol>
        </div>
        <div>
          <h3>Blind spots</h3>
          <p className="field-hint">You rate yourself at least 1 point above how others rate you.</p>
          {report.blindSpots.length ? (
            <ul>
              {report.blindSpots.map((id) => (
                <li key={id}>{name(id)}</li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
        </div>
        <div>
          <h3>Hidden strengths</h3>
          <p className="field-hint">Others rate you at least 1 point above how you rate yourself.</p>
          {report.hiddenStrengths.length ? (
            <ul>
              {report.hiddenStrengths.map((id) => (
                <li key={id}>{name(id)}</li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
        </div>
      </div>
    </section>
  )
}

export function GroupsSection({ report, minimums }: { report: Report; minimums: typeof groupMinimums }) {
  const shownGroups = relationships.filter((g) => report.groupsShown[g].shown)
  const hiddenGroups = relationships.filter((g) => !report.groupsShown[g].shown)
  return (
    <section className="card" aria-labelledby="groups">
      <h2 id="groups">Who answered</h2>
      <ul>
        {shownGroups.map((g) => (
          <li key={g}>
            {relationshipLabels[g].many}: {report.groupsShown[g].responses} response
            {report.groupsShown[g].responses === 1 ? '' : 's'}
            {g === 'manager' ? ' (attributable)' : ''}
          </li>
        ))}
      </ul>
      {hiddenGroups.length > 0 ? (
        <p className="muted">
          Not shown as groups: {hiddenGroups.map((g) => relationshipLabels[g].many.toLowerCase()).join(', ')}. A group
          is shown only with at least {minimums.peer} responses (managers: {minimums.manager}); smaller groups count
          only inside “all others”, and only when at least three such answers are combined.
        </p>
      ) : null}
    </section>
  )
}

export function ProfileSection({ report }: { report: Report }) {
  const domainPoints = report.domains.map((d) => ({
    label: d.name,
    self: d.self,
    others: d.allOthers,
    target: d.target,
  }))
  const capabilityPoints = report.capabilities.map((c) => ({
    label: c.name,
    self: c.self,
    others: c.allOthers?.mean ?? null,
    target: c.target,
  }))
  const gapPoints = report.capabilities.filter((c) => c.gap !== null).map((c) => ({ label: c.name, gap: c.gap! }))
  return (
    <section className="card" aria-labelledby="charts">
      <h2 id="charts">Profile</h2>
      <div className="report-grid">
        <ChartFrame
          title="Domains: self, all others and target"
          width={440}
          height={360}
          chart={() => <ProfileRadar points={domainPoints} width={440} height={360} />}
          table={<ProfileTable points={domainPoints} caption="Domain scores" firstColumn="Domain" />}
        />
        <ChartFrame
          title="Capabilities: self, all others and target"
          width={560}
          height={460}
          chart={() => <ProfileRadar points={capabilityPoints} width={560} height={460} />}
          table={<ProfileTable points={capabilityPoints} caption="Capability scores" firstColumn="Capability" />}
        />
      </div>
      {gapPoints.length > 0 ? (
        <ChartFrame
          title="Gap to the stage’s exit target (all others minus target)"
          width={640}
          height={480}
          chart={() => <GapBars points={gapPoints} width={640} height={480} />}
          table={<GapTable points={gapPoints} />}
        />
      ) : null}
    </section>
  )
}

export function CommentsSection({
  report,
  selfComments,
}: {
  report: Report
  selfComments: Array<{ domain: string; text: string }>
}) {
  return (
    <section className="card" aria-labelledby="comments">
      <h2 id="comments">Comments</h2>
      {report.comments.length === 0 ? (
        <p>No comments from groups large enough to be shown.</p>
      ) : (
        <ul className="comment-list">
          {report.comments.map((c, i) => (
            <li key={i}>
              <span className="badge">{relationshipLabels[c.relationship].one}</span>
              <span className="badge">{report.domains.find((d) => d.domainId === c.domainId)?.name}</span>
              <br />
              {c.text}
            </li>
          ))}
        </ul>
      )}
      {selfComments.length > 0 ? (
        <>
          <h3>Self-assessment comments</h3>
          <ul className="comment-list">
            {selfComments.map((c) => (
              <li key={c.domain}>
                <span className="badge">{c.domain}</span>
                <br />
                {c.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
