import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { FormError, PlainSelect } from '~/components/forms'
import { hasPermission } from '~/domain/permissions'
import type { User } from '~/models/people.server'
import { listCycleCandidates, openCycles } from '~/models/assessments.server'
import { RuleError } from '~/domain/errors'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'
import { LARGE_FORM_FIELD_LIMIT, readForm } from '~/utils/forms.server'
import { idField } from '~/domain/forms'

export const meta: MetaFunction = () => [{ title: 'Open 360 cycles · STO Pathway' }]

/** HR opens cycles for anyone; a mentor only for their own mentees. */
function openerScope(user: User): { onlyMenteesOf?: number } {
  if (hasPermission(user, 'create:cycle:any')) return {}
  if (hasPermission(user, 'create:cycle:mentee')) return { onlyMenteesOf: user.id }
  throw forbidden()
}

const filterSchema = z.object({
  stage: z.string().max(64).optional().catch(undefined),
  background: z.string().max(64).optional().catch(undefined),
})

const today = () => new Date().toISOString().slice(0, 10)
const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const openSchema = z.object({
  candidateIds: z
    .array(idField('Unknown candidate.'), { error: 'Choose at least one candidate.' })
    .min(1, 'Choose at least one candidate.')
    .max(5000),
  dueOn: z
    .string({ error: 'Enter a due date.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD.')
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      'Enter a real date.',
    )
    .refine((s) => s > today(), 'The due date must be after today.')
    .refine((s) => s <= addDays(today(), 365), 'The due date must be within a year.'),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const scope = openerScope(user)
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const fw = getFramework()
  const stage = fw.stages.some((s) => s.id === filter.stage) ? filter.stage : undefined
  const background = fw.backgrounds.some((b) => b.id === filter.background) ? filter.background : undefined
  const candidates = listCycleCandidates(getDb(), { mentorId: scope.onlyMenteesOf, stage, background }).map((c) => ({
    id: c.id,
    name: c.name,
    stage: stageName(c.stage),
    background: backgroundName(c.background),
    openCycleId: c.openCycleId,
    openCycleDue: c.openCycleDue,
  }))
  return {
    candidates,
    filter: { stage: stage ?? '', background: background ?? '' },
    stages: fw.stages.map((s) => ({ value: s.id, label: s.name })),
    backgrounds: fw.backgrounds.map((b) => ({ value: b.id, label: b.name })),
    defaultDue: addDays(today(), 21),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const scope = openerScope(user)
  // One field per ticked candidate: more than the default field limit is legitimate here.
  const formData = await readForm(request, { maxFields: LARGE_FORM_FIELD_LIMIT })
  const parsed = openSchema.safeParse({
    candidateIds: formData.getAll('candidateIds'),
    dueOn: formData.get('dueOn') ?? undefined,
  })
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors
    return data(
      { errors: { candidateIds: errors.candidateIds?.[0] ?? null, dueOn: errors.dueOn?.[0] ?? null, form: null } },
      { status: 400 },
    )
  }
  try {
    const ids = transaction((tx) =>
      openCycles(tx, user.id, { ...parsed.data, onlyMenteesOf: scope.onlyMenteesOf }, getFramework()),
    )
    throw redirect(ids.length === 1 ? `/cycles/${ids[0]}?opened=1` : `/cycles?opened=${ids.length}`)
  } catch (error) {
    if (error instanceof RuleError)
      return data({ errors: { candidateIds: null, dueOn: null, form: error.message } }, { status: error.status })
    throw error
  }
}

export default function OpenCyclesPage() {
  const { candidates, filter, stages, backgrounds, defaultDue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors = actionData?.errors
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/cycles">360 cycles</Link> › Open cycles
      </nav>
      <h1>Open 360 cycles</h1>
      <p>
        Choose one or more candidates. Each gets their own cycle: they self-assess and nominate raters, the mentor
        approves the raters, and invitations go out.
      </p>
      <Form
        method="get"
        className="card no-print"
        style={{ display: 'flex', gap: '1rem', alignItems: 'end', flexWrap: 'wrap' }}
      >
        <PlainSelect
          id="filter-stage"
          name="stage"
          label="Stage"
          options={stages}
          defaultValue={filter.stage}
          emptyLabel="All stages"
        />
        <PlainSelect
          id="filter-background"
          name="background"
          label="Background"
          options={backgrounds}
          defaultValue={filter.background}
          emptyLabel="All backgrounds"
        />
        <button className="secondary" type="submit">
          Show candidates
        </button>
      </Form>
      <Form method="post" className="stack" style={{ maxWidth: 'none' }}>
        <FormError errors={errors?.form ? [errors.form] : undefined} />
        <fieldset aria-describedby={errors?.candidateIds ? 'candidateIds-error' : undefined}>
          <legend>Candidates ({candidates.length} shown; those without an open cycle are ticked)</legend>
          {candidates.length === 0 ? <p>No active candidates match.</p> : null}
          <div style={{ display: 'grid', gap: '0.35rem' }}>
            {candidates.map((c) => (
              <label key={c.id}>
                <input type="checkbox" name="candidateIds" value={c.id} defaultChecked={c.openCycleId === null} />{' '}
                {c.name}{' '}
                <span className="muted">
                  — {c.stage}, {c.background}
                  {c.openCycleId !== null ? ` · open cycle due ${c.openCycleDue}` : ''}
                </span>
              </label>
            ))}
          </div>
          {errors?.candidateIds ? (
            <p id="candidateIds-error" className="field-error">
              {errors.candidateIds}
            </p>
          ) : null}
        </fieldset>
        <div className="field" style={{ maxWidth: '16rem' }}>
          <label htmlFor="dueOn">Due date</label>
          <input
            id="dueOn"
            name="dueOn"
            type="date"
            defaultValue={defaultDue}
            required
            aria-invalid={errors?.dueOn ? true : undefined}
            aria-describedby={errors?.dueOn ? 'dueOn-error' : undefined}
          />
          {errors?.dueOn ? (
            <p id="dueOn-error" className="field-error">
              {errors.dueOn}
            </p>
          ) : null}
        </div>
        <div>
          <button className="primary" type="submit" disabled={navigation.state === 'submitting'}>
            Open cycles
          </button>
        </div>
      </Form>
    </>
  )
}
