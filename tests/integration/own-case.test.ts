/**
 * Nobody acts on their own case, outside the program too (issue 12): a person holding HR (or
 * mentor) and candidate cannot open or manage their own 360, and an administrator who is also a
 * candidate cannot choose their own mentor. Each refusal is a 403 that writes nothing.
 */
import { describe, expect, it } from 'vitest'
import { assessmentCycles } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { candidateProfiles } from '#db/schema/people'
import { action as editAction } from '~/routes/admin.people.$personId'
import { action as openAction } from '~/routes/cycles.new'
import { call, loggedIn, makePerson, request } from '../helpers/db'
import { isoDay, openCycle, postCycle } from '../helpers/cycles'
import { args, countsOf } from '../helpers/program'

const watched = { assessmentCycles, candidateProfiles, auditLog }

describe('one’s own 360', () => {
  it('HR who is also a candidate cannot open a 360 for themselves (403, nothing written)', async () => {
    const selfHr = await loggedIn({ roles: ['hr', 'candidate'] })
    const before = countsOf(watched)
    const res = await call(() =>
      openAction(
        args(
          request('/cycles/new', {
            cookie: selfHr.cookie,
            form: { candidateIds: [String(selfHr.id)], dueOn: isoDay(21) },
          }),
        ),
      ),
    )
    expect(res.status).toBe(403)
    expect(countsOf(watched)).toEqual(before)
  })

  it('nor manage one opened by someone else: closing, cancelling, reminding are 403', async () => {
    const hr = await loggedIn({ roles: ['hr'] })
    const selfHr = await loggedIn({ roles: ['hr', 'candidate'] })
    const cycleId = await openCycle(hr.cookie, selfHr.id)
    const before = countsOf(watched)
    for (const form of <Array<Record<string, string>>>[
      { intent: 'close' },
      { intent: 'cancel', reason: 'Not needed any more.' },
      { intent: 'remind' },
    ]) {
      const res = await postCycle(selfHr.cookie, cycleId, form)
      expect(res.status, form.intent).toBe(403)
    }
    expect(countsOf(watched)).toEqual(before)
  })
})

describe('one’s own mentor', () => {
  it('an administrator who is also a candidate cannot change their own mentor; another administrator can', async () => {
    const m1 = await makePerson({ roles: ['mentor'] })
    const m2 = await makePerson({ roles: ['mentor'] })
    const selfAdmin = await loggedIn({ roles: ['admin', 'candidate'], candidate: { mentorId: m1.id } })
    const otherAdmin = await loggedIn({ roles: ['admin'] })
    const form = (mentorId: number) => ({
      intent: 'save',
      name: selfAdmin.name,
      email: selfAdmin.email,
      roles: ['admin', 'candidate'],
      background: 'strategy-consultant',
      stage: 'shadow',
      joinedOn: '2025-12-01',
      mentorId: String(mentorId),
    })
    const post = (cookie: string, mentorId: number) =>
      call(() =>
        editAction(
          args(request(`/admin/people/${selfAdmin.id}`, { cookie, form: form(mentorId) }), {
            personId: String(selfAdmin.id),
          }),
        ),
      )
    const before = countsOf(watched)
    const own = await post(selfAdmin.cookie, m2.id)
    expect(own.status).toBe(403)
    expect(countsOf(watched)).toEqual(before)
    expect((await post(otherAdmin.cookie, m2.id)).status).toBe(302)
  })
})
