/** The questionnaire's content from the loaded framework, and parsing its answers. */
import { parseAnswerForm } from '~/domain/assessment/answers'
import { toScoringFramework } from '~/domain/assessment/framework'
import type { QuestionnaireDomain, ScaleLevel } from '~/components/questionnaire'
import { getFramework } from '~/utils/content.server'

export function questionnaireContent(opts: { withAnchors: boolean }): {
  domains: QuestionnaireDomain[]
  scale: ScaleLevel[]
} {
  const fw = getFramework()
  return {
    scale: fw.scale,
    domains: fw.domains.map((d) => ({
      id: d.id,
      name: d.name,
      capabilities: d.capabilities.map((c) => ({
        id: c.id,
        name: c.name,
        anchors: opts.withAnchors ? c.levels : undefined,
        statements: c.behaviours.map((b) => ({ id: b.id, text: b.text })),
      })),
    })),
  }
}

/** Splits the intent off and parses the answers against the framework. */
export function parseQuestionnaireSubmission(formData: FormData) {
  const intent = formData.get('intent')
  const entries = [...formData.entries()].filter(([k]) => k !== 'intent')
  const parsed = parseAnswerForm(entries, toScoringFramework(getFramework()))
  return { intent: intent === 'submit' ? ('submit' as const) : intent === 'save' ? ('save' as const) : null, parsed }
}
