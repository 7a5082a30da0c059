/**
 * Pipeline signals, pure: where a candidate stands against their stage window, whether they have
 * stalled, and how soon they could be ready — each with the reason in plain words.
 */
import { addDays, daysBetween } from '../program/dates'
import type { GateResult } from '../program/gate'

export const STALLED_AFTER_DAYS = 60
export const SLOW_SIGNOFF_DAYS = 14

export type TrackStatus = 'on-track' | 'overdue' | 'stalled'

/** Stalled: no milestone activity, plan update or assessment in 60 days. Overdue wins over stalled. */
export function trackStatus(input: {
  overdue: boolean
  lastActivityOn: string | null
  enteredOn: string
  today: string
}): { status: TrackStatus; reason: string } {
  if (input.overdue) return { status: 'overdue', reason: 'Past the stage’s maximum window.' }
  const since = input.lastActivityOn && input.lastActivityOn > input.enteredOn ? input.lastActivityOn : input.enteredOn
  const idle = daysBetween(since, input.today)
  if (idle >= STALLED_AFTER_DAYS)
    return {
      status: 'stalled',
      reason: `No milestone activity, plan update or assessment for ${idle} days (since ${since}).`,
    }
  return { status: 'on-track', reason: `Active within the last ${idle} days.` }
}

export type ReadinessBucket = 'ready-now' | 'within-6-months' | 'within-12-months' | 'later'

export const readinessLabels: Record<ReadinessBucket, string> = {
  'ready-now': 'Ready now',
  'within-6-months': 'Within 6 months',
  'within-12-months': 'Within 12 months',
  later: 'Later',
}

/** Days we assume per unsigned required milestone, and for a 360 gap to close (about one development cycle). */
export const DAYS_PER_MILESTONE = 30
export const DAYS_TO_CLOSE_COMPETENCY_GAP = 180

/**
 * How soon the gate could be met, from the gate's own conditions: the time condition's date, a month
 * per unsigned required milestone, six months when the 360 misses the exit profile. Recommendation
 * and approval are decisions, not waiting time.
 */
export function readiness(
  gate: GateResult,
  unsignedRequired: number,
  today: string,
): { bucket: ReadinessBucket; estimate: string; reasons: string[] } {
  if (gate.readyForApproval)
    return {
      bucket: 'ready-now',
      estimate: today,
      reasons: [
        'Every condition of the gate is met; waiting for the recommendation and approval only.',
        ...(gate.paused ? ['Paused: advancement waits until the program resumes.'] : []),
      ],
    }
  const reasons: string[] = []
  let estimate = today
  const later = (day: string, why: string) => {
    reasons.push(why)
    if (day > estimate) estimate = day
  }
  const time = gate.conditions.find((c) => c.key === 'time')
  if (time && !time.met && gate.earliestTimeOn)
    later(gate.earliestTimeOn, `Time in stage is met from ${gate.earliestTimeOn}.`)
  if (unsignedRequired > 0)
    later(
      addDays(today, DAYS_PER_MILESTONE * unsignedRequired),
      `${unsignedRequired} required milestone${unsignedRequired === 1 ? '' : 's'} to sign off (about a month each).`,
    )
  const competency = gate.conditions.find((c) => c.key === 'competency')
  if (competency && !competency.met)
    later(
      addDays(today, DAYS_TO_CLOSE_COMPETENCY_GAP),
      `The latest 360 misses the exit profile (about six months to close the gaps and reassess).`,
    )
  if (gate.paused) reasons.push('Paused: the estimate assumes the program resumes today.')
  if (reasons.length === 0) reasons.push('Waiting for the mentor’s recommendation.')
  const days = daysBetween(today, estimate)
  const bucket: ReadinessBucket =
    days <= 0 ? 'ready-now' : days <= 183 ? 'within-6-months' : days <= 366 ? 'within-12-months' : 'later'
  return { bucket, estimate, reasons }
}

/** A falling 360 trend: any domain's others' mean lower than in the previous cycle by this much. */
export const FALLING_TREND = 0.3

export function fallingDomains(
  previous: Record<string, number | null>,
  latest: Record<string, number | null>,
): string[] {
  return Object.keys(latest).filter((d) => {
    const before = previous[d]
    const now = latest[d]
    return before != null && now != null && before - now >= FALLING_TREND - 1e-9
  })
}

/** Small-n suppression: an aggregate over fewer candidates than this is not shown. */
export const MIN_CANDIDATES_FOR_AGGREGATE = 3

export function suppressed<T>(value: T, candidates: number): T | null {
  return candidates >= MIN_CANDIDATES_FOR_AGGREGATE ? value : null
}
