import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError } from '~/components/forms'
import { PersonForm } from '~/components/person-form'
import { personSchema } from '~/domain/forms'
import { RuleError } from '~/domain/errors'
import { clearLoginFailures, recentLoginFailures } from '~/models/login-attempts.server'
import { deactivatePerson, reactivatePerson, setPasswordHash, updatePerson } from '~/models/people.server'
import { hashPassword, passwordProblem } from '~/utils/password.server'
import { endAllSessionsOf } from '~/utils/session.server'
import { redirectWithNotice, takeNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { withRuleErrors, readForm } from '~/utils/forms.server'
import { candidateInput, personFormOptions } from '~/utils/person-form.server'
import { requirePermission } from '~/utils/permissions.server'
import { personFromParam } from '~/utils/route-params.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.person.name ?? 'Person'} · STO Pathway` },
]

const schema = personSchema({ withPassword: false })
const intentSchema = z.object({
  intent: z.enum(['save', 'deactivate', 'reactivate', 'set-password', 'clear-login-failures'], {
    error: 'Unknown action.',
  }),
})

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'update:person:any')
  const person = personFromParam(params.personId)
  // A count and a time only: where the attempts came from is personal data of whoever made them.
  const loginFailures = recentLoginFailures(getDb(), person.email, Date.now())
  return {
    person,
    isSelf: person.id === user.id,
    loginFailures,
    notice: await takeNotice(request),
    ...personFormOptions(getDb()),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'update:person:any')
  const person = personFromParam(params.personId)
  const formData = await readForm(request)
  const intent = intentSchema.safeParse(Object.fromEntries(formData))
  if (!intent.success) throw data({ message: 'Unknown action.' }, { status: 400 })

  if (intent.data.intent === 'save') {
    const submission = parseWithZod(formData, { schema })
    if (submission.status !== 'success') return data({ result: submission.reply(), message: null }, { status: 400 })
    const value = submission.value
    const checked = candidateInput(value)
    if ('errors' in checked)
      return data({ result: submission.reply({ fieldErrors: checked.errors }), message: null }, { status: 400 })
    const outcome = withRuleErrors(submission, () =>
      transaction((tx) =>
        updatePerson(tx, user.id, person.id, {
          name: value.name,
          email: value.email,
          roles: value.roles,
          candidate: checked.candidate,
        }),
      ),
    )
    if (!outcome.ok) return outcome.response
    throw await redirectWithNotice(request, `/admin/people/${person.id}`, 'Changes saved.')
  }

  if (intent.data.intent === 'set-password') {
    // An admin sets a new password (imported people have none); the person's sessions end.
    const password = String(formData.get('password') ?? '')
    const problem = passwordProblem(password)
    if (problem) return data({ result: undefined, message: `New password: ${problem}` }, { status: 400 })
    const hash = await hashPassword(password)
    transaction((tx) => {
      setPasswordHash(tx, user.id, person.id, hash)
      endAllSessionsOf(person.id, tx)
    })
    throw await redirectWithNotice(
      request,
      `/admin/people/${person.id}`,
      'New password set; give it to them privately. Their other sessions have ended.',
    )
  }

  if (intent.data.intent === 'clear-login-failures') {
    // Every address's failures for this account go, so no (account, address) pair waits any more.
    const cleared = transaction((tx) => clearLoginFailures(tx, user.id, person.id))
    throw await redirectWithNotice(
      request,
      `/admin/people/${person.id}`,
      `Failed logins cleared (${cleared}): they can try again from anywhere without waiting.`,
    )
  }

  // Deactivate / reactivate: one button; a refusal comes back as a message beside it.
  try {
    transaction((tx) =>
      intent.data.intent === 'deactivate'
        ? deactivatePerson(tx, user.id, person.id)
        : reactivatePerson(tx, user.id, person.id),
    )
  } catch (error) {
    if (error instanceof RuleError) return data({ result: undefined, message: error.message }, { status: error.status })
    throw error
  }
  throw await redirectWithNotice(
    request,
    `/admin/people/${person.id}`,
    intent.data.intent === 'deactivate'
      ? 'Deactivated: they can no longer log in and their sessions have ended.'
      : 'Reactivated: they can log in again.',
  )
}

