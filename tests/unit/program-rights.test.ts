/**
 * The program's decision rights (app/domain/program/rights.ts). Each test pins one condition: the
 * case is allowed, and changing only that fact (or the viewer) refuses it with its reason, so
 * dropping any single condition from a predicate fails a test here.
 */
import { describe, expect, it } from 'vitest'
import type { Role } from '~/domain/roles'
import {
  canApprove,
  canCancelEnrolmentProposal,
  canConfirmEnrolment,
  canDecline,
  canEnrol,
  needsConfirmation,
  canOverride,
  canPause,
  canRecommend,
  canResume,
  canSignOff,
  canWithdraw,
  type Right,
} from '~/domain/program/rights'

const CANDIDATE = 1
const MENTOR = 2
const RECOMMENDER = 3
const as = (id: number, ...roles: Role[]) => ({ id, roles })
const hr = as(10, 'hr')
const admin = as(11, 'admin')
const OWN = 'Nobody decides about their own program, whatever roles they hold.'

const ok: Right = { ok: true }
const no = (reason: string | RegExp) => ({
  ok: false,
  reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
})

describe('canEnrol', () => {
  const shadow = { order: 1, name: 'Shadow', final: false }
  const assistant = { order: 2, name: 'Assistant STO', final: false }
  const full = { order: 4, name: 'Full STO Certification', final: true }
  const facts = (over: Partial<Parameters<typeof canEnrol>[1]> = {}) => ({
    candidateId: CANDIDATE,
    enrolled: false,
    stage: shadow,
    reason: null,
    ...over,
  })

  it('lets HR enrol someone else at the first stage, and at a later one with a written reason', () => {
    expect(canEnrol(hr, facts())).toEqual(ok)
    expect(canEnrol(hr, facts({ stage: assistant, reason: 'Led two pods at her last company.' }))).toEqual(ok)
  })
  it('refuses anyone without the HR right', () => {
    expect(canEnrol(as(12, 'mentor'), facts())).toEqual(no('Only HR manages enrollments.'))
    expect(canEnrol(admin, facts())).toEqual(no('Only HR manages enrollments.'))
  })
  it('refuses HR enrolling themselves', () => {
    expect(canEnrol(as(CANDIDATE, 'hr', 'candidate'), facts())).toEqual(no(OWN))
  })
  it('refuses a candidate already enrolled', () => {
    expect(canEnrol(hr, facts({ enrolled: true }))).toEqual(no('This candidate is already enrolled in the program.'))
  })
  it('never enrols at the final stage, whatever the reason', () => {
    expect(canEnrol(hr, facts({ stage: full, reason: 'Certified at a previous employer years ago.' }))).toEqual(
      no(/only through the stage gate/),
    )
  })
  it('refuses while a later-stage proposal waits for its confirmation', () => {
    expect(canEnrol(hr, facts({ proposalPending: true }))).toEqual(no(/waiting for a second HR person/))
  })
  it('needs a written reason of at least 10 characters for a later start', () => {
    expect(canEnrol(hr, facts({ stage: assistant, reason: null }))).toEqual(no(/needs a written reason/))
    expect(canEnrol(hr, facts({ stage: assistant, reason: ' ten chars! ' }))).toEqual(ok)
    expect(canEnrol(hr, facts({ stage: assistant, reason: '   short   ' }))).toEqual(no(/needs a written reason/))
  })
  it('an import row needs the import right instead (admins import too), and is still never one’s own', () => {
    expect(canEnrol(admin, facts({ via: 'import' }))).toEqual(ok)
    expect(canEnrol(as(12, 'mentor'), facts({ via: 'import' }))).toEqual(no('Only HR and admins import people.'))
    expect(canEnrol(as(CANDIDATE, 'admin', 'candidate'), facts({ via: 'import' }))).toEqual(no(OWN))
  })
})

