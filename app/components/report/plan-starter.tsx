/** The report's development plan starter: the largest gaps, each with a form to add it to the candidate's plan. */
import { Form } from '@remix-run/react'
import { ErrorList, FormError } from '~/components/forms'
import { signed } from './format'

export type Suggestion = { capabilityId: string; name: string; accepted: boolean; gap: number | null }

export function PlanStarter({
  suggestions,
  canAccept,
  notice,
  formErrors,
  actionErrorsOf,
}: {
  suggestions: Suggestion[]
  canAccept: boolean
  notice: string | null
  /** Messages about the request as a whole, shown above the list. */
  formErrors: string[] | undefined
  /** The messages beside one suggestion's "what will you do" field. */
  actionErrorsOf: (capabilityId: string) => string[] | undefined
}) {
  return (
    <section className="card" id="plan" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Development plan starter</h2>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormError errors={formErrors} />
      {suggestions.length === 0 ? (
        <p>No capability is below its target: there is no gap to suggest.</p>
      ) : (
        <ul>
          {suggestions.map((s) => {
            const errors = actionErrorsOf(s.capabilityId)
            const errorId = `plan-${s.capabilityId}-error`
            return (
              <li key={s.capabilityId} style={{ marginBottom: '0.75rem' }}>
                <strong>{s.name}</strong> (gap {signed(s.gap)})
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
                        aria-invalid={errors ? true : undefined}
                        aria-describedby={errors ? errorId : undefined}
                      />
                      <ErrorList id={errorId} errors={errors} />
                    </div>
                    <button className="secondary" type="submit" name="intent" value="accept">
                      Add to my plan
                    </button>
                  </Form>
                ) : (
                  <span className="muted"> — suggested</span>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
