/**
 * Program history for the demo organisation, through the app's own models where a rule applies
 * (evidence, sign-offs) and as recorded history for stage changes that predate the demo's 360s.
 *
 * Stage lengths: Shadow 4 months, Assistant STO 8, Low-Risk Pod Leadership 13. In the current stage
 * about half the milestones are signed off and one waits for the mentor. Chloé Dubois (Shadow,
 * overdue) has every Shadow milestone signed but one: the README walkthrough and the e2e test
 * finish it and advance her. Hannah Kim had a month's leave (a completed pause).
 */
import { and, eq, isNull } from 'drizzle-orm'
import { advancements, milestones, pauses, stagePeriods } from '#db/schema/program'
import { addDays, addMonths } from '~/domain/program/dates'
import type { Framework } from '~/domain/framework/parse'
import { enroll } from '~/models/enrolment.server'
import { decideMilestone, submitEvidence } from '~/models/milestones.server'
import { enterStage, issueCertificate } from '~/models/program.server'
import { recordAudit } from '~/models/audit.server'
import type { Db } from '~/utils/db.server'

type Ref = { id: number; name: string; stage: string; mentorId: number; joinedOn: string }

const stageMonths: Record<string, number> = { shadow: 4, 'assistant-sto': 8, 'low-risk-pod-leadership': 13 }
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`)

function signAll(db: Db, c: Ref, hrId: number, stageId: string, from: string, count: number | 'all') {
  const rows = db
    .select()
    .from(milestones)
    .where(and(eq(milestones.candidateId, c.id), eq(milestones.stage, stageId)))
    .all()
  const todo = count === 'all' ? rows : rows.slice(0, count)
  todo.forEach((m, i) => {
    const submitted = addDays(from, 10 + i * 12)
    submitEvidence(
      db,
      c.id,
      m.id,
      {
        summary: `Evidence for “${m.title}”: what I did, with whom, and what I learned from it.`,
        links: [],
        files: [],
        planItemId: null,
      },
      at(submitted),
    )
    if (m.signOff === 'hr')
      decideMilestone(
        db,
        { id: hrId, isHr: true },
        m.id,
        'sign',
        'Checked against the HR record.',
        at(addDays(submitted, 3)),
      )
    else {
      decideMilestone(
        db,
        { id: c.mentorId, isHr: false },
        m.id,
        'sign',
        'Good evidence; signed off.',
        at(addDays(submitted, 2)),
      )
      if (m.signOff === 'mentor-then-hr')
        decideMilestone(db, { id: hrId, isHr: true }, m.id, 'sign', 'Confirmed by HR.', at(addDays(submitted, 4)))
    }
  })
  return rows
}

export function seedDemoProgram(db: Db, fw: Framework, candidates: Ref[], hrId: number, today: string) {
  const stages = fw.stages
  for (const c of candidates) {
    const current = stages.find((s) => s.id === c.stage)!
    const started = enroll(
      db,
      hrId,
      { candidateId: c.id, stageId: 'shadow', enrolledOn: c.joinedOn, reason: null, mentorId: c.mentorId, record: {} },
      fw,
      at(c.joinedOn),
    )
    if (started.status !== 'enrolled') throw new Error('An enrolment at the first stage takes effect at once.')
    const enrollmentId = started.enrollmentId
    let entered = c.joinedOn
    for (const stage of stages.slice(0, current.order - 1)) {
      signAll(db, c, hrId, stage.id, entered, 'all')
      const exit = addMonths(entered, stageMonths[stage.id]!)
      const next = stages[stage.order]!
      if (c.name === 'Hannah Kim' && stage.id === 'shadow') {
        db.insert(pauses)
          .values({
            enrollmentId,
            startedOn: addDays(entered, 30),
            endedOn: addDays(entered, 60),
            reason: 'Parental leave',
            createdBy: hrId,
          })
          .run()
      }
      db.insert(advancements)
        .values({
          enrollmentId,
          fromStage: stage.id,
          toStage: next.id,
          status: 'approved',
          recommendedBy: c.mentorId,
          recommendedAt: at(addDays(exit, -7)).toISOString(),
          recommendationNote: 'Ready: milestones done and the team trusts their calls.',
          decidedBy: hrId,
          decidedAt: at(exit).toISOString(),
          decisionNote: 'Recorded before STO Pathway tracked 360 results.',
        })
        .run()
      db.update(stagePeriods)
        .set({ exitedOn: exit })
        .where(and(eq(stagePeriods.enrollmentId, enrollmentId), isNull(stagePeriods.exitedOn)))
        .run()
      const record =
        next.id === 'assistant-sto'
          ? { delegatedDomain: c.id % 2 ? 'technical-decisions' : 'business-decisions' }
          : next.id === 'low-risk-pod-leadership'
            ? {
                podName: `${['Claims triage', 'Demand forecasting', 'Support copilot', 'Invoice matching'][c.id % 4]} pod`,
                riskTier: 'low',
              }
            : { certifiedTiers: ['low', 'medium', 'high'] }
      enterStage(db, enrollmentId, c.id, next, record, exit, hrId, at(exit))
      if (next.records.includes('certifiedRiskTiers'))
        issueCertificate(db, hrId, c.id, enrollmentId, ['low', 'medium', 'high'], fw, exit)
      recordAudit(
        db,
        {
          actorId: hrId,
          action: 'program.advance',
          entityType: 'candidate',
          entityId: c.id,
          before: { stage: stage.id },
          after: { stage: next.id, ...record },
        },
        at(exit),
      )
      entered = exit
    }
    if (current.order === stages.length || entered > today) continue
    // Progress in the current stage.
    const rows = db
      .select()
      .from(milestones)
      .where(and(eq(milestones.candidateId, c.id), eq(milestones.stage, current.id)))
      .all()
    const required = rows.filter((m) => m.required)
    const signed = c.name === 'Chloé Dubois' ? required.length - 1 : Math.floor(required.length / 2)
    signAll(db, c, hrId, current.id, entered, signed)
    const waiting = c.name === 'Chloé Dubois' ? undefined : required[signed]
    if (waiting && waiting.signOff !== 'hr') {
      submitEvidence(
        db,
        c.id,
        waiting.id,
        {
          summary: `Evidence for “${waiting.title}”, ready for my mentor to review.`,
          links: ['https://wiki.example.com/sto/notes'],
          files: [],
          planItemId: null,
        },
        at(addDays(today, -9)),
      )
    }
  }
}
