/** The pipeline dashboard's figures, composed from the roster and the pure pipeline rules. */
import { forecastCertifications, nextQuarters, type ForecastStage, type Quarter } from '~/domain/pipeline/forecast'
import { fallingDomains, readiness, readinessLabels, SLOW_SIGNOFF_DAYS, trackStatus } from '~/domain/pipeline/signals'
import { daysBetween } from '~/domain/program/dates'
import type { Framework } from '~/domain/framework/parse'
import { backgroundGaps, pipelineRows, type PipelineFilter, type PipelineRow } from '~/models/pipeline.server'
import type { Db } from './db.server'
import { derived } from './derived-cache.server'

export function forecastStages(fw: Framework): ForecastStage[] {
  return fw.stages.map((s, i) => ({
    id: s.id,
    order: s.order,
    minMonths: s.window?.minMonths ?? 0,
    maxMonths: s.window?.maxMonths ?? null,
    final: i === fw.stages.length - 1,
  }))
}

export function describePipeline(rows: PipelineRow[], fw: Framework, today: string) {
  const stageName = new Map(fw.stages.map((s) => [s.id, s.name]))
  const backgroundName = new Map(fw.backgrounds.map((b) => [b.id, b.name]))
  const domainName = new Map(fw.domains.map((d) => [d.id, d.name]))
  const candidates = rows.map((r) => {
    const certified = r.status === 'certified'
    const track = certified
      ? { status: 'on-track' as const, reason: 'Certified STO.' }
      : trackStatus({
          overdue: r.gate?.overdue ?? false,
          lastActivityOn: r.lastActivityOn,
          enteredOn: r.enteredOn,
          today,
        })
    const ready = r.gate && !r.gate.final ? readiness(r.gate, r.unsignedRequired, today) : null
    const falling = !certified && r.trend?.previous ? fallingDomains(r.trend.previous, r.trend.latest) : []
    const waitingDays = r.oldestPendingOn ? daysBetween(r.oldestPendingOn, today) : 0
    const flags = [
      ...(track.status === 'overdue'
        ? [`Overdue: past the ${stageName.get(r.stage)} maximum window since ${r.gate?.overdueSince}.`]
        : []),
      ...(track.status === 'stalled' ? [`Stalled: ${track.reason}`] : []),
      ...(falling.length
        ? [
            `Falling 360 trend in ${falling.map((d) => domainName.get(d) ?? d).join(', ')} (others’ view down by 0.3 or more).`,
          ]
        : []),
      ...(waitingDays > SLOW_SIGNOFF_DAYS ? [`A sign-off has waited ${waitingDays} days for the mentor or HR.`] : []),
    ]
    return {
      id: r.candidateId,
      name: r.name,
      background: r.background,
      backgroundName: backgroundName.get(r.background) ?? r.background,
      stage: r.stage,
      stageName: stageName.get(r.stage) ?? r.stage,
      mentorId: r.mentorId,
      mentorName: r.mentorName,
      cohort: r.cohort,
      status: r.status,
      enteredOn: r.enteredOn,
      activeDays: r.activeDays,
      track: track.status,
      trackReason: track.reason,
      readiness: ready?.bucket ?? null,
      readinessLabel: ready ? readinessLabels[ready.bucket] : 'Certified',
      readinessEstimate: ready?.estimate ?? null,
      readinessReasons: ready?.reasons ?? [],
      pendingSignoffs: r.pendingSignoffs,
      oldestPendingDays: waitingDays,
      flags,
    }
  })
  const funnel = fw.stages.map((s) => ({
    id: s.id,
    name: s.name,
    count: candidates.filter((c) => c.stage === s.id).length,
  }))
  const matrix = fw.backgrounds.map((b) => ({
    id: b.id,
    name: b.name,
    cells: fw.stages.map((s) => ({
      stage: s.id,
      count: candidates.filter((c) => c.background === b.id && c.stage === s.id).length,
    })),
  }))
  const buckets = (['ready-now', 'within-6-months', 'within-12-months', 'later'] as const).map((b) => ({
    id: b,
    label: readinessLabels[b],
    count: candidates.filter((c) => c.readiness === b).length,
  }))
  const mentors = new Map<number, { id: number; name: string; mentees: number; pending: number; oldestDays: number }>()
  for (const c of candidates) {
    // Certified STOs are no longer mentees.
    if (c.mentorId === null || c.status === 'certified') continue
    const m = mentors.get(c.mentorId) ?? {
      id: c.mentorId,
      name: c.mentorName ?? '—',
      mentees: 0,
      pending: 0,
      oldestDays: 0,
    }
    m.mentees++
    m.pending += c.pendingSignoffs
    m.oldestDays = Math.max(m.oldestDays, c.oldestPendingDays)
    mentors.set(c.mentorId, m)
  }
  // The rest of this quarter first, so candidates about to certify are not lost, then the next four.
  const upcoming = nextQuarters(today, 4)
  const thisQuarter: Quarter = { label: `${currentQuarterLabel(today)} (rest)`, start: today, end: upcoming[0]!.start }
  const forecast = forecastCertifications(
    rows
      .filter((r) => r.status !== 'certified')
      .map((r) => ({ stage: r.stage, enteredOn: r.enteredOn, activeDays: r.activeDays, paused: r.paused })),
    forecastStages(fw),
    today,
    [thisQuarter, ...upcoming],
  ).map((q) => ({ label: q.quarter.label, expected: q.expected, low: q.low, high: q.high }))
  return {
    candidates,
    funnel,
    matrix,
    buckets,
    mentorLoad: [...mentors.values()].sort((a, b) => b.pending - a.pending || a.name.localeCompare(b.name)),
    forecast,
    flagged: candidates.filter((c) => c.flags.length > 0),
  }
}

const currentQuarterLabel = (day: string) => `${day.slice(0, 4)} Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`

/**
 * The pipeline summary for a filter and day, cached until the data changes (decision 0013): the
 * dashboard and its CSV export read it; computing it reads every current candidate's history.
 */
export function pipelineSummary(db: Db, fw: Framework, filter: PipelineFilter, today: string) {
  const key = `pipeline|${fw.version}|${today}|${filter.background ?? ''}|${filter.stage ?? ''}|${filter.mentorId ?? ''}|${filter.cohort ?? ''}`
  return derived(db, key, () => describePipeline(pipelineRows(db, fw, filter, today), fw, today))
}

/** The background gap aggregates for a stage filter, cached like the pipeline summary. */
export function gapRows(db: Db, stage: string | undefined) {
  return derived(db, `gaps|${stage ?? ''}`, () => backgroundGaps(db, { stage }))
}