describe('canPause, canResume, canWithdraw', () => {
  it('pause: HR, not their own, an active enrollment', () => {
    expect(canPause(hr, { candidateId: CANDIDATE, status: 'active' })).toEqual(ok)
    expect(canPause(as(12, 'mentor'), { candidateId: CANDIDATE, status: 'active' })).toEqual(
      no('Only HR manages enrollments.'),
    )
    expect(canPause(as(CANDIDATE, 'hr', 'candidate'), { candidateId: CANDIDATE, status: 'active' })).toEqual(no(OWN))
    expect(canPause(hr, { candidateId: CANDIDATE, status: 'paused' })).toEqual(no('This candidate is already paused.'))
    for (const status of [null, 'withdrawn', 'certified'] as const)
      expect(canPause(hr, { candidateId: CANDIDATE, status })).toEqual(no('This candidate is not enrolled.'))
  })
  it('resume: HR, not their own, a paused enrollment', () => {
    expect(canResume(hr, { candidateId: CANDIDATE, status: 'paused' })).toEqual(ok)
    expect(canResume(as(12, 'mentor'), { candidateId: CANDIDATE, status: 'paused' })).toEqual(
      no('Only HR manages enrollments.'),
    )
    expect(canResume(as(CANDIDATE, 'hr', 'candidate'), { candidateId: CANDIDATE, status: 'paused' })).toEqual(no(OWN))
    expect(canResume(hr, { candidateId: CANDIDATE, status: 'active' })).toEqual(no('This candidate is not paused.'))
  })
  it('withdraw: HR, not their own, an active or paused enrollment', () => {
    expect(canWithdraw(hr, { candidateId: CANDIDATE, status: 'active' })).toEqual(ok)
    expect(canWithdraw(hr, { candidateId: CANDIDATE, status: 'paused' })).toEqual(ok)
    expect(canWithdraw(as(12, 'mentor'), { candidateId: CANDIDATE, status: 'active' })).toEqual(
      no('Only HR manages enrollments.'),
    )
    expect(canWithdraw(as(CANDIDATE, 'hr', 'candidate'), { candidateId: CANDIDATE, status: 'active' })).toEqual(no(OWN))
    for (const status of [null, 'withdrawn', 'certified'] as const)
      expect(canWithdraw(hr, { candidateId: CANDIDATE, status })).toEqual(no('This candidate is not enrolled.'))
  })
})

describe('canSignOff', () => {
  const step = (s: 'mentor' | 'hr', mentorId: number | null = MENTOR) => ({ candidateId: CANDIDATE, mentorId, step: s })
  it('mentor step: only the candidate’s mentor, in the mentor role', () => {
    expect(canSignOff(as(MENTOR, 'mentor'), step('mentor'))).toEqual(ok)
    expect(canSignOff(as(12, 'mentor'), step('mentor'))).toEqual(
      no('Only the candidate’s mentor can sign off this milestone.'),
    )
    expect(canSignOff(as(MENTOR, 'hr'), step('mentor'))).toEqual(
      no('Only the candidate’s mentor can sign off this milestone.'),
    )
    expect(canSignOff(hr, step('mentor', null))).toEqual(no('Only the candidate’s mentor can sign off this milestone.'))
  })
  it('mentor step: never the candidate, even if recorded as their own mentor', () => {
    expect(canSignOff(as(CANDIDATE, 'mentor', 'candidate'), step('mentor', CANDIDATE))).toEqual(no(OWN))
  })
  it('either step: only while the enrollment is active or paused, not once it has ended', () => {
    for (const status of ['active', 'paused'] as const) {
      expect(canSignOff(as(MENTOR, 'mentor'), { ...step('mentor'), status })).toEqual(ok)
      expect(canSignOff(hr, { ...step('hr'), status })).toEqual(ok)
    }
    for (const status of ['withdrawn', 'certified', null] as const) {
      expect(canSignOff(as(MENTOR, 'mentor'), { ...step('mentor'), status })).toEqual(
        no('This enrollment has ended; its milestones are no longer signed off.'),
      )
      expect(canSignOff(hr, { ...step('hr'), status })).toEqual(
        no('This enrollment has ended; its milestones are no longer signed off.'),
      )
    }
  })
  it('HR step: HR, never the candidate’s mentor, never the candidate', () => {
    expect(canSignOff(hr, step('hr'))).toEqual(ok)
    expect(canSignOff(as(12, 'mentor'), step('hr'))).toEqual(no('This milestone needs an HR sign-off.'))
    expect(canSignOff(as(MENTOR, 'mentor', 'hr'), step('hr'))).toEqual(
      no('You mentor this candidate; another HR person must sign this off.'),
    )
    expect(canSignOff(as(CANDIDATE, 'hr', 'candidate'), step('hr'))).toEqual(no(OWN))
  })
})

