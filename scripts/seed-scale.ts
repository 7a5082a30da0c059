/**
 * `npm run seed:scale -- --candidates N [--out data/scale.db]`: a large, deterministic organisation
 * for benchmarks, built through the app's own models and scoring (not a second implementation):
 * N candidates over the 4 backgrounds and 4 stages with program histories and sign-offs, two closed
 * 360s each (6–14 raters answering every statement, some "not observed"), a plan item each, one mentor
 * per ~8 candidates, HR; every 10th candidate also has a cycle collecting feedback, whose personal
 * links are in the outbox (for rater-form benchmarks). Prints its time.
 */
import fs from 'node:fs'
import { answersFor, demoComment, demoCycle, relationshipBias, stageLevel } from '#db/seed/demo-assessments'
import { frameworkVersionOf, toScoringFramework } from '~/domain/assessment/framework'
import { computeReport } from '~/domain/assessment/scoring'
import type { RaterSubmission, Relationship } from '~/domain/assessment/types'
import { addMonths } from '~/domain/program/dates'
import { mulberry32 } from '~/domain/random'
import { createPerson } from '~/models/people.server'
import { loadFrameworkFrom } from '~/utils/content.server'
import { openDatabase, optimizeDatabase, runMigrations } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

const candidatesWanted = Number(arg('candidates', '5000'))
if (!Number.isInteger(candidatesWanted) || candidatesWanted < 8 || candidatesWanted > 50_000) {
  console.error('--candidates must be a whole number from 8 to 50000')
  process.exit(1)
}
const out = arg('out', 'data/scale.db')
/** Dates are relative to --today (default: today), so open cycles are not already past due; the random seed is fixed. */
const ANCHOR = new Date(`${arg('today', new Date().toISOString().slice(0, 10))}T12:00:00Z`)
export const SCALE_PASSWORD = 'pathway-scale-2026'

