/** Cycle rules, pure: when a cycle is due, what each state allows. */
export const cycleStates = ['nominating', 'collecting', 'closed', 'cancelled'] as const
export type CycleState = (typeof cycleStates)[number]

/** A cycle closes when its due day is over, in UTC: due 2026-12-10 closes at 2026-12-11T00:00Z. */
export function closesAt(dueOn: string): Date {
  const d = new Date(`${dueOn}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d
}

export function isPastDue(dueOn: string, now: Date): boolean {
  return now.getTime() >= closesAt(dueOn).getTime()
}

export const isOpen = (state: CycleState) => state === 'nominating' || state === 'collecting'

/** The candidate may edit the self-assessment and nominate while the cycle is open and not past due. */
export function acceptsAnswers(cycle: { state: CycleState; dueOn: string }, now: Date): boolean {
  return isOpen(cycle.state) && !isPastDue(cycle.dueOn, now)
}

export const REMINDER_INTERVAL_MS = 48 * 60 * 60 * 1000

/** null when a reminder may go now, else the earliest time it may. */
export function nextReminderAllowedAt(lastReminderAt: string | null, now: Date): Date | null {
  if (!lastReminderAt) return null
  const next = new Date(new Date(lastReminderAt).getTime() + REMINDER_INTERVAL_MS)
  return next.getTime() > now.getTime() ? next : null
}

export const stateLabels: Record<CycleState, string> = {
  nominating: 'Nominating raters',
  collecting: 'Collecting feedback',
  closed: 'Closed — report released',
  cancelled: 'Cancelled',
}
