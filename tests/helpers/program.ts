/**
 * Fixtures for development-program integration tests: enrolling through the model (with a past
 * enrollment date), signing a stage's milestones off, a closed 360 written directly, and thin
 * wrappers around the program routes' loaders and actions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { assessmentCycles, cycleResults } from '#db/schema/assessments'
import { auditLog } from '#db/schema/audit'
import { candidateProfiles, people } from '#db/schema/people'
import { advancements, enrollments, milestones, signoffs, stagePeriods } from '#db/schema/program'
import { frameworkVersionOf } from '~/domain/assessment/framework'
import { addMonths, toDay } from '~/domain/program/dates'
import { confirmEnrolment, enroll } from '~/models/enrolment.server'
import { createPerson } from '~/models/people.server'
import { decideMilestone, submitEvidence } from '~/models/milestones.server'
import { enterStage, issueCertificate, type StageRecord } from '~/models/program.server'
import { loader as timelineLoader, action as timelineAction } from '~/routes/program.$candidateId._index'
import { loader as gateLoader, action as gateAction } from '~/routes/program.$candidateId.gate'
import { loader as milestoneLoader, action as milestoneAction } from '~/routes/milestones.$milestoneId'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction, type Db } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { call, request } from './db'

export const args = (req: Request, params: Record<string, string> = {}) =>
  ({ request: req, params, context: {} }) as never

export const today = () => toDay(new Date())
/** YYYY-MM-DD, `days` from today (negative: in the past). */
export function daysFromToday(days: number) {
  const d = new Date(`${today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return toDay(d)
}
export const monthsAgo = (months: number) => addMonths(today(), -months)
/** A Date at noon UTC, `days` from today, for models that take `now`. */
export const noonOf = (day: string) => new Date(`${day}T12:00:00Z`)

/** A private UPLOADS_DIR for this test file. */
export function useTempUploads() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-uploads-'))
  process.env.UPLOADS_DIR = dir
  resetEnvCache()
  return dir
}

/** The number of rows in a table. */
export const count = (table: SQLiteTable) =>
  getDb()
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .get()!.n
export const countsOf = <K extends string>(tables: Record<K, SQLiteTable>) =>
  Object.fromEntries(Object.entries<SQLiteTable>(tables).map(([k, t]) => [k, count(t)])) as Record<K, number>

/**
 * HR enrolls a candidate through the model (so the enrollment date may be months ago). Nobody can be
 * enrolled at the final stage (issue 12); for a fixture that is already certified, the candidate is
 * enrolled at the stage before and the certification is written as recorded history, the way the
 * demo seed records history before the app tracked it. A start beyond the first stage is proposed by
 * `hrId` and confirmed by a second HR person (`secondHr`), as the program requires.
 */
export function enrollVia(
  hrId: number,
  opts: {
    candidateId: number
    mentorId: number
    stageId?: string
    enrolledOn?: string
    reason?: string | null
    record?: StageRecord
  },
) {
  const fw = getFramework()
  const stage = fw.stages.find((s) => s.id === (opts.stageId ?? 'shadow'))!
  const final = !fw.stages.some((s) => s.order > stage.order)
  const enrolledOn = opts.enrolledOn ?? today()
  return transaction((tx) => {
    const startAt = final ? fw.stages.find((s) => s.order === stage.order - 1)! : stage
    const started = enroll(
      tx,
      hrId,
      {
        candidateId: opts.candidateId,
        stageId: startAt.id,
        enrolledOn,
        reason: opts.reason ?? null,
        mentorId: opts.mentorId,
        record: final ? { podName: 'Recorded history', riskTier: fw.riskTiers[0]!.id } : (opts.record ?? {}),
      },
      fw,
    )
    const id =
      started.status === 'enrolled'
        ? started.enrollmentId
        : confirmEnrolment(tx, secondHr(tx, hrId), opts.candidateId, started.proposalId, fw)
    if (final) {
      tx.update(stagePeriods).set({ exitedOn: enrolledOn }).where(eq(stagePeriods.enrollmentId, id)).run()
      enterStage(tx, id, opts.candidateId, stage, opts.record ?? {}, enrolledOn, hrId, new Date())
      issueCertificate(tx, hrId, opts.candidateId, id, opts.record?.certifiedTiers ?? [], fw, enrolledOn)
    }
    return id
  })
}

/** An HR person other than `hrId` who confirms later-stage enrolments in fixtures (created once). */
export function secondHr(tx: Db, hrId: number): number {
  const email = 'second-hr.fixture@example.com'
  const existing = tx.select({ id: people.id }).from(people).where(eq(people.email, email)).get()
  if (existing && existing.id !== hrId) return existing.id
  return createPerson(tx, hrId, { name: 'Sam Second-HR', email, roles: ['hr'], passwordHash: null, candidate: null })
}

export const enrollmentOf = (candidateId: number) =>
  getDb()
    .select()
    .from(enrollments)
    .where(eq(enrollments.candidateId, candidateId))
    .orderBy(desc(enrollments.id))
    .limit(1)
    .get()
export const periodsOf = (enrollmentId: number) =>
  getDb()
    .select()
    .from(stagePeriods)
    .where(eq(stagePeriods.enrollmentId, enrollmentId))
    .orderBy(asc(stagePeriods.id))
    .all()
export const milestonesOf = (candidateId: number, stage?: string) =>
  getDb()
    .select()
    .from(milestones)
    .where(and(eq(milestones.candidateId, candidateId), stage ? eq(milestones.stage, stage) : undefined))
    .orderBy(asc(milestones.id))
    .all()
export const milestoneRow = (id: number) => getDb().select().from(milestones).where(eq(milestones.id, id)).get()!
export const milestoneByTemplate = (candidateId: number, templateId: string) =>
  getDb()
    .select()
    .from(milestones)
    .where(and(eq(milestones.candidateId, candidateId), eq(milestones.templateId, templateId)))
    .get()!
export const signoffsOf = (milestoneId: number) =>
  getDb().select().from(signoffs).where(eq(signoffs.milestoneId, milestoneId)).orderBy(asc(signoffs.id)).all()
export const advancementsOf = (enrollmentId: number) =>
  getDb()
    .select()
    .from(advancements)
    .where(eq(advancements.enrollmentId, enrollmentId))
    .orderBy(asc(advancements.id))
    .all()
export const profileOf = (candidateId: number) =>
  getDb().select().from(candidateProfiles).where(eq(candidateProfiles.personId, candidateId)).get()!
export const auditFor = (action: string, entityId: number | string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))))
    .orderBy(asc(auditLog.id))
    .all()

/**
 * Signs off every milestone of the candidate's `stage` through the models: the candidate submits,
 * the mentor signs where the mentor signs, then an HR person (not the mentor) where HR signs.
 */
export function signOffStage(opts: {
  candidateId: number
  mentorId: number
  hrId: number
  stage: string
  except?: string[]
}) {
  for (const m of milestonesOf(opts.candidateId, opts.stage)) {
    if (opts.except?.includes(m.templateId ?? '') || m.status === 'signed-off') continue
    transaction((tx) => {
      submitEvidence(tx, opts.candidateId, m.id, {
        summary: 'What I did, and what it shows about my progress.',
        links: [],
        files: [],
        planItemId: null,
      })
      if (m.signOff !== 'hr') decideMilestone(tx, { id: opts.mentorId, isHr: false }, m.id, 'sign', null)
      if (m.signOff !== 'mentor') decideMilestone(tx, { id: opts.hrId, isHr: true }, m.id, 'sign', null)
    })
  }
}

/**
 * A closed 360 of the candidate, written directly: others' mean `score` for every capability,
 * except the ones given in `overrides` (null: not enough ratings).
 */
export function closed360(
  candidateId: number,
  score: number,
  overrides: Record<string, number | null> = {},
  closedOn = daysFromToday(-7),
) {
  const fw = getFramework()
  const stage = profileOf(candidateId).stage
  // One transaction: one sync to disk instead of seventeen.
  return transaction((db) => {
    const { id } = db
      .insert(assessmentCycles)
      .values({
        candidateId,
        frameworkVersion: frameworkVersionOf(fw),
        stage,
        state: 'closed',
        dueOn: closedOn,
        openedAt: `${daysFromToday(-40)}T09:00:00.000Z`,
        closedAt: `${closedOn}T23:59:59.000Z`,
      })
      .returning({ id: assessmentCycles.id })
      .get()
    for (const c of fw.capabilities) {
      const others = c.id in overrides ? overrides[c.id]! : score
      db.insert(cycleResults)
        .values({ cycleId: id, capabilityId: c.id, self: score, othersMean: others, othersN: others === null ? 0 : 5 })
        .run()
    }
    return id
  })
}

// Route wrappers.

export const loadTimeline = (cookie: string, candidateId: number | string) =>
  call(() => timelineLoader(args(request(`/program/${candidateId}`, { cookie }), { candidateId: String(candidateId) })))
export const postTimeline = (cookie: string, candidateId: number | string, form: Record<string, string | string[]>) =>
  call(() =>
    timelineAction(args(request(`/program/${candidateId}`, { cookie, form }), { candidateId: String(candidateId) })),
  )
export const loadGate = (cookie: string, candidateId: number | string) =>
  call(() =>
    gateLoader(args(request(`/program/${candidateId}/gate`, { cookie }), { candidateId: String(candidateId) })),
  )
export const postGate = (cookie: string, candidateId: number | string, form: Record<string, string | string[]>) =>
  call(() =>
    gateAction(args(request(`/program/${candidateId}/gate`, { cookie, form }), { candidateId: String(candidateId) })),
  )
export const loadMilestone = (cookie: string, milestoneId: number | string) =>
  call(() =>
    milestoneLoader(args(request(`/milestones/${milestoneId}`, { cookie }), { milestoneId: String(milestoneId) })),
  )
export const postMilestone = (cookie: string, milestoneId: number | string, form: Record<string, string>) =>
  call(() =>
    milestoneAction(
      args(request(`/milestones/${milestoneId}`, { cookie, form }), { milestoneId: String(milestoneId) }),
    ),
  )

export type EvidenceFile = { bytes: Uint8Array | string; name: string; type?: string }
/** Posts evidence as the browser does: multipart/form-data with summary, links and files. */
export function postEvidence(
  cookie: string,
  milestoneId: number | string,
  input: { summary?: string; links?: string; planItemId?: string; files?: EvidenceFile[] },
) {
  const fd = new FormData()
  if (input.summary !== undefined) fd.set('summary', input.summary)
  if (input.links !== undefined) fd.set('links', input.links)
  if (input.planItemId !== undefined) fd.set('planItemId', input.planItemId)
  for (const f of input.files ?? []) {
    const bytes = typeof f.bytes === 'string' ? new TextEncoder().encode(f.bytes) : f.bytes
    fd.append(
      'files',
      new File([bytes as Uint8Array<ArrayBuffer>], f.name, { type: f.type ?? 'application/octet-stream' }),
    )
  }
  const req = new Request(`http://localhost/milestones/${milestoneId}`, {
    method: 'POST',
    body: fd,
    headers: { Cookie: cookie },
  })
  return call(() => milestoneAction(args(req, { milestoneId: String(milestoneId) })))
}

/** A small valid-looking PDF. */
export const pdfBytes = (text = 'evidence') =>
  new TextEncoder().encode(
    `%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  )

export type Message = { message?: string; intent?: string; result?: { error?: Record<string, string[] | null> | null } }
/**
 * The message a refused action shows: the plain `message` of a bare reply, or every message of the
 * action skeleton's conform reply (form-level first, then beside each field), joined by spaces.
 */
export const messageOf = (res: { data: unknown }) => {
  const reply = res.data as Message | null
  if (reply?.message !== undefined) return reply.message
  const errors = reply?.result?.error
  if (!errors) return null
  const all = Object.entries(errors)
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : 0))
    .flatMap(([, m]) => m ?? [])
  return all.length ? all.join(' ') : null
}
