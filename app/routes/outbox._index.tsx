import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listOutbox } from '~/models/outbox.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Outbox · STO Pathway' }]

const statusLabels = { queued: 'Waiting to send', sent: 'Sent', kept: 'Kept here (no mail server)', failed: 'Failed' } as const

/** Every email the app has written, newest first (HR and admins). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:outbox:any')
  return { smtp: Boolean(getEnv().SMTP_URL), messages: listOutbox(getDb()) }
}

export default function OutboxPage() {
  const { smtp, messages } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Outbox</h1>
      <p>
        {smtp
          ? 'Mail goes out through the configured SMTP server. Personal links are removed from the copies kept here once a message is sent.'
          : 'No mail server is configured (SMTP_URL), so messages are kept here. Open a message to read it and follow its link.'}
      </p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Written (UTC)</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{m.createdAt.slice(0, 16).replace('T', ' ')}</td>
                <td>
                  {m.toName} &lt;{m.toEmail}&gt;
                </td>
                <td>
                  <Link to={`/outbox/${m.id}`}>{m.subject}</Link>
                </td>
                <td>{statusLabels[m.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
