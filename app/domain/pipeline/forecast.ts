/**
 * Certification forecast, pure. Each candidate still on the path has a window in which they could
 * be certified: the soonest if every remaining stage takes its minimum, the latest if each takes its
 * maximum (Low-Risk Pod Leadership has no maximum: we assume 18 months). A candidate's chance of
 * certifying in a quarter is the share of that window falling in the quarter (uniform). The expected
 * count per quarter sums those shares; the range runs from the candidates whose whole window lies in
 * the quarter (certain, if the model holds) to all whose window touches it (possible).
 * See docs/decisions/0012-pipeline-forecast.md.
 */
import { addDays, addMonths, daysBetween } from '../program/dates'

export type ForecastStage = { id: string; order: number; minMonths: number; maxMonths: number | null; final: boolean }
export type ForecastCandidate = { stage: string; enteredOn: string; activeDays: number; paused: boolean }

/** Low-Risk Pod Leadership is "12+ months": the forecast assumes it ends by 18. */
export const OPEN_ENDED_MAX_MONTHS = 18
const MONTH_DAYS = 30.44

export type Quarter = { label: string; start: string; end: string }

/** The next `count` calendar quarters starting with the one after `today`'s. */
export function nextQuarters(today: string, count = 4): Quarter[] {
  const d = new Date(`${today}T00:00:00Z`)
  let year = d.getUTCFullYear()
  let q = Math.floor(d.getUTCMonth() / 3) + 1
  const out: Quarter[] = []
  for (let i = 0; i < count; i++) {
    q++
    if (q > 4) {
      q = 1
      year++
    }
    const start = `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`
    out.push({ label: `${year} Q${q}`, start, end: addMonths(start, 3) })
  }
  return out
}

/** The soonest and latest day a candidate could be certified, or null when already certified or paused. */
export function certificationWindow(
  c: ForecastCandidate,
  stages: ForecastStage[],
  today: string,
): { earliest: string; latest: string } | null {
  const current = stages.find((s) => s.id === c.stage)
  if (!current || current.final || c.paused) return null
  const remainingMin = Math.max(0, current.minMonths * MONTH_DAYS - c.activeDays)
  const maxCurrent = current.maxMonths ?? OPEN_ENDED_MAX_MONTHS
  // Already past the maximum: the decision could come any day in the next month.
  const remainingMax = Math.max(remainingMin + 30, maxCurrent * MONTH_DAYS - c.activeDays)
  let min = remainingMin
  let max = remainingMax
  for (const s of stages.filter((s) => s.order > current.order && !s.final)) {
    min += s.minMonths * MONTH_DAYS
    max += (s.maxMonths ?? OPEN_ENDED_MAX_MONTHS) * MONTH_DAYS
  }
  return { earliest: addDays(today, Math.round(min)), latest: addDays(today, Math.round(max)) }
}

export type QuarterForecast = { quarter: Quarter; expected: number; low: number; high: number }

export function forecastCertifications(
  candidates: ForecastCandidate[],
  stages: ForecastStage[],
  today: string,
  quarters = nextQuarters(today),
): QuarterForecast[] {
  const windows = candidates.map((c) => certificationWindow(c, stages, today)).filter((w) => w !== null)
  return quarters.map((quarter) => {
    let expected = 0
    let low = 0
    let high = 0
    for (const w of windows) {
      const span = Math.max(1, daysBetween(w.earliest, w.latest))
      const from = w.earliest > quarter.start ? w.earliest : quarter.start
      const to = w.latest < quarter.end ? w.latest : quarter.end
      const overlap = Math.max(0, daysBetween(from, to))
      if (overlap > 0 || (w.earliest === w.latest && w.earliest >= quarter.start && w.earliest < quarter.end)) high++
      if (w.earliest >= quarter.start && w.latest <= quarter.end) low++
      expected += Math.min(1, overlap / span)
    }
    return { quarter, expected, low, high }
  })
}
