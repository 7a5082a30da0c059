import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError } from '~/components/forms'
import { canAccess, hasPermission } from '~/domain/permissions'
import { RuleError } from '~/domain/errors'
import {
  decideMilestone,
  getMilestone,
  milestoneHistory,
  revokeSignOff,
  signOffStep,
  submitEvidence,
  type EvidenceInput,
} from '~/models/milestones.server'
import { listPlanItems } from '~/models/plan.server'
import { canSignOff } from '~/domain/program/rights'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { findStage } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { parseId, readForm } from '~/utils/forms.server'
import { forbidden, notFound } from '~/utils/permissions.server'
import {
  ACCEPTED_FILES,
  detectFileType,
  keepFile,
  MalformedUploadError,
  MAX_FILE_BYTES,
  MAX_FILES_PER_SUBMISSION,
  receiveUpload,
  UploadLimitError,
  type ReceivedUpload,
  type UploadLimit,
} from '~/utils/uploads.server'
import { idField } from '~/domain/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.milestone.title ?? 'Milestone'} · STO Pathway` },
]

const statusLabels = {
  open: 'To do',
  submitted: 'Waiting for sign-off',
  returned: 'Returned with feedback',
  'awaiting-hr': 'Waiting for HR sign-off',
  'signed-off': 'Signed off',
} as const

/** A milestone is visible to its candidate, their mentor and HR. */
function loadMilestone(user: Awaited<ReturnType<typeof requireUser>>, idParam: string | undefined) {
  const id = parseId(idParam)
  const found = id === null ? null : getMilestone(getDb(), id)
  if (!found) throw notFound('There is no milestone with that id.')
  if (!canAccess(user, 'read', 'program', { ownerId: found.milestone.candidateId, mentorId: found.mentorId }))
    throw forbidden()
  return found
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { milestone: m, candidateName, mentorId } = loadMilestone(user, params.milestoneId)
  const db = getDb()
  const history = milestoneHistory(db, m.id)
  const isCandidate = user.id === m.candidateId
  const isHr = hasPermission(user, 'update:milestone:any')
  const step = signOffStep(m)
  const revoked = new Set(history.log.filter((e) => e.entry.kind === 'revoked').map((e) => e.entry.revokesId))
  return {
    notice: await takeNotice(request),
    milestone: {
      id: m.id,
      candidateId: m.candidateId,
      candidateName,
      stage: findStage(m.stage)?.name ?? m.stage,
      title: m.title,
      description: m.description,
      evidence: m.evidence,
      required: m.required,
      signOff: m.signOff,
      status: m.status,
      statusLabel: statusLabels[m.status],
    },
    submissions: history.submissions.map((s) => ({
      id: s.id,
      summary: s.summary,
      links: JSON.parse(s.linksJson) as string[],
      at: s.submittedAt,
      files: history.files
        .filter((f) => f.submissionId === s.id)
        .map((f) => ({ id: f.id, name: f.fileName, size: f.sizeBytes })),
    })),
    log: history.log.map((e) => ({
      id: e.entry.id,
      kind: e.entry.kind,
      role: e.entry.role,
      by: e.byName,
      byId: e.entry.byId,
      at: e.entry.at,
      note: e.entry.note,
      revoked: revoked.has(e.entry.id),
    })),
    viewer: {
      canSubmit:
        isCandidate && hasPermission(user, 'create:evidence:own') && (m.status === 'open' || m.status === 'returned'),
      canDecide: step !== null && canSignOff(user, { candidateId: m.candidateId, mentorId, step }).ok,
      canRevokeIds: isCandidate
        ? []
        : history.log
            .filter((e) => e.entry.kind === 'signed' && !revoked.has(e.entry.id) && (e.entry.byId === user.id || isHr))
            .map((e) => e.entry.id),
    },
    planItems: isCandidate
      ? listPlanItems(db, m.candidateId)
          .filter((i) => i.status === 'open')
          .map((i) => ({ id: i.id, action: i.action }))
      : [],
    limits: { maxMb: MAX_FILE_BYTES / 1024 / 1024, maxFiles: MAX_FILES_PER_SUBMISSION, accepted: ACCEPTED_FILES },
  }
}

const evidenceSchema = z.object({
  summary: z
    .string({ error: 'Write a summary of your evidence.' })
    .trim()
    .min(20, 'Write a summary of at least 20 characters.')
    .max(5000, 'At most 5,000 characters.'),
  links: z
    .string()
    .max(5000)
    .optional()
    .transform((v) => (v ?? '').split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.url({ protocol: /^https?$/, error: 'Each link must be a full http(s) address.' }))
        .max(20, 'At most 20 links.'),
    ),
  planItemId: z
    .string()
    .optional()
    // Digits only (Number() would read " 7" or "0x1F"); anything else fails the pipe below.
    .transform((v) => (v ? (/^[1-9]\d{0,9}$/.test(v) ? Number(v) : Number.NaN) : null))
    .pipe(z.number({ error: 'Unknown plan item.' }).int().positive().nullable()),
})

