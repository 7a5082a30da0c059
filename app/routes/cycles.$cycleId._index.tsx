import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError, fieldErrorsOf, formErrorsOf, targetErrorsOf } from '~/components/forms'
import { ManageSection, ResponsesSection, StatusSection } from '~/components/cycle/cycle-sections'
import { NominationForm, RaterRow } from '~/components/cycle/raters'
import { relationships, MAX_RATERS } from '~/domain/assessment/types'
import { emailField, nameField, idField } from '~/domain/forms'
import { canManageCycle, canNominate } from '~/domain/assessment/rights'
import { cancelCycle, closeCycle } from '~/models/assessments.server'
import { flushOutbox } from '~/models/outbox.server'
import {
  decideNomination,
  nominateRater,
  remindRaters,
  revokeInvitation,
  sendInvitations,
  withdrawNomination,
} from '~/models/raters.server'
import { cyclePageView } from '~/views/cycle-page.server'
import { formAction } from '~/utils/actions.server'
import { takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { appBaseUrl } from '~/utils/cycles.server'
import { loadCycleFor } from '~/guards/cycles.server'
import { getDb, type Db } from '~/utils/db.server'
import { forbidden } from '~/utils/permissions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `360 for ${data?.cycle.candidateName ?? 'a candidate'} · STO Pathway` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read')
  return { notice: await takeNotice(request), ...cyclePageView(getDb(), user, found, new Date()) }
}

const raterFields = z.object({
  name: nameField,
  email: emailField,
  relationship: z.enum(relationships, { error: 'Choose a relationship.' }),
})
const raterId = idField('Unknown rater.')
const reasonError = 'Give a reason (at least 3 characters).'

const actionSchema = z.discriminatedUnion('intent', [
  raterFields.extend({ intent: z.literal('nominate') }),
  z.object({ intent: z.literal('withdraw'), raterId }),
  raterFields.extend({ intent: z.enum(['approve', 'reject']), raterId }),
  z.object({ intent: z.literal('invite') }),
  z.object({ intent: z.literal('revoke'), raterId }),
  z.object({ intent: z.literal('remind') }),
  z.object({ intent: z.literal('close') }),
  z.object({
    intent: z.literal('cancel'),
    reason: z.string({ error: reasonError }).trim().min(3, reasonError).max(500, 'At most 500 characters.'),
  }),
])

/** The intents of the forms that act on one rater: their messages show beside that rater's row. */
const RATER_INTENTS = ['withdraw', 'approve', 'reject', 'revoke']

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read')
  const { cycle } = found
  const facts = { candidateId: cycle.candidateId, mentorId: found.mentorId }
  const base = appBaseUrl()
  /** One intent's operation; its notice for the next page (null: none). */
  const operate = (input: z.output<typeof actionSchema>, tx: Db): string | null => {
    switch (input.intent) {
      case 'nominate':
        nominateRater(tx, cycle, found.candidateEmail, input)
        return `${input.name} nominated. Your mentor will review the list.`
      case 'withdraw':
        withdrawNomination(tx, cycle, input.raterId)
        return 'Nomination withdrawn.'
      case 'approve':
      case 'reject':
        decideNomination(tx, user.id, cycle, input.raterId, {
          decision: input.intent,
          name: input.name,
          email: input.email,
          relationship: input.relationship,
        })
        return input.intent === 'approve' ? `${input.name} approved.` : `${input.name} rejected.`
      case 'invite': {
        const n = sendInvitations(tx, user.id, cycle, found.candidateName, base)
        return `${n} invitation${n === 1 ? '' : 's'} sent.`
      }
      case 'revoke':
        revokeInvitation(tx, user.id, cycle, input.raterId)
        return 'Invitation revoked; the link no longer works.'
      case 'remind': {
        const n = remindRaters(tx, user.id, cycle, found.candidateName, base)
        return `A reminder went to all ${n} invited rater${n === 1 ? '' : 's'}; it thanks those who have already answered.`
      }
      case 'close':
        closeCycle(tx, user.id, cycle.id, getFramework())
        return null
      case 'cancel':
        cancelCycle(tx, user.id, cycle.id, input.reason)
        return 'Cycle cancelled.'
    }
  }
  return formAction(request, {
    schema: actionSchema,
    target: 'raterId',
    // The candidate nominates and withdraws; the mentor or HR decide and run the cycle.
    guard: (input) => {
      const isCandidateAction = input.intent === 'nominate' || input.intent === 'withdraw'
      if (!(isCandidateAction ? canNominate(user, facts) : canManageCycle(user, facts)).ok) throw forbidden()
    },
    run: (input, tx) => ({ intent: input.intent, notice: operate(input, tx) }),
    // Invitations and reminders are mailed after the commit, never inside the transaction.
    afterCommit: ({ intent }) => {
      if (intent === 'invite' || intent === 'remind') void flushOutbox(getDb())
    },
    done: ({ intent, notice }) =>
      intent === 'close'
        ? { redirectTo: `/cycles/${cycle.id}/report`, notice: null }
        : { redirectTo: `/cycles/${cycle.id}`, notice },
  })
}

export default function CyclePage() {
  const { cycle, viewer, self, raters, responses, reminder, limits, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const nominateErrors = (field: 'name' | 'email' | 'relationship') => fieldErrorsOf(actionData, 'nominate', field)
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/cycles">360 cycles</Link> › {cycle.candidateName}
      </nav>
      <h1>360 assessment: {cycle.candidateName}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormError errors={formErrorsOf(actionData, 'nominate', 'invite', 'remind', 'close', 'cancel')} />
      <StatusSection cycle={cycle} self={self} isCandidate={viewer.isCandidate} />
      <ResponsesSection state={cycle.state} responses={responses} labels={limits} />

      <section className="card" aria-labelledby="raters-heading">
        <h2 id="raters-heading">Raters</h2>
        <p className="muted">
          Limits: {limits.map((l) => `${l.label.toLowerCase()} ${l.min}–${l.max}`).join(', ')}; at most {MAX_RATERS} in
          all. Managers’ answers are attributable; peers, direct reports and stakeholders are shown only as groups of
          three or more. Nominate a few more than three where you can: not everyone answers, and when every one of a
          small group answers, its count says so. Your mentor and HR can take part only as a manager, since they read
          the report.
        </p>
        {raters.length === 0 ? <p>No raters nominated yet.</p> : null}
        {raters.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Relationship</th>
                <th scope="col">Status</th>
                {cycle.open && (viewer.canManage || viewer.canNominate) ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {raters.map((r) => (
                <RaterRow
                  key={r.id}
                  rater={r}
                  cycleOpen={cycle.open}
                  canManage={viewer.canManage}
                  canWithdraw={viewer.canNominate}
                  errors={targetErrorsOf(actionData, String(r.id), ...RATER_INTENTS)}
                />
              ))}
            </tbody>
          </table>
        ) : null}
        {viewer.canNominate && cycle.open ? (
          <NominationForm
            key={raters.length}
            errors={{
              name: nominateErrors('name'),
              email: nominateErrors('email'),
              relationship: nominateErrors('relationship'),
            }}
          />
        ) : null}
      </section>

      {viewer.canManage && cycle.open ? (
        <ManageSection
          state={cycle.state}
          nextReminderAt={reminder.nextAllowedAt}
          reasonErrors={fieldErrorsOf(actionData, 'cancel', 'reason')}
        />
      ) : null}
    </>
  )
}
