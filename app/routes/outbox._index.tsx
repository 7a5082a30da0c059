import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { deliveryLog } from '~/models/delivery.server'
import { requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Delivery log · STO Pathway' }]

const kindLabels = { invitation: 'Invitation', reminder: 'Reminder' } as const
const time = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—')

/** Every email the app has written, newest first, as a delivery log (HR and admins). No links. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'read:outbox:any')
  return { smtp: Boolean(getEnv().SMTP_URL), messages: deliveryLog(getDb()) }
}

export default function OutboxPage() {
  const { smtp, messages } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Delivery log</h1>
      <p>
        Every email the app has written, and whether it left. Personal links are never shown here: they are masked in
        every message, sent or not, and only the rater receives theirs. A message that failed can be re-sent with a
        fresh link from its page.
      </p>
      <p>
        {smtp
          ? 'Mail goes out through the configured mail server (SMTP_URL).'
          : 'No mail server is configured (SMTP_URL), so messages are not sent. Configure one, then re-send the messages that did not leave.'}
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
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Sent (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{time(m.createdAt)}</td>
                <td>
                  {m.toName} &lt;{m.toEmail}&gt;
                </td>
                <td>
                  <Link to={`/outbox/${m.id}`}>{m.subject}</Link>
                </td>
                <td>{kindLabels[m.kind]}</td>
                <td>{m.statusLabel}</td>
                <td>{m.attempts}</td>
                <td>{m.lastError ?? '—'}</td>
                <td>{time(m.sentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
