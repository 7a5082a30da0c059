/**
 * The program timeline page's view model: the candidate's enrollment, stages, milestones, advancements,
 * certificate, gate summary, pending enrolment proposal and plan, with names in place of framework ids
 * and what this viewer may do.
 */
import { activeDays, describeDays } from '~/domain/program/dates'
import { canAccess, hasPermission } from '~/domain/permissions'
import { listActiveMentors, type User } from '~/models/people.server'
import { listPlanItems } from '~/models/plan.server'
import { gateFor } from '~/models/gate.server'
import { getProgram } from '~/models/program.server'
import { listPendingProposals } from '~/models/enrolment.server'
import { canCancelEnrolmentProposal, canConfirmEnrolment } from '~/domain/program/rights'
import { getReport, latestClosedCycle } from '~/models/assessments.server'
import { findBackground, findStage, getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { today, type loadCandidateFor } from '~/utils/program.server'

const statusLabels = {
  open: 'To do',
  submitted: 'Waiting for sign-off',
  returned: 'Returned with feedback',
  'awaiting-hr': 'Waiting for HR sign-off',
  'signed-off': 'Signed off',
} as const
const signOffLabels = { mentor: 'Mentor', hr: 'HR', 'mentor-then-hr': 'Mentor, then HR' } as const

export function programTimeline(user: User, person: ReturnType<typeof loadCandidateFor>) {
  const db = getDb()
  const fw = getFramework()
  const program = getProgram(db, person.id)
  const day = today()
  const gate =
    program && (program.enrollment.status === 'active' || program.enrollment.status === 'paused')
      ? gateFor(db, person.id, fw, null, day)
      : null
  const ownership = { ownerId: person.id, mentorId: person.candidate.mentorId }
  const capabilityName = Object.fromEntries(fw.capabilities.map((c) => [c.id, c.name]))
  const tierName = Object.fromEntries(fw.riskTiers.map((t) => [t.id, t.name]))
  const domainName = Object.fromEntries(fw.delegatedDomains.map((d) => [d.id, d.name]))
  const planWithCapabilities = listPlanItems(db, person.id).map((i) => ({
    ...i,
    capability: capabilityName[i.capabilityId] ?? i.capabilityId,
  }))
  // Suggestions not yet in the plan: the latest 360's largest gaps, then the background's typical gap.
  const inPlan = new Set(planWithCapabilities.filter((i) => i.status !== 'dropped').map((i) => i.capabilityId))
  const lastCycle = latestClosedCycle(db, person.id)
  const gaps = lastCycle ? (getReport(lastCycle)?.largestGaps ?? []) : []
  const background = findBackground(person.candidate.background)
  const suggestions = [
    ...gaps
      .filter((id) => !inPlan.has(id))
      .map((id) => ({
        capabilityId: id,
        name: capabilityName[id] ?? id,
        source: 'assessment' as const,
        cycleId: lastCycle!.id,
      })),
    ...(background?.typicalGap.capabilities ?? [])
      .filter((id) => !inPlan.has(id) && !gaps.includes(id))
      .map((id) => ({
        capabilityId: id,
        name: capabilityName[id] ?? id,
        source: 'background' as const,
        cycleId: null,
      })),
  ]
  const enrolledNow = program?.enrollment.status === 'active' || program?.enrollment.status === 'paused'
  const waiting = listPendingProposals(db, person.id)[0] ?? null
  const proposalFacts = waiting && {
    candidateId: person.id,
    proposedBy: waiting.proposal.proposedBy,
    mentorId: waiting.proposal.mentorId,
    pending: true,
    enrolled: enrolledNow,
  }
  return {
    candidate: {
      id: person.id,
      name: person.name,
      mentorName: person.candidate.mentorName,
      stage: findStage(person.candidate.stage)?.name ?? person.candidate.stage,
    },
    viewer: {
      isCandidate: user.id === person.id,
      // Nobody manages their own enrollment, whatever roles they hold (rights.ts).
      canManage: hasPermission(user, 'update:program:any') && user.id !== person.id,
      canEnrol: hasPermission(user, 'update:program:any') && user.id !== person.id && !enrolledNow && !waiting,
      canComment: canAccess(user, 'create', 'plan-comment', ownership),
      canEditPlan: user.id === person.id && hasPermission(user, 'update:plan:own'),
    },
    program: program
      ? {
          status: program.enrollment.status,
          enrolledOn: program.enrollment.enrolledOn,
          startReason: program.enrollment.startReason,
          endReason: program.enrollment.endReason,
          periods: program.periods.map((p) => ({
            id: p.id,
            stage: findStage(p.stage)?.name ?? p.stage,
            enteredOn: p.enteredOn,
            exitedOn: p.exitedOn,
            details: [
              p.delegatedDomain ? `Delegated: ${domainName[p.delegatedDomain] ?? p.delegatedDomain}` : null,
              p.podName ? `Leads ${p.podName} (${tierName[p.riskTier ?? ''] ?? p.riskTier} risk)` : null,
              p.certifiedTiersJson
                ? `Certified for: ${(JSON.parse(p.certifiedTiersJson) as string[]).map((t) => tierName[t] ?? t).join(', ')}`
                : null,
            ].filter(Boolean),
          })),
          pauses: program.pauses,
          milestones: program.milestones.map((m) => ({
            id: m.id,
            stage: findStage(m.stage)?.name ?? m.stage,
            stageId: m.stage,
            title: m.title,
            required: m.required,
            status: m.status,
            statusLabel: statusLabels[m.status],
            signOff: signOffLabels[m.signOff],
            oneOff: m.templateId === null,
          })),
          advancements: program.advancements.map((a) => ({
            id: a.advancement.id,
            from: findStage(a.advancement.fromStage)?.name ?? a.advancement.fromStage,
            to: findStage(a.advancement.toStage)?.name ?? a.advancement.toStage,
            status: a.advancement.status,
            recommendedBy: a.recommendedByName,
            recommendedAt: a.advancement.recommendedAt,
            decidedBy: a.decidedByName,
            decidedAt: a.advancement.decidedAt,
            note: a.advancement.decisionNote,
            override: a.advancement.override,
            overrideReason: a.advancement.overrideReason,
          })),
          certificate: program.certificate
            ? {
                issuedOn: program.certificate.issuedOn,
                tiers: (JSON.parse(program.certificate.riskTiersJson) as string[]).map((t) => tierName[t] ?? t),
                frameworkVersion: program.certificate.frameworkVersion,
              }
            : null,
        }
      : null,
    gate: gate
      ? {
          currentStageId: gate.stage.id,
          timeInStage: describeDays(
            activeDays(
              gate.period.enteredOn,
              program?.pauses.filter((p) => p.startedOn >= gate.period.enteredOn) ?? [],
              day,
            ),
          ),
          // The same list as the gate page, approval included (pending until someone approves).
          met: gate.result.conditions.filter((c) => c.met).length,
          total: gate.result.conditions.length,
          overdue: gate.result.overdue,
          overdueSince: gate.result.overdueSince,
          earliestTimeOn: gate.result.earliestTimeOn,
          nextStage: gate.next?.name ?? null,
          pending: Boolean(gate.pending),
        }
      : null,
    // A later-stage enrolment waiting for a second HR person; shown only to those who manage enrolments.
    proposal:
      waiting && hasPermission(user, 'update:program:any') && user.id !== person.id
        ? {
            id: waiting.proposal.id,
            stage: findStage(waiting.proposal.stage)?.name ?? waiting.proposal.stage,
            enrolledOn: waiting.proposal.enrolledOn,
            reason: waiting.proposal.reason,
            proposedBy: waiting.proposedByName,
            proposedAt: waiting.proposal.proposedAt.slice(0, 10),
            mentor: waiting.mentorName,
            confirm: canConfirmEnrolment(user, proposalFacts!),
            canCancel: canCancelEnrolmentProposal(user, { candidateId: person.id, pending: true }).ok,
          }
        : null,
    plan: planWithCapabilities,
    suggestions,
    options: {
      // Never the final stage: certification is reached only through the gate.
      stages: fw.stages
        .filter((s) => fw.stages.some((later) => later.order > s.order))
        .map((s) => ({ value: s.id, label: s.name })),
      mentors: listActiveMentors(db)
        .filter((m) => m.id !== person.id)
        .map((m) => ({ value: String(m.id), label: m.name })),
      capabilities: fw.capabilities.map((c) => ({ value: c.id, label: c.name })),
      riskTiers: fw.riskTiers.map((t) => ({ value: t.id, label: t.name })),
      delegatedDomains: fw.delegatedDomains.map((d) => ({ value: d.id, label: d.name })),
      defaultMentorId: person.candidate.mentorId ? String(person.candidate.mentorId) : '',
    },
  }
}
