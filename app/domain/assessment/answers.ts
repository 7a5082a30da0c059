/**
 * Parsing questionnaire answers from a form, pure. Field names: `s:<statement id>` with "1".."5"
 * or "na" (not observed); `c:<domain id>` for comments. Unknown statement ids and out-of-range
 * scores are errors, never silently dropped.
 */
import type { Answers, Score, ScoringFramework } from './types'

export const COMMENT_MAX = 2000

export type ParsedAnswers = { answers: Answers; comments: Record<string, string>; unanswered: string[] }

export function parseAnswerForm(
  entries: Iterable<[string, FormDataEntryValue]>,
  framework: ScoringFramework,
): { ok: true; value: ParsedAnswers } | { ok: false; errors: string[] } {
  const statements = new Set(framework.capabilities.flatMap((c) => c.statementIds))
  const domains = new Set(framework.domains.map((d) => d.id))
  const answers: Answers = {}
  const comments: Record<string, string> = {}
  const errors: string[] = []
  const seen = new Set<string>()
  for (const [name, raw] of entries) {
    if (typeof raw !== 'string') {
      errors.push(`${name}: files are not accepted here.`)
      continue
    }
    if (name.startsWith('s:')) {
      const id = name.slice(2)
      if (!statements.has(id)) {
        errors.push(`Unknown statement "${id.slice(0, 80)}".`)
        continue
      }
      if (seen.has(name)) {
        errors.push(`Statement "${id}" was answered twice.`)
        continue
      }
      seen.add(name)
      if (raw === '') continue
      if (raw === 'na') answers[id] = null
      else if (/^[1-5]$/.test(raw)) answers[id] = Number(raw) as Exclude<Score, null>
      else errors.push(`Statement "${id}": a score is 1 to 5 or "not observed" (got "${raw.slice(0, 20)}").`)
    } else if (name.startsWith('c:')) {
      const id = name.slice(2)
      if (!domains.has(id)) {
        errors.push(`Unknown domain "${id.slice(0, 80)}".`)
        continue
      }
      const text = raw.trim()
      if (text.length > COMMENT_MAX) errors.push(`A comment has at most ${COMMENT_MAX} characters.`)
      else if (text) comments[id] = text
    }
  }
  if (errors.length > 0) return { ok: false, errors }
  const unanswered = [...statements].filter((id) => !(id in answers))
  return { ok: true, value: { answers, comments, unanswered } }
}
