/**
 * The rater's short-lived cookie: a personal link is exchanged for it. Path "/", not "/rate":
 * Remix's data requests go to /rate.data, which a "/rate" cookie path does not cover.
 */
import { createCookie } from '@remix-run/node'
import { raterBySession } from '~/models/raters.server'
import { getDb } from './db.server'
import { secureCookies } from './env.server'

let cookie: ReturnType<typeof createCookie> | undefined
function raterCookie() {
  cookie ??= createCookie('sto_rater', { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies() })
  return cookie
}

export function raterCookieHeader(sessionToken: string, expiresAt: number, now = Date.now()) {
  return raterCookie().serialize(sessionToken, { maxAge: Math.max(1, Math.floor((expiresAt - now) / 1000)) })
}

/** The rater of this request (cookie -> live session), or null. */
export async function getRater(request: Request) {
  const token = (await raterCookie().parse(request.headers.get('Cookie'))) as unknown
  if (typeof token !== 'string') return null
  return raterBySession(getDb(), token)
}
