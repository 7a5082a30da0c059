import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import { roles } from '~/domain/roles'
import { personSchema } from '~/domain/forms'
import { roleLabels } from '~/domain/navigation'
import { CheckboxGroup, FormError, SelectField, TextField } from './forms'

type Option = { value: string; label: string }

export type PersonFormDefaults = {
  name?: string
  email?: string
  roles?: string[]
  background?: string
  stage?: string
  mentorId?: string
  joinedOn?: string
  password?: string
}

/** Add or edit a person: identity, roles and — for candidates — background, stage, mentor and start date. */
export function PersonForm({
  id,
  withPassword,
  lastResult,
  defaultValue,
  backgrounds,
  stages,
  mentors,
  submitLabel,
  lockedStage,
}: {
  id: string
  withPassword: boolean
  lastResult: SubmissionResult<string[]> | undefined
  defaultValue?: PersonFormDefaults
  backgrounds: Option[]
  stages: Option[]
  mentors: Option[]
  submitLabel: string
  /** An existing candidate's stage: shown, sent back unchanged, never edited here (it changes only through the program). */
  lockedStage?: Option
}) {
  const schema = personSchema({ withPassword })
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormError errors={form.errors} />
      <TextField label="Full name" field={fields.name} autoComplete="off" />
      <TextField label="Email" field={fields.email} type="email" autoComplete="off" />
      {withPassword ? (
        <TextField
          label="Initial password"
          field={fields.password}
          type="password"
          autoComplete="new-password"
          hint="12 to 128 characters, not a common password. Give it to the person privately; they can change it under their name."
        />
      ) : null}
      <CheckboxGroup
        legend="Roles"
        field={fields.roles}
        options={roles.map((r) => ({ value: r, label: roleLabels[r] }))}
      />
      <fieldset>
        <legend>Candidate details</legend>
        <p className="field-hint">Needed when the person holds the Candidate role.</p>
        <div className="stack" style={{ display: 'grid', gap: '0.75rem' }}>
          <SelectField
            label="Background"
            field={fields.background}
            options={backgrounds}
            placeholder="Choose a background"
          />
          {lockedStage ? (
            <div className="field">
              <input type="hidden" name={fields.stage.name} value={lockedStage.value} />
              <span>Program stage: {lockedStage.label}</span>
              <p className="field-hint">
                The stage changes only through the development program (enrollment and the stage gate).
              </p>
            </div>
          ) : (
            <SelectField label="Program stage" field={fields.stage} options={stages} placeholder="Choose a stage" />
          )}
          <SelectField label="Assigned mentor" field={fields.mentorId} options={mentors} placeholder="No mentor yet" />
          <TextField label="Joined the program on" field={fields.joinedOn} type="date" />
        </div>
      </fieldset>
      <div>
        <button className="primary" type="submit">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}
