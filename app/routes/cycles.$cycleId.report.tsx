import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { ChartFrame } from '~/components/charts/chart-frame'
import { GapBars, GapTable } from '~/components/charts/gap-bars'
import { ProfileRadar, ProfileTable } from '~/components/charts/profile-radar'
import { FormError } from '~/components/forms'
import { stateLabels } from '~/domain/assessment/cycle'
import { formatCoded, roundShown } from '~/domain/assessment/precision'
import { groupMinimums, relationshipLabels, relationships } from '~/domain/assessment/types'
import { canAccess } from '~/domain/permissions'
import {
  acceptedSuggestions,
  acceptSuggestion,
  getReport,
  getSelfAssessment,
  previousClosedCycle,
} from '~/models/assessments.server'
import { RuleError } from '~/domain/errors'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { findBackground, findStage, getFramework } from '~/utils/content.server'
import { loadCycleFor } from '~/utils/cycles.server'
import { getDb, transaction } from '~/utils/db.server'
import { forbidden } from '~/utils/permissions.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `360 report — ${data?.candidate.name ?? 'candidate'} · STO Pathway` },
]

/**
 * The frozen report of a closed cycle, for the candidate, their mentor and HR. It carries only the
 * figures the confidentiality rules allow (computed once at close): no individual response, no
 * rater identity.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read', 'report')
  const { cycle } = found
  const report = getReport(cycle)
  const fw = getFramework()
  const candidate = { id: cycle.candidateId, name: found.candidateName }
  if (cycle.state !== 'closed' || !report) {
    return {
      ready: false as const,
      candidate,
      cycle: { id: cycle.id, stateLabel: stateLabels[cycle.state], dueOn: cycle.dueOn },
    }
  }
  const db = getDb()
  const capName = new Map(fw.capabilities.map((c) => [c.id, c.name]))
  const previous = previousClosedCycle(db, cycle.candidateId, cycle.id)
  const previousReport = previous ? getReport(previous) : null
  const background = found.background ? findBackground(found.background) : undefined
  const self = getSelfAssessment(db, cycle.id)
  const accepted = new Set(acceptedSuggestions(db, cycle.candidateId, cycle.id))
  return {
    notice: await takeNotice(request),
    ready: true as const,
    candidate,
    cycle: {
      id: cycle.id,
      closedAt: cycle.closedAt,
      dueOn: cycle.dueOn,
      frameworkVersion: cycle.frameworkVersion,
      stage: findStage(cycle.stage)?.name ?? cycle.stage,
    },
    report,
    capabilityNames: Object.fromEntries(capName),
    minimums: groupMinimums,
    background: background
      ? { name: background.name, gap: background.typicalGap.summary, capabilityIds: background.typicalGap.capabilities }
      : null,
    previous:
      previousReport && previous
        ? {
            closedAt: previous.closedAt,
            capabilities: Object.fromEntries(
              previousReport.capabilities.map((c) => [c.capabilityId, c.allOthers?.mean ?? null]),
            ),
            domains: Object.fromEntries(previousReport.domains.map((d) => [d.domainId, d.allOthers])),
          }
        : null,
    selfComments: self?.submittedAt
      ? fw.domains.filter((d) => self.comments[d.id]).map((d) => ({ domain: d.name, text: self.comments[d.id]! }))
      : [],
    suggestions: report.largestGaps.map((id) => ({
      capabilityId: id,
      name: capName.get(id) ?? id,
      accepted: accepted.has(id),
    })),
    canAccept: user.id === cycle.candidateId && canAccess(user, 'create', 'plan-item', { ownerId: cycle.candidateId }),
  }
}

const acceptSchema = z.object({
  intent: z.literal('accept'),
  capabilityId: z.string().min(1).max(64),
  action: z
    .string()
    .trim()
    .min(5, 'Describe what you will do (at least 5 characters).')
    .max(500, 'At most 500 characters.'),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read', 'report')
  if (
    found.cycle.candidateId !== user.id ||
    !canAccess(user, 'create', 'plan-item', { ownerId: found.cycle.candidateId })
  )
    throw forbidden()
  const parsed = acceptSchema.safeParse(Object.fromEntries(await readForm(request)))
  if (!parsed.success)
    return data(
      { message: parsed.error.issues[0]?.message ?? 'That request was not valid.', capabilityId: null },
      { status: 400 },
    )
  try {
    transaction((tx) => acceptSuggestion(tx, user.id, found.cycle, parsed.data.capabilityId, parsed.data.action))
  } catch (error) {
    if (error instanceof RuleError)
      return data({ message: error.message, capabilityId: parsed.data.capabilityId }, { status: error.status })
    throw error
  }
  throw await redirectWithNotice(request, `/cycles/${found.cycle.id}/report#plan`, 'Added to your development plan.')
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1))
const signed = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v > 0 ? `+${v.toFixed(1)}` : v.toFixed(1)

export default function ReportPage() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (!loaderData.ready) {
    return (
      <>
        <h1>360 report — {loaderData.candidate.name}</h1>
        <p className="card">
          This cycle is not closed yet ({loaderData.cycle.stateLabel}, due {loaderData.cycle.dueOn}). The report is
          computed once, when the cycle closes, so that nobody can watch a figure change as individual answers arrive.{' '}
          <Link to={`/cycles/${loaderData.cycle.id}`}>Back to the cycle</Link>
        </p>
      </>
    )
  }
  const {
    candidate,
    cycle,
    report,
    capabilityNames,
    minimums,
    background,
    previous,
    selfComments,
    suggestions,
    canAccept,
    notice,
  } = loaderData
  const name = (id: string) => capabilityNames[id] ?? id
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
  const shownGroups = relationships.filter((g) => report.groupsShown[g].shown)
  const hiddenGroups = relationships.filter((g) => !report.groupsShown[g].shown)
  const gapOf = new Map(report.capabilities.map((c) => [c.capabilityId, c.gap]))
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)
  const typicalIds = new Set(background?.capabilityIds ?? [])
  const typicalGapMean = mean(
    [...typicalIds].map((id) => gapOf.get(id)).filter((g): g is number => g !== null && g !== undefined),
  )
  const otherGapMean = mean(
    report.capabilities.filter((c) => !typicalIds.has(c.capabilityId) && c.gap !== null).map((c) => c.gap!),
  )

  return (
    <article className="report">
      <nav className="breadcrumbs no-print" aria-label="Breadcrumb">
        <Link to={`/cycles/${cycle.id}`}>360 cycle</Link> › Report
      </nav>
      <h1>360 report — {candidate.name}</h1>
      <p className="muted">
        Closed {cycle.closedAt?.slice(0, 10)} · stage at opening: {cycle.stage} · framework {cycle.frameworkVersion}.
        Scores are on the 1–5 scale; “all others” combines every rater whose group may be shown. Every figure is rounded
        to one decimal, and that is all the precision this page holds.
      </p>
      <p className="no-print">
        <button className="secondary" type="button" onClick={() => window.print()}>
          Print or save as PDF
        </button>
      </p>

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
                      <td className="num">
                        {before !== null && now !== null ? signed(roundShown(now - before)) : '—'}
                      </td>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        <p className="field-hint">
          “≥ 4.8” and “≤ 1.2” mark results at the ends of the scale: a figure there is shown as a bound, so that it
          never tells how many raters gave the top or the bottom score.
          {previous ? ` Trend compares “all others” with the cycle closed ${previous.closedAt?.slice(0, 10)}.` : ''}
        </p>
      </section>

      {background ? (
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
      ) : null}

      {previous ? (
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
                    <td className="num">
                      {before !== null && d.allOthers !== null ? signed(d.allOthers - before) : '—'}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </section>
      ) : null}

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

      <section className="card" id="plan" aria-labelledby="plan-heading">
        <h2 id="plan-heading">Development plan starter</h2>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <FormError errors={actionData?.message ? [actionData.message] : undefined} />
        {suggestions.length === 0 ? (
          <p>No capability is below its target: there is no gap to suggest.</p>
        ) : (
          <ul>
            {suggestions.map((s) => (
              <li key={s.capabilityId} style={{ marginBottom: '0.75rem' }}>
                <strong>{s.name}</strong> (gap {signed(gapOf.get(s.capabilityId))})
                {s.accepted ? (
                  <span className="badge">in your plan</span>
                ) : canAccept ? (
                  <Form
                    method="post"
                    className="no-print"
                    style={{
                      display: 'flex',
                      gap: '0.5rem',
                      alignItems: 'end',
                      flexWrap: 'wrap',
                      marginTop: '0.25rem',
                    }}
                  >
                    <input type="hidden" name="capabilityId" value={s.capabilityId} />
                    <div className="field" style={{ flex: 1, minWidth: '16rem' }}>
                      <label htmlFor={`plan-${s.capabilityId}`}>What will you do about {s.name}?</label>
                      <input
                        id={`plan-${s.capabilityId}`}
                        name="action"
                        type="text"
                        maxLength={500}
                        defaultValue={`Agree with my mentor on one concrete step to grow my ${s.name}.`}
                      />
                    </div>
                    <button className="secondary" type="submit" name="intent" value="accept">
                      Add to my plan
                    </button>
                  </Form>
                ) : (
                  <span className="muted"> — suggested</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  )
}
