import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { PlainSelect } from '~/components/forms'
import { describeDays } from '~/domain/program/dates'
import { findActiveMentors, getPerson } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { parsePipelineQuery, pipelineSearch, type PipelineQuery } from '~/utils/pipeline-filter.server'
import { pipelineSummary } from '~/utils/pipeline.server'
import { requirePermission } from '~/utils/permissions.server'
import { today } from '~/utils/program.server'

export const meta: MetaFunction = () => [{ title: 'Pipeline · STO Pathway' }]

/** HR's view of the bench: where every candidate stands, where it is stuck, and when the next STOs could be ready. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:pipeline:any')
  const query = parsePipelineQuery(new URL(request.url))
  const fw = getFramework()
  const day = today()
  const db = getDb()
  // The mentor filter is a name search (an organisation may have hundreds of mentors): one match
  // becomes the mentor filter in the URL; several are offered as links; none is said so.
  const url = new URL(request.url)
  const mentorText = (url.searchParams.get('mentorName') ?? '').trim().slice(0, 100)
  const mentorMatches = mentorText ? findActiveMentors(db, mentorText) : null
  const exact = mentorMatches?.filter((m) => m.name.toLowerCase() === mentorText.toLowerCase()) ?? []
  const chosen = mentorMatches?.length === 1 ? mentorMatches[0] : exact.length === 1 ? exact[0] : undefined
  if (chosen) throw redirect(withParam(query, { mentor: String(chosen.id) }))
  const summary = pipelineSummary(db, fw, query, day)
  const matching = summary.candidates.filter((c) => !query.status || c.track === query.status)
  // Pages keep the document small at any scale; the CSV export has the whole filtered list.
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE))
  const page = Math.min(parsePage(new URL(request.url)), pages)
  return {
    query,
    search: pipelineSearch(query),
    options: {
      backgrounds: fw.backgrounds.map((b) => ({ value: b.id, label: b.name })),
      stages: fw.stages.map((s) => ({ value: s.id, label: s.name })),
    },
    funnel: summary.funnel,
    matrix: summary.matrix,
    buckets: summary.buckets,
    forecast: summary.forecast,
    mentorLoad: summary.mentorLoad.slice(0, SECTION_LIMIT),
    mentorCount: summary.mentorLoad.length,
    mentorName: query.mentorId ? (getPerson(db, query.mentorId)?.name ?? null) : null,
    mentorSearch: mentorMatches
      ? {
          text: mentorText,
          matches: mentorMatches.map((m) => ({
            id: m.id,
            name: m.name,
            href: withParam(query, { mentor: String(m.id) }),
          })),
        }
      : null,
    flagged: summary.flagged.slice(0, SECTION_LIMIT).map((c) => ({ id: c.id, name: c.name, flags: c.flags })),
    flaggedCount: summary.flagged.length,
    list: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((c) => ({
      id: c.id,
      name: c.name,
      background: c.backgroundName,
      stage: c.stageName,
      mentor: c.mentorName,
      time: describeDays(c.activeDays),
      track: c.track,
      trackReason: c.trackReason,
      paused: c.status === 'paused',
      readiness: c.readinessLabel,
      readinessEstimate: c.readinessEstimate,
      readinessReasons: c.readinessReasons,
    })),
    matching: matching.length,
    page,
    pages,
    total: summary.candidates.length,
  }
}

const PAGE_SIZE = 50
/** Mentor load and retention signals show the most urgent first, up to this many. */
const SECTION_LIMIT = 25

function parsePage(url: URL) {
  const n = Number(url.searchParams.get('page') ?? '1')
  return Number.isInteger(n) && n >= 1 ? n : 1
}

// The long lists link with plain anchors: a React Router <Link> resolves its path on every render,
// which cost ~15% of this page's server time at 50 rows (docs/performance.md).
const trackLabels = { 'on-track': 'On track', overdue: 'Overdue', stalled: 'Stalled' } as const

function withParam(query: PipelineQuery, changes: Record<string, string | undefined>) {
  const p = new URLSearchParams()
  const merged: Record<string, string | undefined> = {
    background: query.background,
    stage: query.stage,
    mentor: query.mentorId ? String(query.mentorId) : undefined,
    cohort: query.cohort,
    status: query.status,
    ...changes,
  }
  for (const [k, v] of Object.entries(merged)) if (v) p.set(k, v)
  const s = p.toString()
  return s ? `/pipeline?${s}` : '/pipeline'
}

