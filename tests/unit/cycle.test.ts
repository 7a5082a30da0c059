/** Cycle rules (app/domain/assessment/cycle.ts): when a cycle closes, what it accepts, reminders. */
import { describe, expect, it } from 'vitest'
import {
  acceptsAnswers,
  closesAt,
  isOpen,
  isPastDue,
  nextReminderAllowedAt,
  REMINDER_INTERVAL_MS,
  stateLabels,
} from '~/domain/assessment/cycle'

describe('due day', () => {
  it('closes when the due day is over, in UTC (also across a month end)', () => {
    expect(closesAt('2026-12-10').toISOString()).toBe('2026-12-11T00:00:00.000Z')
    expect(closesAt('2026-02-28').toISOString()).toBe('2026-03-01T00:00:00.000Z')
  })

  it('is past due from the first instant of the next day, not before', () => {
    expect(isPastDue('2026-12-10', new Date('2026-12-10T23:59:59.999Z'))).toBe(false)
    expect(isPastDue('2026-12-10', new Date('2026-12-11T00:00:00.000Z'))).toBe(true)
  })
})

describe('states', () => {
  it('is open while nominating or collecting', () => {
    expect(isOpen('nominating')).toBe(true)
    expect(isOpen('collecting')).toBe(true)
    expect(isOpen('closed')).toBe(false)
    expect(isOpen('cancelled')).toBe(false)
  })

  it('accepts answers only while open and not past due', () => {
    const before = new Date('2026-12-10T12:00:00Z')
    const after = new Date('2026-12-11T00:00:00Z')
    expect(acceptsAnswers({ state: 'collecting', dueOn: '2026-12-10' }, before)).toBe(true)
    expect(acceptsAnswers({ state: 'nominating', dueOn: '2026-12-10' }, before)).toBe(true)
    expect(acceptsAnswers({ state: 'collecting', dueOn: '2026-12-10' }, after)).toBe(false)
    expect(acceptsAnswers({ state: 'closed', dueOn: '2026-12-10' }, before)).toBe(false)
  })

  it('has a label for each state', () => {
    expect(stateLabels).toEqual({
      nominating: 'Nominating raters',
      collecting: 'Collecting feedback',
      closed: 'Closed — report released',
      cancelled: 'Cancelled',
    })
  })
})

describe('reminders', () => {
  const last = '2026-12-01T10:00:00.000Z'

  it('allows the first reminder at once', () => {
    expect(nextReminderAllowedAt(null, new Date(last))).toBeNull()
  })

  it('waits 48 hours after the last one', () => {
    expect(REMINDER_INTERVAL_MS).toBe(48 * 3600 * 1000)
    expect(nextReminderAllowedAt(last, new Date('2026-12-03T09:59:59.999Z'))?.toISOString()).toBe(
      '2026-12-03T10:00:00.000Z',
    )
    expect(nextReminderAllowedAt(last, new Date('2026-12-03T10:00:00.000Z'))).toBeNull()
  })
})
