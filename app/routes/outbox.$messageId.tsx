import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getOutboxMessage } from '~/models/outbox.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { parseId } from '~/utils/forms.server'
import { notFound, requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Message · STO Pathway' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:outbox:any')
  const id = parseId(params.messageId)
  const message = id === null ? null : getOutboxMessage(getDb(), id)
  if (!message) throw notFound('There is no message with that id.')
  return {
    message: { id: message.id, createdAt: message.createdAt, toName: message.toName, toEmail: message.toEmail, subject: message.subject, body: message.body, status: message.status },
  }
}

/** Renders the plain-text body, turning this app's links into anchors (everything else stays text). */
function Body({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/\S+)/g)
  return (
    <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part} rel="noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  )
}

export default function OutboxMessagePage() {
  const { message } = useLoaderData<typeof loader>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/outbox">Outbox</Link> › Message {message.id}
      </nav>
      <h1>{message.subject}</h1>
      <dl className="facts card">
        <dt>To</dt>
        <dd>
          {message.toName} &lt;{message.toEmail}&gt;
        </dd>
        <dt>Written</dt>
        <dd>{message.createdAt.slice(0, 16).replace('T', ' ')} UTC</dd>
      </dl>
      <section className="card" aria-label="Message text">
        <Body text={message.body} />
      </section>
    </>
  )
}
