/**
 * The one action skeleton (issue 14, decision 0017). Every action is: user → guard → parse → run.
 * This module does the parse and the run, and answers in one shape:
 *  - input the schema refuses: 400 with conform's reply, each message beside its field;
 *  - a business rule that refuses (RuleError, thrown inside the transaction, which then writes
 *    nothing): its status, with the message beside its field, or as the form's message;
 *  - a busy database: db.server's 503 in place, so the page keeps what the person typed;
 *  - success: a redirect, with the status message kept server-side (flash.server) for the next page.
 * The reply carries the form's `intent`, so a page with several forms shows a message at the right one.
 */
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect } from '@remix-run/node'
import type { z } from 'zod'
import { RuleError } from '~/domain/errors'
import { transaction, type Db } from './db.server'
import { redirectWithNotice } from './flash.server'
import { readForm } from './forms.server'

/**
 * What every action answers when it does not redirect. `target` (only with the `target` option) is
 * the value of the form field naming the record one of several same-intent forms acts on, so the
 * page shows the message beside that record's row.
 */
export type ActionReply = { intent: string; target?: string; result: SubmissionResult<string[]> }

/** Where to go after the operation, and what to tell the person there (null: nothing). */
export type Done = { redirectTo: string; notice: string | null }

type Options<Schema extends z.ZodType, Out> = {
  schema: Schema
  /**
   * Who may do this, once the form is parsed (an intent decides which right applies): throw a 403
   * (permissions.server's forbidden()) to refuse. The models check the full rights again.
   */
  guard?: (value: z.output<Schema>) => void
  /** The operation, inside one transaction; a RuleError rolls it back and becomes the reply. */
  run: (value: z.output<Schema>, tx: Db) => Out
  /** Where to go next, from the operation's result. */
  done: (out: Out, value: z.output<Schema>) => Done
  /** After the commit (e.g. start sending mail); never inside the transaction. */
  afterCommit?: (out: Out) => void
  /** A form already read (a multipart body parsed by its route); otherwise the bounded urlencoded reader. */
  formData?: FormData
  /** For the one form that carries a field per candidate (forms.server's LARGE_FORM_FIELD_LIMIT). */
  maxFields?: number
  /** The form field (e.g. `raterId`) whose value the reply carries as `target` (see ActionReply). */
  target?: string
}

const intentOf = (formData: FormData) => {
  const intent = formData.get('intent')
  return typeof intent === 'string' ? intent.slice(0, 64) : ''
}

/** A refused rule as conform's reply: beside its field, or as the form's message. */
export function ruleReply(submission: { reply: (o: object) => SubmissionResult<string[]> }, error: RuleError) {
  return submission.reply(
    error.field ? { fieldErrors: { [error.field]: [error.message] } } : { formErrors: [error.message] },
  )
}

/** Parses, runs in a transaction and replies (see the module comment). Throws the redirect on success. */
export async function formAction<Schema extends z.ZodType, Out>(request: Request, options: Options<Schema, Out>) {
  const formData = options.formData ?? (await readForm(request, { maxFields: options.maxFields }))
  const intent = intentOf(formData)
  const reply = (result: SubmissionResult<string[]>): ActionReply => {
    const target = options.target ? formData.get(options.target) : null
    return typeof target === 'string' ? { intent, target: target.slice(0, 64), result } : { intent, result }
  }
  const submission = parseWithZod(formData, { schema: options.schema })
  if (submission.status !== 'success') return data<ActionReply>(reply(submission.reply()), { status: 400 })
  options.guard?.(submission.value as z.output<Schema>)
  let out: Out
  try {
    out = transaction((tx) => options.run(submission.value as z.output<Schema>, tx))
  } catch (error) {
    if (error instanceof RuleError)
      return data<ActionReply>(reply(ruleReply(submission, error)), { status: error.status })
    throw error
  }
  options.afterCommit?.(out)
  const next = options.done(out, submission.value as z.output<Schema>)
  if (next.notice === null) throw redirect(next.redirectTo)
  throw await redirectWithNotice(request, next.redirectTo, next.notice)
}
