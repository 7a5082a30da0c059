import { Form } from '@remix-run/react'
import { FormError } from '~/components/forms'
import { StageRecordFields } from '~/components/program/stage-record-fields'

type Option = { value: string; label: string }
type Options = {
  stages: Option[]
  mentors: Option[]
  riskTiers: Option[]
  delegatedDomains: Option[]
  defaultMentorId: string
}

/**
 * HR enrols a candidate. At Shadow it takes effect at once; a later start (prior experience) needs
 * a reason and waits for a second HR person's confirmation, which the form says before it is sent.
 */
export function EnrolForm({
  candidateName,
  options,
  error,
}: {
  candidateName: string
  options: Options
  error?: string[]
}) {
  return (
    <Form method="post" className="stack">
      <h2>Enroll</h2>
      <FormError errors={error} />
      <div className="field">
        <label htmlFor="enroll-stage">Starting stage</label>
        <select id="enroll-stage" name="stageId" defaultValue="shadow" aria-describedby="enroll-stage-hint">
          {options.stages.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <p className="hint" id="enroll-stage-hint">
          A start beyond Shadow is a proposal: it takes effect when a second HR person confirms it.
        </p>
      </div>
      <div className="field">
        <label htmlFor="enroll-reason">Reason for starting beyond Shadow (e.g. prior experience)</label>
        <textarea id="enroll-reason" name="reason" rows={2} maxLength={1000} />
      </div>
      <div className="field">
        <label htmlFor="enroll-on">Enrolled on</label>
        <input id="enroll-on" name="enrolledOn" type="date" defaultValue={new Date().toISOString().slice(0, 10)} />
      </div>
      <div className="field">
        <label htmlFor="enroll-mentor">Mentor</label>
        <select id="enroll-mentor" name="mentorId" defaultValue={options.defaultMentorId}>
          <option value="">Choose a mentor</option>
          {options.mentors.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <StageRecordFields options={options} />
      <div>
        <button className="primary" type="submit" name="intent" value="enroll">
          Enroll {candidateName}
        </button>
      </div>
    </Form>
  )
}

type Proposal = {
  id: number
  stage: string
  enrolledOn: string
  reason: string
  proposedBy: string
  proposedAt: string
  mentor: string
  confirm: { ok: true } | { ok: false; reason: string }
  canCancel: boolean
}

/** A later-stage enrolment waiting for a second HR person: what was proposed, and confirm or cancel. */
export function PendingEnrolment({
  candidateName,
  proposal,
  error,
}: {
  candidateName: string
  proposal: Proposal
  error?: string[]
}) {
  return (
    <section className="card" aria-labelledby="pending-enrolment">
      <h2 id="pending-enrolment">Enrolment waiting for confirmation</h2>
      <FormError errors={error} />
      <dl className="facts">
        <dt>Proposed start</dt>
        <dd>
          {proposal.stage}, from {proposal.enrolledOn}
        </dd>
        <dt>Mentor</dt>
        <dd>{proposal.mentor}</dd>
        <dt>Reason</dt>
        <dd>{proposal.reason}</dd>
        <dt>Proposed by</dt>
        <dd>
          {proposal.proposedBy} on {proposal.proposedAt}
        </dd>
      </dl>
      {proposal.confirm.ok ? (
        <Form method="post">
          <input type="hidden" name="proposalId" value={proposal.id} />
          <button className="primary" type="submit" name="intent" value="confirm-enrolment">
            Confirm: enroll {candidateName} at {proposal.stage}
          </button>
        </Form>
      ) : (
        <p>{proposal.confirm.reason}</p>
      )}
      {proposal.canCancel ? (
        <Form
          method="post"
          style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', flexWrap: 'wrap', marginTop: '1rem' }}
        >
          <input type="hidden" name="proposalId" value={proposal.id} />
          <div className="field">
            <label htmlFor="cancel-enrolment-reason">Reason for cancelling</label>
            <input id="cancel-enrolment-reason" name="reason" type="text" maxLength={500} />
          </div>
          <button className="secondary" type="submit" name="intent" value="cancel-enrolment">
            Cancel the proposal
          </button>
        </Form>
      ) : null}
    </section>
  )
}
