/** Applying a checked people CSV: upsert by email, in one transaction, through the people and program models. */
import { and, eq, inArray } from 'drizzle-orm'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { enrolmentProposals, enrollments } from '#db/schema/program'
import type { ExistingPerson, ImportRow } from '~/domain/people-import'
import type { Framework } from '~/domain/framework/parse'
import type { Role } from '~/domain/roles'
import type { Db } from '~/utils/db.server'
import { recordAudit } from './audit.server'
import { RuleError } from '~/domain/errors'
import { hasPermission } from '~/domain/permissions'
import { createPerson, getPerson, updatePerson } from './people.server'
import { enroll, pendingProposal } from './enrolment.server'
import { actorOf } from './program.server'

/** Everyone by email, with what an import would compare, and the emails of active mentors. */
export function importContext(db: Db) {
  const persons = db
    .select({ id: people.id, name: people.name, email: people.email, active: people.active })
    .from(people)
    .all()
  const roleRows = db.select().from(roleAssignments).all()
  const profiles = db.select().from(candidateProfiles).all()
  const enrolled = new Set(
    db
      .select({ id: enrollments.candidateId })
      .from(enrollments)
      .where(inArray(enrollments.status, ['active', 'paused']))
      .all()
      .map((e) => e.id),
  )
  // A later start waiting for its confirmation counts as enrolled at the proposed stage: importing the same row again changes nothing.
  const waiting = new Map(
    db
      .select({ id: enrolmentProposals.candidateId, stage: enrolmentProposals.stage })
      .from(enrolmentProposals)
      .where(eq(enrolmentProposals.status, 'pending'))
      .all()
      .map((p) => [p.id, p.stage]),
  )
  const emailOf = new Map(persons.map((p) => [p.id, p.email]))
  const existing = new Map<string, ExistingPerson>()
  for (const p of persons) {
    const profile = profiles.find((x) => x.personId === p.id)
    existing.set(p.email.toLowerCase(), {
      id: p.id,
      name: p.name,
      roles: roleRows.filter((r) => r.personId === p.id).map((r) => r.role),
      background: profile?.background ?? null,
      stage: waiting.get(p.id) ?? profile?.stage ?? null,
      mentorEmail: profile?.mentorId ? (emailOf.get(profile.mentorId) ?? null) : null,
      joinedOn: profile?.joinedOn ?? null,
      enrolled: enrolled.has(p.id) || waiting.has(p.id),
    })
  }
  const mentorEmails = new Set(
    persons
      .filter((p) => p.active && roleRows.some((r) => r.personId === p.id && r.role === 'mentor'))
      .map((p) => p.email.toLowerCase()),
  )
  return { existing, mentorEmails }
}

function idByEmail(tx: Db, email: string): number | null {
  return tx.select({ id: people.id }).from(people).where(eq(people.email, email)).get()?.id ?? null
}

/** Writes the rows (mentors and other non-candidates first, so candidates can name them). */
export function applyImport(
  tx: Db,
  actorId: number,
  rows: ImportRow[],
  fw: Framework,
  fileName: string,
  now = new Date(),
) {
  const counts = { created: 0, updated: 0, unchanged: 0, enrolled: 0, proposed: 0 }
  // What the importer may change, read here again (checkImport said the same to the preview).
  const actor = actorOf(tx, actorId)
  const mayEditPeople = hasPermission(actor, 'update:person:any')
  const ordered = [...rows.filter((r) => !r.candidate), ...rows.filter((r) => r.candidate)]
  for (const row of ordered) {
    if (row.action === 'unchanged') {
      counts.unchanged++
      continue
    }
    const mentorId = row.candidate?.mentorEmail ? idByEmail(tx, row.candidate.mentorEmail) : null
    if (row.candidate?.mentorEmail && mentorId === null)
      throw new RuleError(`Line ${row.line}: mentor ${row.candidate.mentorEmail} was not found.`)
    // A new profile starts at the first stage: only the program (enrolling, or confirming a later start) moves it.
    const firstStage = [...fw.stages].sort((a, b) => a.order - b.order)[0]!.id
    const profile = row.candidate
      ? { background: row.candidate.background, stage: firstStage, mentorId, joinedOn: row.candidate.enrolledOn }
      : null
    let id = idByEmail(tx, row.email)
    try {
      if (id === null) {
        id = createPerson(tx, actorId, {
          name: row.name,
          email: row.email,
          roles: row.roles as Role[],
          passwordHash: null,
          candidate: profile,
        })
        counts.created++
      } else {
        if (!mayEditPeople) {
          const before = getPerson(tx, id)!
          const sameRoles =
            before.roles.length === row.roles.length && row.roles.every((r) => before.roles.includes(r as Role))
          const mentorChanged =
            profile !== null && before.candidate?.mentorId != null && before.candidate.mentorId !== profile.mentorId
          if (
            before.name !== row.name ||
            !sameRoles ||
            (profile && before.candidate?.background !== profile.background) ||
            mentorChanged
          )
            throw new RuleError(`Only an administrator can change an existing person (${row.email}).`, undefined, 403)
        }
        // An existing profile keeps its stage: only enrolling (below) or the stage gate changes it.
        const currentStage = tx
          .select({ stage: candidateProfiles.stage })
          .from(candidateProfiles)
          .where(eq(candidateProfiles.personId, id))
          .get()?.stage
        updatePerson(tx, actorId, id, {
          name: row.name,
          email: row.email,
          roles: row.roles as Role[],
          candidate: profile && currentStage ? { ...profile, stage: currentStage } : profile,
        })
        counts.updated++
      }
    } catch (error) {
      if (error instanceof RuleError) throw new RuleError(`Line ${row.line}: ${error.message}`)
      throw error
    }
    const current = tx
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(eq(enrollments.candidateId, id), inArray(enrollments.status, ['active', 'paused'])))
      .get()
    if (row.candidate && mentorId !== null && !current && !pendingProposal(tx, id)) {
      const stage = fw.stages.find((s) => s.id === row.candidate!.stage)!
      const started = enroll(
        tx,
        actorId,
        {
          candidateId: id,
          stageId: stage.id,
          enrolledOn: row.candidate.enrolledOn,
          reason: stage.order > 1 ? `Imported from ${fileName} with prior progress.` : null,
          mentorId,
          record: {},
        },
        fw,
        now,
        { importing: true },
      )
      // A row beyond the first stage waits, like the form's, for a second HR person to confirm it.
      if (started.status === 'enrolled') counts.enrolled++
      else counts.proposed++
    }
  }
  recordAudit(
    tx,
    { actorId, action: 'people.import', entityType: 'import', entityId: fileName.slice(0, 100), after: counts },
    now,
  )
  return counts
}
