/** Turning a refused business rule into the form's reply, so the person sees it beside the field. */
import type { SubmissionResult } from '@conform-to/react'
import { data } from '@remix-run/node'
import { RuleError } from '~/models/errors.server'

type Replyable = { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }) => SubmissionResult<string[]> }

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

/**
 * The request's form, or a 400 when the body is not a readable form (another content type, a
 * broken multipart body): the client's mistake, never a server error.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch (error) {
    if (error instanceof TypeError) throw data({ message: 'The request was not a form this page sends. Nothing was saved.' }, { status: 400 })
    throw error
  }
}
