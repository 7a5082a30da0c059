/** Every query about people, their roles and candidate profiles. */
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { candidateProfiles, people, roleAssignments, roles as allRoles, type Role } from '#db/schema/people'
import { advancements, enrollments } from '#db/schema/program'
import type { Db } from '~/utils/db.server'
import { endAllSessionsOf } from '~/utils/session.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { canChangeMentor } from '~/domain/program/rights'

export type User = { id: number; name: string; email: string; roles: Role[] }

export type CandidateProfileInput = { background: string; stage: string; mentorId: number | null; joinedOn: string }

export type NewPersonInput = {
  name: string
  email: string
  roles: Role[]
  passwordHash: string | null
  candidate: CandidateProfileInput | null
}

const nowIso = () => new Date().toISOString()
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

function rolesOf(db: Db, personId: number): Role[] {
  return db
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(eq(roleAssignments.personId, personId))
    .all()
    .map((r) => r.role)
    .sort((a, b) => allRoles.indexOf(a) - allRoles.indexOf(b))
}

export function countPeople(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(people)
      .get()?.n ?? 0
  )
}

export function findLoginByEmail(db: Db, email: string) {
  return db
    .select({ id: people.id, passwordHash: people.passwordHash, active: people.active })
    .from(people)
    .where(eq(sql`lower(${people.email})`, normalizeEmail(email)))
    .get()
}

/** The signed-in user, or null when the person does not exist or is deactivated. */
export function getActiveUser(db: Db, id: number): User | null {
  const person = db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .where(and(eq(people.id, id), eq(people.active, true)))
    .get()
  return person ? { ...person, roles: rolesOf(db, id) } : null
}

const mentor = alias(people, 'mentor')

export function listPeople(db: Db, filter: { role?: Role } = {}) {
  const rows = db
    .select({
      id: people.id,
      name: people.name,
      email: people.email,
      active: people.active,
      background: candidateProfiles.background,
      stage: candidateProfiles.stage,
      mentorName: mentor.name,
    })
    .from(people)
    .leftJoin(candidateProfiles, eq(candidateProfiles.personId, people.id))
    .leftJoin(mentor, eq(mentor.id, candidateProfiles.mentorId))
    .where(
      filter.role
        ? inArray(
            people.id,
            db
              .select({ id: roleAssignments.personId })
              .from(roleAssignments)
              .where(eq(roleAssignments.role, filter.role)),
          )
        : undefined,
    )
    .orderBy(asc(people.name))
    .all()
  const roleRows = db.select().from(roleAssignments).all()
  const rolesByPerson = new Map<number, Role[]>()
  for (const r of roleRows) rolesByPerson.set(r.personId, [...(rolesByPerson.get(r.personId) ?? []), r.role])
  return rows.map((row) => ({
    ...row,
    roles: (rolesByPerson.get(row.id) ?? []).sort((a, b) => allRoles.indexOf(a) - allRoles.indexOf(b)),
  }))
}

export function listActiveMentors(db: Db) {
  return db
    .select({ id: people.id, name: people.name })
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'mentor')))
    .where(eq(people.active, true))
    .orderBy(asc(people.name))
    .all()
}

/** Active mentors whose name or email contains `text` (case-insensitive), for the pipeline's mentor filter. */
export function findActiveMentors(db: Db, text: string, limit = 20) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'mentor')))
    .where(
      and(
        eq(people.active, true),
        sql`(lower(${people.name}) like ${pattern} escape '\\' or lower(${people.email}) like ${pattern} escape '\\')`,
      ),
    )
    .orderBy(asc(people.name))
    .limit(limit)
    .all()
}

export function getPerson(db: Db, id: number) {
  const person = db
    .select({
      id: people.id,
      name: people.name,
      email: people.email,
      active: people.active,
      createdAt: people.createdAt,
    })
    .from(people)
    .where(eq(people.id, id))
    .get()
  if (!person) return null
  const roles = rolesOf(db, id)
  // A kept profile of a former candidate is history, not a current candidacy.
  return { ...person, roles, candidate: roles.includes('candidate') ? getCandidateProfile(db, id) : null }
}

export function getCandidateProfile(db: Db, personId: number) {
  return (
    db
      .select({
        personId: candidateProfiles.personId,
        background: candidateProfiles.background,
        stage: candidateProfiles.stage,
        joinedOn: candidateProfiles.joinedOn,
        mentorId: candidateProfiles.mentorId,
        mentorName: mentor.name,
      })
      .from(candidateProfiles)
      .leftJoin(mentor, eq(mentor.id, candidateProfiles.mentorId))
      .where(eq(candidateProfiles.personId, personId))
      .get() ?? null
  )
}

