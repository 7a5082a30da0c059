import { describe, expect, it } from 'vitest'
import {
  OPEN_ENDED_MAX_MONTHS,
  certificationWindow,
  forecastCertifications,
  nextQuarters,
  type ForecastCandidate,
  type ForecastStage,
} from '~/domain/pipeline/forecast'
import { addDays } from '~/domain/program/dates'

/**
 * The stages of content/program.json: Shadow 3-6 months, Assistant STO 6-12, Low-Risk Pod
 * Leadership 12+ (the forecast assumes 18), Full STO Certification final.
 * The model's month is 30.44 days: 3 -> 91.32, 6 -> 182.64, 12 -> 365.28, 18 -> 547.92.
 */
const stages: ForecastStage[] = [
  { id: 'shadow', order: 1, minMonths: 3, maxMonths: 6, final: false },
  { id: 'assistant-sto', order: 2, minMonths: 6, maxMonths: 12, final: false },
  { id: 'low-risk-pod-leadership', order: 3, minMonths: 12, maxMonths: null, final: false },
  { id: 'full-sto-certification', order: 4, minMonths: 0, maxMonths: null, final: true },
]

/**
 * Today is 2026-11-26 (T). Quarter boundaries as offsets from T:
 *   2026-10-01 = T-56   (Oct 1 -> Nov 26: 31 + 25)
 *   2027-01-01 = T+36   (Nov 26 -> Dec 1: 5, + 31)
 *   2027-04-01 = T+126  (+ Jan 31 + Feb 28 + Mar 31 = 90)
 *   2027-07-01 = T+217  (+ 30 + 31 + 30 = 91)
 *   2027-10-01 = T+309  (+ 31 + 31 + 30 = 92)
 *   2028-01-01 = T+401  (+ 31 + 30 + 31 = 92)
 *   2028-04-01 = T+492  (+ 31 + 29 (leap) + 31 = 91)
 *   2028-07-01 = T+583  (+ 91)
 *   2028-10-01 = T+675  (+ 92)
 *   2029-01-01 = T+767  (+ 92)
 *   2029-04-01 = T+857  (+ 90)
 *   2029-07-01 = T+948  (+ 91)
 *   2029-10-01 = T+1040 (+ 92)
 *   2030-01-01 = T+1132 (+ 92)
 */
const T = '2026-11-26'

/** The i-th element, failing loudly when absent (the tsconfig has noUncheckedIndexedAccess). */
function at<T>(list: T[], i: number): T {
  const x = list[i]
  if (x === undefined) throw new Error(`no element ${i}`)
  return x
}

const candidate = (
  stage: string,
  activeDays: number,
  overrides: Partial<ForecastCandidate> = {},
): ForecastCandidate => ({
  stage,
  enteredOn: addDays(T, -activeDays),
  activeDays,
  paused: false,
  ...overrides,
})

describe('nextQuarters', () => {
  it('starts with the quarter after today’s, rolling the year over from a Q4 date', () => {
    // 2026-11-26 is in 2026 Q4 -> the next one is 2027 Q1.
    expect(nextQuarters('2026-11-26')).toEqual([
      { label: '2027 Q1', start: '2027-01-01', end: '2027-04-01' },
      { label: '2027 Q2', start: '2027-04-01', end: '2027-07-01' },
      { label: '2027 Q3', start: '2027-07-01', end: '2027-10-01' },
      { label: '2027 Q4', start: '2027-10-01', end: '2028-01-01' },
    ])
  })

  it('rolls over at the end of the list from a Q1 date', () => {
    // 2026-02-15 is in 2026 Q1 -> Q2, Q3, Q4, then 2027 Q1.
    expect(nextQuarters('2026-02-15')).toEqual([
      { label: '2026 Q2', start: '2026-04-01', end: '2026-07-01' },
      { label: '2026 Q3', start: '2026-07-01', end: '2026-10-01' },
      { label: '2026 Q4', start: '2026-10-01', end: '2027-01-01' },
      { label: '2027 Q1', start: '2027-01-01', end: '2027-04-01' },
    ])
  })

  it('treats the first and last day of a quarter as inside it', () => {
    // 2026-04-01 and 2026-06-30 are both 2026 Q2 -> the list starts with 2026 Q3.
    expect(nextQuarters('2026-04-01', 1)).toEqual([{ label: '2026 Q3', start: '2026-07-01', end: '2026-10-01' }])
    expect(nextQuarters('2026-06-30', 1)).toEqual([{ label: '2026 Q3', start: '2026-07-01', end: '2026-10-01' }])
    // 2026-12-31 is still 2026 Q4.
    expect(nextQuarters('2026-12-31', 1)).toEqual([{ label: '2027 Q1', start: '2027-01-01', end: '2027-04-01' }])
  })

  it('returns as many quarters as asked, each ending where the next starts', () => {
    const qs = nextQuarters(T, 12)
    expect(qs).toHaveLength(12)
    expect(at(qs, 0).label).toBe('2027 Q1')
    expect(at(qs, 11)).toEqual({ label: '2029 Q4', start: '2029-10-01', end: '2030-01-01' })
    for (let i = 1; i < qs.length; i++) expect(at(qs, i).start).toBe(at(qs, i - 1).end)
    expect(nextQuarters(T, 0)).toEqual([])
  })
})

