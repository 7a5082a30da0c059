import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { exchangeRaterToken, rateLimited, TOKEN_EXCHANGES_PER_MINUTE } from '~/models/raters.server'
import { clientIp } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { raterCookieHeader } from '~/utils/rater-session.server'

export const meta: MetaFunction = () => [{ title: 'Feedback request · STO Pathway' }]

const noReferrer = { 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' }

/**
 * A rater's personal link: exchanges the token for a short-lived rater cookie and moves to /rate,
 * so the token does not stay in the address bar, history or referrers.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (rateLimited(getDb(), `rater-link:${clientIp(request)}`, TOKEN_EXCHANGES_PER_MINUTE, 60_000)) {
    return data({ reason: 'rate-limited' as const }, { status: 429, headers: noReferrer })
  }
  const outcome = transaction((tx) => exchangeRaterToken(tx, params.token ?? ''))
  if (!outcome.ok)
    return data({ reason: outcome.reason }, { status: outcome.reason === 'invalid' ? 404 : 410, headers: noReferrer })
  throw redirect('/rate', {
    headers: { ...noReferrer, 'Set-Cookie': await raterCookieHeader(outcome.sessionToken, outcome.expiresAt) },
  })
}

const messages = {
  invalid: {
    title: 'This link is not valid',
    text: 'Check that you opened the whole link from your email. If it still does not work, ask the person who invited you for a new one.',
  },
  revoked: {
    title: 'This invitation was withdrawn',
    text: 'The feedback request behind this link has been withdrawn, so there is nothing to answer. Thank you all the same.',
  },
  closed: {
    title: 'This feedback request has closed',
    text: 'The due date has passed or the request was closed, so answers are no longer accepted. Thank you all the same.',
  },
  'rate-limited': {
    title: 'Too many attempts',
    text: 'Too many links were opened from this network in the last minute. Wait a minute and open your link again.',
  },
} as const

export default function RaterLinkPage() {
  const { reason } = useLoaderData<typeof loader>()
  const m = messages[reason]
  return (
    <section className="card error-page">
      <h1>{m.title}</h1>
      <p>{m.text}</p>
    </section>
  )
}
