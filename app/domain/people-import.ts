/**
 * Checking a people CSV, pure: every row validated against the framework and the people who exist,
 * every problem reported with its line number, and each valid row classified as create, update or
 * unchanged (so importing the same file twice changes nothing). Parsing the CSV is the caller's job.
 */
import { z } from 'zod'
import { emailField, nameField } from './forms'
import { roles as allRoles, type Role } from './roles'

export const IMPORT_COLUMNS = [
  'name',
  'email',
  'roles',
  'background',
  'mentor_email',
  'stage',
  'enrollment_date',
] as const
export const MAX_IMPORT_ROWS = 5000

export type ExistingPerson = {
  id: number
  name: string
  roles: Role[]
  background: string | null
  stage: string | null
  mentorEmail: string | null
  joinedOn: string | null
  enrolled: boolean
}

export type ImportRow = {
  line: number
  name: string
  email: string
  roles: Role[]
  candidate: { background: string; stage: string; mentorEmail: string | null; enrolledOn: string } | null
  action: 'create' | 'update' | 'unchanged'
}

export type ImportCheck = { rows: ImportRow[]; errors: Array<{ line: number; message: string }> }

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'enrollment_date must look like 2026-01-31')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'enrollment_date is not a real date',
  )

/**
 * @param records the parsed rows, header first, each with the line it started on.
 */
