/** Nomination limits and rater eligibility (app/domain/assessment/nominations.ts), pure. */
import { describe, expect, it } from 'vitest'
import {
  approvedSetProblems,
  countByRelationship,
  emptyCount,
  nominationRoomProblem,
  raterEligibilityProblem,
  selfApprovalProblem,
} from '~/domain/assessment/nominations'
import { MAX_RATERS, nominationLimits } from '~/domain/assessment/types'

describe('counting nominations', () => {
  it('starts at zero for every relationship and counts each one', () => {
    expect(emptyCount()).toEqual({ manager: 0, peer: 0, direct_report: 0, stakeholder: 0 })
    const count = countByRelationship([
      { relationship: 'peer' },
      { relationship: 'manager' },
      { relationship: 'peer' },
      { relationship: 'stakeholder' },
    ])
    expect(count).toEqual({ manager: 1, peer: 2, direct_report: 0, stakeholder: 1 })
  })

  it('gives a fresh count each time (no shared object)', () => {
    const a = emptyCount()
    a.peer = 5
    expect(emptyCount().peer).toBe(0)
  })
})

describe('room for one more nomination', () => {
  it('allows up to the maximum of a relationship and refuses the one after', () => {
    expect(nominationRoomProblem({ ...emptyCount(), manager: 1 }, 'manager')).toBeNull()
    expect(nominationRoomProblem({ ...emptyCount(), manager: 2 }, 'manager')).toBe(
      'You can nominate at most 2 managers.',
    )
    expect(nominationRoomProblem({ ...emptyCount(), peer: 7 }, 'peer')).toBeNull()
    expect(nominationRoomProblem({ ...emptyCount(), direct_report: 8 }, 'direct_report')).toBe(
      'You can nominate at most 8 direct reports.',
    )
    // A full relationship does not block another one.
    expect(nominationRoomProblem({ ...emptyCount(), manager: 2 }, 'peer')).toBeNull()
  })

  it(`refuses a ${MAX_RATERS + 1}st rater in all, even where the relationship has room`, () => {
    const full = { manager: 2, peer: 8, direct_report: 8, stakeholder: 2 }
    expect(nominationRoomProblem(full, 'stakeholder')).toBe(`You can nominate at most ${MAX_RATERS} raters in all.`)
    expect(nominationRoomProblem({ ...full, stakeholder: 1 }, 'stakeholder')).toBeNull()
  })
})

describe('the approved set before invitations go out', () => {
  const ok = { manager: 1, peer: 3, direct_report: 0, stakeholder: 0 }

  it('accepts every minimum and every maximum', () => {
    expect(approvedSetProblems(ok)).toEqual([])
    expect(approvedSetProblems({ manager: 2, peer: 8, direct_report: 5, stakeholder: 5 })).toEqual([])
  })

  it('names each missing minimum, in the singular for one', () => {
    expect(approvedSetProblems({ ...ok, manager: 0 })).toEqual(['Approve at least 1 manager (now 0).'])
    expect(approvedSetProblems({ ...ok, peer: 2 })).toEqual(['Approve at least 3 peers (now 2).'])
  })

  it('names each exceeded maximum and the total', () => {
    expect(approvedSetProblems({ ...ok, manager: 3 })).toEqual(['Approve at most 2 managers (now 3).'])
    expect(approvedSetProblems({ ...ok, stakeholder: 9 })).toEqual(['Approve at most 8 stakeholders (now 9).'])
    expect(approvedSetProblems({ manager: 2, peer: 8, direct_report: 8, stakeholder: 3 })).toEqual([
      `Approve at most ${MAX_RATERS} raters in all (now 21).`,
    ])
    expect(approvedSetProblems({ manager: 2, peer: 8, direct_report: 8, stakeholder: 2 })).toEqual([])
  })

  it('uses the limits of the framework of relationships', () => {
    expect(nominationLimits.peer).toEqual({ min: 3, max: 8 })
  })
})

describe('who may rate', () => {
  const stranger = { isCandidate: false, readsReport: false }

  it('never the candidate themself, in any relationship', () => {
    for (const r of ['manager', 'peer'] as const)
      expect(raterEligibilityProblem(r, { isCandidate: true, readsReport: false })).toBe(
        'The candidate cannot be their own rater; the self-assessment is for that.',
      )
  })

  it('a reader of the report only as the manager', () => {
    const reader = { isCandidate: false, readsReport: true }
    expect(raterEligibilityProblem('manager', reader)).toBeNull()
    for (const r of ['peer', 'direct_report', 'stakeholder'] as const)
      expect(raterEligibilityProblem(r, reader)).toMatch(/only as the manager/)
  })

  it('anyone else in any relationship', () => {
    for (const r of ['manager', 'peer', 'direct_report', 'stakeholder'] as const)
      expect(raterEligibilityProblem(r, stranger)).toBeNull()
  })

  it('nobody approves their own nomination, whatever the case or spaces of the email', () => {
    expect(selfApprovalProblem(' Ann@X.org', 'ann@x.org ')).toMatch(/cannot approve your own nomination/)
    expect(selfApprovalProblem('hr@x.org', 'ann@x.org')).toBeNull()
  })
})
