import { describe, expect, it } from 'vitest'
import {
  activeDays,
  addDays,
  addMonths,
  dayAfterActiveMonths,
  daysBetween,
  describeDays,
  isPaused,
  pausedDaysWithin,
  toDay,
  type Pause,
} from '~/domain/program/dates'

describe('toDay', () => {
  it('formats the UTC calendar day of a Date', () => {
    expect(toDay(new Date('2026-03-05T23:59:59Z'))).toBe('2026-03-05')
    expect(toDay(new Date('2026-03-06T00:00:00Z'))).toBe('2026-03-06')
  })
})

describe('addDays', () => {
  it('adds and subtracts whole days across month and year ends', () => {
    expect(addDays('2026-01-10', 0)).toBe('2026-01-10')
    // Jan has 31 days: 31 + 1 -> Feb 1.
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01')
    // 2026 is not a leap year: Mar 1 - 1 -> Feb 28.
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    // 2028 is a leap year: Feb 28 + 1 -> Feb 29.
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    // Apr 10 + 20: Apr has 30 days -> Apr 30.
    expect(addDays('2026-04-10', 20)).toBe('2026-04-30')
  })

  it('is unaffected by daylight-saving changes (UTC days)', () => {
    // Europe/US DST switches happen in late March; 2026-03-28 + 3 = 2026-03-31.
    expect(addDays('2026-03-28', 3)).toBe('2026-03-31')
    expect(addDays('2026-10-24', 10)).toBe('2026-11-03')
  })
})

describe('addMonths', () => {
  it('keeps the day of the month when it exists', () => {
    expect(addMonths('2026-01-10', 3)).toBe('2026-04-10')
    expect(addMonths('2026-01-10', 6)).toBe('2026-07-10')
    // Crosses the year: Nov + 2 -> Jan of next year.
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15')
    expect(addMonths('2026-01-10', 12)).toBe('2027-01-10')
    expect(addMonths('2026-01-10', 0)).toBe('2026-01-10')
  })

  it('clamps to the last day of a shorter month', () => {
    // Jan 31 + 1 month: February 2026 has 28 days -> Feb 28.
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    // Aug 31 + 1 month: September has 30 days -> Sep 30.
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30')
    // Clamping is computed from the start, not chained: Jan 31 + 2 months -> Mar 31.
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31')
    // Backwards too: Mar 31 - 1 month -> Feb 28.
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28')
  })

  it('handles leap years', () => {
    // 2028 is a leap year: Jan 31 + 1 month -> Feb 29.
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    // Aug 31 2027 + 6 months -> Feb 2028, clamped to the 29th.
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29')
    // Leap day + 12 months: Feb 2029 has 28 days -> Feb 28.
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28')
    // Leap day + 48 months -> 2032 is a leap year -> Feb 29.
    expect(addMonths('2028-02-29', 48)).toBe('2032-02-29')
  })
})

describe('daysBetween', () => {
  it('counts whole days, negative when `to` is earlier', () => {
    expect(daysBetween('2026-01-10', '2026-01-10')).toBe(0)
    // Jan 10 -> Apr 10: 21 (rest of Jan) + 28 (Feb) + 31 (Mar) + 10 = 90.
    expect(daysBetween('2026-01-10', '2026-04-10')).toBe(90)
    expect(daysBetween('2026-04-10', '2026-01-10')).toBe(-90)
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1)
  })

  it('knows February and leap years', () => {
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28)
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29)
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365)
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366)
    // Jan 10 -> Jul 10: 90 (to Apr 10) + 20 (Apr) + 31 (May) + 30 (Jun) + 10 = 181.
    expect(daysBetween('2026-01-10', '2026-07-10')).toBe(181)
  })
})