describe('canRecommend', () => {
  const facts = (over: Partial<Parameters<typeof canRecommend>[1]> = {}) => ({
    candidateId: CANDIDATE,
    mentorId: MENTOR,
    status: 'active' as const,
    ...over,
  })
  it('the current mentor, in the mentor role, of an active candidate', () => {
    expect(canRecommend(as(MENTOR, 'mentor'), facts())).toEqual(ok)
  })
  it('refuses anyone else, or the mentor without the mentor role', () => {
    expect(canRecommend(as(12, 'mentor'), facts())).toEqual(
      no('Only the candidate’s mentor can recommend advancement.'),
    )
    expect(canRecommend(as(MENTOR, 'hr'), facts())).toEqual(
      no('Only the candidate’s mentor can recommend advancement.'),
    )
    expect(canRecommend(hr, facts({ mentorId: null }))).toEqual(
      no('Only the candidate’s mentor can recommend advancement.'),
    )
  })
  it('refuses the candidate, even if recorded as their own mentor', () => {
    expect(canRecommend(as(CANDIDATE, 'mentor', 'candidate'), facts({ mentorId: CANDIDATE }))).toEqual(no(OWN))
  })
  it('refuses a paused, withdrawn, certified or unenrolled candidate', () => {
    const m = as(MENTOR, 'mentor')
    expect(canRecommend(m, facts({ status: 'paused' }))).toEqual(no(/paused/))
    expect(canRecommend(m, facts({ status: 'withdrawn' }))).toEqual(no(/withdrawn/))
    expect(canRecommend(m, facts({ status: 'certified' }))).toEqual(no(/certified/))
    expect(canRecommend(m, facts({ status: null }))).toEqual(no(/not enrolled/))
  })
})

describe.each([
  ['canApprove', canApprove],
  ['canDecline', canDecline],
] as const)('%s', (_name, decide) => {
  const facts = (over: Partial<Parameters<typeof canApprove>[1]> = {}) => ({
    candidateId: CANDIDATE,
    mentorId: MENTOR,
    status: 'active' as const,
    recommendedBy: MENTOR,
    ...over,
  })
  it('lets HR who is neither the candidate, the recommender nor the mentor decide on an active candidate', () => {
    expect(decide(hr, facts())).toEqual(ok)
  })
  it('refuses anyone without the HR right', () => {
    expect(decide(admin, facts())).toEqual(no('Only HR decides on advancement.'))
    expect(decide(as(12, 'mentor'), facts())).toEqual(no('Only HR decides on advancement.'))
  })
  it('refuses the candidate, whatever roles they hold', () => {
    expect(decide(as(CANDIDATE, 'hr', 'candidate'), facts())).toEqual(no(OWN))
  })
  it('refuses without a recorded recommendation', () => {
    expect(decide(hr, facts({ recommendedBy: null }))).toEqual(no('The mentor has not recommended this advancement.'))
  })
  it('refuses the recorded recommender, even after the mentor changed', () => {
    expect(decide(as(RECOMMENDER, 'hr', 'mentor'), facts({ recommendedBy: RECOMMENDER, mentorId: MENTOR }))).toEqual(
      no('You recommended this advancement; another HR person must decide it.'),
    )
  })
  it('refuses the current mentor, even when someone else recommended', () => {
    expect(decide(as(MENTOR, 'hr', 'mentor'), facts({ recommendedBy: RECOMMENDER }))).toEqual(
      no('You mentor this candidate; another HR person must decide.'),
    )
  })
  it('refuses while the candidate is paused, withdrawn, certified or not enrolled', () => {
    expect(decide(hr, facts({ status: 'paused' }))).toEqual(no(/paused/))
    expect(decide(hr, facts({ status: 'withdrawn' }))).toEqual(no(/withdrawn/))
    expect(decide(hr, facts({ status: 'certified' }))).toEqual(no(/certified/))
    expect(decide(hr, facts({ status: null }))).toEqual(no(/not enrolled/))
  })
})