export default function EditPersonPage() {
  const { person, isSelf, loginFailures, backgrounds, stages, mentors, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/people">People</Link> › {person.name}
      </nav>
      <h1>
        {person.name}
        {person.active ? null : <span className="badge inactive">deactivated</span>}
      </h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {person.candidate ? (
        <p>
          <Link to={`/candidates/${person.id}`}>Open the candidate profile</Link>
        </p>
      ) : null}
      <section className="card" aria-labelledby="personal-data">
        <h2 id="personal-data">Personal data</h2>
        <p>
          <Link to={`/admin/people/${person.id}/export`} reloadDocument>
            Download their data (JSON)
          </Link>{' '}
          — everything stored about them, for a data-access request.
        </p>
        {isSelf ? null : (
          <p>
            <Link to={`/admin/people/${person.id}/erase`}>Erase this person</Link> — for an erasure request; you will
            see what is removed and what is kept first.
          </p>
        )}
      </section>
      <PersonForm
        id={`person-${person.id}`}
        withPassword={false}
        lastResult={actionData?.result}
        submitLabel="Save changes"
        backgrounds={backgrounds}
        stages={stages}
        lockedStage={
          person.candidate
            ? (stages.find((s) => s.value === person.candidate!.stage) ?? {
                value: person.candidate.stage,
                label: person.candidate.stage,
              })
            : undefined
        }
        mentors={mentors.filter((m) => m.value !== String(person.id))}
        defaultValue={{
          name: person.name,
          email: person.email,
          roles: person.roles,
          background: person.candidate?.background,
          stage: person.candidate?.stage,
          mentorId: person.candidate?.mentorId ? String(person.candidate.mentorId) : undefined,
          joinedOn: person.candidate?.joinedOn,
        }}
      />
      <section className="card" style={{ marginTop: '1.5rem' }} aria-labelledby="login-failures">
        <h2 id="login-failures">Failed logins</h2>
        <p>
          {loginFailures.failures === 0
            ? 'No failed logins for this email in the last 24 hours.'
            : `${loginFailures.failures} failed login${loginFailures.failures === 1 ? '' : 's'} for this email in the last 24 hours, the latest at ${new Date(loginFailures.lastAt!).toISOString().slice(0, 16).replace('T', ' ')} UTC.`}{' '}
          After five failures from one address, that address waits longer before each new try for this account; other
          addresses are not affected.
        </p>
        {loginFailures.failures === 0 ? null : (
          <Form method="post">
            <button className="secondary" type="submit" name="intent" value="clear-login-failures">
              Clear failed logins
            </button>
          </Form>
        )}
      </section>
      {isSelf ? null : (
        <section className="card" style={{ marginTop: '1.5rem' }} aria-labelledby="access">
          <h2 id="access">Access</h2>
          <FormError
            errors={actionData && 'message' in actionData && actionData.message ? [actionData.message] : undefined}
          />
          <Form
            method="post"
            style={{ display: 'flex', gap: '0.5rem', alignItems: 'end', flexWrap: 'wrap', marginBottom: '1rem' }}
          >
            <div className="field">
              <label htmlFor="new-password">New password for {person.name}</label>
              <input
                id="new-password"
                name="password"
                type="password"
                autoComplete="new-password"
                minLength={12}
                maxLength={128}
              />
            </div>
            <button className="secondary" type="submit" name="intent" value="set-password">
              Set password
            </button>
          </Form>
          <Form method="post">
            {person.active ? (
              <>
                <p>Deactivating ends all of {person.name}’s sessions and stops them logging in. Their records stay.</p>
                <button className="danger" type="submit" name="intent" value="deactivate">
                  Deactivate {person.name}
                </button>
              </>
            ) : (
              <button className="secondary" type="submit" name="intent" value="reactivate">
                Reactivate {person.name}
              </button>
            )}
          </Form>
        </section>
      )}
    </>
  )
}
