import { Form } from '@remix-run/react'
import { FormError } from '~/components/forms'

/** HR's controls for a running enrollment: pause or resume, and withdraw (each with its reason). */
export function ManageEnrollment({ status, error }: { status: string; error?: string[] }) {
  return (
    <section className="card" aria-labelledby="manage">
      <h2 id="manage">Manage enrollment</h2>
      <FormError errors={error} />
      {status === 'paused' ? (
        <Form method="post">
          <button className="secondary" type="submit" name="intent" value="resume">
            Resume the program
          </button>
        </Form>
      ) : (
        <Form method="post" style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', flexWrap: 'wrap' }}>
          <div className="field">
            <label htmlFor="pause-reason">Reason for pausing (leave, reassignment)</label>
            <input id="pause-reason" name="reason" type="text" maxLength={500} />
          </div>
          <button className="secondary" type="submit" name="intent" value="pause">
            Pause
          </button>
        </Form>
      )}
      <Form
        method="post"
        style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', flexWrap: 'wrap', marginTop: '1rem' }}
      >
        <div className="field">
          <label htmlFor="withdraw-reason">Reason for withdrawal</label>
          <input id="withdraw-reason" name="reason" type="text" maxLength={1000} />
        </div>
        <button className="danger" type="submit" name="intent" value="withdraw">
          Withdraw from the program
        </button>
      </Form>
    </section>
  )
}
