/** The report page's view model: the frozen report of a closed cycle with what the page shows beside it. */
import { stateLabels } from '~/domain/assessment/cycle'
import { groupMinimums } from '~/domain/assessment/types'
import { canAccess } from '~/domain/permissions'
import {
  acceptedSuggestions,
  getReport,
  getSelfAssessment,
  previousClosedCycle,
  type getCycle,
} from '~/models/assessments.server'
import type { User } from '~/models/people.server'
import { findBackground, findStage, getFramework } from '~/utils/content.server'
import type { Db } from '~/utils/db.server'

type FoundCycle = NonNullable<ReturnType<typeof getCycle>>

/**
 * It carries only the figures the confidentiality rules allow (computed once at close): no
 * individual response, no rater identity. Not ready until the cycle is closed.
 */
export function reportPageView(db: Db, user: User, found: FoundCycle) {
  const { cycle } = found
  const report = getReport(cycle)
  const fw = getFramework()
  const candidate = { id: cycle.candidateId, name: found.candidateName }
  if (cycle.state !== 'closed' || !report) {
    return {
      ready: false as const,
      candidate,
      cycle: { id: cycle.id, stateLabel: stateLabels[cycle.state], dueOn: cycle.dueOn },
    }
  }
  const capName = new Map(fw.capabilities.map((c) => [c.id, c.name]))
  const previous = previousClosedCycle(db, cycle.candidateId, cycle.id)
  const previousReport = previous ? getReport(previous) : null
  const background = found.background ? findBackground(found.background) : undefined
  const self = getSelfAssessment(db, cycle.id)
  const accepted = new Set(acceptedSuggestions(db, cycle.candidateId, cycle.id))
  const gapOf = new Map(report.capabilities.map((c) => [c.capabilityId, c.gap]))
  return {
    ready: true as const,
    candidate,
    cycle: {
      id: cycle.id,
      closedAt: cycle.closedAt,
      dueOn: cycle.dueOn,
      frameworkVersion: cycle.frameworkVersion,
      stage: findStage(cycle.stage)?.name ?? cycle.stage,
    },
    report,
    capabilityNames: Object.fromEntries(capName),
    minimums: groupMinimums,
    background: background
      ? { name: background.name, gap: background.typicalGap.summary, capabilityIds: background.typicalGap.capabilities }
      : null,
    previous:
      previousReport && previous
        ? {
            closedAt: previous.closedAt,
            capabilities: Object.fromEntries(
              previousReport.capabilities.map((c) => [c.capabilityId, c.allOthers?.mean ?? null]),
            ),
            domains: Object.fromEntries(previousReport.domains.map((d) => [d.domainId, d.allOthers])),
          }
        : null,
    selfComments: self?.submittedAt
      ? fw.domains.filter((d) => self.comments[d.id]).map((d) => ({ domain: d.name, text: self.comments[d.id]! }))
      : [],
    suggestions: report.largestGaps.map((id) => ({
      capabilityId: id,
      name: capName.get(id) ?? id,
      accepted: accepted.has(id),
      gap: gapOf.get(id) ?? null,
    })),
    canAccept: user.id === cycle.candidateId && canAccess(user, 'create', 'plan-item', { ownerId: cycle.candidateId }),
  }
}
