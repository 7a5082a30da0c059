/**
 * Status messages come from the server, never from the URL (issue 13, item 8): an action stores its
 * message in the actor's session row and redirects to a clean URL; the next page shows it once;
 * `?notice=` in a link shows nothing; another session, even of the same person, never sees it.
 */
import { describe, expect, it } from 'vitest'
import { loader as cycleLoader } from '~/routes/cycles.$cycleId._index'
import { createSession } from '~/utils/session.server'
import { getDb } from '~/utils/db.server'
import { call, loggedIn, makePerson, request } from '../helpers/db'
import { openCycle } from '../helpers/cycles'
import { args, enrollVia, loadTimeline, postTimeline } from '../helpers/program'

const noticeOn = (res: { data: unknown }) => (res.data as { notice: string | null }).notice

describe('status messages', () => {
  it('are shown once, by the next page of the session that acted, after a redirect to a clean URL', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const mentor = await makePerson({ roles: ['mentor'] })
    const cand = await makePerson({ roles: ['candidate'], candidate: { mentorId: mentor.id } })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id })
    const otherSession = (await createSession(hr.id, getDb())).split(';')[0]!

    const res = await postTimeline(hr.cookie, cand.id, { intent: 'pause', reason: 'Parental leave' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/program/${cand.id}`)
    expect(noticeOn(await loadTimeline(otherSession, cand.id))).toBeNull()
    expect(noticeOn(await loadTimeline(hr.cookie, cand.id))).toBe(
      'Program paused: paused time does not count toward the stage window.',
    )
    expect(noticeOn(await loadTimeline(hr.cookie, cand.id))).toBeNull()
  })

  it('never come from a ?notice= parameter', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const mentor = await makePerson({ roles: ['mentor'] })
    const cand = await makePerson({ roles: ['candidate'], candidate: { mentorId: mentor.id } })
    const cycleId = await openCycle(hr.cookie, cand.id)
    await loadTimeline(hr.cookie, cand.id) // nothing waiting
    const phish = 'Your account is locked: call +1 555 0100 with your password.'
    const page = await call(() =>
      cycleLoader(
        args(request(`/cycles/${cycleId}?notice=${encodeURIComponent(phish)}`, { cookie: hr.cookie }), {
          cycleId: String(cycleId),
        }),
      ),
    )
    expect(page.status).toBe(200)
    expect(JSON.stringify(page.data)).not.toContain(phish)
  })
})
