/**
 * Zod schemas of the forms, shared by the browser (instant feedback) and the server (the check that counts).
 * Server-only rules (common passwords, ids that must exist) are applied in the actions.
 */
import { z } from 'zod'
import { roles } from '~/domain/roles'

const PASSWORD_MIN = 12
const PASSWORD_MAX = 128

/**
 * A record id from a form or link: digits only, no sign, spaces, hex or exponent (z.coerce.number
 * would read " 7", "0x1F" and "1e3" as ids).
 */
export const idField = (error = 'Unknown id.') =>
  z
    .string({ error })
    .regex(/^[1-9]\d{0,9}$/, { error })
    .transform(Number)

export const nameField = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(120, 'Use at most 120 characters.')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Remove control characters.')

export const emailField = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .max(254, 'An email address has at most 254 characters.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'))

export const newPasswordField = z
  .string({ error: 'Enter a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)

export const loginSchema = z.object({
  email: emailField,
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    .max(1024, 'That password is too long.'),
  redirectTo: z.string().max(2048).optional(),
})

const confirmMatches = <T extends { password: string; confirmPassword: string }>(v: T, ctx: z.RefinementCtx) => {
  if (v.password !== v.confirmPassword)
    ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The two passwords do not match.' })
}

export const setupSchema = z
  .object({
    name: nameField,
    email: emailField,
    password: newPasswordField,
    confirmPassword: z.string({ error: 'Repeat the password.' }),
  })
  .superRefine(confirmMatches)

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password.' }).max(1024),
    password: newPasswordField,
    confirmPassword: z.string({ error: 'Repeat the new password.' }),
  })
  .superRefine(confirmMatches)

const isoDate = z
  .string({ error: 'Enter a date.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD.')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'Enter a real date.',
  )

export const roleList = z
  .array(z.enum(roles, { error: 'Unknown role.' }), { error: 'Choose at least one role.' })
  .min(1, 'Choose at least one role.')
  .max(roles.length)
  .refine((list) => new Set(list).size === list.length, 'Each role once.')

/**
 * A person as an admin enters them. Background and stage ids are checked against the loaded
 * framework by the server; the candidate fields are required only when the candidate role is chosen.
 */
export function personSchema(opts: { withPassword: boolean }) {
  return z
    .object({
      name: nameField,
      email: emailField,
      roles: roleList,
      background: z.string().max(64).optional(),
      stage: z.string().max(64).optional(),
      mentorId: z.coerce.number({ error: 'Choose a mentor.' }).int().positive().optional(),
      joinedOn: isoDate.optional(),
      password: opts.withPassword ? newPasswordField : z.undefined().optional(),
    })
    .superRefine((v, ctx) => {
      if (!v.roles.includes('candidate')) return
      if (!v.background)
        ctx.addIssue({ code: 'custom', path: ['background'], message: 'Choose the candidate’s background.' })
      if (!v.stage) ctx.addIssue({ code: 'custom', path: ['stage'], message: 'Choose the candidate’s program stage.' })
      if (!v.joinedOn)
        ctx.addIssue({ code: 'custom', path: ['joinedOn'], message: 'Enter the date they joined the program.' })
    })
}
