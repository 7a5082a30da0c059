/**
 * Status messages after an action ("Program paused", "5 invitations sent"), kept on the server in
 * the person's session row and shown once by the next page. Never taken from the URL: a link that
 * carried `?notice=` could make any text look like the app's own message (issue 13).
 */
import { redirect } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import { sessions } from '#db/schema/auth'
import { getDb, type Db } from './db.server'
import { checkSession } from './session.server'

/** Long enough for every message the app writes; a longer one is cut, never refused. */
export const FLASH_MAX_CHARS = 500

/** Redirects to `to`, with `notice` stored for the page that comes next in this session. */
export async function redirectWithNotice(request: Request, to: string, notice: string, db: Db = getDb()) {
  const session = await checkSession(request, db)
  if (session.status === 'valid')
    db.update(sessions)
      .set({ flash: notice.slice(0, FLASH_MAX_CHARS) })
      .where(eq(sessions.idHash, session.idHash))
      .run()
  return redirect(to)
}

/** The waiting status message of this session, if any, cleared as it is read (shown once). */
export async function takeNotice(request: Request, db: Db = getDb()): Promise<string | null> {
  const session = await checkSession(request, db)
  if (session.status !== 'valid') return null
  const row = db.select({ flash: sessions.flash }).from(sessions).where(eq(sessions.idHash, session.idHash)).get()
  if (!row?.flash) return null
  db.update(sessions).set({ flash: null }).where(eq(sessions.idHash, session.idHash)).run()
  return row.flash
}
