import { Form } from '@remix-run/react'
import { relationshipLabels, relationships, type Relationship } from '~/domain/assessment/types'

export type RaterView = {
  id: number
  name: string
  email: string
  relationship: Relationship
  status: 'proposed' | 'approved' | 'rejected' | 'invited' | 'revoked'
}

const statusLabels: Record<RaterView['status'], string> = {
  proposed: 'Awaiting approval',
  approved: 'Approved, not yet invited',
  rejected: 'Rejected',
  invited: 'Invited',
  revoked: 'Invitation revoked',
}

function RelationshipSelect({
  id,
  defaultValue,
  invalid,
  describedBy,
}: {
  id: string
  defaultValue?: Relationship
  invalid?: boolean
  describedBy?: string
}) {
  return (
    <select
      id={id}
      name="relationship"
      defaultValue={defaultValue ?? ''}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
    >
      {defaultValue ? null : <option value="">Choose…</option>}
      {relationships.map((r) => (
        <option key={r} value={r}>
          {relationshipLabels[r].one}
        </option>
      ))}
    </select>
  )
}

/** One rater: for the mentor or HR, an inline form to edit and approve or reject, or to revoke the invitation. */
export function RaterRow({
  rater,
  cycleOpen,
  canManage,
  canWithdraw,
  errors = [],
}: {
  rater: RaterView
  cycleOpen: boolean
  canManage: boolean
  canWithdraw: boolean
  /** The messages of the reply about this rater (formErrors first), shown beside the row. */
  errors?: string[]
}) {
  const decidable =
    canManage &&
    cycleOpen &&
    (rater.status === 'proposed' || rater.status === 'approved' || rater.status === 'rejected')
  const p = `rater-${rater.id}`
  const errorId = `${p}-error`
  if (decidable) {
    return (
      <tr>
        <td colSpan={3}>
          <Form
            method="post"
            id={`${p}-form`}
            style={{ display: 'grid', gap: '0.4rem', gridTemplateColumns: '1fr 1.4fr 1fr' }}
          >
            <input type="hidden" name="raterId" value={rater.id} />
            <label className="sr-only" htmlFor={`${p}-name`}>
              Name of rater {rater.name}
            </label>
            <input
              id={`${p}-name`}
              name="name"
              type="text"
              defaultValue={rater.name}
              maxLength={120}
              aria-describedby={errors.length ? errorId : undefined}
            />
            <label className="sr-only" htmlFor={`${p}-email`}>
              Email of rater {rater.name}
            </label>
            <input
              id={`${p}-email`}
              name="email"
              type="email"
              defaultValue={rater.email}
              maxLength={254}
              aria-describedby={errors.length ? errorId : undefined}
            />
            <label className="sr-only" htmlFor={`${p}-rel`}>
              Relationship of rater {rater.name}
            </label>
            <RelationshipSelect
              id={`${p}-rel`}
              defaultValue={rater.relationship}
              describedBy={errors.length ? errorId : undefined}
            />
          </Form>
          {errors.length ? (
            <p id={errorId} className="field-error" role="alert">
              {errors.join(' ')}
            </p>
          ) : null}
        </td>
        <td>{statusLabels[rater.status]}</td>
        <td style={{ whiteSpace: 'nowrap' }}>
          <button
            className="secondary"
            type="submit"
            form={`${p}-form`}
            name="intent"
            value="approve"
            aria-label={`Approve ${rater.name}`}
          >
            Approve
          </button>{' '}
          <button
            className="secondary"
            type="submit"
            form={`${p}-form`}
            name="intent"
            value="reject"
            aria-label={`Reject ${rater.name}`}
          >
            Reject
          </button>
        </td>
      </tr>
    )
  }
  return (
    <tr>
      <td>{rater.name}</td>
      <td>{rater.email}</td>
      <td>{relationshipLabels[rater.relationship].one}</td>
      <td>
        {statusLabels[rater.status]}
        {errors.length ? (
          <p className="field-error" role="alert">
            {errors.join(' ')}
          </p>
        ) : null}
      </td>
      {cycleOpen && (canManage || canWithdraw) ? (
        <td>
          {canManage && rater.status === 'invited' ? (
            <Form method="post">
              <input type="hidden" name="raterId" value={rater.id} />
              <button
                className="secondary"
                type="submit"
                name="intent"
                value="revoke"
                aria-label={`Revoke the invitation of ${rater.name}`}
              >
                Revoke
              </button>
            </Form>
          ) : null}
          {canWithdraw &&
          (rater.status === 'proposed' || rater.status === 'approved' || rater.status === 'rejected') ? (
            <Form method="post">
              <input type="hidden" name="raterId" value={rater.id} />
              <button
                className="secondary"
                type="submit"
                name="intent"
                value="withdraw"
                aria-label={`Withdraw the nomination of ${rater.name}`}
              >
                Withdraw
              </button>
            </Form>
          ) : null}
        </td>
      ) : null}
    </tr>
  )
}

/** The candidate adds one rater at a time; limits are checked on the server. */
export function NominationForm({
  errors,
}: {
  errors?: Partial<Record<'name' | 'email' | 'relationship', string[] | undefined>>
}) {
  const field = (name: 'name' | 'email' | 'relationship') => ({
    'aria-invalid': errors?.[name] ? true : undefined,
    'aria-describedby': errors?.[name] ? `nominate-${name}-error` : undefined,
  })
  const error = (name: 'name' | 'email' | 'relationship') =>
    errors?.[name] ? (
      <p id={`nominate-${name}-error`} className="field-error">
        {errors[name]?.join(' ')}
      </p>
    ) : null
  return (
    <Form method="post" className="stack" style={{ marginTop: '1rem' }} aria-labelledby="nominate-heading">
      <h3 id="nominate-heading">Nominate a rater</h3>
      <div className="field">
        <label htmlFor="nominate-name">Rater’s name</label>
        <input id="nominate-name" name="name" type="text" maxLength={120} required {...field('name')} />
        {error('name')}
      </div>
      <div className="field">
        <label htmlFor="nominate-email">Rater’s email</label>
        <input id="nominate-email" name="email" type="email" maxLength={254} required {...field('email')} />
        {error('email')}
      </div>
      <div className="field">
        <label htmlFor="nominate-relationship">Their relationship to you</label>
        <RelationshipSelect
          id="nominate-relationship"
          invalid={Boolean(errors?.relationship)}
          describedBy={errors?.relationship ? 'nominate-relationship-error' : undefined}
        />
        {error('relationship')}
      </div>
      <div>
        <button className="primary" type="submit" name="intent" value="nominate">
          Add rater
        </button>
      </div>
    </Form>
  )
}
