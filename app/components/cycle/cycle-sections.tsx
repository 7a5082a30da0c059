/** Sections of the cycle page (routes/cycles.$cycleId._index): its facts, the response counts, and managing it. */
import { Form, Link } from '@remix-run/react'
import { ErrorList } from '~/components/forms'

type CycleFacts = {
  id: number
  state: string
  stateLabel: string
  open: boolean
  dueOn: string
  stage: string | null
  frameworkVersion: string
  cancelReason: string | null
}

export function StatusSection({
  cycle,
  self,
  isCandidate,
}: {
  cycle: CycleFacts
  self: { submitted: boolean; updatedAt: string } | null
  isCandidate: boolean
}) {
  return (
    <section className="card" aria-labelledby="cycle-facts">
      <h2 id="cycle-facts">Status</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{cycle.stateLabel}</dd>
        <dt>Due</dt>
        <dd>{cycle.dueOn} (closes at the end of that day, UTC)</dd>
        <dt>Stage at opening</dt>
        <dd>{cycle.stage}</dd>
        <dt>Framework</dt>
        <dd>{cycle.frameworkVersion}</dd>
        <dt>Self-assessment</dt>
        <dd>
          {self
            ? self.submitted
              ? 'Submitted'
              : `Draft saved ${self.updatedAt.slice(0, 16).replace('T', ' ')} UTC`
            : 'Not started'}
        </dd>
        {cycle.cancelReason ? (
          <>
            <dt>Cancelled because</dt>
            <dd>{cycle.cancelReason}</dd>
          </>
        ) : null}
      </dl>
      {cycle.state === 'closed' ? (
        <p>
          <Link className="button" to={`/cycles/${cycle.id}/report`}>
            Open the report
          </Link>
        </p>
      ) : null}
      {isCandidate && cycle.open ? (
        <p>
          <Link className="button" to={`/cycles/${cycle.id}/self`}>
            {self?.submitted
              ? 'View your self-assessment'
              : self
                ? 'Continue your self-assessment'
                : 'Start your self-assessment'}
          </Link>
        </p>
      ) : null}
    </section>
  )
}

/** While collecting: no counts at all; once closed: a count only for the groups the report shows. */
export function ResponsesSection({
  state,
  responses,
  labels,
}: {
  state: string
  responses: Array<{ relationship: string; responses: number | null }> | null
  labels: Array<{ relationship: string; label: string }>
}) {
  if (state === 'collecting')
    return (
      <section className="card" aria-labelledby="progress">
        <h2 id="progress">Responses</h2>
        <p>
          Nobody but each rater knows whether they have answered: no counts are shown while feedback is collected. When
          the cycle closes, the report shows every group with enough answers.
        </p>
      </section>
    )
  if (!responses) return null
  return (
    <section className="card" aria-labelledby="progress">
      <h2 id="progress">Responses</h2>
      <p className="muted">Groups with too few answers are not shown, and neither is their count.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Answered</th>
          </tr>
        </thead>
        <tbody>
          {responses.map((p) => (
            <tr key={p.relationship}>
              <th scope="row">{labels.find((l) => l.relationship === p.relationship)?.label}</th>
              <td>{p.responses === null ? 'Not shown' : p.responses}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The mentor's or HR's controls: invite, remind, close, and cancel with a reason. */
export function ManageSection({
  state,
  nextReminderAt,
  reasonErrors,
}: {
  state: string
  nextReminderAt: string | null
  reasonErrors: string[] | undefined
}) {
  return (
    <section className="card" aria-labelledby="manage-heading">
      <h2 id="manage-heading">Manage this cycle</h2>
      <div style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap' }}>
        <Form method="post">
          <button className="primary" type="submit" name="intent" value="invite">
            Send invitations to approved raters
          </button>
        </Form>
        {state === 'collecting' ? (
          <Form method="post">
            <button className="secondary" type="submit" name="intent" value="remind" disabled={nextReminderAt !== null}>
              Remind all invited raters
            </button>
            {nextReminderAt ? (
              <p className="field-hint">
                Next reminder possible after {nextReminderAt.slice(0, 16).replace('T', ' ')} UTC.
              </p>
            ) : null}
          </Form>
        ) : null}
        <Form method="post">
          <button className="secondary" type="submit" name="intent" value="close">
            Close now and release the report
          </button>
        </Form>
      </div>
      <Form method="post" className="stack" style={{ marginTop: '1rem' }}>
        <div className="field">
          <label htmlFor="cancel-reason">Reason for cancelling</label>
          <input
            id="cancel-reason"
            name="reason"
            type="text"
            maxLength={500}
            aria-invalid={reasonErrors ? true : undefined}
            aria-describedby={reasonErrors ? 'cancel-reason-error' : undefined}
          />
          <ErrorList id="cancel-reason-error" errors={reasonErrors} />
        </div>
        <div>
          <button className="danger" type="submit" name="intent" value="cancel">
            Cancel this cycle
          </button>
        </div>
      </Form>
    </section>
  )
}
