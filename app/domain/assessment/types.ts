/**
 * The vocabulary of 360 assessments, shared by scoring, confidentiality rules, models and pages.
 * Pure types and constants.
 */

export const relationships = ['manager', 'peer', 'direct_report', 'stakeholder'] as const
export type Relationship = (typeof relationships)[number]

export const relationshipLabels: Record<Relationship, { one: string; many: string }> = {
  manager: { one: 'Manager', many: 'Managers' },
  peer: { one: 'Peer', many: 'Peers' },
  direct_report: { one: 'Direct report', many: 'Direct reports' },
  stakeholder: { one: 'Stakeholder', many: 'Stakeholders' },
}

/**
 * The fewest responses a group needs before anything of it (score, comment, count) is shown.
 * Managers are attributable: one is enough, and raters are told so.
 */
export const groupMinimums: Record<Relationship, number> = { manager: 1, peer: 3, direct_report: 3, stakeholder: 3 }

/** Fewest non-manager responses any shown figure (or difference of two shown figures) may rest on. */
export const MIN_NON_MANAGER_RESPONSES = 3

/** How many raters of each relationship a candidate may nominate, and in all. */
export const nominationLimits: Record<Relationship, { min: number; max: number }> = {
  manager: { min: 1, max: 2 },
  peer: { min: 3, max: 8 },
  direct_report: { min: 0, max: 8 },
  stakeholder: { min: 0, max: 8 },
}
export const MAX_RATERS = 20

/** A score on the 5-level scale, or null for "Not observed / not applicable". */
export type Score = 1 | 2 | 3 | 4 | 5 | null

/** One submitted questionnaire: statement id -> score (missing = not answered). */
export type Answers = Record<string, Score>

export type RaterSubmission = {
  /** Opaque id, never shown; used only to count distinct raters. */
  raterKey: string
  relationship: Relationship
  answers: Answers
  /** Free-text comment per domain id (optional). */
  comments: Record<string, string>
}

/** What scoring needs to know of the framework: capabilities with their statements, in order. */
export type ScoringFramework = {
  domains: Array<{ id: string; name: string; capabilityIds: string[] }>
  capabilities: Array<{ id: string; name: string; domainId: string; statementIds: string[] }>
}