describe('pausedDaysWithin', () => {
  // The range [2026-03-01, 2026-04-01) is 31 days.
  const from = '2026-03-01'
  const to = '2026-04-01'
  const days = (...pauses: Pause[]) => pausedDaysWithin(pauses, from, to)

  it('is 0 without pauses', () => {
    expect(days()).toBe(0)
  })

  it('counts a closed pause inside the range as [startedOn, endedOn)', () => {
    // Mar 10 -> Mar 20 = 10 days.
    expect(days({ startedOn: '2026-03-10', endedOn: '2026-03-20' })).toBe(10)
  })

  it('clips a pause that starts before the range', () => {
    // Feb 20 -> Mar 5, clipped to Mar 1 -> Mar 5 = 4 days.
    expect(days({ startedOn: '2026-02-20', endedOn: '2026-03-05' })).toBe(4)
  })

  it('clips a pause that ends after the range', () => {
    // Mar 25 -> Apr 10, clipped to Mar 25 -> Apr 1 = 7 days.
    expect(days({ startedOn: '2026-03-25', endedOn: '2026-04-10' })).toBe(7)
  })

  it('clips a pause that covers the whole range to the range', () => {
    expect(days({ startedOn: '2026-02-01', endedOn: '2026-05-01' })).toBe(31)
  })

  it('ignores pauses entirely outside the range, including ones touching its edges', () => {
    expect(days({ startedOn: '2026-02-01', endedOn: '2026-02-15' })).toBe(0)
    // Ends exactly on `from`: [Feb 20, Mar 1) has no day in [Mar 1, Apr 1).
    expect(days({ startedOn: '2026-02-20', endedOn: '2026-03-01' })).toBe(0)
    // Starts exactly on `to` (exclusive end).
    expect(days({ startedOn: '2026-04-01', endedOn: '2026-04-05' })).toBe(0)
    // An open pause that starts after the range.
    expect(days({ startedOn: '2026-04-10', endedOn: null })).toBe(0)
  })

  it('counts an open pause up to `to`', () => {
    // Mar 21 -> Apr 1 = 11 days.
    expect(days({ startedOn: '2026-03-21', endedOn: null })).toBe(11)
    // Open pause that began before the range: the whole 31 days.
    expect(days({ startedOn: '2026-02-15', endedOn: null })).toBe(31)
  })

  it('adds up two pauses', () => {
    // Mar 3 -> Mar 8 = 5, plus open from Mar 21 -> Apr 1 = 11: 16.
    expect(days({ startedOn: '2026-03-03', endedOn: '2026-03-08' }, { startedOn: '2026-03-21', endedOn: null })).toBe(
      16,
    )
    // Clipped at both edges: Feb 25 -> Mar 4 gives 3 (Mar 1..3), Mar 30 -> Apr 3 gives 2 (Mar 30, 31): 5.
    expect(
      days({ startedOn: '2026-02-25', endedOn: '2026-03-04' }, { startedOn: '2026-03-30', endedOn: '2026-04-03' }),
    ).toBe(5)
  })
})

describe('isPaused', () => {
  const closed: Pause[] = [{ startedOn: '2026-03-10', endedOn: '2026-03-20' }]
  const open: Pause[] = [{ startedOn: '2026-03-10', endedOn: null }]

  it('is false without pauses', () => {
    expect(isPaused([], '2026-03-15')).toBe(false)
  })

  it('treats a closed pause as [startedOn, endedOn)', () => {
    expect(isPaused(closed, '2026-03-09')).toBe(false)
    expect(isPaused(closed, '2026-03-10')).toBe(true)
    expect(isPaused(closed, '2026-03-19')).toBe(true)
    expect(isPaused(closed, '2026-03-20')).toBe(false)
  })

  it('treats an open pause as paused from its start onwards', () => {
    expect(isPaused(open, '2026-03-09')).toBe(false)
    expect(isPaused(open, '2026-03-10')).toBe(true)
    expect(isPaused(open, '2027-06-01')).toBe(true)
  })

  it('looks at every pause', () => {
    const two: Pause[] = [...closed, { startedOn: '2026-05-01', endedOn: null }]
    expect(isPaused(two, '2026-04-15')).toBe(false)
    expect(isPaused(two, '2026-05-02')).toBe(true)
  })
})

