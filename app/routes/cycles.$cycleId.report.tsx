import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { fieldErrorsOf, formErrorsOf } from '~/components/forms'
import { PlanStarter } from '~/components/report/plan-starter'
import { CommentsSection, GroupsSection, ProfileSection, SummarySection } from '~/components/report/sections'
import { BackgroundGapSection, CapabilityTable, TrendSection } from '~/components/report/tables'
import { acceptSuggestion } from '~/models/assessments.server'
import { reportPageView } from '~/views/report.server'
import { formAction } from '~/utils/actions.server'
import { takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { loadCycleFor, loadCycleForOwnPlan } from '~/guards/cycles.server'
import { getDb } from '~/utils/db.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `360 report — ${data?.candidate.name ?? 'candidate'} · STO Pathway` },
]

/** The frozen report of a closed cycle, for the candidate, their mentor and HR (see views/report.server). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read', 'report')
  const view = reportPageView(getDb(), user, found)
  return view.ready ? { notice: await takeNotice(request), ...view } : view
}

const actionError = 'Describe what you will do (at least 5 characters).'
const acceptSchema = z.object({
  intent: z.literal('accept'),
  capabilityId: z.string({ error: 'That request was not valid.' }).min(1).max(64),
  action: z.string({ error: actionError }).trim().min(5, actionError).max(500, 'At most 500 characters.'),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleForOwnPlan(user, params.cycleId)
  return formAction(request, {
    schema: acceptSchema,
    target: 'capabilityId',
    run: (input, tx) => acceptSuggestion(tx, user.id, found.cycle, input.capabilityId, input.action),
    done: () => ({ redirectTo: `/cycles/${found.cycle.id}/report#plan`, notice: 'Added to your development plan.' }),
  })
}

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
  const { candidate, cycle, report, capabilityNames, minimums, background, previous, selfComments } = loaderData
  const name = (id: string) => capabilityNames[id] ?? id
  const formErrors = [
    ...(formErrorsOf(actionData, 'accept') ?? []),
    ...(fieldErrorsOf(actionData, 'accept', 'capabilityId') ?? []),
  ]
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
      <SummarySection report={report} name={name} />
      <GroupsSection report={report} minimums={minimums} />
      <ProfileSection report={report} />
      <CapabilityTable report={report} previous={previous} />
      {background ? <BackgroundGapSection report={report} background={background} name={name} /> : null}
      {previous ? <TrendSection report={report} previous={previous} /> : null}
      <CommentsSection report={report} selfComments={selfComments} />
      <PlanStarter
        suggestions={loaderData.suggestions}
        canAccept={loaderData.canAccept}
        notice={loaderData.notice}
        formErrors={formErrors.length ? formErrors : undefined}
        actionErrorsOf={(id) => (actionData?.target === id ? fieldErrorsOf(actionData, 'accept', 'action') : undefined)}
      />
    </article>
  )
}
