import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError } from '~/components/forms'
import { NominationForm, RaterRow, type RaterView } from '~/components/cycle/raters'
import { isOpen, nextReminderAllowedAt, stateLabels } from '~/domain/assessment/cycle'
import { nominationLimits, relationshipLabels, relationships, MAX_RATERS } from '~/domain/assessment/types'
import { emailField, nameField, idField } from '~/domain/forms'
import { canManageCycle, canNominate } from '~/domain/assessment/rights'
import { cancelCycle, closeCycle, getReport, getSelfAssessment } from '~/models/assessments.server'
import { RuleError } from '~/domain/errors'
import { flushOutbox } from '~/models/outbox.server'
import {
  decideNomination,
  listRaters,
  nominateRater,
  remindRaters,
  revokeInvitation,
  sendInvitations,
  withdrawNomination,
} from '~/models/raters.server'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { appBaseUrl, loadCycleFor } from '~/utils/cycles.server'
import { getDb, transaction } from '~/utils/db.server'
import { stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `360 for ${data?.cycle.candidateName ?? 'a candidate'} · STO Pathway` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read')
  const { cycle } = found
  const db = getDb()
  const isCandidate = user.id === cycle.candidateId
  const canManage = canManageCycle(user, { candidateId: cycle.candidateId, mentorId: found.mentorId }).ok
  const self = getSelfAssessment(db, cycle.id)
  // Who answered is nobody's business but the rater's: the list carries no submission state.
  const raterViews: RaterView[] = listRaters(db, cycle.id).map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    relationship: r.relationship,
    status: r.revokedAt ? 'revoked' : r.invitedAt ? 'invited' : r.status,
  }))
  const now = new Date()
  const nextReminder = nextReminderAllowedAt(cycle.lastReminderAt, now)
  return {
    notice: await takeNotice(request),
    cycle: {
      id: cycle.id,
      candidateId: cycle.candidateId,
      candidateName: found.candidateName,
      state: cycle.state,
      stateLabel: stateLabels[cycle.state],
      open: isOpen(cycle.state),
      dueOn: cycle.dueOn,
      stage: stageName(cycle.stage),
      frameworkVersion: cycle.frameworkVersion,
      cancelReason: cycle.cancelReason,
    },
    viewer: { isCandidate, canManage, canNominate: canNominate(user, { candidateId: cycle.candidateId }).ok },
    self: self ? { submitted: self.submittedAt !== null, updatedAt: self.updatedAt } : null,
    raters: raterViews,
    // Who answered is the rater's business alone (decision 0016): nothing about responses is shown
    // while a cycle collects, and after close only the groups the report shows carry a count.
    responses: cycle.state === 'closed' ? responsesShown(getReport(cycle)) : null,
    reminder: { nextAllowedAt: nextReminder?.toISOString() ?? null, lastAt: cycle.lastReminderAt },
    limits: relationships.map((r) => ({ relationship: r, label: relationshipLabels[r].many, ...nominationLimits[r] })),
  }
}

/** Responses per group as the frozen report shows them: a count for shown groups, none for the others. */
function responsesShown(report: ReturnType<typeof getReport>) {
  if (!report) return null
  return relationships.map((r) => ({
    relationship: r,
    responses: report.groupsShown[r].shown ? report.groupsShown[r].responses : null,
  }))
}

const raterFields = z.object({
  name: nameField,
  email: emailField,
  relationship: z.enum(relationships, { error: 'Choose a relationship.' }),
})
const raterId = idField('Unknown rater.')

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
    reason: z.string().trim().min(3, 'Give a reason (at least 3 characters).').max(500, 'At most 500 characters.'),
  }),
])

