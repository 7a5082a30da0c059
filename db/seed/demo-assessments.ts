/**
 * 360 history for the demo organisation, written through the app's own models (the same rules and
 * scoring as real use). Deterministic: a seeded generator, dates relative to `today`.
 *
 * - Candidates beyond Shadow get two closed cycles (about 11 and 5 months ago), so reports show a trend.
 * - Chloé Dubois (Shadow) gets one closed cycle; Fatima Zahra Benali an open cycle with nominations
 *   awaiting her mentor; Jordan Ellis an open cycle collecting feedback, with links in the outbox.
 * - Lukas Becker has none: the walkthrough in the README opens one for him.
 *
 * Scores follow each candidate's stage, lower on their background's typical gap, with a little
 * self-overrating there (so blind spots appear), rater-to-rater noise and some "not observed".
 */
import type { Framework } from '~/domain/framework/parse'
import { mulberry32 } from '~/domain/random'
import type { Answers, Relationship } from '~/domain/assessment/types'
import { closeCycle, openCycles, saveSelfAssessment, type Cycle } from '~/models/assessments.server'
import { appBaseUrl } from '~/utils/cycles.server'
import { decideNomination, nominateRater, saveRaterAnswers, sendInvitations } from '~/models/raters.server'
import type { Db } from '~/utils/db.server'
import { assessmentCycles } from '#db/schema/assessments'
import { eq } from 'drizzle-orm'

export const stageLevel: Record<string, number> = {
  shadow: 2.4,
  'assistant-sto': 3.0,
  'low-risk-pod-leadership': 3.6,
  'full-sto-certification': 4.2,
}
export const relationshipBias: Record<Relationship, number> = {
  manager: -0.1,
  peer: 0,
  direct_report: 0.2,
  stakeholder: -0.2,
}

const raterFirstNames = [
  'Ana',
  'Ben',
  'Carla',
  'Dmitri',
  'Elif',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kavya',
  'Leo',
  'Maya',
  'Nils',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
]
const raterLastNames = [
  'Albers',
  'Brandt',
  'Costa',
  'Diallo',
  'Eriksen',
  'Fischer',
  'Gomez',
  'Hale',
  'Ito',
  'Janssen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Oyelaran',
  'Petrov',
]

const daysBefore = (today: Date, days: number) => new Date(today.getTime() - days * 24 * 60 * 60 * 1000)
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

type DemoCandidateRef = { id: number; name: string; email: string; stage: string; background: string; mentorId: number }

export function answersFor(
  fw: Framework,
  rand: () => number,
  level: (capId: string) => number,
  notObservedRate: number,
): Answers {
  const answers: Answers = {}
  for (const cap of fw.capabilities) {
    for (const b of cap.behaviours) {
      if (rand() < notObservedRate) answers[b.id] = null
      else
        answers[b.id] = Math.min(5, Math.max(1, Math.round(level(cap.id) + (rand() - 0.5) * 1.6))) as 1 | 2 | 3 | 4 | 5
    }
  }
  return answers
}