describe('certificationWindow', () => {
  it('assumes 18 months for the open-ended Low-Risk Pod Leadership stage', () => {
    expect(OPEN_ENDED_MAX_MONTHS).toBe(18)
    // 300 active days into Low-Risk Pod Leadership; no non-final stage after it.
    //   remainingMin = max(0, 12 * 30.44 - 300) = 365.28 - 300 = 65.28 -> 65 days
    //   remainingMax = max(65.28 + 30, 18 * 30.44 - 300) = max(95.28, 247.92) = 247.92 -> 248 days
    //   T + 65  = 2027-01-01 (T+36) + 29 = 2027-01-30
    //   T + 248 = 2027-07-01 (T+217) + 31 = 2027-08-01
    expect(certificationWindow(candidate('low-risk-pod-leadership', 300), stages, T)).toEqual({
      earliest: '2027-01-30',
      latest: '2027-08-01',
    })
  })

  it('adds every later non-final stage for a candidate at the start of Shadow', () => {
    // 0 active days in Shadow:
    //   min = 3 + 6 + 12 months = 21 * 30.44 = 639.24  -> 639 days
    //   max = 6 + 12 + 18 months = 36 * 30.44 = 1095.84 -> 1096 days
    //   (remainingMax for Shadow = max(91.32 + 30, 182.64) = 182.64, the 6-month maximum)
    //   T + 639  = 2028-07-01 (T+583) + 56 = 2028-08-26
    //   T + 1096 = 365 + 365 + 366 (2028 leap) = three years on: 2029-11-26
    expect(certificationWindow(candidate('shadow', 0), stages, T)).toEqual({
      earliest: '2028-08-26',
      latest: '2029-11-26',
    })
  })

  it('gives a candidate past their stage maximum a month to be decided', () => {
    // 400 active days in Assistant STO (max 12 months = 365.28 days):
    //   remainingMin = max(0, 182.64 - 400) = 0
    //   remainingMax = max(0 + 30, 365.28 - 400 = -34.72) = 30
    //   + Low-Risk Pod Leadership: min 0 + 365.28 = 365.28 -> 365; max 30 + 547.92 = 577.92 -> 578
    //   T + 365 = 2027-11-26 (no 29 February in between)
    //   T + 578 = 2028-04-01 (T+492) + 86 = 2028-06-26 (Apr 30 + May 31 = 61 -> Jun 1, + 25)
    expect(certificationWindow(candidate('assistant-sto', 400), stages, T)).toEqual({
      earliest: '2027-11-26',
      latest: '2028-06-26',
    })
  })

  it('counts from today for a candidate past the minimum but within the maximum', () => {
    // 250 active days in Assistant STO:
    //   remainingMin = max(0, 182.64 - 250) = 0
    //   remainingMax = max(30, 365.28 - 250) = 115.28
    //   + Low-Risk: min 365.28 -> 365; max 115.28 + 547.92 = 663.2 -> 663
    //   T + 663 = 2028-07-01 (T+583) + 80 = 2028-09-19 (Jul 31 + Aug 31 = 62 -> Sep 1, + 18)
    expect(certificationWindow(candidate('assistant-sto', 250), stages, T)).toEqual({
      earliest: '2027-11-26',
      latest: '2028-09-19',
    })
  })

  it('gives a Low-Risk candidate beyond 18 months the next 30 days', () => {
    // 600 days: remainingMin = max(0, 365.28 - 600) = 0; remainingMax = max(30, 547.92 - 600) = 30.
    expect(certificationWindow(candidate('low-risk-pod-leadership', 600), stages, T)).toEqual({
      earliest: T,
      latest: '2026-12-26',
    })
    // 520 days: remainingMax = max(30, 547.92 - 520 = 27.92) = 30 as well.
    expect(certificationWindow(candidate('low-risk-pod-leadership', 520), stages, T)).toEqual({
      earliest: T,
      latest: '2026-12-26',
    })
    // 500 days: remainingMax = max(30, 47.92) = 47.92 -> 48; T + 48 = 2027-01-01 + 12 = 2027-01-13.
    expect(certificationWindow(candidate('low-risk-pod-leadership', 500), stages, T)).toEqual({
      earliest: T,
      latest: '2027-01-13',
    })
  })

  it('is null for a certified, a paused or an unknown-stage candidate', () => {
    expect(certificationWindow(candidate('full-sto-certification', 100), stages, T)).toBeNull()
    expect(certificationWindow(candidate('shadow', 10, { paused: true }), stages, T)).toBeNull()
    expect(certificationWindow(candidate('low-risk-pod-leadership', 300, { paused: true }), stages, T)).toBeNull()
    expect(certificationWindow(candidate('no-such-stage', 10), stages, T)).toBeNull()
  })

  it('does not depend on the order of the stage list', () => {
    const reversed = [...stages].reverse()
    expect(certificationWindow(candidate('shadow', 0), reversed, T)).toEqual({
      earliest: '2028-08-26',
      latest: '2029-11-26',
    })
  })
})