type FieldErrors = Partial<Record<'name' | 'email' | 'relationship' | 'reason', string>>

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const found = loadCycleFor(user, params.cycleId, 'read')
  const { cycle } = found
  const form = Object.fromEntries(await readForm(request))
  const parsed = actionSchema.safeParse(form)
  const raterKey = typeof form.raterId === 'string' ? form.raterId : null
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {}
    for (const issue of parsed.error.issues) {
      const key = issue.path[0]
      if (key === 'name' || key === 'email' || key === 'relationship' || key === 'reason')
        fieldErrors[key] ??= issue.message
    }
    const message = Object.keys(fieldErrors).length === 0 ? 'That request was not valid.' : null
    return data(
      { ok: false as const, message, fieldErrors, raterId: raterKey, intent: String(form.intent ?? '') },
      { status: 400 },
    )
  }
  const input = parsed.data
  const isCandidateAction = input.intent === 'nominate' || input.intent === 'withdraw'
  const facts = { candidateId: cycle.candidateId, mentorId: found.mentorId }
  if (!(isCandidateAction ? canNominate(user, facts) : canManageCycle(user, facts)).ok) throw forbidden()

  const base = appBaseUrl()
  let notice: string
  try {
    notice = transaction((tx) => {
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
          return 'Cycle closed. The report is ready.'
        case 'cancel':
          cancelCycle(tx, user.id, cycle.id, input.reason)
          return 'Cycle cancelled.'
      }
    })
  } catch (error) {
    if (error instanceof RuleError) {
      const fieldErrors: FieldErrors =
        error.field === 'name' || error.field === 'email' || error.field === 'relationship'
          ? { [error.field]: error.message }
          : {}
      return data(
        {
          ok: false as const,
          message: error.field && error.field in fieldErrors ? null : error.message,
          fieldErrors,
          raterId: raterKey,
          intent: input.intent,
        },
        { status: error.status },
      )
    }
    throw error
  }
  if (input.intent === 'invite' || input.intent === 'remind') void flushOutbox(getDb())
  if (input.intent === 'close') throw redirect(`/cycles/${cycle.id}/report`)
  throw await redirectWithNotice(request, `/cycles/${cycle.id}`, notice)
}

export default function CyclePage() {
  const { cycle, viewer, self, raters, responses, reminder, limits, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const pageError =
    actionData && !actionData.ok && actionData.message && !actionData.raterId ? actionData.message : null
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
      <FormError errors={pageError ? [pageError] : undefined} />
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
        {viewer.isCandidate && cycle.open ? (
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

      {cycle.state === 'collecting' ? (
        <section className="card" aria-labelledby="progress">
          <h2 id="progress">Responses</h2>
          <p>
            Nobody but each rater knows whether they have answered: no counts are shown while feedback is collected.
            When the cycle closes, the report shows every group with enough answers.
          </p>
        </section>
      ) : null}
      {responses ? (
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
                  <th scope="row">{limits.find((l) => l.relationship === p.relationship)?.label}</th>
                  <td>{p.responses === null ? 'Not shown' : p.responses}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

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
                  error={actionData && !actionData.ok && actionData.raterId === String(r.id) ? actionData : null}
                />
              ))}
            </tbody>
          </table>
        ) : null}
        {viewer.canNominate && cycle.open ? (
          <NominationForm
            key={raters.length}
            errors={
              actionData && !actionData.ok && actionData.intent === 'nominate' ? actionData.fieldErrors : undefined
            }
          />
        ) : null}
      </section>

      {viewer.canManage && cycle.open ? (
        <section className="card" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage this cycle</h2>
          <div style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap' }}>
            <Form method="post">
              <button className="primary" type="submit" name="intent" value="invite">
                Send invitations to approved raters
              </button>
            </Form>
            {cycle.state === 'collecting' ? (
              <Form method="post">
                <button
                  className="secondary"
                  type="submit"
                  name="intent"
                  value="remind"
                  disabled={reminder.nextAllowedAt !== null}
                >
                  Remind all invited raters
                </button>
                {reminder.nextAllowedAt ? (
                  <p className="field-hint">
                    Next reminder possible after {reminder.nextAllowedAt.slice(0, 16).replace('T', ' ')} UTC.
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
                aria-invalid={actionData && !actionData.ok && actionData.fieldErrors.reason ? true : undefined}
                aria-describedby={
                  actionData && !actionData.ok && actionData.fieldErrors.reason ? 'cancel-reason-error' : undefined
                }
              />
              {actionData && !actionData.ok && actionData.fieldErrors.reason ? (
                <p id="cancel-reason-error" className="field-error">
                  {actionData.fieldErrors.reason}
                </p>
              ) : null}
            </div>
            <div>
              <button className="danger" type="submit" name="intent" value="cancel">
                Cancel this cycle
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  )
}
