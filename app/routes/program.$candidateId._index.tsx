import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError } from '~/components/forms'
import { canAccess, hasPermission } from '~/domain/permissions'
import { RuleError } from '~/domain/errors'
import { addOneOffMilestone } from '~/models/milestones.server'
import { addPlanItem, commentOnPlanItem, setPlanItemStatus } from '~/models/plan.server'
import { pauseEnrollment, resumeEnrollment, withdrawEnrollment } from '~/models/program.server'
import { cancelEnrolmentProposal, confirmEnrolment, enroll } from '~/models/enrolment.server'
import { programTimeline } from '~/views/program.server'
import { EnrolForm, PendingEnrolment } from '~/components/program/enrolment'
import { ManageEnrollment } from '~/components/program/manage-enrollment'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { acceptSuggestion, latestClosedCycle } from '~/models/assessments.server'
import { findBackground, getFramework } from '~/utils/content.server'
import { transaction } from '~/utils/db.server'
import { forbidden } from '~/utils/permissions.server'
import { loadCandidateFor, today } from '~/utils/program.server'
import { readForm } from '~/utils/forms.server'
import { idField } from '~/domain/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Program — ${data?.candidate.name ?? 'candidate'} · STO Pathway` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const person = loadCandidateFor(user, params.candidateId)
  return { notice: await takeNotice(request), ...programTimeline(user, person) }
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD.')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'Enter a real date.',
  )
const text = (min: number, max: number, what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(min, `Enter ${what} (at least ${min} characters).`)
    .max(max, `At most ${max} characters.`)
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null))

const actionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('enroll'),
    stageId: z.string().max(64),
    enrolledOn: day.refine((d) => d <= today(), 'The enrollment date cannot be in the future.'),
    mentorId: z.coerce.number({ error: 'Choose a mentor.' }).int().positive('Choose a mentor.'),
    reason: optional(1000),
    delegatedDomain: optional(64),
    podName: optional(120),
    riskTier: optional(64),
    certifiedTiers: z.array(z.string().max(64)).max(10).optional(),
  }),
  z.object({ intent: z.literal('confirm-enrolment'), proposalId: idField('Unknown enrolment proposal.') }),
  z.object({
    intent: z.literal('cancel-enrolment'),
    proposalId: idField('Unknown enrolment proposal.'),
    reason: text(5, 500, 'the reason'),
  }),
  z.object({ intent: z.literal('pause'), reason: text(5, 500, 'the reason') }),
  z.object({ intent: z.literal('resume') }),
  z.object({ intent: z.literal('withdraw'), reason: text(10, 1000, 'the reason') }),
  z.object({
    intent: z.literal('add-milestone'),
    title: text(3, 120, 'a title'),
    description: text(10, 600, 'what the candidate must do'),
    evidence: text(5, 400, 'the evidence expected'),
    signOff: z.enum(['mentor', 'hr', 'mentor-then-hr'], { error: 'Choose who signs off.' }),
    required: z.enum(['yes', 'no']).transform((v) => v === 'yes'),
  }),
  z.object({
    intent: z.literal('add-plan'),
    capabilityId: z.string().max(64),
    action: text(5, 500, 'the action'),
    dueOn: day.optional().or(z.literal('').transform(() => undefined)),
  }),
  z.object({
    intent: z.literal('add-suggestion'),
    capabilityId: z.string().max(64),
    source: z.enum(['assessment', 'background']),
    action: text(5, 500, 'the action'),
  }),
  z.object({
    intent: z.literal('plan-status'),
    itemId: idField('Unknown plan item.'),
    status: z.enum(['open', 'done', 'dropped']),
  }),
  z.object({
    intent: z.literal('plan-comment'),
    itemId: idField('Unknown plan item.'),
    body: text(2, 1000, 'a comment'),
  }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const person = loadCandidateFor(user, params.candidateId)
  const formData = await readForm(request)
  const raw = { ...Object.fromEntries(formData), certifiedTiers: formData.getAll('certifiedTiers') }
  const parsed = actionSchema.safeParse(raw)
  const intent = String(formData.get('intent') ?? '')
  if (!parsed.success)
    return data({ intent, message: parsed.error.issues.map((i) => i.message).join(' ') }, { status: 400 })
  const input = parsed.data
  const fw = getFramework()
  const ownership = { ownerId: person.id, mentorId: person.candidate.mentorId }
  const hr = hasPermission(user, 'update:program:any')
  const allowed =
    input.intent === 'add-plan' || input.intent === 'plan-status' || input.intent === 'add-suggestion'
      ? user.id === person.id && hasPermission(user, 'update:plan:own')
      : input.intent === 'plan-comment'
        ? canAccess(user, 'create', 'plan-comment', ownership) && user.id !== person.id
        : hr
  if (!allowed) throw forbidden()
  if (
    hr &&
    user.id === person.id &&
    input.intent !== 'add-plan' &&
    input.intent !== 'plan-status' &&
    input.intent !== 'add-suggestion' &&
    input.intent !== 'plan-comment'
  )
    return data(
      { intent, message: 'Nobody decides about their own program, whatever roles they hold.' },
      { status: 403 },
    )
  let notice: string
  try {
    notice = transaction((tx) => {
      switch (input.intent) {
        case 'enroll': {
          const started = enroll(
            tx,
            user.id,
            {
              candidateId: person.id,
              stageId: input.stageId,
              enrolledOn: input.enrolledOn,
              reason: input.reason,
              mentorId: input.mentorId,
              record: {
                delegatedDomain: input.delegatedDomain,
                podName: input.podName,
                riskTier: input.riskTier,
                certifiedTiers: input.certifiedTiers ?? [],
              },
            },
            fw,
          )
          return started.status === 'enrolled'
            ? `${person.name} is enrolled.`
            : `Enrolment at a later stage proposed: a second HR person must confirm it before it takes effect.`
        }
        case 'confirm-enrolment':
          confirmEnrolment(tx, user.id, person.id, input.proposalId, fw)
          return `${person.name} is enrolled: the later start is confirmed.`
        case 'cancel-enrolment':
          cancelEnrolmentProposal(tx, user.id, person.id, input.proposalId, input.reason)
          return 'The proposed enrolment is cancelled.'
        case 'pause':
          pauseEnrollment(tx, user.id, person.id, input.reason)
          return 'Program paused: paused time does not count toward the stage window.'
        case 'resume':
          resumeEnrollment(tx, user.id, person.id)
          return 'Program resumed.'
        case 'withdraw':
          withdrawEnrollment(tx, user.id, person.id, input.reason)
          return 'Enrollment ended.'
        case 'add-milestone':
          addOneOffMilestone(tx, user.id, person.id, input)
          return `Milestone “${input.title}” added.`
        case 'add-plan':
          if (!fw.capabilities.some((c) => c.id === input.capabilityId))
            throw new RuleError('Choose one of the listed capabilities.', 'capabilityId')
          addPlanItem(tx, person.id, {
            capabilityId: input.capabilityId,
            action: input.action,
            dueOn: input.dueOn ?? null,
            source: 'own',
          })
          return 'Plan item added.'
        case 'add-suggestion': {
          if (input.source === 'assessment') {
            const cycle = latestClosedCycle(tx, person.id)
            if (!cycle) throw new RuleError('There is no closed 360 to take a suggestion from.', undefined, 409)
            acceptSuggestion(tx, person.id, cycle, input.capabilityId, input.action)
          } else {
            const background = findBackground(person.candidate.background)
            if (!background?.typicalGap.capabilities.includes(input.capabilityId))
              throw new RuleError('That capability is not part of your background’s typical gap.')
            addPlanItem(tx, person.id, {
              capabilityId: input.capabilityId,
              action: input.action,
              dueOn: null,
              source: 'background',
            })
          }
          return 'Suggestion added to the plan.'
        }
        case 'plan-status':
          setPlanItemStatus(tx, person.id, input.itemId, input.status)
          return 'Plan item updated.'
        case 'plan-comment':
          commentOnPlanItem(tx, user.id, person.id, input.itemId, input.body)
          return 'Comment added.'
      }
    })
  } catch (error) {
    if (error instanceof RuleError) return data({ intent, message: error.message }, { status: error.status })
    throw error
  }
  throw await redirectWithNotice(request, `/program/${person.id}`, notice)
}