export function checkImport(
  records: Array<{ line: number; fields: string[] }>,
  ctx: {
    backgrounds: string[]
    /** Stages a candidate may be imported at (not the final one: certification comes through the gate). */
    stages: string[]
    finalStage: string
    existing: Map<string, ExistingPerson>
    mentorEmails: Set<string>
    today: string
    /**
     * Whether the importer may give any role and edit existing people (admins: update:person:any).
     * Without it (HR) an import creates people and enrols existing candidates, and changes nothing
     * else about an existing person: not their name, roles, background, mentor or dates.
     */
    canManageRoles: boolean
  },
): ImportCheck {
  const errors: ImportCheck['errors'] = []
  const [header, ...body] = records
  const expected = IMPORT_COLUMNS.join(',')
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== expected) {
    return { rows: [], errors: [{ line: header?.line ?? 1, message: `The header must be exactly: ${expected}` }] }
  }
  if (body.length === 0) return { rows: [], errors: [{ line: 2, message: 'The file has no rows after the header.' }] }
  if (body.length > MAX_IMPORT_ROWS)
    return {
      rows: [],
      errors: [{ line: 1, message: `At most ${MAX_IMPORT_ROWS} rows per file (this one has ${body.length}).` }],
    }

  const seen = new Map<string, number>()
  // Mentors may be defined in the same file.
  const mentorsInFile = new Set<string>()
  for (const r of body) {
    const email = (r.fields[1] ?? '').trim().toLowerCase()
    if (
      (r.fields[2] ?? '')
        .toLowerCase()
        .split(/[;|]/)
        .map((s) => s.trim())
        .includes('mentor')
    )
      mentorsInFile.add(email)
  }

  const rows: ImportRow[] = []
  for (const { line, fields } of body) {
    const problems: string[] = []
    const [
      rawName = '',
      rawEmail = '',
      rawRoles = '',
      background = '',
      mentorEmailRaw = '',
      stage = '',
      enrolledOn = '',
    ] = fields.map((f) => f.trim())
    const name = nameField.safeParse(rawName)
    if (!name.success) problems.push(`name: ${name.error.issues[0]!.message}`)
    const email = emailField.safeParse(rawEmail)
    if (!email.success) problems.push(`email: ${email.error.issues[0]!.message}`)
    const normalized = rawEmail.toLowerCase()
    if (email.success) {
      const first = seen.get(normalized)
      if (first !== undefined) problems.push(`email ${normalized} appears again (first on line ${first})`)
      else seen.set(normalized, line)
    }
    const roleList = rawRoles
      .toLowerCase()
      .split(/[;|]/)
      .map((r) => r.trim())
      .filter(Boolean)
    const unknownRoles = roleList.filter((r) => !(allRoles as readonly string[]).includes(r))
    if (roleList.length === 0)
      problems.push('roles: give at least one of candidate, mentor, hr, admin (separate several with ";")')
    if (unknownRoles.length) problems.push(`roles: unknown role "${unknownRoles[0]!.slice(0, 30)}"`)
    const roles = [...new Set(roleList.filter((r): r is Role => (allRoles as readonly string[]).includes(r)))]
    if (!ctx.canManageRoles) {
      const privileged = roles.filter((r) => r === 'hr' || r === 'admin')
      if (privileged.length) problems.push(`roles: only an administrator can give the ${privileged.join(' and ')} role`)
    }
    let candidate: ImportRow['candidate'] = null
    if (roles.includes('candidate')) {
      if (!ctx.backgrounds.includes(background))
        problems.push(
          `background: unknown background "${background.slice(0, 60)}" (use one of ${ctx.backgrounds.join(', ')})`,
        )
      if (stage === ctx.finalStage)
        problems.push(`stage: ${stage} is reached through the stage gate, not by import; import at an earlier stage`)
      else if (!ctx.stages.includes(stage))
        problems.push(`stage: unknown stage "${stage.slice(0, 60)}" (use one of ${ctx.stages.join(', ')})`)
      const date = day.safeParse(enrolledOn)
      if (!date.success) problems.push(date.error.issues[0]!.message)
      else if (enrolledOn > ctx.today) problems.push('enrollment_date is in the future')
      const mentorEmail = mentorEmailRaw.toLowerCase() || null
      if (mentorEmail && !ctx.mentorEmails.has(mentorEmail) && !mentorsInFile.has(mentorEmail))
        problems.push(`mentor_email: ${mentorEmail.slice(0, 80)} is not a mentor`)
      if (mentorEmail && mentorEmail === normalized) problems.push('mentor_email: a candidate cannot mentor themself')
      candidate = { background, stage, mentorEmail, enrolledOn }
    } else if (background || stage || mentorEmailRaw || enrolledOn) {
      problems.push('background, mentor_email, stage and enrollment_date are only for candidates (leave them empty)')
    }
    if (problems.length) {
      for (const p of problems) errors.push({ line, message: p })
      continue
    }
    const existing = ctx.existing.get(normalized)
    if (existing?.enrolled && candidate && existing.stage !== candidate.stage) {
      errors.push({
        line,
        message: `stage: ${normalized} is already in the program at ${existing.stage}; stages change only through the gate`,
      })
      continue
    }
    let action: ImportRow['action'] = 'create'
    if (existing) {
      const sameRoles = roles.length === existing.roles.length && roles.every((r) => existing.roles.includes(r))
      if (!sameRoles && !ctx.canManageRoles) {
        errors.push({ line, message: `roles: only an administrator can change the roles of ${normalized}` })
        continue
      }
      if (!ctx.canManageRoles) {
        // Enrolling an existing candidate may give them their first mentor and start date; anything else is an edit.
        const enrolling = candidate !== null && !existing.enrolled
        const edits = [
          existing.name !== name.data && 'name',
          candidate && existing.background !== candidate.background && 'background',
          candidate &&
            (existing.mentorEmail ?? null) !== candidate.mentorEmail &&
            !(enrolling && existing.mentorEmail === null) &&
            'mentor_email',
          candidate && existing.joinedOn !== candidate.enrolledOn && !enrolling && 'enrollment_date',
        ].filter((e): e is string => typeof e === 'string')
        if (edits.length) {
          errors.push({
            line,
            message: `${edits.join(', ')}: only an administrator can change an existing person (${normalized}); an import by HR adds people and enrols candidates`,
          })
          continue
        }
      }
      const sameCandidate =
        !candidate ||
        (existing.background === candidate.background &&
          existing.stage === candidate.stage &&
          (existing.mentorEmail ?? null) === candidate.mentorEmail &&
          existing.joinedOn === candidate.enrolledOn &&
          // Without a mentor nobody is enrolled, so "not enrolled" is then the unchanged state.
          (existing.enrolled || candidate.mentorEmail === null))
      action = existing.name === name.data && sameRoles && sameCandidate ? 'unchanged' : 'update'
    }
    rows.push({ line, name: name.data!, email: normalized, roles, candidate, action })
  }
  return { rows: errors.length ? [] : rows, errors }
}
