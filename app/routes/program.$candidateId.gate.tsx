import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError, allErrorsOf } from '~/components/forms'
import { StageRecordFields } from '~/components/program/stage-record-fields'
import { gateFingerprint } from '~/domain/program/gate'
import { canAccess, hasPermission } from '~/domain/permissions'
import { canApprove, canRecommend, type EnrollmentStatus } from '~/domain/program/rights'
import { approveAdvancement, declineAdvancement, recommendAdvancement } from '~/models/advancement.server'
import { gateFor } from '~/models/gate.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { forbidden, notFound } from '~/utils/permissions.server'
import { loadCandidateFor, today } from '~/utils/program.server'
import { formAction } from '~/utils/actions.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Stage gate — ${data?.candidate.name ?? 'candidate'} · STO Pathway` },
]

/**
 * The stage gate: every condition met or not, in plain words. The mentor recommends; HR (never the
 * mentor) approves, with an explicit, recorded override when a condition is not met.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const person = loadCandidateFor(user, params.candidateId)
  const isHr = hasPermission(user, 'update:advancement:any')
  const gate = gateFor(
    getDb(),
    person.id,
    getFramework(),
    isHr ? { id: user.id, name: user.name, isHr } : null,
    today(),
  )
  if (!gate) throw notFound(`${person.name} is not in a program stage.`)
  const fw = getFramework()
  const status = gate.enrollment.status as EnrollmentStatus
  const recommendRight = canRecommend(user, { candidateId: person.id, mentorId: person.candidate.mentorId, status })
  const decideRight = canApprove(user, {
    candidateId: person.id,
    mentorId: person.candidate.mentorId,
    status,
    recommendedBy: gate.pending?.recommendedBy ?? null,
  })
  return {
    candidate: { id: person.id, name: person.name },
    stage: gate.stage.name,
    next: gate.next ? { name: gate.next.name, records: gate.next.records } : null,
    result: gate.result,
    fingerprint: gateFingerprint(gate.result),
    pending: gate.pending ? { note: gate.pending.recommendationNote, at: gate.pending.recommendedAt } : null,
    viewer: {
      canRecommend: recommendRight.ok,
      canDecide: decideRight.ok,
    },
    /** Why this HR viewer may not decide on the pending recommendation (shown instead of the form), or null. */
    decisionRefusal: isHr && gate.pending && !decideRight.ok ? decideRight.reason : null,
    options: {
      riskTiers: fw.riskTiers.map((t) => ({ value: t.id, label: t.name })),
      delegatedDomains: fw.delegatedDomains.map((d) => ({ value: d.id, label: d.name })),
    },
  }
}

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null))
const actionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('recommend'),
    note: z.string().trim().min(10, 'Say why (at least 10 characters).').max(1000),
  }),
  z.object({
    intent: z.literal('approve'),
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'Reload the page and try again.'),
    override: z.literal('yes').optional(),
    overrideReason: optional(2000),
    note: optional(1000),
    delegatedDomain: optional(64),
    podName: optional(120),
    riskTier: optional(64),
    certifiedTiers: z.array(z.string().max(64)).max(10).optional(),
  }),
  z.object({
    intent: z.literal('decline'),
    note: z.string().trim().min(10, 'Explain the decision (at least 10 characters).').max(1000),
  }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const person = loadCandidateFor(user, params.candidateId)
  const isHr = hasPermission(user, 'update:advancement:any')
  const mayRecommend =
    canAccess(user, 'create', 'recommendation', { ownerId: person.id, mentorId: person.candidate.mentorId }) &&
    user.id === person.candidate.mentorId
  const fw = getFramework()
  return formAction(request, {
    schema: actionSchema,
    // The coarse gate: the mentor recommends, HR decides; the models check the full rights (rights.ts) again.
    guard: (input) => {
      if (input.intent === 'recommend' ? !mayRecommend : !isHr) throw forbidden()
    },
    run: (input, tx) => {
      if (input.intent === 'recommend') {
        recommendAdvancement(tx, user.id, person.id, input.note, fw)
        return 'Recommendation sent to HR.'
      }
      if (input.intent === 'decline') {
        declineAdvancement(tx, { id: user.id, isHr }, person.id, input.note)
        return 'Advancement declined; the reason is recorded.'
      }
      approveAdvancement(
        tx,
        { id: user.id, name: user.name, isHr },
        person.id,
        {
          fingerprint: input.fingerprint,
          override: input.override === 'yes',
          overrideReason: input.overrideReason,
          note: input.note,
          record: {
            delegatedDomain: input.delegatedDomain,
            podName: input.podName,
            riskTier: input.riskTier,
            certifiedTiers: input.certifiedTiers ?? [],
          },
        },
        fw,
      )
      return `${person.name} advanced.`
    },
    done: (notice) => ({ redirectTo: `/program/${person.id}`, notice }),
  })
}

