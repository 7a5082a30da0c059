import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { FormError, TextField } from '~/components/forms'
import { loginSchema } from '~/domain/forms'
import { waitText } from '~/domain/login-throttle'
import { countPeople } from '~/models/people.server'
import { clientIp, getOptionalUser, login, safeRedirect } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { readForm } from '~/utils/forms.server'

export const meta: MetaFunction = () => [{ title: 'Log in · STO Pathway' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (countPeople(getDb()) === 0) throw redirect('/setup')
  if (await getOptionalUser(request)) throw redirect('/')
  return null
}

const INVALID = 'That email and password do not match an active account.'

/** The refusals name how long to wait; both read the same for every email, known or not. */
function limitMessage(reason: 'rate-limited-address' | 'rate-limited-pair', retryAfterMs: number) {
  const wait = waitText(retryAfterMs)
  return reason === 'rate-limited-address'
    ? `Too many login attempts from this network. Try again in ${wait}.`
    : `Too many failed attempts to log in with this email from here. Try again in ${wait}, or ask an administrator to clear them.`
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const submission = parseWithZod(formData, { schema: loginSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const { email, password, redirectTo } = submission.value
  const result = await login({ email, password, ip: clientIp(request) })
  if (!result.ok) {
    if (result.reason === 'invalid')
      return data({ result: submission.reply({ formErrors: [INVALID], hideFields: ['password'] }) }, { status: 400 })
    return data(
      {
        result: submission.reply({
          formErrors: [limitMessage(result.reason, result.retryAfterMs)],
          hideFields: ['password'],
        }),
      },
      {
        status: 429,
        headers: {
          'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))),
          'Cache-Control': 'no-store',
        },
      },
    )
  }
  throw redirect(safeRedirect(redirectTo), { headers: { 'Set-Cookie': result.setCookie } })
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  })
  return (
    <section className="card" style={{ maxWidth: '28rem' }}>
      <h1>Log in</h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        <TextField label="Email" field={fields.email} type="email" autoComplete="username" />
        <TextField label="Password" field={fields.password} type="password" autoComplete="current-password" />
        <div>
          <button className="primary" type="submit" disabled={navigation.state === 'submitting'}>
            Log in
          </button>
        </div>
      </Form>
    </section>
  )
}