function assertMentor(tx: Db, mentorId: number | null, candidateId: number | null) {
  if (mentorId === null) return
  if (mentorId === candidateId) throw new RuleError('A candidate cannot be their own mentor.', 'mentorId')
  const ok = tx
    .select({ id: people.id })
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'mentor')))
    .where(and(eq(people.id, mentorId), eq(people.active, true)))
    .get()
  if (!ok) throw new RuleError('Choose an active person who holds the mentor role.', 'mentorId')
}

function assertEmailFree(tx: Db, email: string, exceptId?: number) {
  const existing = tx
    .select({ id: people.id })
    .from(people)
    .where(eq(sql`lower(${people.email})`, normalizeEmail(email)))
    .get()
  if (existing && existing.id !== exceptId) throw new RuleError('Someone already has this email address.', 'email', 409)
}

/** Creates a person with roles (and a candidate profile when they are a candidate). Call in a transaction. */
export function createPerson(tx: Db, actorId: number | null, input: NewPersonInput): number {
  if (input.roles.length === 0) throw new RuleError('Give the person at least one role.', 'roles')
  const isCandidate = input.roles.includes('candidate')
  if (isCandidate && !input.candidate)
    throw new RuleError('A candidate needs a background, a stage and a start date.', 'background')
  assertEmailFree(tx, input.email)
  assertMentor(tx, input.candidate?.mentorId ?? null, null)
  const now = nowIso()
  const { id } = tx
    .insert(people)
    .values({
      name: input.name,
      email: normalizeEmail(input.email),
      passwordHash: input.passwordHash,
      active: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: people.id })
    .get()
  tx.insert(roleAssignments)
    .values(input.roles.map((role) => ({ personId: id, role, grantedAt: now })))
    .run()
  if (isCandidate && input.candidate)
    tx.insert(candidateProfiles)
      .values({ personId: id, ...input.candidate })
      .run()
  recordAudit(tx, {
    actorId,
    action: 'person.create',
    entityType: 'person',
    entityId: id,
    after: {
      name: input.name,
      email: normalizeEmail(input.email),
      roles: input.roles,
      candidate: isCandidate ? input.candidate : null,
    },
  })
  return id
}

export type PersonUpdateInput = { name: string; email: string; roles: Role[]; candidate: CandidateProfileInput | null }

/** Updates name, email, roles and candidate profile in one go. Call in a transaction. */
export function updatePerson(tx: Db, actorId: number, personId: number, input: PersonUpdateInput) {
  const before = getPerson(tx, personId)
  if (!before) throw new RuleError('No such person.', undefined, 404)
  if (input.roles.length === 0) throw new RuleError('Give the person at least one role.', 'roles')
  if (personId === actorId && before.roles.includes('admin') && !input.roles.includes('admin'))
    throw new RuleError('You cannot remove your own admin role; ask another admin.', 'roles')
  assertEmailFree(tx, input.email, personId)
  const isCandidate = input.roles.includes('candidate')
  if (isCandidate && !input.candidate)
    throw new RuleError('A candidate needs a background, a stage and a start date.', 'background')
  assertMentor(tx, input.candidate?.mentorId ?? null, personId)
  // The stage of an existing profile changes only through the program (enrollment, the stage gate),
  // so the profile never says one stage while the stage history says another (issue 12).
  if (before.candidate && input.candidate && input.candidate.stage !== before.candidate.stage)
    throw new RuleError(
      'The program stage changes only through the development program (enrollment and the stage gate), not here.',
      'stage',
    )
  if (!input.roles.includes('mentor') && before.roles.includes('mentor')) {
    const mentees = listMentees(tx, personId).length
    if (mentees > 0)
      throw new RuleError(`This person mentors ${mentees} candidate(s); assign them another mentor first.`, 'roles')
  }
  const now = nowIso()
  tx.update(people)
    .set({ name: input.name, email: normalizeEmail(input.email), updatedAt: now })
    .where(eq(people.id, personId))
    .run()
  tx.delete(roleAssignments)
    .where(and(eq(roleAssignments.personId, personId), notInArray(roleAssignments.role, input.roles)))
    .run()
  tx.insert(roleAssignments)
    .values(input.roles.map((role) => ({ personId, role, grantedAt: now })))
    .onConflictDoNothing()
    .run()
  // A new mentor recommends afresh: a pending recommendation by the former mentor is voided, so it
  // can never be approved as if the two people who decide were still the recommender and HR.
  if (before.candidate && input.candidate && before.candidate.mentorId !== input.candidate.mentorId) {
    // Who changes a mentor, read in this transaction (rights.ts): never the candidate themselves.
    const actor = getActiveUser(tx, actorId)
    const right = actor
      ? canChangeMentor(actor, { candidateId: personId, replacing: before.candidate.mentorId !== null })
      : { ok: false as const, reason: 'Your account is not active.' }
    if (!right.ok) throw new RuleError(right.reason, 'mentorId', 403)
  }
  if (before.candidate && input.candidate && before.candidate.mentorId !== input.candidate.mentorId)
    voidPendingRecommendation(tx, actorId, personId, 'the mentor changed; the new mentor recommends afresh')
  // A profile stays when the candidate role is removed: their history belongs to them.
  if (isCandidate && input.candidate) {
    tx.insert(candidateProfiles)
      .values({ personId, ...input.candidate })
      .onConflictDoUpdate({ target: candidateProfiles.personId, set: input.candidate })
      .run()
  }
  const after = getPerson(tx, personId)
  recordAudit(tx, {
    actorId,
    action: 'person.update',
    entityType: 'person',
    entityId: personId,
    before: { name: before.name, email: before.email, roles: before.roles, candidate: before.candidate },
    after: { name: after?.name, email: after?.email, roles: after?.roles, candidate: after?.candidate },
  })
}

