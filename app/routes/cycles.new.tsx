import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { ErrorList, FormError, PlainSelect, fieldErrorsOf, formErrorsOf } from '~/components/forms'
import { hasPermission } from '~/domain/permissions'
import type { User } from '~/models/people.server'
import { listCycleCandidates, openCycles } from '~/models/assessments.server'
import { requireUser } from '~/utils/auth.server'
import { getFramework } from '~/utils/content.server'
import { getDb } from '~/utils/db.server'
import { backgroundName, stageName } from '~/utils/labels.server'
import { forbidden } from '~/utils/permissions.server'
import { LARGE_FORM_FIELD_LIMIT } from '~/utils/forms.server'
import { formAction } from '~/utils/actions.server'
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

const isId = idField('Unknown candidate.')

const openSchema = z.object({
  // Checked as a whole (not item by item), so the message stands beside the one candidate list.
  candidateIds: z
    .array(z.string(), { error: 'Choose at least one candidate.' })
    .min(1, 'Choose at least one candidate.')
    .max(5000)
    .refine((ids) => ids.every((id) => isId.safeParse(id).success), 'Unknown candidate.')
    .transform((ids) => ids.map(Number)),
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
  return formAction(request, {
    schema: openSchema,
    // One field per ticked candidate: more than the default field limit is legitimate here.
    maxFields: LARGE_FORM_FIELD_LIMIT,
    run: (input, tx) =>
      openCycles(
        tx,
        user.id,
        { candidateIds: input.candidateIds, dueOn: input.dueOn, onlyMenteesOf: scope.onlyMenteesOf },
        getFramework(),
      ),
    done: (ids) => ({
      redirectTo: ids.length === 1 ? `/cycles/${ids[0]}?opened=1` : `/cycles?opened=${ids.length}`,
      notice: null,
    }),
  })
}

export default function OpenCyclesPage() {
  const { candidates, filter, stages, backgrounds, defaultDue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors = {
    form: formErrorsOf(actionData, ''),
    candidateIds: fieldErrorsOf(actionData, '', 'candidateIds'),
    dueOn: fieldErrorsOf(actionData, '', 'dueOn'),
  }
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
        <FormError errors={errors.form} />
        <fieldset aria-describedby={errors.candidateIds ? 'candidateIds-error' : undefined}>
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
          {/* An alert: a refused batch (e.g. a candidate who already has an open cycle) is told here, beside the list. */}
          {errors.candidateIds ? (
            <p id="candidateIds-error" className="field-error" role="alert">
              {errors.candidateIds.join(' ')}
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
            aria-invalid={errors.dueOn ? true : undefined}
            aria-describedby={errors.dueOn ? 'dueOn-error' : undefined}
          />
          <ErrorList id="dueOn-error" errors={errors.dueOn} />
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
