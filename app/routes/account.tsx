import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormError, TextField } from '~/components/forms'
import { changePasswordSchema } from '~/domain/forms'
import { roleLabels } from '~/domain/navigation'
import { findLoginByEmail, setPasswordHash } from '~/models/people.server'
import { requireUser } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { hashPassword, passwordProblem, verifyPassword } from '~/utils/password.server'
import { requirePermission } from '~/utils/permissions.server'
import { checkSession, endOtherSessionsOf } from '~/utils/session.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction = () => [{ title: 'Your account · STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { name: user.name, email: user.email, roles: user.roles }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'update:password:own')
  const submission = parseWithZod(await readForm(request), { schema: changePasswordSchema })
  const hidden = ['currentPassword', 'password', 'confirmPassword']
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: hidden }), changed: false }, { status: 400 })
  const login = findLoginByEmail(getDb(), user.email)
  if (!login?.passwordHash || !(await verifyPassword(submission.value.currentPassword, login.passwordHash))) {
    return data(
      {
        result: submission.reply({
          fieldErrors: { currentPassword: ['That is not your current password.'] },
          hideFields: hidden,
        }),
        changed: false,
      },
      { status: 400 },
    )
  }
  const problem = passwordProblem(submission.value.password)
  if (problem)
    return data(
      { result: submission.reply({ fieldErrors: { password: [problem] }, hideFields: hidden }), changed: false },
      { status: 400 },
    )
  const hash = await hashPassword(submission.value.password)
  const session = await checkSession(request)
  transaction((tx) => {
    setPasswordHash(tx, user.id, user.id, hash)
    // Other devices signed in with the old password are signed out.
    if (session.status === 'valid') endOtherSessionsOf(user.id, session.idHash, tx)
  })
  return { result: submission.reply({ resetForm: true }), changed: true }
}

export default function AccountPage() {
  const { name, email, roles } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'change-password',
    lastResult: actionData?.result,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  })
  return (
    <>
      <h1>Your account</h1>
      <dl className="facts card">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Email</dt>
        <dd>{email}</dd>
        <dt>Roles</dt>
        <dd>{roles.map((r) => roleLabels[r]).join(', ')}</dd>
      </dl>
      <section className="card" aria-labelledby="feedback-heading">
        <h2 id="feedback-heading">Feedback you gave</h2>
        <p>
          Your own answers as a 360 rater, for you alone: <Link to="/account/feedback-given">Feedback you gave</Link>.
        </p>
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        {actionData?.changed ? (
          <p className="notice" role="status">
            Password changed. Other devices have been signed out.
          </p>
        ) : null}
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormError errors={form.errors} />
          <TextField
            label="Current password"
            field={fields.currentPassword}
            type="password"
            autoComplete="current-password"
          />
          <TextField
            label="New password"
            field={fields.password}
            type="password"
            autoComplete="new-password"
            hint="12 to 128 characters; common passwords are refused."
          />
          <TextField
            label="Repeat the new password"
            field={fields.confirmPassword}
            type="password"
            autoComplete="new-password"
          />
          <div>
            <button className="primary" type="submit">
              Change password
            </button>
          </div>
        </Form>
      </section>
    </>
  )
}
