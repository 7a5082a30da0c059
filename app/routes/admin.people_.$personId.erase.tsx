import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormError, TextField } from '~/components/forms'
import { erasePerson, erasureRefusal, erasurePreview, removeUnreferencedFiles } from '~/models/erasure.server'
import { redirectWithNotice } from '~/utils/flash.server'
import { requireUser } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { withRuleErrors, readForm } from '~/utils/forms.server'
import { requirePermission } from '~/utils/permissions.server'
import { personFromParam } from '~/utils/route-params.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Erase ${data?.person.name ?? 'a person'} · STO Pathway` },
]

/** Typing the person's current email is the confirmation: a slip of the mouse cannot erase anyone. */
const confirmSchema = (email: string) =>
  z.object({
    confirm: z
      .string({ error: 'Type their email address to confirm.' })
      .trim()
      .toLowerCase()
      .pipe(z.literal(email, { error: 'That is not their email address. Nothing was erased.' })),
  })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  requirePermission(user, 'erase:person:any')
  const person = personFromParam(params.personId)
  const refusal = erasureRefusal(getDb(), user.id, person.id)
  return {
    person: { id: person.id, name: person.name, email: person.email, active: person.active },
    refusal: refusal?.message ?? null,
    preview: erasurePreview(getDb(), person.id),
  }
}

/**
 * Authorized before the person is read, so someone without the right cannot learn which ids
 * exist; the confirmation needs the person's email, so it is checked after.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  requirePermission(user, 'erase:person:any')
  const person = personFromParam(params.personId)
  const submission = parseWithZod(formData, { schema: confirmSchema(person.email) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = withRuleErrors(submission, () => transaction((tx) => erasePerson(tx, user.id, person.id)))
  if (!outcome.ok) return outcome.response
  // Files go only after the commit: a rolled-back erasure must not have lost them.
  try {
    removeUnreferencedFiles(getDb(), outcome.value.fileHashes)
  } catch (error) {
    // The erasure stands; an unreadable uploads folder leaves orphaned files for an operator.
    console.error(`Erasure of person ${person.id}: could not delete evidence files:`, error)
  }
  throw await redirectWithNotice(
    request,
    `/admin/people/${person.id}`,
    'Erased: their name, email, sign-in and what they wrote are gone; records others rely on remain under this id.',
  )
}

export default function ErasePersonPage() {
  const { person, refusal, preview } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: `erase-${person.id}`,
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmSchema(person.email) }),
  })
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/people">People</Link> › <Link to={`/admin/people/${person.id}`}>{person.name}</Link> › Erase
      </nav>
      <h1>Erase {person.name}</h1>
      {refusal ? (
        <div className="form-error" role="alert">
          <p style={{ margin: 0 }}>{refusal}</p>
        </div>
      ) : null}
      <section className="card" aria-labelledby="erased">
        <h2 id="erased">What will be erased</h2>
        <ul>
          <li>
            Their name and email (they become “Erased person #{person.id}”), their password and every session: they can
            no longer log in.
          </li>
          <li>
            What they wrote: {preview.submissions} milestone submission(s) with their links, {preview.planItems} plan
            item(s), {preview.planComments} plan comment(s) and the comments of {preview.selfAssessments}{' '}
            self-assessment(s) become “[erased]”.
          </li>
          <li>{preview.files} evidence file(s) they uploaded, unless another submission holds the same file.</li>
          <li>
            Where they gave 360 feedback ({preview.raterRows} time(s)): their name and email. In cycles still open their
            answers are withdrawn.
          </li>
          <li>Mentions of their full name or email in others’ notes, plans, reports and unsent mail.</li>
          <li>An open enrollment is withdrawn and an open 360 cycle of theirs is cancelled.</li>
        </ul>
      </section>
      <section className="card" aria-labelledby="kept">
        <h2 id="kept">What is kept, and why</h2>
        <ul>
          <li>
            The record of the person under their id, with their roles and dates, so sign-offs and decisions others rely
            on still read sensibly.
          </li>
          <li>
            Scores, frozen 360 reports and decisions: without a name they identify nobody, and they explain other
            people’s career decisions.
          </li>
          <li>
            The sign-off log and the audit log: both are append-only by design, so entries written before today keep
            what they recorded.
          </li>
        </ul>
      </section>
      {refusal ? null : (
        <section className="card" aria-labelledby="confirm-heading">
          <h2 id="confirm-heading">Confirm</h2>
          <p>This cannot be undone. Download their data first if they asked for a copy.</p>
          <Form method="post" className="stack" {...getFormProps(form)}>
            <FormError errors={form.errors} />
            <TextField
              label="Type their email address to confirm"
              field={fields.confirm}
              hint={`Their email is ${person.email}.`}
              autoComplete="off"
            />
            <div>
              <button className="danger" type="submit">
                Erase {person.name}
              </button>
            </div>
          </Form>
        </section>
      )}
    </>
  )
}