export default function ProgramTimelinePage() {
  const { candidate, viewer, program, gate, proposal, plan, suggestions, options, notice } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errorFor = (...intents: string[]) =>
    actionData && intents.includes(actionData.intent) ? [actionData.message] : undefined
  const current = program?.periods.at(-1)
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/program">Program</Link> › {candidate.name}
      </nav>
      <h1>Development program: {candidate.name}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}

      {proposal ? (
        <PendingEnrolment
          candidateName={candidate.name}
          proposal={proposal}
          error={errorFor('confirm-enrolment', 'cancel-enrolment')}
        />
      ) : null}

      {!program ? (
        <section className="card">
          <p>{candidate.name} is not enrolled in the development program yet.</p>
          {viewer.canEnrol ? (
            <EnrolForm candidateName={candidate.name} options={options} error={errorFor('enroll')} />
          ) : null}
        </section>
      ) : (
        <>
          <section className="card" aria-labelledby="where">
            <h2 id="where">Where {viewer.isCandidate ? 'you stand' : 'they stand'}</h2>
            <dl className="facts">
              <dt>Current stage</dt>
              <dd>
                {program.status === 'certified' ? 'Full STO Certification' : (current?.stage ?? candidate.stage)}
                {program.status === 'paused' ? <span className="badge">paused</span> : null}
                {program.status === 'withdrawn' ? <span className="badge inactive">withdrawn</span> : null}
                {gate?.overdue ? <span className="badge inactive">overdue since {gate.overdueSince}</span> : null}
              </dd>
              {gate ? (
                <>
                  <dt>Active time in stage</dt>
                  <dd>{gate.timeInStage}</dd>
                  <dt>Gate to {gate.nextStage ?? '—'}</dt>
                  <dd>
                    {gate.nextStage ? (
                      <>
                        {gate.met} of {gate.total} conditions met
                        {gate.earliestTimeOn ? `; time condition met from ${gate.earliestTimeOn}` : ''}.{' '}
                        <Link to={`/program/${candidate.id}/gate`}>Open the gate</Link>
                        {gate.pending ? <span className="badge">recommended, waiting for HR</span> : null}
                      </>
                    ) : (
                      'Final stage'
                    )}
                  </dd>
                </>
              ) : null}
              <dt>Mentor</dt>
              <dd>{candidate.mentorName ?? 'Not assigned'}</dd>
              <dt>Enrolled</dt>
              <dd>
                {program.enrolledOn}
                {program.startReason ? ` — ${program.startReason}` : ''}
              </dd>
              {program.certificate ? (
                <>
                  <dt>Certified</dt>
                  <dd>
                    {program.certificate.issuedOn} for {program.certificate.tiers.join(', ')} risk tiers (framework{' '}
                    {program.certificate.frameworkVersion}). Eligible to mentor new STOs.
                  </dd>
                </>
              ) : null}
            </dl>
          </section>

          <section className="card" aria-labelledby="timeline">
            <h2 id="timeline">Timeline</h2>
            <ol>
              {program.periods.map((p) => (
                <li key={p.id}>
                  <strong>{p.stage}</strong>: {p.enteredOn} – {p.exitedOn ?? 'now'}
                  {p.details.length ? <span className="muted"> · {p.details.join(' · ')}</span> : null}
                </li>
              ))}
            </ol>
            {program.pauses.length > 0 ? (
              <>
                <h3>Pauses</h3>
                <ul>
                  {program.pauses.map((p) => (
                    <li key={p.id}>
                      {p.startedOn} – {p.endedOn ?? 'ongoing'}: {p.reason}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {program.advancements.length > 0 ? (
              <>
                <h3>Advancement decisions</h3>
                <ul>
                  {program.advancements.map((a) => (
                    <li key={a.id}>
                      {a.from} → {a.to}: recommended by {a.recommendedBy ?? '—'} on {a.recommendedAt?.slice(0, 10)};{' '}
                      {a.status === 'recommended'
                        ? 'waiting for HR'
                        : `${a.status} by ${a.decidedBy} on ${a.decidedAt?.slice(0, 10)}`}
                      {a.override ? <strong> — override: {a.overrideReason}</strong> : null}
                      {a.note ? ` (${a.note})` : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>

          <section className="card" aria-labelledby="milestones">
            <h2 id="milestones">Milestones</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Milestone</th>
                  <th scope="col">Signed off by</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {program.milestones.map((m) => (
                  <tr key={m.id}>
                    <td>{m.stage}</td>
                    <td>
                      <Link to={`/milestones/${m.id}`}>{m.title}</Link>
                      {m.required ? null : <span className="muted"> (optional)</span>}
                      {m.oneOff ? <span className="badge">one-off</span> : null}
                    </td>
                    <td>{m.signOff}</td>
                    <td>{m.statusLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {viewer.canManage && (program.status === 'active' || program.status === 'paused') ? (
              <details style={{ marginTop: '1rem' }}>
                <summary>Add a one-off milestone for {candidate.name}</summary>
                <Form method="post" className="stack">
                  <FormError errors={errorFor('add-milestone')} />
                  <div className="field">
                    <label htmlFor="m-title">Title</label>
                    <input id="m-title" name="title" type="text" maxLength={120} />
                  </div>
                  <div className="field">
                    <label htmlFor="m-description">What the candidate must do</label>
                    <textarea id="m-description" name="description" rows={2} maxLength={600} />
                  </div>
                  <div className="field">
                    <label htmlFor="m-evidence">Evidence expected</label>
                    <input id="m-evidence" name="evidence" type="text" maxLength={400} />
                  </div>
                  <div className="field">
                    <label htmlFor="m-signoff">Signed off by</label>
                    <select id="m-signoff" name="signOff" defaultValue="mentor">
                      <option value="mentor">Mentor</option>
                      <option value="hr">HR</option>
                      <option value="mentor-then-hr">Mentor, then HR</option>
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="m-required">Required for the gate</label>
                    <select id="m-required" name="required" defaultValue="yes">
                      <option value="yes">Yes</option>
                      <option value="no">No (optional)</option>
                    </select>
                  </div>
                  <div>
                    <button className="secondary" type="submit" name="intent" value="add-milestone">
                      Add milestone
                    </button>
                  </div>
                </Form>
              </details>
            ) : null}
          </section>
        </>
      )}

      <section className="card" aria-labelledby="plan">
        <h2 id="plan">Development plan</h2>
        <FormError errors={errorFor('add-plan', 'plan-status', 'plan-comment', 'add-suggestion')} />
        {suggestions.length > 0 ? (
          <>
            <h3>Suggested</h3>
            <ul>
              {suggestions.map((sug) => (
                <li key={`${sug.source}-${sug.capabilityId}`}>
                  <strong>{sug.name}</strong> —{' '}
                  {sug.source === 'assessment'
                    ? 'one of the largest gaps in the latest 360'
                    : 'part of your background’s typical gap'}
                  {viewer.canEditPlan ? (
                    <Form
                      method="post"
                      style={{ display: 'flex', gap: '0.5rem', marginTop: '0.25rem', flexWrap: 'wrap' }}
                    >
                      <input type="hidden" name="capabilityId" value={sug.capabilityId} />
                      <input type="hidden" name="source" value={sug.source} />
                      <label className="sr-only" htmlFor={`sug-${sug.source}-${sug.capabilityId}`}>
                        Action for {sug.name}
                      </label>
                      <input
                        id={`sug-${sug.source}-${sug.capabilityId}`}
                        name="action"
                        type="text"
                        maxLength={500}
                        defaultValue={`Agree with my mentor on one concrete step to grow my ${sug.name}.`}
                        style={{ flex: 1, minWidth: '16rem' }}
                      />
                      <button className="secondary" type="submit" name="intent" value="add-suggestion">
                        Add to my plan
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {plan.length === 0 ? (
          <p>
            No plan items yet. Suggestions come from 360 reports; {viewer.isCandidate ? 'you can' : 'the candidate can'}{' '}
            also add their own.
          </p>
        ) : null}
        <ul className="comment-list">
          {plan.map((item) => (
            <li key={item.id}>
              <span className="badge">{item.capability}</span>
              <span className="badge">{item.status}</span>
              {item.source === 'assessment' ? <span className="badge">from a 360</span> : null}
              {item.dueOn ? <span className="muted"> due {item.dueOn}</span> : null}
              <br />
              {item.action}
              {item.milestoneId ? (
                <>
                  {' '}
                  — <Link to={`/milestones/${item.milestoneId}`}>evidence for a milestone</Link>
                </>
              ) : null}
              {item.comments.map((c) => (
                <p key={c.id} className="muted" style={{ margin: '0.25rem 0 0' }}>
                  {c.authorName}: {c.body}
                </p>
              ))}
              {viewer.canEditPlan ? (
                <Form method="post" style={{ display: 'flex', gap: '0.5rem', marginTop: '0.4rem' }}>
                  <input type="hidden" name="itemId" value={item.id} />
                  <label className="sr-only" htmlFor={`status-${item.id}`}>
                    Status of {item.action}
                  </label>
                  <select id={`status-${item.id}`} name="status" defaultValue={item.status}>
                    <option value="open">open</option>
                    <option value="done">done</option>
                    <option value="dropped">dropped</option>
                  </select>
                  <button className="secondary" type="submit" name="intent" value="plan-status">
                    Update
                  </button>
                </Form>
              ) : null}
              {viewer.canComment ? (
                <Form method="post" style={{ display: 'flex', gap: '0.5rem', marginTop: '0.4rem' }}>
                  <input type="hidden" name="itemId" value={item.id} />
                  <label className="sr-only" htmlFor={`comment-${item.id}`}>
                    Comment on {item.action}
                  </label>
                  <input
                    id={`comment-${item.id}`}
                    name="body"
                    type="text"
                    maxLength={1000}
                    placeholder="Mentor comment"
                  />
                  <button className="secondary" type="submit" name="intent" value="plan-comment">
                    Comment
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {viewer.canEditPlan ? (
          <Form method="post" className="stack" style={{ marginTop: '1rem' }}>
            <h3>Add your own item</h3>
            <div className="field">
              <label htmlFor="plan-capability">Capability</label>
              <select id="plan-capability" name="capabilityId">
                {options.capabilities.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="plan-action">Action</label>
              <input id="plan-action" name="action" type="text" maxLength={500} />
            </div>
            <div className="field">
              <label htmlFor="plan-due">Due on (optional)</label>
              <input id="plan-due" name="dueOn" type="date" />
            </div>
            <div>
              <button className="secondary" type="submit" name="intent" value="add-plan">
                Add to my plan
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      {viewer.canManage && program && (program.status === 'active' || program.status === 'paused') ? (
        <ManageEnrollment status={program.status} error={errorFor('pause', 'resume', 'withdraw')} />
      ) : null}

      {viewer.canEnrol && program ? (
        <section className="card" aria-labelledby="enrol-again">
          <h2 id="enrol-again">Enroll again</h2>
          <p>This enrollment has ended; a new one starts a new stage history.</p>
          <EnrolForm candidateName={candidate.name} options={options} error={errorFor('enroll')} />
        </section>
      ) : null}
    </>
  )
}