const started = Date.now()
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(out + suffix, { force: true })
const { db, sqlite } = openDatabase(out)
runMigrations(db)
// A generated database: durability during the load buys nothing; FULL is restored at the end.
sqlite.pragma('synchronous = OFF')
const fw = loadFrameworkFrom(process.env.CONTENT_DIR ?? 'content')
const rand = mulberry32(20261126)
const first = [
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
  'Rosa',
  'Sami',
  'Tara',
  'Yusuf',
]
const last = [
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
const nameOf = (i: number) => `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${i}`

// Four accounts can log in (the benchmark's sessions); everyone else has no password.
const [adminHash, hrHash, mentorHash, candidateHash] = await Promise.all(
  [1, 2, 3, 4].map(() => hashPassword(SCALE_PASSWORD)),
)
const batch = <T>(fn: () => T) => sqlite.transaction(fn)()

const staff = batch(() => {
  const admin = createPerson(db, null, {
    name: 'Scale Admin',
    email: 'admin@scale.sto-pathway.test',
    roles: ['admin'],
    passwordHash: adminHash!,
    candidate: null,
  })
  const hr = [0, 1, 2].map((i) =>
    createPerson(db, null, {
      name: `Scale HR ${i}`,
      email: `hr${i}@scale.sto-pathway.test`,
      roles: ['hr'],
      passwordHash: i === 0 ? hrHash! : null,
      candidate: null,
    }),
  )
  const mentors = Array.from({ length: Math.ceil(candidatesWanted / 8) }, (_, i) =>
    createPerson(db, null, {
      name: `Mentor ${nameOf(i)}`,
      email: `mentor${i}@scale.sto-pathway.test`,
      roles: ['mentor'],
      passwordHash: i === 0 ? mentorHash! : null,
      candidate: null,
    }),
  )
  return { admin, hr, mentors }
})

const stageMix: Array<[string, number, number]> = [
  // stage, share, months since joining (min..min+span below)
  ['shadow', 0.35, 1],
  ['assistant-sto', 0.3, 5],
  ['low-risk-pod-leadership', 0.25, 13],
  ['full-sto-certification', 0.1, 26],
]
const today = ANCHOR.toISOString().slice(0, 10)
const scoring = toScoringFramework(fw)
const version = frameworkVersionOf(fw)
const iso = (d: Date) => d.toISOString()
const daysBefore = (days: number) => new Date(ANCHOR.getTime() - days * 86_400_000)
const stageMonths: Record<string, number> = { shadow: 4, 'assistant-sto': 8, 'low-risk-pod-leadership': 13 }

// History is written with prepared statements (the models would take ~10 minutes at 5,000); the
// 360 figures still come from the app's own scoring (computeReport), exactly as at a real close.
const q = {
  enrollment: sqlite.prepare(
    "insert into enrollments (candidate_id, status, enrolled_on, enrolled_by, start_stage) values (?, ?, ?, ?, 'shadow')",
  ),
  period: sqlite.prepare(
    'insert into stage_periods (enrollment_id, stage, entered_on, exited_on, delegated_domain, pod_name, risk_tier, certified_tiers_json) values (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  milestone: sqlite.prepare(
    'insert into milestones (enrollment_id, candidate_id, stage, template_id, title, description, evidence, sign_off, required, status, created_at, created_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  submission: sqlite.prepare(
    'insert into milestone_submissions (milestone_id, summary, links_json, submitted_at, submitted_by) values (?, ?, ?, ?, ?)',
  ),
  signoff: sqlite.prepare(
    "insert into signoffs (milestone_id, submission_id, kind, role, by_id, at, note) values (?, ?, 'signed', ?, ?, ?, 'Signed off.')",
  ),
  certificate: sqlite.prepare(
    'insert into certificates (candidate_id, enrollment_id, issued_on, risk_tiers_json, approver_id, framework_version) values (?, ?, ?, \'["low","medium","high"]\', ?, ?)',
  ),
  cycle: sqlite.prepare(
    "insert into assessment_cycles (candidate_id, framework_version, stage, state, due_on, opened_by, opened_at, invitations_sent_at, closed_at, closed_by) values (?, ?, ?, 'closed', ?, ?, ?, ?, ?, ?)",
  ),
  rater: sqlite.prepare(
    "insert into raters (cycle_id, name, email, relationship, status, nominated_at, decided_by, decided_at, invited_at, answers_json, comments_json, draft_saved_at, submitted_at) values (?, ?, ?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?)",
  ),
  self: sqlite.prepare(
    'insert into self_assessments (cycle_id, answers_json, comments_json, updated_at, submitted_at) values (?, ?, ?, ?, ?)',
  ),
  report: sqlite.prepare('update assessment_cycles set report_json = ? where id = ?'),
  result: sqlite.prepare(
    'insert into cycle_results (cycle_id, capability_id, self, others_mean, others_n, manager_mean, peer_mean, direct_report_mean, stakeholder_mean, target, gap) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  plan: sqlite.prepare(
    "insert into plan_items (candidate_id, capability_id, source, action, status, created_at, created_by, updated_at) values (?, ?, 'own', 'Pair with a senior STO on one decision a month.', 'open', ?, ?, ?)",
  ),
}

function bulkProgram(c: { id: number; stage: string; mentorId: number; joinedOn: string }, hrId: number) {
  const current = fw.stages.find((s) => s.id === c.stage)!
  const certified = current.order === fw.stages.length
  const enrollmentId = Number(
    q.enrollment.run(c.id, certified ? 'certified' : 'active', c.joinedOn, hrId).lastInsertRowid,
  )
  let entered = c.joinedOn
  for (const stage of fw.stages.slice(0, current.order)) {
    const past = stage.order < current.order
    const exit = past ? addMonths(entered, stageMonths[stage.id]!) : null
    q.period.run(
      enrollmentId,
      stage.id,
      entered,
      exit,
      stage.records.includes('delegatedDomain') ? 'technical-decisions' : null,
      stage.records.includes('podAndRiskTier') ? 'Scale pod' : null,
      stage.records.includes('podAndRiskTier') ? 'low' : null,
      stage.records.includes('certifiedRiskTiers') ? '["low","medium","high"]' : null,
    )
    stage.milestones.forEach((m, i) => {
      const signed = past || i < Math.floor(stage.milestones.length / 2)
      const submitted = !signed && i === Math.floor(stage.milestones.length / 2)
      const at = iso(new Date(`${entered}T10:00:00Z`))
      const status = signed ? 'signed-off' : submitted ? 'submitted' : 'open'
      const id = Number(
        q.milestone.run(
          enrollmentId,
          c.id,
          stage.id,
          m.id,
          m.title,
          m.description,
          m.evidence,
          m.signOff,
          m.required ? 1 : 0,
          status,
          at,
          hrId,
          at,
        ).lastInsertRowid,
      )
      if (signed || submitted) {
        const sub = Number(q.submission.run(id, `Evidence for ${m.title}.`, '[]', at, c.id).lastInsertRowid)
        if (signed) {
          if (m.signOff !== 'hr') q.signoff.run(id, sub, 'mentor', c.mentorId, at)
          if (m.signOff !== 'mentor') q.signoff.run(id, sub, 'hr', hrId, at)
        }
      }
    })
    if (exit) entered = exit
  }
  if (certified) q.certificate.run(c.id, enrollmentId, entered, hrId, version)
}

function bulkClosedCycle(
  c: { id: number; stage: string; background: string; mentorId: number },
  hrId: number,
  openedDaysAgo: number,
  seed: number,
  growth: number,
) {
  const r = mulberry32(seed)
  const opened = daysBefore(openedDaysAgo)
  const closed = daysBefore(openedDaysAgo - 22)
  const gapCaps = new Set(fw.backgrounds.find((b) => b.id === c.background)?.typicalGap.capabilities ?? [])
  const level = (capId: string) => (stageLevel[c.stage] ?? 3) + growth - (gapCaps.has(capId) ? 0.9 : 0)
  const cycleId = Number(
    q.cycle.run(
      c.id,
      version,
      c.stage,
      closed.toISOString().slice(0, 10),
      hrId,
      iso(opened),
      iso(opened),
      iso(closed),
      hrId,
    ).lastInsertRowid,
  )
  // 6 to 14 raters: one manager, 2–5 peers, 2–5 direct reports, 1–3 stakeholders.
  const counts: Array<[Relationship, number]> = [
    ['manager', 1],
    ['peer', 2 + Math.floor(r() * 4)],
    ['direct_report', 2 + Math.floor(r() * 4)],
    ['stakeholder', 1 + Math.floor(r() * 3)],
  ]
  const submissions: RaterSubmission[] = []
  let n = 0
  for (const [relationship, count] of counts) {
    for (let i = 0; i < count; i++, n++) {
      const answers = answersFor(fw, r, (capId) => level(capId) + relationshipBias[relationship], 0.07)
      const comments: Record<string, string> =
        r() < 0.5 ? { [fw.domains[Math.floor(r() * 4)]!.id]: demoComment(r, 'They') } : {}
      const raterId = Number(
        q.rater.run(
          cycleId,
          `Rater ${seed}-${n}`,
          `r${seed}-${n}@colleagues.scale.test`,
          relationship,
          iso(opened),
          c.mentorId,
          iso(opened),
          iso(opened),
          JSON.stringify(answers),
          JSON.stringify(comments),
          iso(opened),
          iso(opened),
        ).lastInsertRowid,
      )
      submissions.push({ raterKey: String(raterId), relationship, answers, comments })
    }
  }
  const self = answersFor(fw, r, (capId) => level(capId) + (gapCaps.has(capId) ? 1.1 : 0.2), 0.02)
  q.self.run(cycleId, JSON.stringify(self), '{}', iso(opened), iso(opened))
  const stage = fw.stages.find((s) => s.id === c.stage)
  const report = computeReport({
    framework: scoring,
    self,
    raters: submissions,
    targets: stage?.exitTarget?.targets ?? null,
    tolerance: stage?.exitTarget?.tolerance ?? 0,
    commentSeed: `cycle-${cycleId}`,
  })
  q.report.run(JSON.stringify(report), cycleId)
  for (const x of report.capabilities)
    q.result.run(
      cycleId,
      x.capabilityId,
      x.self,
      x.allOthers?.mean ?? null,
      x.allOthers?.n ?? 0,
      x.groups.manager?.mean ?? null,
      x.groups.peer?.mean ?? null,
      x.groups.direct_report?.mean ?? null,
      x.groups.stakeholder?.mean ?? null,
      x.target,
      x.gap,
    )
}

const BATCH = 250
let made = 0
for (let start = 0; start < candidatesWanted; start += BATCH) {
  batch(() => {
    for (let i = start; i < Math.min(candidatesWanted, start + BATCH); i++) {
      const roll = rand()
      let acc = 0
      const [stage, , minMonths] = stageMix.find(([, share]) => (acc += share) >= roll) ?? stageMix[0]!
      const joinedOn = addMonths(today, -(minMonths + Math.floor(rand() * 4)))
      const background = fw.backgrounds[i % 4]!.id
      const mentorId = staff.mentors[Math.floor(i / 8) % staff.mentors.length]!
      const id = createPerson(db, staff.hr[0]!, {
        name: nameOf(i),
        email: `c${i}@scale.sto-pathway.test`,
        roles: ['candidate'],
        passwordHash: i === 0 ? candidateHash! : null,
        candidate: { background, stage, mentorId, joinedOn },
      })
      const c = { id, name: nameOf(i), email: `c${i}@scale.sto-pathway.test`, stage, background, mentorId, joinedOn }
      bulkProgram(c, staff.hr[1]!)
      bulkClosedCycle(c, staff.hr[0]!, 330, i * 7919 + 17, -0.4)
      bulkClosedCycle(c, staff.hr[0]!, 120, i * 7919 + 18, 0)
      // Every 10th candidate has a cycle collecting feedback, through the models (tokens, outbox).
      if (i % 10 === 0)
        demoCycle(db, fw, c, staff.hr[0]!, {
          openedDaysAgo: 5,
          today: ANCHOR,
          seed: i * 7919 + 19,
          growth: 0,
          leaveOpen: 'collecting',
        })
      const at = iso(ANCHOR)
      q.plan.run(id, fw.capabilities[i % 16]!.id, at, id, at)
    }
    made = Math.min(candidatesWanted, start + BATCH)
  })
  if (made % 1000 === 0 || made === candidatesWanted)
    console.log(`  ${made} candidates (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}
sqlite.pragma('synchronous = FULL')
// Planner statistics, as a database the server has run on would have (the server refreshes them too).
optimizeDatabase(db)
sqlite.pragma('wal_checkpoint(TRUNCATE)')
const count = (table: string) => sqlite.prepare(`select count(*) from ${table}`).pluck().get()
console.log(
  `Built ${out}: ${candidatesWanted} candidates, ${staff.mentors.length} mentors, ${count('assessment_cycles')} cycles, ${count('raters')} raters, ${count('milestones')} milestones, ${count('audit_log')} audit entries in ${((Date.now() - started) / 1000).toFixed(1)} s. Logins (password ${SCALE_PASSWORD}): admin@, hr0@, mentor0@, c0@scale.sto-pathway.test`,
)
sqlite.close()