/** What a 413 says, by the limit the upload passed (each is checked while the body streams). */
const evidenceLimitMessages: Record<UploadLimit, string> = {
  'file-too-large': `A file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
  'too-many-files': `Attach at most ${MAX_FILES_PER_SUBMISSION} files.`,
  'files-too-large': `The files are larger than ${(MAX_FILES_PER_SUBMISSION * MAX_FILE_BYTES) / 1024 / 1024} MB together.`,
  'field-too-large': 'A field of the form is too long.',
  'too-many-fields': 'The form has more fields than this page sends.',
}

const decisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('sign'), note: z.string().trim().max(2000).optional() }),
  z.object({
    intent: z.literal('return'),
    note: z.string().trim().min(5, 'Say what to improve (at least 5 characters).').max(2000),
  }),
  z.object({
    intent: z.literal('revoke'),
    signoffId: idField('Unknown sign-off.'),
    reason: z.string().trim().min(10, 'Give the reason (at least 10 characters).').max(2000),
  }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const { milestone: m, mentorId } = loadMilestone(user, params.milestoneId)
  const isCandidate = user.id === m.candidateId
  const contentType = request.headers.get('Content-Type') ?? ''

  if (contentType.startsWith('multipart/form-data')) {
    if (!isCandidate || !hasPermission(user, 'create:evidence:own')) throw forbidden()
    let upload: ReceivedUpload
    try {
      upload = await receiveUpload(request, { maxFiles: MAX_FILES_PER_SUBMISSION, maxFileBytes: MAX_FILE_BYTES })
    } catch (error) {
      if (error instanceof UploadLimitError)
        return data({ message: `${evidenceLimitMessages[error.limit]} Nothing was saved.` }, { status: 413 })
      // A malformed multipart body is the client's mistake, not a server error.
      if (error instanceof MalformedUploadError)
        return data(
          { message: 'The upload could not be read. Send the form again from this page. Nothing was saved.' },
          { status: 400 },
        )
      throw error
    }
    // Whatever happens below, no temp file of this request outlives it; kept files were moved away.
    try {
      const formData = upload.fields
      const parsed = evidenceSchema.safeParse({
        summary: formData.get('summary') ?? undefined,
        links: formData.get('links') ?? undefined,
        planItemId: formData.get('planItemId') ?? undefined,
      })
      if (!parsed.success)
        return data({ message: parsed.error.issues.map((i) => i.message).join(' ') }, { status: 400 })
      const uploads = upload.files.filter((f) => f.field === 'files')
      const files: EvidenceInput['files'] = []
      for (const file of uploads) {
        const type = detectFileType(file.head, file.fileName)
        if (!type)
          return data(
            {
              message: `“${file.fileName.slice(0, 100)}” is not an accepted file type. Attach ${ACCEPTED_FILES}. Nothing was saved.`,
            },
            { status: 415 },
          )
        files.push({ fileName: file.fileName, contentType: type, sizeBytes: file.sizeBytes, sha256: file.sha256 })
      }
      try {
        transaction((tx) => submitEvidence(tx, user.id, m.id, { ...parsed.data, files }))
      } catch (error) {
        if (error instanceof RuleError) return data({ message: error.message }, { status: error.status })
        throw error
      }
      // Only now that the submission is committed do its files take their place. A rename in the
      // same folder does not fail short of a broken disk; then the submission stands without the file.
      for (const file of uploads) {
        try {
          keepFile(file)
        } catch (error) {
          console.error(`Milestone ${m.id}: could not move the evidence file ${file.sha256} into place:`, error)
        }
      }
    } finally {
      upload.discard()
    }
    throw await redirectWithNotice(request, `/milestones/${m.id}`, 'Evidence submitted for sign-off.')
  }

  const parsed = decisionSchema.safeParse(Object.fromEntries(await readForm(request)))
  if (!parsed.success) return data({ message: parsed.error.issues.map((i) => i.message).join(' ') }, { status: 400 })
  const input = parsed.data
  const isHr = hasPermission(user, 'update:milestone:any')
  const isMentor = user.id === mentorId && hasPermission(user, 'update:milestone:mentee')
  if (!isHr && !isMentor) throw forbidden()
  let notice: string
  try {
    notice = transaction((tx) => {
      if (input.intent === 'revoke') {
        revokeSignOff(tx, { id: user.id, isHr }, m.id, input.signoffId, input.reason)
        return 'Sign-off revoked; the correction is recorded.'
      }
      decideMilestone(tx, { id: user.id, isHr }, m.id, input.intent, input.note ?? null)
      return input.intent === 'sign' ? 'Signed off.' : 'Returned to the candidate with your feedback.'
    })
  } catch (error) {
    if (error instanceof RuleError)
      return data({ message: error.message }, { status: error.status === 403 ? 403 : error.status })
    throw error
  }
  throw await redirectWithNotice(request, `/milestones/${m.id}`, notice)
}

export default function MilestonePage() {
  const { milestone, submissions, log, viewer, planItems, limits, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/program/${milestone.candidateId}`}>{milestone.candidateName}</Link> › {milestone.stage} › Milestone
      </nav>
      <h1>{milestone.title}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormError errors={actionData?.message ? [actionData.message] : undefined} />
      <section className="card">
        <dl className="facts">
          <dt>Status</dt>
          <dd>{milestone.statusLabel}</dd>
          <dt>What to do</dt>
          <dd>{milestone.description}</dd>
          <dt>Evidence expected</dt>
          <dd>{milestone.evidence}</dd>
          <dt>Signed off by</dt>
          <dd>
            {milestone.signOff === 'mentor-then-hr'
              ? 'The mentor, then HR'
              : milestone.signOff === 'hr'
                ? 'HR'
                : 'The mentor'}
          </dd>
          <dt>Required</dt>
          <dd>{milestone.required ? 'Yes, for the stage gate' : 'No (optional)'}</dd>
        </dl>
      </section>

      {submissions.length > 0 ? (
        <section className="card" aria-labelledby="submissions">
          <h2 id="submissions">Evidence submitted</h2>
          {submissions.map((s, i) => (
            <article
              key={s.id}
              style={{ borderTop: i ? '1px solid var(--line)' : undefined, paddingTop: i ? '0.75rem' : 0 }}
            >
              <h3>
                Submission {i + 1} <span className="muted">({s.at.slice(0, 16).replace('T', ' ')} UTC)</span>
              </h3>
              <p style={{ whiteSpace: 'pre-wrap' }}>{s.summary}</p>
              {s.links.length ? (
                <ul>
                  {s.links.map((l) => (
                    <li key={l}>
                      <a href={l} rel="noreferrer noopener" target="_blank">
                        {l}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              {s.files.length ? (
                <ul>
                  {s.files.map((f) => (
                    <li key={f.id}>
                      <a href={`/files/${f.id}`}>{f.name}</a>{' '}
                      <span className="muted">({Math.ceil(f.size / 1024)} KB)</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </article>
          ))}
        </section>
      ) : null}

      {log.length > 0 ? (
        <section className="card" aria-labelledby="log">
          <h2 id="log">Sign-off record</h2>
          <p className="field-hint">Entries are never edited or deleted; a correction is a new entry.</p>
          <ol>
            {log.map((e) => (
              <li key={e.id}>
                {e.at.slice(0, 16).replace('T', ' ')} UTC — {e.by} ({e.role === 'hr' ? 'HR' : 'mentor'}):{' '}
                {e.kind === 'signed'
                  ? 'signed off'
                  : e.kind === 'returned'
                    ? 'returned with feedback'
                    : 'revoked a sign-off'}
                {e.note ? ` — “${e.note}”` : ''}
                {e.revoked ? <span className="badge inactive">revoked</span> : null}
                {viewer.canRevokeIds.includes(e.id) ? (
                  <Form method="post" style={{ display: 'flex', gap: '0.5rem', marginTop: '0.25rem' }}>
                    <input type="hidden" name="signoffId" value={e.id} />
                    <label className="sr-only" htmlFor={`revoke-${e.id}`}>
                      Reason for revoking this sign-off
                    </label>
                    <input
                      id={`revoke-${e.id}`}
                      name="reason"
                      type="text"
                      maxLength={2000}
                      placeholder="Reason for the correction"
                    />
                    <button className="secondary" type="submit" name="intent" value="revoke">
                      Revoke sign-off
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {viewer.canDecide ? (
        <section className="card" aria-labelledby="decide">
          <h2 id="decide">Your decision</h2>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="decision-note">Feedback (required when returning)</label>
              <textarea id="decision-note" name="note" rows={3} maxLength={2000} />
            </div>
            <div style={{ display: 'flex', gap: '0.75rem' }}>
              <button className="primary" type="submit" name="intent" value="sign">
                Sign off
              </button>
              <button className="secondary" type="submit" name="intent" value="return">
                Return with feedback
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {viewer.canSubmit ? (
        <section className="card" aria-labelledby="submit">
          <h2 id="submit">{milestone.status === 'returned' ? 'Resubmit your evidence' : 'Submit your evidence'}</h2>
          <Form method="post" encType="multipart/form-data" className="stack">
            <div className="field">
              <label htmlFor="summary">Summary</label>
              <span className="field-hint" id="summary-hint">
                What you did and what it shows, in your own words.
              </span>
              <textarea
                id="summary"
                name="summary"
                rows={5}
                maxLength={5000}
                aria-describedby="summary-hint"
                required
              />
            </div>
            <div className="field">
              <label htmlFor="links">Links (one per line, optional)</label>
              <textarea id="links" name="links" rows={2} maxLength={5000} />
            </div>
            <div className="field">
              <label htmlFor="files">Files (optional)</label>
              <span className="field-hint" id="files-hint">
                Up to {limits.maxFiles} files of at most {limits.maxMb} MB each: {limits.accepted}.
              </span>
              <input id="files" name="files" type="file" multiple aria-describedby="files-hint" />
            </div>
            {planItems.length > 0 ? (
              <div className="field">
                <label htmlFor="planItemId">Link a plan item as evidence (optional)</label>
                <select id="planItemId" name="planItemId" defaultValue="">
                  <option value="">None</option>
                  {planItems.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.action}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div>
              <button className="primary" type="submit">
                Submit for sign-off
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  )
}