describe('canOverride', () => {
  const facts = (over: Partial<Parameters<typeof canOverride>[1]> = {}) => ({
    candidateId: CANDIDATE,
    mentorId: MENTOR,
    status: 'active' as const,
    recommendedBy: MENTOR,
    overrideReason: 'Strong evidence from the pod she already leads.',
    ...over,
  })
  it('whoever may approve, with a written reason of at least 20 characters', () => {
    expect(canOverride(hr, facts())).toEqual(ok)
    expect(canOverride(hr, facts({ overrideReason: null }))).toEqual(
      no('An override needs a written reason of at least 20 characters.'),
    )
    expect(canOverride(hr, facts({ overrideReason: '   nineteen chars..   ' }))).toEqual(
      no('An override needs a written reason of at least 20 characters.'),
    )
    // Exactly the minimum is enough.
    expect(canOverride(hr, facts({ overrideReason: '  Led two pods before.  ' }))).toEqual(ok)
  })
  it('never for oneself, the recommender, the mentor, or a paused candidate', () => {
    expect(canOverride(as(CANDIDATE, 'hr', 'candidate'), facts())).toEqual(no(OWN))
    expect(canOverride(as(MENTOR, 'hr', 'mentor'), facts())).toEqual(
      no('You recommended this advancement; another HR person must decide it.'),
    )
    expect(canOverride(hr, facts({ status: 'paused' }))).toEqual(no(/paused/))
  })
})

describe('later-stage enrolment: proposal and confirmation', () => {
  const PROPOSER = 20
  const facts = (over: Partial<Parameters<typeof canConfirmEnrolment>[1]> = {}) => ({
    candidateId: CANDIDATE,
    proposedBy: PROPOSER,
    mentorId: MENTOR,
    pending: true,
    enrolled: false,
    ...over,
  })

  it('only a start beyond the first stage waits for a confirmation', () => {
    expect(needsConfirmation({ order: 1 })).toBe(false)
    expect(needsConfirmation({ order: 2 })).toBe(true)
  })
  it('a second HR person confirms a waiting proposal', () => {
    expect(canConfirmEnrolment(hr, facts())).toEqual(ok)
  })
  it('refuses anyone without the HR right', () => {
    expect(canConfirmEnrolment(admin, facts())).toEqual(no('Only HR manages enrollments.'))
  })
  it('refuses the candidate, whatever roles they hold', () => {
    expect(canConfirmEnrolment(as(CANDIDATE, 'hr', 'candidate'), facts())).toEqual(no(OWN))
  })
  it('refuses the proposer', () => {
    expect(canConfirmEnrolment(as(PROPOSER, 'hr'), facts())).toEqual(
      no('You proposed this enrolment; another HR person must confirm it.'),
    )
  })
  it('refuses the mentor the proposal names, even holding HR', () => {
    expect(canConfirmEnrolment(as(MENTOR, 'hr', 'mentor'), facts())).toEqual(
      no('You are named as the mentor; another HR person must confirm it.'),
    )
  })
  it('refuses a proposal no longer waiting, or a candidate enrolled meanwhile', () => {
    expect(canConfirmEnrolment(hr, facts({ pending: false }))).toEqual(no(/no longer waiting/))
    expect(canConfirmEnrolment(hr, facts({ enrolled: true }))).toEqual(no(/already enrolled/))
  })
  it('cancelling: HR (the proposer included), never the candidate, only while waiting', () => {
    expect(canCancelEnrolmentProposal(as(PROPOSER, 'hr'), { candidateId: CANDIDATE, pending: true })).toEqual(ok)
    expect(canCancelEnrolmentProposal(as(12, 'mentor'), { candidateId: CANDIDATE, pending: true })).toEqual(
      no('Only HR manages enrollments.'),
    )
    expect(
      canCancelEnrolmentProposal(as(CANDIDATE, 'hr', 'candidate'), { candidateId: CANDIDATE, pending: true }),
    ).toEqual(no(OWN))
    expect(canCancelEnrolmentProposal(hr, { candidateId: CANDIDATE, pending: false })).toEqual(no(/no longer waiting/))
  })
})
