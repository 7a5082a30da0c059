/**
 * Calendar arithmetic on UTC days (YYYY-MM-DD), pure. Stage windows are in calendar months;
 * paused days push every date of the window back by as many days.
 */
const DAY_MS = 24 * 60 * 60 * 1000

export const toDay = (d: Date) => d.toISOString().slice(0, 10)
const parse = (day: string) => new Date(`${day}T00:00:00Z`)

export function addDays(day: string, days: number): string {
  return toDay(new Date(parse(day).getTime() + days * DAY_MS))
}

/** Calendar months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: string, months: number): string {
  const d = parse(day)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return toDay(target)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS)
}

export type Pause = { startedOn: string; endedOn: string | null }

/** Days paused between `from` and `to` (an open pause counts up to `to`). */
export function pausedDaysWithin(pauses: Pause[], from: string, to: string): number {
  let total = 0
  for (const p of pauses) {
    const start = p.startedOn > from ? p.startedOn : from
    const end = (p.endedOn ?? to) < to ? (p.endedOn ?? to) : to
    if (end > start) total += daysBetween(start, end)
  }
  return total
}

export function isPaused(pauses: Pause[], today: string): boolean {
  return pauses.some((p) => p.startedOn <= today && (p.endedOn === null || p.endedOn > today))
}

/** Days in a stage that count: calendar days since entering, less paused days. */
export function activeDays(enteredOn: string, pauses: Pause[], today: string): number {
  return daysBetween(enteredOn, today) - pausedDaysWithin(pauses, enteredOn, today)
}

/**
 * The day `months` of active time are complete. Only pauses before that day push it back (a pause
 * taken after the threshold changes nothing); an open pause is assumed to end today.
 */
export function dayAfterActiveMonths(enteredOn: string, months: number, pauses: Pause[], today: string): string {
  const bounded = pauses.map((p) => ({
    startedOn: p.startedOn,
    endedOn: p.endedOn ?? (today > p.startedOn ? today : p.startedOn),
  }))
  const base = addMonths(enteredOn, months)
  let day = base
  // Each pass adds the pauses that fall before the current candidate day; it only moves later and stops.
  for (let i = 0; i < 1000; i++) {
    const next = addDays(base, pausedDaysWithin(bounded, enteredOn, day))
    if (next === day) break
    day = next
  }
  return day
}

/** Active time as "4 months 12 days" (30-day months, for display only). */
export function describeDays(days: number): string {
  const months = Math.floor(days / 30.44)
  const rest = Math.round(days - months * 30.44)
  if (months === 0) return `${rest} day${rest === 1 ? '' : 's'}`
  return `${months} month${months === 1 ? '' : 's'}${rest ? ` ${rest} day${rest === 1 ? '' : 's'}` : ''}`
}