describe('activeDays', () => {
  it('is the calendar days since entering without pauses', () => {
    // Jan 10 -> Apr 10 = 90.
    expect(activeDays('2026-01-10', [], '2026-04-10')).toBe(90)
    expect(activeDays('2026-01-10', [], '2026-01-10')).toBe(0)
  })

  it('subtracts closed and open pauses', () => {
    // 90 calendar days - 20 (Feb 1 -> Feb 21) = 70.
    expect(activeDays('2026-01-10', [{ startedOn: '2026-02-01', endedOn: '2026-02-21' }], '2026-04-10')).toBe(70)
    // 90 - 9 (open since Apr 1, counted to Apr 10) = 81.
    expect(activeDays('2026-01-10', [{ startedOn: '2026-04-01', endedOn: null }], '2026-04-10')).toBe(81)
    // Both: 90 - 20 - 9 = 61.
    expect(
      activeDays(
        '2026-01-10',
        [
          { startedOn: '2026-02-01', endedOn: '2026-02-21' },
          { startedOn: '2026-04-01', endedOn: null },
        ],
        '2026-04-10',
      ),
    ).toBe(61)
  })

  it('counts only the part of a pause that falls after entering the stage', () => {
    // Pause Jan 1 -> Jan 15 clipped to Jan 10 -> Jan 15 = 5; 90 - 5 = 85.
    expect(activeDays('2026-01-10', [{ startedOn: '2026-01-01', endedOn: '2026-01-15' }], '2026-04-10')).toBe(85)
  })
})

describe('dayAfterActiveMonths', () => {
  it('is the calendar date when there are no pauses', () => {
    expect(dayAfterActiveMonths('2026-01-10', 3, [], '2026-02-01')).toBe('2026-04-10')
    // Month-end clamping carries through: Jan 31 + 1 month -> Feb 28.
    expect(dayAfterActiveMonths('2026-01-31', 1, [], '2026-02-01')).toBe('2026-02-28')
    // Leap year: Aug 31 2027 + 6 months -> Feb 29 2028.
    expect(dayAfterActiveMonths('2027-08-31', 6, [], '2027-09-01')).toBe('2028-02-29')
  })

  it('is pushed back by a closed pause', () => {
    // Apr 10 + 20 paused days (Feb 1 -> Feb 21) = Apr 30.
    expect(
      dayAfterActiveMonths('2026-01-10', 3, [{ startedOn: '2026-02-01', endedOn: '2026-02-21' }], '2026-03-01'),
    ).toBe('2026-04-30')
    // Feb 28 (clamped) + 5 paused days (Feb 2 -> Feb 7) = Mar 5.
    expect(
      dayAfterActiveMonths('2026-01-31', 1, [{ startedOn: '2026-02-02', endedOn: '2026-02-07' }], '2026-02-10'),
    ).toBe('2026-03-05')
  })

  it('counts an open pause up to today', () => {
    // Open since Mar 1, today Mar 11: 10 paused days -> Apr 10 + 10 = Apr 20.
    expect(dayAfterActiveMonths('2026-01-10', 3, [{ startedOn: '2026-03-01', endedOn: null }], '2026-03-11')).toBe(
      '2026-04-20',
    )
    // One day later the date moves one day later.
    expect(dayAfterActiveMonths('2026-01-10', 3, [{ startedOn: '2026-03-01', endedOn: null }], '2026-03-12')).toBe(
      '2026-04-21',
    )
  })

  it('is consistent with activeDays: on the returned day, active time equals the calendar length of the window', () => {
    const pauses: Pause[] = [{ startedOn: '2026-02-01', endedOn: '2026-02-21' }]
    const day = dayAfterActiveMonths('2026-01-10', 3, pauses, '2026-05-01')
    // 3 calendar months from Jan 10 = 90 days; on Apr 30, 110 calendar days - 20 paused = 90.
    expect(day).toBe('2026-04-30')
    expect(activeDays('2026-01-10', pauses, day)).toBe(90)
  })
})

describe('describeDays', () => {
  it('shows days under a month', () => {
    expect(describeDays(0)).toBe('0 days')
    expect(describeDays(1)).toBe('1 day')
    expect(describeDays(29)).toBe('29 days')
    // 30 / 30.44 < 1 -> still days.
    expect(describeDays(30)).toBe('30 days')
  })

  it('shows months and the rest in days (30.44-day months)', () => {
    // 31 - 30.44 = 0.56 -> 1.
    expect(describeDays(31)).toBe('1 month 1 day')
    // 45 - 30.44 = 14.56 -> 15.
    expect(describeDays(45)).toBe('1 month 15 days')
    // 61 - 60.88 = 0.12 -> 0: no day part.
    expect(describeDays(61)).toBe('2 months')
    // 100 - 91.32 = 8.68 -> 9.
    expect(describeDays(100)).toBe('3 months 9 days')
    // 183 / 30.44 = 6.01 -> 6 months; 183 - 182.64 = 0.36 -> 0.
    expect(describeDays(183)).toBe('6 months')
  })
})
