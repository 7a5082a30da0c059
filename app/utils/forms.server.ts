/** Turning a refused business rule into the form's reply, so the person sees it beside the field. */
import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import { RuleError } from '~/domain/errors'
import { FORM_BODY_LIMIT, FORM_FIELD_LIMIT, LARGE_FORM_FIELD_LIMIT } from '../../scripts/server-flags.mjs'

type Replyable = {
  reply: (options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
  }) => SubmissionResult<string[]>
}

/** Runs `fn`; a RuleError becomes a form reply with its status, anything else is rethrown. */
export function withRuleErrors<T>(submission: Replyable, fn: () => T, hideFields?: string[]) {
  try {
    return { ok: true as const, value: fn() }
  } catch (error) {
    if (!(error instanceof RuleError)) throw error
    return {
      ok: false as const,
      response: data(
        {
          result: submission.reply({
            ...(error.field ? { fieldErrors: { [error.field]: [error.message] } } : { formErrors: [error.message] }),
            hideFields,
          }),
        },
        { status: error.status },
      ),
    }
  }
}

/** A route param that must be a positive integer id; anything else is a 404, not a crash. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null
  return Number(value)
}

/** A body over a limit: the client's mistake, answered 413 (server.mjs usually answers first). */
function tooLarge(what: string): never {
  throw data({ message: `The request was too large (${what}). Nothing was saved.` }, { status: 413 })
}

/** server.mjs cuts a body that passes its limit while streaming with this code. */
const isBodyTooLarge = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { code?: unknown }).code === 'ERR_BODY_TOO_LARGE' || isBodyTooLarge((error as { cause?: unknown }).cause))

/** Fields of a urlencoded body, counted without parsing it: one more than its '&' separators. */
export function countFormFields(body: string): number {
  if (body === '') return 0
  let n = 1
  for (let i = body.indexOf('&'); i !== -1; i = body.indexOf('&', i + 1)) n++
  return n
}

/** For a form that legitimately carries one field per candidate (opening cycles): pass as `maxFields`. */
export { LARGE_FORM_FIELD_LIMIT }

/**
 * The request's form, or a 400 when the body is not a readable form (another content type, a
 * broken multipart body): the client's mistake, never a server error. A urlencoded body over
 * FORM_BODY_LIMIT bytes or FORM_FIELD_LIMIT fields is a 413, refused before it is parsed.
 */
export async function readForm(request: Request, options: { maxFields?: number } = {}): Promise<FormData> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase()
  if (!type.startsWith('application/x-www-form-urlencoded')) return read(() => request.formData())
  if (Number(request.headers.get('content-length') ?? '0') > FORM_BODY_LIMIT) tooLarge('the form is too long')
  const body = await read(() => request.text())
  if (body.length > FORM_BODY_LIMIT) tooLarge('the form is too long')
  const maxFields = options.maxFields ?? FORM_FIELD_LIMIT
  if (countFormFields(body) > maxFields) tooLarge('the form has too many fields')
  const form = new FormData()
  for (const [name, value] of new URLSearchParams(body)) form.append(name, value)
  return form
}

async function read<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (isBodyTooLarge(error)) tooLarge('the body is too long')
    if (error instanceof TypeError)
      throw data({ message: 'The request was not a form this page sends. Nothing was saved.' }, { status: 400 })
    throw error
  }
}
