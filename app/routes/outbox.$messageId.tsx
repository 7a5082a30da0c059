import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { allErrorsOf, FormError } from '~/components/forms'
import { deliveryEntry, resendMessage } from '~/models/delivery.server'
import { flushOutbox } from '~/models/outbox.server'
import { takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { formAction } from '~/utils/actions.server'
import { getDb } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { notFound, requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Message · STO Pathway' }]

const kindLabels = { invitation: 'Invitation', reminder: 'Reminder' } as const
const time = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—')

function messageIdOf(param: string | undefined) {
  const id = parseId(param)
  if (id === null || !deliveryEntry(getDb(), id)) throw notFound('There is no message with that id.')
  return id
}

/** One message of the delivery log: its facts and its text with every personal link masked. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:outbox:any')
  return { message: deliveryEntry(getDb(), messageIdOf(params.messageId))!, notice: await takeNotice(request) }
}

const actionSchema = z.object({ intent: z.literal('resend', { error: 'That request was not valid.' }) })

/** Re-sends a message that never left: a new message with a fresh link (audited); the old link stops working. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:outbox:any')
  const id = messageIdOf(params.messageId)
  return formAction(request, {
    schema: actionSchema,
    run: (_value, tx) => resendMessage(tx, user.id, id),
    afterCommit: () => void flushOutbox(getDb()),
    done: (newId) => ({
      redirectTo: `/outbox/${newId}`,
      notice: `Re-sent as this new message with a fresh personal link; the link of message ${id} no longer works.`,
    }),
  })
}

export default function OutboxMessagePage() {
  const { message, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/outbox">Delivery log</Link> › Message {message.id}
      </nav>
      <h1>{message.subject}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormError errors={allErrorsOf(actionData, 'resend', '')} />
      <dl className="facts card">
        <dt>To</dt>
        <dd>
          {message.toName} &lt;{message.toEmail}&gt;
        </dd>
        <dt>Kind</dt>
        <dd>{kindLabels[message.kind]}</dd>
        <dt>Status</dt>
        <dd>{message.statusLabel}</dd>
        <dt>Attempts</dt>
        <dd>{message.attempts}</dd>
        <dt>Last error</dt>
        <dd>{message.lastError ?? '—'}</dd>
        <dt>Written</dt>
        <dd>{time(message.createdAt)}</dd>
        <dt>Sent</dt>
        <dd>{time(message.sentAt)}</dd>
      </dl>
      {message.canResend ? (
        <Form method="post" className="card">
          <p>
            This message did not leave. Re-sending writes a new message with a fresh personal link; the old link stops
            working.
          </p>
          <button type="submit" name="intent" value="resend">
            Re-send
          </button>
        </Form>
      ) : null}
      <section className="card" aria-label="Message text">
        <p>Personal links are masked: only the rater receives theirs.</p>
        <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>{message.body}</pre>
      </section>
    </>
  )
}
