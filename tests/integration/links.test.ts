/**
 * Emailed personal links are built from APP_URL (or, outside production, http://HOST:PORT) alone:
 * a forged Host or X-Forwarded-Host on the request that sends invitations or a reminder must not
 * move anyone's link to another host.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { assessmentCycles, outbox } from '#db/schema/assessments'
import { action as cycleAction } from '~/routes/cycles.$cycleId._index'
import { appBaseUrl } from '~/utils/cycles.server'
import { getDb } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { args, decide, minimumSet, nominate, openCycle } from '../helpers/cycles'
import { call, loggedIn } from '../helpers/db'

const FORGED = 'evil.example'

/** A POST to the cycle page as it arrives through a proxy that passes on forged host headers. */
function forgedPost(cookie: string, cycleId: number, form: Record<string, string>) {
  const headers = new Headers({
    Cookie: cookie,
    Host: FORGED,
    'X-Forwarded-Host': FORGED,
    'X-Forwarded-Proto': 'https',
    'Content-Type': 'application/x-www-form-urlencoded',
  })
  const req = new Request(`https://${FORGED}/cycles/${cycleId}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  })
  return call(() => cycleAction(args(req, { cycleId: String(cycleId) })))
}

const linksOf = (cycleId: number) =>
  getDb()
    .select()
    .from(outbox)
    .where(eq(outbox.cycleId, cycleId))
    .all()
    .flatMap((m) => m.body.match(/\S*\/r\/[A-Za-z0-9_-]{20,}/g) ?? [])

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let hr: Viewer, mentor: Viewer
let n = 0

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Hana Links' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mona Links' })
})

afterEach(() => {
  delete process.env.APP_URL
  resetEnvCache()
})

/** A cycle with the minimum set approved, invited and reminded, every request with forged hosts. */
async function invitedAndReminded() {
  n++
  const cand = await loggedIn({ roles: ['candidate'], name: `Lina Candidate ${n}`, candidate: { mentorId: mentor.id } })
  const cycleId = await openCycle(hr.cookie, cand.id)
  for (const spec of minimumSet()) {
    const id = await nominate(cand.cookie, cycleId, spec)
    expect((await decide(mentor.cookie, cycleId, id, 'approve')).status).toBe(302)
  }
  expect((await forgedPost(mentor.cookie, cycleId, { intent: 'invite' })).status).toBe(302)
  const invitations = linksOf(cycleId)
  expect(invitations).toHaveLength(4)
  expect((await forgedPost(mentor.cookie, cycleId, { intent: 'remind' })).status).toBe(302)
  const all = linksOf(cycleId)
  expect(all).toHaveLength(8)
  expect(
    getDb().select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId)).get()!.lastReminderAt,
  ).not.toBeNull()
  return all
}

describe('emailed links', () => {
  it('start with APP_URL whatever Host and X-Forwarded-Host the request carries', async () => {
    process.env.APP_URL = 'https://sto.example.com/'
    resetEnvCache()
    expect(appBaseUrl()).toBe('https://sto.example.com')
    for (const link of await invitedAndReminded()) {
      expect(link.startsWith('https://sto.example.com/r/')).toBe(true)
      expect(link).not.toContain(FORGED)
    }
  })

  it('without APP_URL (not production) start with http://HOST:PORT of this server, never the forged host', async () => {
    delete process.env.APP_URL
    resetEnvCache()
    expect(appBaseUrl()).toBe('http://127.0.0.1:3000')
    for (const link of await invitedAndReminded()) {
      expect(link.startsWith('http://127.0.0.1:3000/r/')).toBe(true)
      expect(link).not.toContain(FORGED)
    }
  })
})