describe('forecastCertifications', () => {
  /**
   * Windows (from the certificationWindow tests above), with their spans in days:
   *   A  Low-Risk 300 days      [T+65,  T+248]  span 183
   *   B  Assistant STO 400 days [T+365, T+578]  span 213
   *   C  Low-Risk 520 days      [T,     T+30]   span 30   (wholly inside 2026 Q4)
   *   D  Assistant STO 250 days [T+365, T+663]  span 298
   *   P  paused Shadow                          no window
   *   F  certified                              no window
   */
  const A = candidate('low-risk-pod-leadership', 300)
  const B = candidate('assistant-sto', 400)
  const C = candidate('low-risk-pod-leadership', 520)
  const D = candidate('assistant-sto', 250)
  const P = candidate('shadow', 20, { paused: true })
  const F = candidate('full-sto-certification', 40)

  it('splits each window across the quarters it touches', () => {
    // Quarters from 2026 Q4 (today's) to 2028 Q3: nextQuarters of a 2026 Q3 day.
    const quarters = nextQuarters('2026-08-15', 8)
    expect(quarters.map((q) => q.label)).toEqual([
      '2026 Q4',
      '2027 Q1',
      '2027 Q2',
      '2027 Q3',
      '2027 Q4',
      '2028 Q1',
      '2028 Q2',
      '2028 Q3',
    ])
    const f = forecastCertifications([A, B, C, D, P, F], stages, T, quarters)
    expect(f.map((q) => q.quarter)).toEqual(quarters)

    // 2026 Q4 [T-56, T+36): C overlaps [T, T+30] = 30 of 30 -> 1; A starts T+65, outside.
    expect(at(f, 0).expected).toBeCloseTo(1.0, 2)
    expect([at(f, 0).low, at(f, 0).high]).toEqual([1, 1]) // C lies wholly inside: low and high
    // 2027 Q1 [T+36, T+126): A [T+65, T+126) = 61/183 = 0.3333
    expect(at(f, 1).expected).toBeCloseTo(0.33, 2)
    expect([at(f, 1).low, at(f, 1).high]).toEqual([0, 1])
    // 2027 Q2 [T+126, T+217): A 91/183 = 0.4973
    expect(at(f, 2).expected).toBeCloseTo(0.5, 2)
    expect([at(f, 2).low, at(f, 2).high]).toEqual([0, 1])
    // 2027 Q3 [T+217, T+309): A [T+217, T+248) = 31/183 = 0.1694  (61 + 91 + 31 = 183)
    expect(at(f, 3).expected).toBeCloseTo(0.17, 2)
    expect([at(f, 3).low, at(f, 3).high]).toEqual([0, 1])
    // 2027 Q4 [T+309, T+401): B [T+365, T+401) = 36/213 = 0.1690; D 36/298 = 0.1208 -> 0.2898
    expect(at(f, 4).expected).toBeCloseTo(0.29, 2)
    expect([at(f, 4).low, at(f, 4).high]).toEqual([0, 2])
    // 2028 Q1 [T+401, T+492): B 91/213 = 0.4272; D 91/298 = 0.3054 -> 0.7326
    expect(at(f, 5).expected).toBeCloseTo(0.73, 2)
    expect([at(f, 5).low, at(f, 5).high]).toEqual([0, 2])
    // 2028 Q2 [T+492, T+583): B [T+492, T+578) = 86/213 = 0.4038; D 91/298 = 0.3054 -> 0.7091
    // (B: 36 + 91 + 86 = 213)
    expect(at(f, 6).expected).toBeCloseTo(0.71, 2)
    expect([at(f, 6).low, at(f, 6).high]).toEqual([0, 2])
    // 2028 Q3 [T+583, T+675): B ended at T+578; D [T+583, T+663) = 80/298 = 0.2685
    // (D: 36 + 91 + 91 + 80 = 298)
    expect(at(f, 7).expected).toBeCloseTo(0.27, 2)
    expect([at(f, 7).low, at(f, 7).high]).toEqual([0, 1])

    // The exact fractions, to rule out an accidental 2-decimal match.
    expect(at(f, 1).expected).toBeCloseTo(61 / 183, 10)
    expect(at(f, 4).expected).toBeCloseTo(36 / 213 + 36 / 298, 10)
    expect(at(f, 6).expected).toBeCloseTo(86 / 213 + 91 / 298, 10)
  })

  it('defaults to the four quarters after today’s', () => {
    // 2027 Q1..Q4: C's window (in 2026 Q4) is not shown; A gives 61, 91, 31 of 183; B and D start in Q4.
    const f = forecastCertifications([A, B, C, D, P, F], stages, T)
    expect(f.map((q) => q.quarter.label)).toEqual(['2027 Q1', '2027 Q2', '2027 Q3', '2027 Q4'])
    expect(f.map((q) => Number(q.expected.toFixed(2)))).toEqual([0.33, 0.5, 0.17, 0.29])
    expect(f.map((q) => q.low)).toEqual([0, 0, 0, 0])
    expect(f.map((q) => q.high)).toEqual([1, 1, 1, 2])
  })

  it('adds up, over a long enough horizon, to one per candidate still on the path', () => {
    // 12 quarters: 2027 Q1 [T+36] .. 2029 Q4 ending 2030-01-01 [T+1132].
    // S (Shadow, 0 days) [T+639, T+1096], span 457: 2028 Q3 36, Q4 92, 2029 Q1 90, Q2 91, Q3 92,
    // Q4 56 (T+1040 -> T+1096) -> 36 + 92 + 90 + 91 + 92 + 56 = 457.
    // A, B, D, S all lie inside the horizon; P (paused) and F (certified) have no window -> 4.
    const S = candidate('shadow', 0)
    const f = forecastCertifications([A, B, D, S, P, F], stages, T, nextQuarters(T, 12))
    const total = f.reduce((sum, q) => sum + q.expected, 0)
    expect(total).toBeCloseTo(4, 10)
    // S alone: its 2029 Q4 share is 56/457 = 0.1225.
    const sOnly = forecastCertifications([S], stages, T, nextQuarters(T, 12))
    expect(sOnly.map((q) => Number(q.expected.toFixed(2)))).toEqual([0, 0, 0, 0, 0, 0, 0.08, 0.2, 0.2, 0.2, 0.2, 0.12])
    // 36/457 = 0.0788, 92/457 = 0.2013, 90/457 = 0.1969, 91/457 = 0.1991
    expect(sOnly.reduce((sum, q) => sum + q.expected, 0)).toBeCloseTo(1, 10)
    expect(sOnly.map((q) => q.high)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    expect(sOnly.every((q) => q.low === 0)).toBe(true)
  })

  it('counts only the part of a window inside a shorter horizon', () => {
    // 8 quarters end 2029-01-01 = T+767: A, B, D complete (3); S contributes (767 - 639)/457 = 128/457.
    const S = candidate('shadow', 0)
    const f = forecastCertifications([A, B, D, S], stages, T, nextQuarters(T, 8))
    expect(f.reduce((sum, q) => sum + q.expected, 0)).toBeCloseTo(3 + 128 / 457, 10)
    expect(f.reduce((sum, q) => sum + q.expected, 0)).toBeCloseTo(3.28, 2)
  })

  it('is zero everywhere with no candidate on the path', () => {
    const f = forecastCertifications([P, F], stages, T)
    expect(f.map((q) => [q.expected, q.low, q.high])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
    expect(forecastCertifications([], stages, T, [])).toEqual([])
  })
})

describe('a window that fills a quarter exactly (mutation testing)', () => {
  it('counts as certain when it starts on the first day and ends on the last', () => {
    const c = candidate('low-risk-pod-leadership', 0)
    const w = certificationWindow(c, stages, T)!
    const [q] = forecastCertifications([c], stages, T, [{ label: 'exact', start: w.earliest, end: w.latest }])
    expect(q).toMatchObject({ low: 1, high: 1, expected: 1 })
    // One day less on either side: no longer certain, still possible.
    const [inner] = forecastCertifications([c], stages, T, [
      { label: 'inner', start: addDays(w.earliest, 1), end: w.latest },
    ])
    expect(inner).toMatchObject({ low: 0, high: 1 })
    const [short] = forecastCertifications([c], stages, T, [
      { label: 'short', start: w.earliest, end: addDays(w.latest, -1) },
    ])
    expect(short).toMatchObject({ low: 0, high: 1 })
  })
})
