import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { FormError, TextField } from '~/components/forms'
import { loginSchema } from '~/domain/forms'
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

const messages = {
  invalid: 'That email and password do not match an active account.',
  'rate-limited-ip': 'Too many login attempts from this network. Wait a minute and try again.',
  'rate-limited-account': 'Too many failed attempts for this account. Try again later, or ask an administrator.',
} as const

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const submission = parseWithZod(formData, { schema: loginSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const { email, password, redirectTo } = submission.value
  const result = await login({ email, password, ip: clientIp(request) })
  if (!result.ok) {
    return data(
      { result: submission.reply({ formErrors: [messages[result.reason]], hideFields: ['password'] }) },
      { status: result.reason === 'invalid' ? 400 : 429 },
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