export default function PipelinePage() {
  const {
    query,
    search,
    options,
    funnel,
    matrix,
    buckets,
    forecast,
    mentorLoad,
    mentorCount,
    mentorName,
    mentorSearch,
    flagged,
    flaggedCount,
    list,
    matching,
    page,
    pages,
    total,
  } = useLoaderData<typeof loader>()
  const maxFunnel = Math.max(1, ...funnel.map((f) => f.count))
  return (
    <>
      <h1>Talent pipeline</h1>
      <p>
        {total} candidate{total === 1 ? '' : 's'} in the program{search ? ' match the filters' : ''}.{' '}
        <Link to="/pipeline/gaps">Gap analysis by background</Link> ·{' '}
        <Link to="/people/import">Import people (CSV)</Link>
      </p>

      <Form
        method="get"
        className="card no-print"
        style={{ display: 'flex', gap: '1rem', alignItems: 'end', flexWrap: 'wrap' }}
        aria-label="Filters"
      >
        <PlainSelect
          id="f-background"
          name="background"
          label="Background"
          options={options.backgrounds}
          defaultValue={query.background ?? ''}
          emptyLabel="All"
        />
        <PlainSelect
          id="f-stage"
          name="stage"
          label="Stage"
          options={options.stages}
          defaultValue={query.stage ?? ''}
          emptyLabel="All"
        />
        <div className="field">
          <label htmlFor="f-mentor">Mentor (name or email)</label>
          <input
            id="f-mentor"
            name="mentorName"
            type="search"
            maxLength={100}
            defaultValue={mentorSearch?.text ?? mentorName ?? ''}
            size={18}
          />
        </div>
        <div className="field">
          <label htmlFor="f-cohort">Cohort (enrollment quarter)</label>
          <input
            id="f-cohort"
            name="cohort"
            type="text"
            placeholder="2026-Q1"
            pattern="\d{4}-Q[1-4]"
            defaultValue={query.cohort ?? ''}
            size={9}
          />
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={query.status ?? ''}>
            <option value="">All</option>
            <option value="on-track">On track</option>
            <option value="overdue">Overdue</option>
            <option value="stalled">Stalled</option>
          </select>
        </div>
        <button className="secondary" type="submit">
          Apply filters
        </button>
        {search ? <Link to="/pipeline">Clear</Link> : null}
      </Form>
      {mentorSearch ? (
        <div className="card" role="status">
          {mentorSearch.matches.length === 0 ? (
            <p>No active mentor’s name or email contains “{mentorSearch.text}”.</p>
          ) : (
            <>
              <p>Several mentors match “{mentorSearch.text}”; choose one:</p>
              <ul>
                {mentorSearch.matches.map((m) => (
                  <li key={m.id}>
                    <a href={m.href}>{m.name}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}

      <div className="report-grid">
        <section className="card" aria-labelledby="funnel">
          <h2 id="funnel">Candidates per stage</h2>
          <table>
            <caption className="sr-only">Funnel: candidates per stage</caption>
            <tbody>
              {funnel.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.name}</th>
                  <td style={{ width: '60%' }}>
                    <span
                      aria-hidden="true"
                      style={{
                        display: 'inline-block',
                        height: '0.9rem',
                        width: `${(f.count / maxFunnel) * 100}%`,
                        minWidth: f.count ? '0.3rem' : 0,
                        background: 'var(--brand)',
                        verticalAlign: 'middle',
                      }}
                    />{' '}
                    {f.count}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="readiness">
          <h2 id="readiness">Readiness for the next step</h2>
          <table>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.label}</th>
                  <td>{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="field-hint">
            From the stage gate: the time condition’s date, a month per unsigned required milestone, six months when the
            latest 360 misses the exit profile.
          </p>
        </section>
      </div>

      <section className="card" aria-labelledby="matrix">
        <h2 id="matrix">Background × stage</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Background</th>
              {funnel.map((f) => (
                <th key={f.id} scope="col">
                  {f.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row) => (
              <tr key={row.id}>
                <th scope="row">{row.name}</th>
                {row.cells.map((cell) => (
                  <td key={cell.stage}>
                    <a
                      href={withParam(query, { background: row.id, stage: cell.stage })}
                      aria-label={`${cell.count} ${row.name} in ${funnel.find((f) => f.id === cell.stage)?.name}`}
                    >
                      {cell.count}
                    </a>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="forecast">
        <h2 id="forecast">Certification forecast</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              <th scope="col">Expected new certifications</th>
              <th scope="col">Range</th>
            </tr>
          </thead>
          <tbody>
            {forecast.map((q) => (
              <tr key={q.label}>
                <th scope="row">{q.label}</th>
                <td>{q.expected.toFixed(1)}</td>
                <td>
                  {q.low}–{q.high}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="field-hint">
          The model: each candidate could be certified between the day every remaining stage takes its minimum window
          and the day each takes its maximum (Low-Risk Pod Leadership assumed at most 18 months), evenly likely in
          between; paused candidates are left out. “Expected” adds up each candidate’s chance in the quarter; the range
          runs from those certain to fall in it to those who possibly could.
        </p>
      </section>

      <section className="card" aria-labelledby="list" id="list">
        <h2 id="list">Candidates</h2>
        <p>
          <a href={`/pipeline.csv${search}`} download>
            Download this list as CSV
          </a>
        </p>
        {list.length === 0 ? (
          <p>Nobody matches the filters.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Candidate</th>
                <th scope="col">Background</th>
                <th scope="col">Stage</th>
                <th scope="col">Active time in stage</th>
                <th scope="col">Status</th>
                <th scope="col">Readiness</th>
                <th scope="col">Mentor</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`/program/${c.id}`}>{c.name}</a>
                  </td>
                  <td>{c.background}</td>
                  <td>{c.stage}</td>
                  <td>{c.time}</td>
                  <td title={c.trackReason}>
                    {trackLabels[c.track]}
                    {c.paused ? <span className="badge">paused</span> : null}
                  </td>
                  <td>
                    {c.readiness}
                    {c.readinessReasons.length ? (
                      <span className="field-hint"> — {c.readinessReasons.join(' ')}</span>
                    ) : null}
                  </td>
                  <td>{c.mentor ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pages > 1 ? (
          <nav aria-label="Candidate list pages" className="pager">
            <p>
              Candidates {(page - 1) * PAGE_SIZE + 1}–{Math.min(page * PAGE_SIZE, matching)} of {matching} · page {page}{' '}
              of {pages}
            </p>
            {page > 1 ? (
              <Link to={`${withParam(query, { page: page === 2 ? undefined : String(page - 1) })}#list`}>
                Previous page
              </Link>
            ) : null}
            {page < pages ? <Link to={`${withParam(query, { page: String(page + 1) })}#list`}>Next page</Link> : null}
          </nav>
        ) : null}
      </section>

      <div className="report-grid">
        <section className="card" aria-labelledby="mentors">
          <h2 id="mentors">Mentor load</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Mentor</th>
                <th scope="col">Mentees</th>
                <th scope="col">Pending sign-offs</th>
                <th scope="col">Oldest waiting</th>
              </tr>
            </thead>
            <tbody>
              {mentorLoad.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <a href={`${withParam(query, { mentor: String(m.id) })}#list`}>{m.name}</a>
                  </th>
                  <td>{m.mentees}</td>
                  <td>{m.pending}</td>
                  <td>{m.pending ? `${m.oldestDays} days` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mentorCount > mentorLoad.length ? (
            <p className="field-hint">
              The {mentorLoad.length} mentors with the most pending sign-offs of {mentorCount}; filter by mentor to see
              anyone else’s candidates.
            </p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="signals">
          <h2 id="signals">Retention signals</h2>
          <p className="field-hint">
            Great STOs leave when they feel stuck, micromanaged or undervalued: these candidates need a conversation.
          </p>
          {flagged.length === 0 ? (
            <p>No signals.</p>
          ) : (
            <ul>
              {flagged.map((c) => (
                <li key={c.id}>
                  <a href={`/program/${c.id}`}>{c.name}</a>
                  <ul>
                    {c.flags.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          {flaggedCount > flagged.length ? (
            <p>
              The first {flagged.length} of {flaggedCount} candidates with signals; every candidate’s signals are in the{' '}
              <a href={`/pipeline.csv${search}`} download>
                CSV export
              </a>
              .
            </p>
          ) : null}
        </section>
      </div>
    </>
  )
}