export default function GatePage() {
  const { candidate, stage, next, result, fingerprint, pending, viewer, decisionRefusal, options } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const unmet = result.conditions.filter((c) => c.key !== 'approval' && !c.met)
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/program/${candidate.id}`}>{candidate.name}</Link> › Stage gate
      </nav>
      <h1>
        Stage gate: {stage} → {next?.name ?? 'final stage'}
      </h1>
      <FormError errors={allErrorsOf(actionData, 'recommend', 'approve', 'decline')} />
      {result.overdue ? (
        <p className="form-error">Overdue: past the stage’s maximum window since {result.overdueSince}.</p>
      ) : null}
      <section className="card" aria-labelledby="conditions">
        <h2 id="conditions">Conditions</h2>
        <ol className="gate-conditions">
          {result.conditions.map((c) => (
            <li key={c.key}>
              <strong>{c.met ? '✓ Met' : c.pending ? '… Pending' : '✗ Not met'}</strong> — {c.label}
              <ul>
                {c.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
        {result.earliestTimeOn ? <p>The time condition is met from {result.earliestTimeOn}.</p> : null}
      </section>

      {next && viewer.canRecommend && !pending ? (
        <section className="card" aria-labelledby="recommend">
          <h2 id="recommend">Recommend advancement</h2>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="recommend-note">Why {candidate.name} is ready</label>
              <textarea id="recommend-note" name="note" rows={3} maxLength={1000} />
            </div>
            <div>
              <button className="primary" type="submit" name="intent" value="recommend">
                Recommend advancement to {next.name}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      {pending ? (
        <p className="card">
          Recommended on {pending.at?.slice(0, 10)}: {pending.note}
        </p>
      ) : null}

      {next && decisionRefusal ? <p className="card">{decisionRefusal}</p> : null}
      {next && viewer.canDecide && pending ? (
        <section className="card" aria-labelledby="decide">
          <h2 id="decide">Decide</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="fingerprint" value={fingerprint} />
            {next.records.length > 0 ? <StageRecordFields options={options} /> : null}
            {unmet.length > 0 ? (
              <fieldset>
                <legend>Override</legend>
                <p>
                  Not met: {unmet.map((c) => c.label).join('; ')}. Advancing anyway is recorded with your reason and
                  shown in the history.
                </p>
                <label>
                  <input type="checkbox" name="override" value="yes" /> Advance despite the unmet conditions
                </label>
                <div className="field">
                  <label htmlFor="override-reason">Reason for the override</label>
                  <textarea id="override-reason" name="overrideReason" rows={3} maxLength={2000} />
                </div>
              </fieldset>
            ) : null}
            <div className="field">
              <label htmlFor="decision-note">Note (optional)</label>
              <input id="decision-note" name="note" type="text" maxLength={1000} />
            </div>
            <div>
              <button className="primary" type="submit" name="intent" value="approve">
                Approve advancement to {next.name}
              </button>
            </div>
          </Form>
          <Form method="post" className="stack" style={{ marginTop: '1rem' }}>
            <div className="field">
              <label htmlFor="decline-note">Reason for declining</label>
              <input id="decline-note" name="note" type="text" maxLength={1000} />
            </div>
            <div>
              <button className="danger" type="submit" name="intent" value="decline">
                Decline
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  )
}
