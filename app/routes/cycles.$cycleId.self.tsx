import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError } from '~/components/forms'
import { Questionnaire } from '~/components/questionnaire'
import { acceptsAnswers } from '~/domain/assessment/cycle'
import { getSelfAssessment, saveSelfAssessment } from '~/models/assessments.server'
import { RuleError } from '~/domain/errors'
import { redirectWithNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { loadOwnSelfAssessmentCycle } from '~/guards/cycles.server'
import { getDb, transaction } from '~/utils/db.server'
import { parseQuestionnaireSubmission, questionnaireContent } from '~/views/questionnaire.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction = () => [{ title: 'Self-assessment · STO Pathway' }]

/** Only the candidate opens their own self-assessment. */
async function loadOwnCycle(request: Request, cycleId: string | undefined) {
  return loadOwnSelfAssessmentCycle(await requireUser(request), cycleId)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cycle } = await loadOwnCycle(request, params.cycleId)
  const self = getSelfAssessment(getDb(), cycle.id)
  return {
    cycle: { id: cycle.id, dueOn: cycle.dueOn },
    editable: acceptsAnswers(cycle, new Date()) && !self?.submittedAt,
    submitted: Boolean(self?.submittedAt),
    answers: self?.answers ?? {},
    comments: self?.comments ?? {},
    ...questionnaireContent({ withAnchors: true }),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cycle } = await loadOwnCycle(request, params.cycleId)
  const { intent, parsed } = parseQuestionnaireSubmission(await readForm(request))
  if (!intent) return data({ ok: false, message: 'Choose "Save draft" or "Submit".' }, { status: 400 })
  if (!parsed.ok) return data({ ok: false, message: parsed.errors.join(' ') }, { status: 400 })
  try {
    transaction((tx) => saveSelfAssessment(tx, cycle, { ...parsed.value, submit: intent === 'submit' }))
  } catch (error) {
    if (error instanceof RuleError) return data({ ok: false, message: error.message }, { status: error.status })
    throw error
  }
  if (intent === 'submit') throw await redirectWithNotice(request, `/cycles/${cycle.id}`, 'Self-assessment submitted.')
  return { ok: true, savedAt: new Date().toISOString() }
}

export default function SelfAssessmentPage() {
  const { cycle, editable, submitted, answers, comments, domains, scale } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/cycles/${cycle.id}`}>360 cycle</Link> › Self-assessment
      </nav>
      <h1>Your self-assessment</h1>
      <p>
        Rate yourself on every statement: how well and how consistently do you do this today? Choose “Not observed”
        where you have had no chance to show it. Your draft is saved as you go; submitting is final. Due {cycle.dueOn}.
      </p>
      {submitted ? (
        <p className="notice" role="status">
          You submitted your self-assessment. It appears beside your raters’ answers in the report once the cycle
          closes.
        </p>
      ) : null}
      {!editable && !submitted ? (
        <p className="form-error">This cycle is closed; the self-assessment can no longer change.</p>
      ) : null}
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
        readOnly={!editable}
        commentHint="Only you, your mentor and HR see your own comments, in the report."
        submitLabel="Submit self-assessment"
      />
    </>
  )
}
