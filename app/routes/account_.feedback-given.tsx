import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { relationshipLabels } from '~/domain/assessment/types'
import { z } from 'zod'
import { allErrorsOf } from '~/components/forms'
import { linkOwnRaterRow, ownFeedbackGiven, ownsPassword } from '~/models/own-feedback.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { formAction } from '~/utils/actions.server'
import { getDb } from '~/utils/db.server'
import { takeNotice } from '~/utils/flash.server'
import { readForm } from '~/utils/forms.server'
import { getRater } from '~/utils/rater-session.server'

export const meta: MetaFunction = () => [{ title: 'Feedback you gave · STO Pathway' }]

/**
 * A person's own answers as a rater, read-only, for them alone (decision 0014, amended; issue 11).
 * Whose rows these are comes only from the session: the logged-in account and, to link a row, the
 * rater session of the same browser. Nothing in the URL or the form may name an email, a person or
 * a rater — such a request is refused (400), so no one can ask for someone else's answers here.
 * The rule for which rows are shown is in `linkOwnRaterRow` (app/models/own-feedback.server.ts).
 */
const refuseNamedTarget = (keys: Iterable<string>, allowed: string[]) => {
  const extra = [...keys].filter((k) => !allowed.includes(k))
  if (extra.length > 0)
    throw data(
      {
        message:
          'This page shows only your own feedback, found from your login; it takes no email, person or rater. Nothing was read or saved.',
      },
      { status: 400 },
    )
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  // `_data` / `index` are Remix's own parameters of a data request.
  refuseNamedTarget(new URL(request.url).searchParams.keys(), ['_data', 'index'])
  const db = getDb()
  const rater = await getRater(request)
  const pending =
    rater && rater.rater.email.toLowerCase() === user.email.toLowerCase() && rater.rater.personId !== user.id
  return {
    rows: ownFeedbackGiven(db, user.id, getFramework()),
    /** A live rater session of this browser, for this account's email, not linked yet. */
    canLink: Boolean(pending),
    ownPassword: ownsPassword(db, user.id),
    notice: await takeNotice(request),
  }
}

const linkSchema = z.object({ intent: z.literal('link', { error: 'Unknown action. Nothing was saved.' }) })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  refuseNamedTarget(new URL(request.url).searchParams.keys(), ['_data', 'index'])
  const formData = await readForm(request)
  refuseNamedTarget(formData.keys(), ['intent'])
  const rater = await getRater(request)
  return formAction(request, {
    schema: linkSchema,
    formData,
    run: (_input, tx) => linkOwnRaterRow(tx, user, rater ? { id: rater.rater.id, email: rater.rater.email } : null),
    done: () => ({
      redirectTo: '/account/feedback-given',
      notice: 'Linked: your answers for this cycle are kept here, for you alone.',
    }),
  })
}

export default function FeedbackGivenPage() {
  const { rows, canLink, ownPassword, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData ? allErrorsOf(actionData, actionData.intent) : undefined
  return (
    <>
      <h1>Feedback you gave</h1>
      <p>
        Your own answers as a 360 rater. Only you see them here: they are not in the data export HR or an admin can
        download for you, which says only in how many cycles you were asked.{' '}
        <Link to="/account">Back to your account</Link>
      </p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {errors ? (
        <p className="error" role="alert">
          {errors.join(' ')}
        </p>
      ) : null}
      <section className="card" aria-labelledby="link-heading">
        <h2 id="link-heading">Keep your answers here</h2>
        <p>
          Answers are kept here only for cycles you link yourself: while the cycle is open, open the personal link from
          your invitation email in this browser while logged in, then press the button. The invitation must have gone to
          your account’s address, and the password you log in with must be one you set yourself. If anyone else sets
          your password later, linked answers are no longer shown.
        </p>
        {!ownPassword ? <p className="notice">First set a password of your own on your account page.</p> : null}
        {canLink ? (
          <Form method="post">
            <button className="primary" type="submit" name="intent" value="link">
              Link the feedback I am giving to my account
            </button>
          </Form>
        ) : (
          <p className="muted">No open feedback link of yours in this browser.</p>
        )}
      </section>
      {rows.length === 0 ? (
        <p>No linked answers yet.</p>
      ) : (
        rows.map((r) => (
          <section key={r.raterId} className="card" aria-label={`Feedback for ${r.candidateName}`}>
            <h2>{r.candidateName}</h2>
            <dl className="facts">
              <dt>As</dt>
              <dd>{relationshipLabels[r.relationship].one}</dd>
              <dt>Due</dt>
              <dd>{r.dueOn}</dd>
              <dt>Status</dt>
              <dd>{r.submittedAt ? `Submitted ${r.submittedAt.slice(0, 10)}` : 'Draft'}</dd>
            </dl>
            <table>
              <thead>
                <tr>
                  <th scope="col">Statement</th>
                  <th scope="col">Your answer</th>
                </tr>
              </thead>
              <tbody>
                {r.answers.map((a) => (
                  <tr key={a.statementId}>
                    <td>{a.text}</td>
                    <td>{a.score ?? 'Not observed'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.comments.length > 0 ? (
              <>
                <h3>Your comments</h3>
                <dl>
                  {r.comments.map((c) => (
                    <div key={c.domainId}>
                      <dt>{c.domain}</dt>
                      <dd>{c.text}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
          </section>
        ))
      )}
    </>
  )
}
