/** Server side of the person form: options from content and the database, and the checked input. */
import type { z } from 'zod'
import type { personSchema } from '~/domain/forms'
import { listActiveMentors, type CandidateProfileInput } from '~/models/people.server'
import { findBackground, findStage, getFramework } from './content.server'
import type { Db } from './db.server'

export function personFormOptions(db: Db) {
  const fw = getFramework()
  return {
    backgrounds: fw.backgrounds.map((b) => ({ value: b.id, label: b.name })),
    stages: fw.stages.map((s) => ({ value: s.id, label: s.name })),
    mentors: listActiveMentors(db).map((m) => ({ value: String(m.id), label: m.name })),
  }
}

type PersonValue = z.infer<ReturnType<typeof personSchema>>

/** Content ids must exist in the loaded framework; returns field errors or the profile to store. */
export function candidateInput(
  value: PersonValue,
): { errors: Record<string, string[]> } | { candidate: CandidateProfileInput | null } {
  if (!value.roles.includes('candidate')) return { candidate: null }
  const errors: Record<string, string[]> = {}
  if (!value.background || !findBackground(value.background))
    errors.background = ['Choose one of the listed backgrounds.']
  if (!value.stage || !findStage(value.stage)) errors.stage = ['Choose one of the listed stages.']
  if (Object.keys(errors).length > 0 || !value.background || !value.stage || !value.joinedOn) return { errors }
  return {
    candidate: {
      background: value.background,
      stage: value.stage,
      mentorId: value.mentorId ?? null,
      joinedOn: value.joinedOn,
    },
  }
}