/** Builds one cycle for a candidate: opened `openedDaysAgo`, raters answer, closed at the due date unless `leaveOpen`. */
export function demoCycle(
  db: Db,
  fw: Framework,
  c: DemoCandidateRef,
  hrId: number,
  opts: { openedDaysAgo: number; today: Date; seed: number; growth: number; leaveOpen?: 'nominating' | 'collecting' },
) {
  const rand = mulberry32(opts.seed)
  const opened = daysBefore(opts.today, opts.openedDaysAgo)
  const due = opts.leaveOpen ? daysBefore(opts.today, -14) : daysBefore(opened, -21)
  const gapCaps = new Set(fw.backgrounds.find((b) => b.id === c.background)?.typicalGap.capabilities ?? [])
  const trueLevel = (capId: string) => (stageLevel[c.stage] ?? 3) + opts.growth - (gapCaps.has(capId) ? 0.9 : 0)

  return db.$client
    .transaction(() => {
      const [cycleId] = openCycles(db, hrId, { candidateIds: [c.id], dueOn: isoDay(due) }, fw, opened)
      const cycle = () => db.select().from(assessmentCycles).where(eq(assessmentCycles.id, cycleId!)).get() as Cycle
      const counts: Array<[Relationship, number]> = [
        ['manager', 1],
        ['peer', 3 + Math.floor(rand() * 2)],
        ['direct_report', 2 + Math.floor(rand() * 3)],
        ['stakeholder', 1 + Math.floor(rand() * 3)],
      ]
      const nominated: Array<{ id: number; relationship: Relationship; name: string; email: string }> = []
      let n = 0
      for (const [relationship, count] of counts) {
        for (let i = 0; i < count; i++) {
          const first = raterFirstNames[(opts.seed + n * 7) % raterFirstNames.length]!
          const last = raterLastNames[(opts.seed * 3 + n * 5) % raterLastNames.length]!
          const name = `${first} ${last}`
          const email = `${first}.${last}.${opts.seed}.${n}@colleagues.sto-pathway.test`.toLowerCase()
          const id = nominateRater(
            db,
            cycle(),
            c.email,
            { name, email, relationship },
            new Date(opened.getTime() + 3_600_000 * (n + 1)),
          )
          nominated.push({ id, relationship, name, email })
          n++
        }
      }
      if (opts.leaveOpen === 'nominating') return cycleId!
      const decided = new Date(opened.getTime() + 2 * 24 * 3_600_000)
      for (const r of nominated)
        decideNomination(
          db,
          c.mentorId,
          cycle(),
          r.id,
          { decision: 'approve', name: r.name, email: r.email, relationship: r.relationship },
          decided,
        )
      sendInvitations(db, c.mentorId, cycle(), c.name, appBaseUrl(), decided)
      // Most raters answer; in an open cycle about half have so far.
      nominated.forEach((r, i) => {
        const answersNow = opts.leaveOpen ? i % 2 === 0 : rand() > 0.08 || r.relationship === 'manager'
        if (!answersNow) return
        const bias = relationshipBias[r.relationship]
        const answers = answersFor(fw, rand, (capId) => trueLevel(capId) + bias, 0.07)
        const comments: Record<string, string> = {}
        if (rand() < 0.6) comments[fw.domains[Math.floor(rand() * 4)]!.id] = demoComment(rand, c.name.split(' ')[0]!)
        saveRaterAnswers(
          db,
          r.id,
          { answers, comments, unanswered: [], submit: true },
          new Date(decided.getTime() + (i + 1) * 6 * 3_600_000),
        )
      })
      const selfAnswers = answersFor(fw, rand, (capId) => trueLevel(capId) + (gapCaps.has(capId) ? 1.1 : 0.2), 0.02)
      saveSelfAssessment(
        db,
        cycle(),
        { answers: selfAnswers, comments: {}, unanswered: [], submit: true },
        new Date(decided.getTime() + 3_600_000),
      )
      if (!opts.leaveOpen) closeCycle(db, hrId, cycleId!, fw, new Date(due.getTime() + 24 * 3_600_000))
      return cycleId!
    })
    .immediate()
}

const commentTemplates = [
  (n: string) => `${n} asks the questions that get to the real business problem before anyone talks about models.`,
  (n: string) => `I would like ${n} to say no more often; the roadmap tries to do too much at once.`,
  (n: string) => `${n} explains trade-offs clearly to the team, but stakeholders sometimes hear about changes late.`,
  (n: string) =>
    `When the data quality issue came up, ${n} paused the launch and owned the decision. That built trust.`,
  (n: string) => `${n} could delegate more; some decisions wait for them unnecessarily.`,
  (n: string) => `Strong on governance: ${n} brought the ethics review in early rather than at the end.`,
]

export function demoComment(rand: () => number, firstName: string) {
  return commentTemplates[Math.floor(rand() * commentTemplates.length)]!(firstName)
}

export function seedDemoAssessments(db: Db, fw: Framework, candidates: DemoCandidateRef[], hrId: number, today: Date) {
  let seed = 1
  for (const c of candidates) {
    seed++
    if (c.name === 'Lukas Becker') continue
    if (c.name === 'Jordan Ellis') {
      demoCycle(db, fw, c, hrId, { openedDaysAgo: 6, today, seed: seed * 101, growth: 0, leaveOpen: 'collecting' })
      continue
    }
    if (c.name === 'Fatima Zahra Benali') {
      demoCycle(db, fw, c, hrId, { openedDaysAgo: 2, today, seed: seed * 101, growth: 0, leaveOpen: 'nominating' })
      continue
    }
    if (c.stage === 'shadow') {
      // Chloé is ready to leave Shadow: her 360 meets the exit profile (the walkthrough advances her).
      demoCycle(db, fw, c, hrId, {
        openedDaysAgo: 120,
        today,
        seed: seed * 101,
        growth: c.name === 'Chloé Dubois' ? 0.8 : 0,
      })
      continue
    }
    demoCycle(db, fw, c, hrId, { openedDaysAgo: 330, today, seed: seed * 101, growth: -0.4 })
    demoCycle(db, fw, c, hrId, { openedDaysAgo: 150, today, seed: seed * 103, growth: 0 })
  }
}
