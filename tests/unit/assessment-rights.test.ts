/**
 * The 360's decision rights (app/domain/assessment/rights.ts) and the mentor change
 * (canChangeMentor in app/domain/program/rights.ts). Each test pins one condition, so dropping any
 * single condition from a predicate fails a test here.
 */
import { describe, expect, it } from 'vitest'
import { canManageCycle, canNominate, canOpenCycle, OWN_CYCLE } from '~/domain/assessment/rights'
import { canChangeMentor } from '~/domain/program/rights'
import type { Role } from '~/domain/roles'

const CANDIDATE = 1
const MENTOR = 2
const as = (id: number, ...roles: Role[]) => ({ id, roles })
const facts = { candidateId: CANDIDATE, mentorId: MENTOR }
const ok = { ok: true }
const no = (reason: string) => ({ ok: false, reason })

describe.each([
  ['canOpenCycle', canOpenCycle, 'Only HR, or the candidate’s mentor, opens a 360 for them.'],
  ['canManageCycle', canManageCycle, 'Only HR, or the candidate’s mentor, manages this 360.'],
] as const)('%s', (_name, can, refusal) => {
  it('HR, and the candidate’s own mentor, may', () => {
    expect(can(as(10, 'hr'), facts)).toEqual(ok)
    expect(can(as(MENTOR, 'mentor'), facts)).toEqual(ok)
  })
  it('another mentor, an admin and a candidate may not', () => {
    expect(can(as(12, 'mentor'), facts)).toEqual(no(refusal))
    expect(can(as(11, 'admin'), facts)).toEqual(no(refusal))
    expect(can(as(13, 'candidate'), facts)).toEqual(no(refusal))
  })
  it('never on one’s own 360, whatever roles one holds', () => {
    expect(can(as(CANDIDATE, 'candidate', 'hr'), facts)).toEqual(no(OWN_CYCLE))
    expect(can(as(CANDIDATE, 'candidate', 'mentor'), { candidateId: CANDIDATE, mentorId: CANDIDATE })).toEqual(
      no(OWN_CYCLE),
    )
  })
})

describe('canNominate', () => {
  it('only the candidate, holding the candidate role', () => {
    expect(canNominate(as(CANDIDATE, 'candidate'), facts)).toEqual(ok)
    expect(canNominate(as(10, 'hr'), facts)).toEqual(no('Only the candidate nominates their raters.'))
    expect(canNominate(as(CANDIDATE, 'hr'), facts)).toEqual(no('Only the candidate nominates their raters.'))
  })
})

describe('canChangeMentor', () => {
  it('an administrator replaces someone else’s mentor', () => {
    expect(canChangeMentor(as(11, 'admin'), { candidateId: CANDIDATE, replacing: true })).toEqual(ok)
  })
  it('replacing needs the administrator’s right; a first mentor comes with enrolling', () => {
    expect(canChangeMentor(as(10, 'hr'), { candidateId: CANDIDATE, replacing: true })).toEqual(
      no('Only an administrator changes a candidate’s mentor.'),
    )
    expect(canChangeMentor(as(10, 'hr'), { candidateId: CANDIDATE, replacing: false })).toEqual(ok)
  })
  it('never one’s own mentor, even as an administrator', () => {
    expect(canChangeMentor(as(CANDIDATE, 'admin', 'candidate'), { candidateId: CANDIDATE, replacing: true })).toEqual(
      no('Nobody chooses their own mentor; another administrator must change it.'),
    )
    expect(canChangeMentor(as(CANDIDATE, 'hr', 'candidate'), { candidateId: CANDIDATE, replacing: false })).toEqual(
      no('Nobody chooses their own mentor; another administrator must change it.'),
    )
  })
})

describe('canNominate for someone else', () => {
  it('refuses another candidate, though they hold the candidate role', () => {
    expect(canNominate(as(14, 'candidate'), facts)).toEqual(no('Only the candidate nominates their raters.'))
  })
})