/** Closes a candidate's pending recommendation, if any, with the reason, recorded in the audit log. */
function voidPendingRecommendation(tx: Db, actorId: number, candidateId: number, reason: string) {
  const pending = tx
    .select({ id: advancements.id, recommendedBy: advancements.recommendedBy })
    .from(advancements)
    .innerJoin(enrollments, eq(enrollments.id, advancements.enrollmentId))
    .where(and(eq(enrollments.candidateId, candidateId), eq(advancements.status, 'recommended')))
    .get()
  if (!pending) return
  tx.update(advancements)
    .set({
      status: 'declined',
      decidedBy: actorId,
      decidedAt: nowIso(),
      decisionNote: `Recommendation voided: ${reason}.`,
    })
    .where(eq(advancements.id, pending.id))
    .run()
  recordAudit(tx, {
    actorId,
    action: 'program.recommendation-void',
    entityType: 'candidate',
    entityId: candidateId,
    before: { advancementId: pending.id, recommendedBy: pending.recommendedBy },
    after: { reason },
  })
}

/** Deactivates a person and ends every session of theirs. Call in a transaction. */
export function deactivatePerson(tx: Db, actorId: number, personId: number) {
  const person = getPerson(tx, personId)
  if (!person) throw new RuleError('No such person.', undefined, 404)
  if (personId === actorId) throw new RuleError('You cannot deactivate yourself; ask another admin.')
  if (!person.active) throw new RuleError('This person is already deactivated.', undefined, 409)
  tx.update(people).set({ active: false, updatedAt: nowIso() }).where(eq(people.id, personId)).run()
  endAllSessionsOf(personId, tx)
  recordAudit(tx, {
    actorId,
    action: 'person.deactivate',
    entityType: 'person',
    entityId: personId,
    before: { active: true },
    after: { active: false },
  })
}

export function reactivatePerson(tx: Db, actorId: number, personId: number) {
  const person = getPerson(tx, personId)
  if (!person) throw new RuleError('No such person.', undefined, 404)
  if (person.active) throw new RuleError('This person is already active.', undefined, 409)
  tx.update(people).set({ active: true, updatedAt: nowIso() }).where(eq(people.id, personId)).run()
  recordAudit(tx, {
    actorId,
    action: 'person.reactivate',
    entityType: 'person',
    entityId: personId,
    before: { active: false },
    after: { active: true },
  })
}

export function setPasswordHash(tx: Db, actorId: number, personId: number, passwordHash: string) {
  tx.update(people).set({ passwordHash, updatedAt: nowIso() }).where(eq(people.id, personId)).run()
  // The hash itself never goes into the log.
  recordAudit(tx, { actorId, action: 'person.password', entityType: 'person', entityId: personId })
}

/** Candidates mentored by `mentorId`, for the mentor's home page. */
export function listMentees(db: Db, mentorId: number) {
  return db
    .select({
      id: people.id,
      name: people.name,
      background: candidateProfiles.background,
      stage: candidateProfiles.stage,
      joinedOn: candidateProfiles.joinedOn,
    })
    .from(candidateProfiles)
    .innerJoin(people, eq(people.id, candidateProfiles.personId))
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.role, 'candidate')))
    .where(and(eq(candidateProfiles.mentorId, mentorId), eq(people.active, true)))
    .orderBy(asc(people.name))
    .all()
}
