import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { PersonForm } from '~/components/person-form'
import { personSchema } from '~/domain/forms'
import { createPerson } from '~/models/people.server'
import { redirectWithNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { withRuleErrors, readForm } from '~/utils/forms.server'
import { hashPassword, passwordProblem } from '~/utils/password.server'
import { candidateInput, personFormOptions } from '~/utils/person-form.server'
import { requirePermission } from '~/utils/permissions.server'

export const meta: MetaFunction = () => [{ title: 'Add a person · STO Pathway' }]

const schema = personSchema({ withPassword: true })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'create:person:any')
  return personFormOptions(getDb())
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'create:person:any')
  const submission = parseWithZod(await readForm(request), { schema })
  const hidden = ['password']
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: hidden }) }, { status: 400 })
  const value = submission.value
  const checked = candidateInput(value)
  if ('errors' in checked)
    return data({ result: submission.reply({ fieldErrors: checked.errors, hideFields: hidden }) }, { status: 400 })
  const problem = passwordProblem(value.password ?? '')
  if (problem)
    return data(
      { result: submission.reply({ fieldErrors: { password: [problem] }, hideFields: hidden }) },
      { status: 400 },
    )

  const passwordHash = await hashPassword(value.password ?? '')
  const outcome = withRuleErrors(
    submission,
    () =>
      transaction((tx) =>
        createPerson(tx, user.id, {
          name: value.name,
          email: value.email,
          roles: value.roles,
          passwordHash,
          candidate: checked.candidate,
        }),
      ),
    hidden,
  )
  if (!outcome.ok) return outcome.response
  throw await redirectWithNotice(
    request,
    `/admin/people/${outcome.value}`,
    'Person added. They can log in with the email and initial password you gave.',
  )
}

export default function NewPersonPage() {
  const options = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/people">People</Link> › Add a person
      </nav>
      <h1>Add a person</h1>
      <PersonForm id="new-person" withPassword lastResult={actionData?.result} submitLabel="Add person" {...options} />
    </>
  )
}
