/** The cycle page's view model: the cycle's facts, its raters and what the viewer may do, for one viewer. */
import { isOpen, nextReminderAllowedAt, stateLabels } from '~/domain/assessment/cycle'
import { canManageCycle, canNominate } from '~/domain/assessment/rights'
import { nominationLimits, relationshipLabels, relationships } from '~/domain/assessment/types'
import type { RaterView } from '~/components/cycle/raters'
import { type getCycle, getReport, getSelfAssessment } from '~/models/assessments.server'
import type { User } from '~/models/people.server'
import { listRaters } from '~/models/raters.server'
import type { Db } from '~/utils/db.server'
import { stageName } from '~/utils/labels.server'

type FoundCycle = NonNullable<ReturnType<typeof getCycle>>

/** Responses per group as the frozen report shows them: a count for shown groups, none for the others. */
function responsesShown(report: ReturnType<typeof getReport>) {
  if (!report) return null
  return relationships.map((r) => ({
    relationship: r,
    responses: report.groupsShown[r].shown ? report.groupsShown[r].responses : null,
  }))
}

export function cyclePageView(db: Db, user: User, found: FoundCycle, now: Date) {
  const { cycle } = found
  const facts = { candidateId: cycle.candidateId, mentorId: found.mentorId }
  const self = getSelfAssessment(db, cycle.id)
  // Who answered is nobody's business but the rater's: the list carries no submission state.
  const raters: RaterView[] = listRaters(db, cycle.id).map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    relationship: r.relationship,
    status: r.revokedAt ? 'revoked' : r.invitedAt ? 'invited' : r.status,
  }))
  const nextReminder = nextReminderAllowedAt(cycle.lastReminderAt, now)
  return {
    cycle: {
      id: cycle.id,
      candidateId: cycle.candidateId,
      candidateName: found.candidateName,
      state: cycle.state,
      stateLabel: stateLabels[cycle.state],
      open: isOpen(cycle.state),
      dueOn: cycle.dueOn,
      stage: stageName(cycle.stage),
      frameworkVersion: cycle.frameworkVersion,
      cancelReason: cycle.cancelReason,
    },
    viewer: {
      isCandidate: user.id === cycle.candidateId,
      canManage: canManageCycle(user, facts).ok,
      canNominate: canNominate(user, { candidateId: cycle.candidateId }).ok,
    },
    self: self ? { submitted: self.submittedAt !== null, updatedAt: self.updatedAt } : null,
    raters,
    // Who answered is the rater's business alone (decision 0016): nothing about responses is shown
    // while a cycle collects, and after close only the groups the report shows carry a count.
    responses: cycle.state === 'closed' ? responsesShown(getReport(cycle)) : null,
    reminder: { nextAllowedAt: nextReminder?.toISOString() ?? null, lastAt: cycle.lastReminderAt },
    limits: relationships.map((r) => ({ relationship: r, label: relationshipLabels[r].many, ...nominationLimits[r] })),
  }
}

export type CyclePageView = ReturnType<typeof cyclePageView>
