import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { FormError, TextField } from '~/components/forms'
import { setupSchema } from '~/domain/forms'
import { RuleError } from '~/domain/errors'
import { countPeople, createPerson } from '~/models/people.server'
import { getDb, transaction } from '~/utils/db.server'
import { withRuleErrors, readForm } from '~/utils/forms.server'
import { hashPassword, passwordProblem } from '~/utils/password.server'
import { notFound } from '~/utils/permissions.server'
import { createSession } from '~/utils/session.server'

export const meta: MetaFunction = () => [{ title: 'Set up · STO Pathway' }]

/** The one-time setup page: only while the database has nobody in it. */
export function loader() {
  if (countPeople(getDb()) > 0) throw notFound()
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  if (countPeople(getDb()) > 0) throw notFound()
  const submission = parseWithZod(await readForm(request), { schema: setupSchema })
  const hidden = ['password', 'confirmPassword']
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: hidden }) }, { status: 400 })
  const problem = passwordProblem(submission.value.password)
  if (problem)
    return data(
      { result: submission.reply({ fieldErrors: { password: [problem] }, hideFields: hidden }) },
      { status: 400 },
    )

  const passwordHash = await hashPassword(submission.value.password)
  const outcome = withRuleErrors(
    submission,
    () =>
      transaction((tx) => {
        // Checked again inside the write transaction: two racing setups make one admin.
        if (countPeople(tx) > 0) throw new RuleError('Setup is already complete. Log in instead.', undefined, 409)
        return createPerson(tx, null, {
          name: submission.value.name,
          email: submission.value.email,
          roles: ['admin'],
          passwordHash,
          candidate: null,
        })
      }),
    hidden,
  )
  if (!outcome.ok) return outcome.response
  throw redirect('/', { headers: { 'Set-Cookie': await createSession(outcome.value) } })
}

export default function SetupPage() {
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'setup',
    lastResult: actionData?.result,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: setupSchema }),
  })
  return (
    <section className="card" style={{ maxWidth: '34rem' }}>
      <h1>Set up STO Pathway</h1>
      <p>This database is empty. Create the first administrator; this page disappears once you have.</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <TextField label="Your name" field={fields.name} autoComplete="name" />
        <TextField label="Email" field={fields.email} type="email" autoComplete="username" />
        <TextField
          label="Password"
          field={fields.password}
          type="password"
          autoComplete="new-password"
          hint="12 to 128 characters; common passwords are refused. A long phrase works well."
        />
        <TextField
          label="Repeat the password"
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
        />
        <div>
          <button className="primary" type="submit">
            Create administrator
          </button>
        </div>
      </Form>
    </section>
  )
}
