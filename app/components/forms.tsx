/** Labelled form controls wired to conform's field metadata: every input has a label and its errors. */
import { getInputProps, getSelectProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | undefined }) {
  if (!errors?.length) return null
  return (
    <div id={id}>
      {errors.map((e) => (
        <p key={e} className="field-error">
          {e}
        </p>
      ))}
    </div>
  )
}

export function FormError({ errors }: { errors?: string[] | undefined }) {
  if (!errors?.length) return null
  return (
    <div className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e} style={{ margin: 0 }}>
          {e}
        </p>
      ))}
    </div>
  )
}

type InputType = 'text' | 'email' | 'password' | 'date'

export function TextField({
  label,
  field,
  type = 'text',
  hint,
  autoComplete,
}: {
  label: string
  field: FieldMetadata<string | undefined>
  type?: InputType
  hint?: string
  autoComplete?: string
}) {
  const hintId = hint ? `${field.id}-hint` : undefined
  const props = getInputProps(field, { type, ariaDescribedBy: hintId })
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      ) : null}
      <input {...props} key={props.key} autoComplete={autoComplete} />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function SelectField({
  label,
  field,
  options,
  placeholder,
}: {
  label: string
  field: FieldMetadata<string | undefined>
  options: Array<{ value: string; label: string }>
  placeholder?: string
}) {
  const props = getSelectProps(field)
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select {...props} key={props.key}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function CheckboxGroup({
  legend,
  field,
  options,
  children,
}: {
  legend: string
  field: FieldMetadata<string[] | undefined>
  options: Array<{ value: string; label: string }>
  children?: ReactNode
}) {
  const selected = new Set(
    Array.isArray(field.initialValue) ? field.initialValue : field.initialValue ? [field.initialValue] : [],
  )
  return (
    <fieldset
      aria-describedby={field.errors?.length ? field.errorId : undefined}
      aria-invalid={field.errors?.length ? true : undefined}
    >
      <legend>{legend}</legend>
      {children}
      <div className="checks">
        {options.map((o) => (
          <label key={o.value}>
            <input type="checkbox" name={field.name} value={o.value} defaultChecked={selected.has(o.value)} /> {o.label}
          </label>
        ))}
      </div>
      <ErrorList id={field.errorId} errors={field.errors} />
    </fieldset>
  )
}

/** A labelled plain select (filters and simple forms) with an optional "all"/empty first option. */
export function PlainSelect({
  id,
  name,
  label,
  options,
  defaultValue,
  emptyLabel,
}: {
  id: string
  name: string
  label: string
  options: Array<{ value: string; label: string }>
  defaultValue?: string
  emptyLabel?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue ?? ''}>
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The shape every action answers with (app/utils/actions.server.ts): the form's intent and conform's reply. */
type Reply = { intent: string; target?: string; result: { error?: Record<string, string[] | null> | null } } | undefined

/** The form-level messages of the reply to one of `intents` (a refused rule without a field, or the whole form). */
export function formErrorsOf(reply: Reply, ...intents: string[]): string[] | undefined {
  if (!reply || !intents.includes(reply.intent)) return undefined
  return reply.result.error?.[''] ?? undefined
}

/** The message beside `field` in the reply to `intent`. */
export function fieldErrorsOf(reply: Reply, intent: string, field: string): string[] | undefined {
  if (!reply || reply.intent !== intent) return undefined
  return reply.result.error?.[field] ?? undefined
}

/**
 * Every message of the reply to one of `intents`, form-level first: for a compact form that shows
 * its messages together above its fields.
 */
export function allErrorsOf(reply: Reply, ...intents: string[]): string[] | undefined {
  if (!reply || !intents.includes(reply.intent)) return undefined
  const all = Object.entries(reply.result.error ?? {})
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : 0))
    .flatMap(([, messages]) => messages ?? [])
  return all.length ? all : undefined
}

/** Every message of the reply to one of `intents` about the record `target` (one row of several same-intent forms). */
export function targetErrorsOf(reply: Reply, target: string, ...intents: string[]): string[] | undefined {
  if (!reply || reply.target !== target) return undefined
  return allErrorsOf(reply, ...intents)
}
