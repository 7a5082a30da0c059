/**
 * The 360 questionnaire, shared by the self-assessment and the rater form: one radio group per
 * behaviour statement (1–5 or "Not observed"), a comment per domain, a progress bar, and a draft
 * saved on the server as the person goes (and by the "Save draft" button without JavaScript).
 * No form library here: this page must stay light for raters on any device.
 */
import { useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { ScaleLevels } from './scale-levels'

export type QuestionnaireDomain = {
  id: string
  name: string
  capabilities: Array<{
    id: string
    name: string
    anchors?: Array<{ level: number; anchor: string }>
    statements: Array<{ id: string; text: string }>
  }>
}

export type ScaleLevel = { level: number; name: string; description: string }

type Answers = Record<string, number | null>

const AUTOSAVE_DELAY_MS = 800

export function Questionnaire({
  domains,
  scale,
  answers,
  comments,
  readOnly,
  commentHint,
  submitLabel,
}: {
  domains: QuestionnaireDomain[]
  scale: ScaleLevel[]
  answers: Answers
  comments: Record<string, string>
  readOnly: boolean
  commentHint: string
  submitLabel: string
}) {
  const fetcher = useFetcher<{ ok: boolean; savedAt?: string; message?: string }>()
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const total = domains.reduce((n, d) => n + d.capabilities.reduce((m, c) => m + c.statements.length, 0), 0)
  const [answered, setAnswered] = useState(() => Object.keys(answers).length)
  const [dirty, setDirty] = useState(false)

  useEffect(() => () => clearTimeout(timer.current), [])

  function onChange(event: FormEvent<HTMLFormElement>) {
    if (readOnly) return
    const form = event.currentTarget
    const data = new FormData(form)
    setAnswered([...data.keys()].filter((k) => k.startsWith('s:')).length)
    setDirty(true)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      const draft = new FormData(form)
      draft.set('intent', 'save')
      fetcher.submit(draft, { method: 'post' })
      setDirty(false)
    }, AUTOSAVE_DELAY_MS)
  }

  const saving = fetcher.state !== 'idle'
  const status = saving
    ? 'Saving…'
    : fetcher.data?.ok === false
      ? (fetcher.data.message ?? 'Could not save. Check your connection; your answers are still on this page.')
      : dirty
        ? 'Unsaved changes'
        : fetcher.data?.savedAt
          ? `Draft saved at ${new Date(fetcher.data.savedAt).toLocaleTimeString()}`
          : ''

  return (
    <form method="post" ref={formRef} onChange={onChange} className="questionnaire" noValidate>
      <div className="progress-bar" aria-live="polite">
        <label htmlFor="questionnaire-progress">
          {answered} of {total} statements answered
        </label>
        <progress id="questionnaire-progress" max={total} value={answered} />
        <span className="save-status" role="status">
          {status}
        </span>
      </div>

      <details className="card scale-help">
        <summary>What the levels mean</summary>
        <ScaleLevels scale={scale} />
      </details>

      {domains.map((domain) => (
        <section key={domain.id} className="card" aria-labelledby={`q-${domain.id}`}>
          <h2 id={`q-${domain.id}`}>{domain.name}</h2>
          {domain.capabilities.map((cap) => (
            <div key={cap.id} className="capability-block">
              <h3>{cap.name}</h3>
              {cap.anchors ? (
                <details>
                  <summary>Level descriptions for {cap.name}</summary>
                  <ol className="levels">
                    {cap.anchors.map((a) => (
                      <li key={a.level}>
                        <span className="level-name">{scale.find((l) => l.level === a.level)?.name ?? a.level}</span>
                        <span>{a.anchor}</span>
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
              {cap.statements.map((s) => (
                <RatingScale
                  key={s.id}
                  statementId={s.id}
                  text={s.text}
                  scale={scale}
                  value={answers[s.id]}
                  readOnly={readOnly}
                />
              ))}
            </div>
          ))}
          <div className="field">
            <label htmlFor={`c-${domain.id}`}>Comment on {domain.name} (optional)</label>
            <span className="field-hint" id={`c-${domain.id}-hint`}>
              {commentHint}
            </span>
            <textarea
              id={`c-${domain.id}`}
              name={`c:${domain.id}`}
              rows={3}
              maxLength={2000}
              defaultValue={comments[domain.id] ?? ''}
              readOnly={readOnly}
              aria-describedby={`c-${domain.id}-hint`}
            />
          </div>
        </section>
      ))}

      {readOnly ? null : (
        <div className="questionnaire-actions">
          <button className="secondary" type="submit" name="intent" value="save">
            Save draft
          </button>
          <button className="primary" type="submit" name="intent" value="submit">
            {submitLabel}
          </button>
        </div>
      )}
    </form>
  )
}

/** A keyboard-operable rating scale: native radios in a fieldset (arrow keys move between levels). */
function RatingScale({
  statementId,
  text,
  scale,
  value,
  readOnly,
}: {
  statementId: string
  text: string
  scale: ScaleLevel[]
  value: number | null | undefined
  readOnly: boolean
}) {
  const name = `s:${statementId}`
  const idBase = `s-${statementId.replace(/[^a-z0-9-]/gi, '-')}`
  return (
    <fieldset className="rating" disabled={readOnly}>
      <legend>{text}</legend>
      <div className="rating-options">
        {scale.map((l) => (
          <label key={l.level} htmlFor={`${idBase}-${l.level}`}>
            <input
              type="radio"
              id={`${idBase}-${l.level}`}
              name={name}
              value={String(l.level)}
              defaultChecked={value === l.level}
            />
            <span>
              {l.level} <span className="rating-name">{l.name}</span>
            </span>
          </label>
        ))}
        <label htmlFor={`${idBase}-na`} className="rating-na">
          <input type="radio" id={`${idBase}-na`} name={name} value="na" defaultChecked={value === null} />
          <span>Not observed</span>
        </label>
      </div>
    </fieldset>
  )
}
