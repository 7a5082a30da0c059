import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { FormError } from '~/components/forms'
import { Questionnaire } from '~/components/questionnaire'
import { relationshipLabels } from '~/domain/assessment/types'
import { RuleError } from '~/domain/errors'
import { saveRaterAnswers } from '~/models/raters.server'
import { isServiceBusy, transaction } from '~/utils/db.server'
import { getRater } from '~/utils/rater-session.server'
import { parseQuestionnaireSubmission, questionnaireContent } from '~/views/questionnaire.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction = () => [{ title: 'Your feedback · STO Pathway' }]

/** The rater's questionnaire (or the thank-you page once submitted). No account: the rater cookie decides. */
export async function loader({ request }: LoaderFunctionArgs) {
  const found = await getRater(request)
  if (!found) return data({ kind: 'expired' as const }, { status: 401 })
  const { rater, cycle, candidateName } = found
  if (rater.submittedAt) return { kind: 'thanks' as const, candidateName }
  return {
    kind: 'form' as const,
    candidateName,
    raterName: rater.name,
    relationship: rater.relationship,
    dueOn: cycle.dueOn,
    answers: JSON.parse(rater.answersJson ?? '{}') as Record<string, number | null>,
    comments: JSON.parse(rater.commentsJson ?? '{}') as Record<string, string>,
    ...questionnaireContent({ withAnchors: false }),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const found = await getRater(request)
  if (!found)
    return data(
      {
        ok: false,
        message: 'Your session has ended. Open the link from your email again; your saved answers are kept.',
      },
      { status: 401 },
    )
  const { intent, parsed } = parseQuestionnaireSubmission(await readForm(request))
  if (!intent) return data({ ok: false, message: 'Choose "Save draft" or "Submit".' }, { status: 400 })
  if (!parsed.ok) return data({ ok: false, message: parsed.errors.join(' ') }, { status: 400 })
  let outcome: ReturnType<typeof saveRaterAnswers>
  try {
    outcome = transaction((tx) =>
      saveRaterAnswers(tx, found.rater.id, { ...parsed.value, submit: intent === 'submit' }),
    )
  } catch (error) {
    if (error instanceof RuleError) return data({ ok: false, message: error.message }, { status: error.status })
    // Busy: answer beside the form, so the rater keeps what they entered and can press Submit again.
    if (isServiceBusy(error))
      return data({ ok: false, message: error.data.message }, { status: 503, headers: error.init?.headers })
    throw error
  }
  // After submission (or a second submit) the rater sees the thank-you page, and nothing changes.
  if (outcome !== 'saved') throw redirect('/rate')
  return { ok: true, savedAt: new Date().toISOString() }
}

export default function RatePage() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (loaderData.kind === 'expired') {
    return (
      <section className="card error-page">
        <h1>Open your personal link again</h1>
        <p>
          Your session has ended, or this browser has not opened a feedback link yet. Open the link from your email;
          your saved answers are kept.
        </p>
      </section>
    )
  }
  if (loaderData.kind === 'thanks') {
    return (
      <section className="card error-page">
        <h1>Thank you</h1>
        <p>
          Your feedback for {loaderData.candidateName} has been submitted. It can no longer be changed, and there is
          nothing more to do.
        </p>
      </section>
    )
  }
  const { candidateName, raterName, relationship, dueOn, answers, comments, domains, scale } = loaderData
  const label = relationshipLabels[relationship]
  return (
    <div className="rater-shell">
      <h1>Feedback for {candidateName}</h1>
      <section className="card" aria-labelledby="about">
        <h2 id="about">About this questionnaire</h2>
        <p>
          Hello {raterName}. {candidateName} is developing as the Single-Threaded Owner of an AI product and asked for
          your view as their <strong>{label.one.toLowerCase()}</strong>. Please answer by <strong>{dueOn}</strong>.
        </p>
        <p>
          <strong>Who sees what:</strong>{' '}
          {relationship === 'manager'
            ? 'manager answers are attributable: the report shows them as the manager’s view.'
            : `your answers are shown only as part of the ${label.many.toLowerCase()} group, and only if at least three ${label.many.toLowerCase()} answer. Otherwise they are combined with other small groups into the “all others” figure, and only when at least three answers are combined, never on their own. Your name is never shown beside your answers or comments.`}{' '}
          {candidateName}, their mentor and HR read the report after the cycle closes.
        </p>
        <p>
          Your answers are saved as you go, so you can close this page and come back through your link. Submitting is
          final.
        </p>
      </section>
      <FormError
        errors={
          actionData && !actionData.ok && 'message' in actionData && actionData.message
            ? [actionData.message]
            : undefined
        }
      />
      <Questionnaire
        domains={domains}
        scale={scale}
        answers={answers}
        comments={comments}
        readOnly={false}
        commentHint="Comments are shown word for word, without your name, and only for groups large enough to stay anonymous."
        submitLabel="Submit feedback"
      />
    </div>
  )
}
