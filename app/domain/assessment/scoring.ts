/**
 * Scoring and confidentiality of a 360 assessment report. Pure: no I/O.
 *
 * Confidentiality rests on one idea. For each capability, every shown figure is a union of
 * "blocks": a shown group (managers: any size, since they are attributable; any other group:
 * at least MIN_NON_MANAGER_RESPONSES raters) or the pool of all hidden non-manager raters, which
 * is used only when it is itself that large. Blocks are disjoint, so any figure, and the
 * difference of any two figures of the same capability, rests on either no non-manager response
 * or at least MIN_NON_MANAGER_RESPONSES of them. Domain figures are means of shown capability
 * figures, so they reveal nothing new.
 *
 * Precision (decision 0016): each block's mean is coded once (one decimal; non-manager blocks also
 * top- and bottom-coded, see precision.ts), and every other figure (all others, gaps, domains,
 * flags, orderings) is computed from the coded block values only, never from raw scores. So no
 * combination of shown figures says more about a block than its coded value does.
 *
 * The Report holds no rater keys and no per-rater data: it is frozen into the database at cycle
 * close and sent to report pages. Which raters a figure rests on is returned separately
 * (Provenance) so tests can check the rules above.
 */
import {
  groupMinimums,
  MIN_NON_MANAGER_RESPONSES,
  relationships,
  type Answers,
  type RaterSubmission,
  type Relationship,
  type ScoringFramework,
} from '~/domain/assessment/types'
import { codeMean, roundShown, toTenths, type Censored } from '~/domain/assessment/precision'
import { hashString, mulberry32 } from '~/domain/random'

/** Self minus others at or beyond this (either way) flags a blind spot or a hidden strength. */
export const BLIND_SPOT_THRESHOLD = 1.0
/** Marks a report computed under decision 0016's precision rules (older frozen reports lack it). */
export const REPORT_PRECISION = 'coded-1dp' as const

/** Everything a report is computed from; `targets` is capability id -> target level. */
export type ReportInput = {
  framework: ScoringFramework
  /** The candidate's own answers; null when they did not submit. */
  self: Answers | null
  /** Submitted questionnaires only; each raterKey at most once. */
  raters: RaterSubmission[]
  targets: Record<string, number> | null
  /** How far below a target the others' mean may be and still count as met. */
  tolerance: number
  /** Seeds the comment order, so it is random (not by rater) yet the same on every view. */
  commentSeed: string
}

/**
 * A shown mean and the number of raters it rests on. `mean` is the coded value (one decimal);
 * `censored` marks a bound: "above" reads "at least", "below" "at most".
 */
export type Figure = { mean: number; n: number; censored: Censored }

export type CapabilityResult = {
  capabilityId: string
  domainId: string
  name: string
  self: number | null
  /** null: the group is under its minimum for this capability and shows nothing. */
  groups: Record<Relationship, Figure | null>
  /** Shown groups, plus the pool of hidden non-manager raters when that pool is large enough. */
  allOthers: Figure | null
  target: number | null
  gap: number | null
  meetsTarget: boolean | null
  /** rated: raters in allOthers; notObserved: raters of shown groups who did not count. */
  coverage: { rated: number; of: number; notObserved: number }
  selfMinusOthers: number | null
  flag: 'blind-spot' | 'hidden-strength' | null
}

/** Domain figures are means of shown capability figures only, so they reveal nothing new. */
export type DomainResult = {
  domainId: string
  name: string
  self: number | null
  groups: Record<Relationship, number | null>
  allOthers: number | null
  target: number | null
}

/** The whole report: JSON-serialisable, no rater keys, no per-rater data. */
export type Report = {
  precision: typeof REPORT_PRECISION
  capabilities: CapabilityResult[]
  domains: DomainResult[]
  groupsShown: Record<Relationship, { shown: boolean; responses: number | null }>
  comments: Array<{ relationship: Relationship; domainId: string; text: string }>
  strongest: string[]
  weakest: string[]
  blindSpots: string[]
  hiddenStrengths: string[]
  largestGaps: string[]
}

/** Which rater keys each shown capability-level number rests on. For tests only; never stored or sent to a page. */
export type Provenance = Array<{
  capabilityId: string
  figure: string /* e.g. 'group:peer', 'allOthers' */
  raterKeys: string[]
}>

/**
 * A rater's score for one capability: the mean of the statements they scored, or null when they
 * scored (non-null) fewer than half of its statements. "Not observed" (null) and unanswered
 * statements are left out of the mean. The same rule applies to the candidate's self-rating.
 */
export function raterCapabilityScore(answers: Answers, statementIds: string[]): number | null {
  let sum = 0
  let answered = 0
  for (const id of statementIds) {
    const score = Object.hasOwn(answers, id) ? answers[id] : undefined
    if (typeof score === 'number') {
      sum += score
      answered += 1
    }
  }
  if (answered === 0 || answered * 2 < statementIds.length) return null
  return sum / answered
}

/**
 * Fewest counted raters for a group to be shown. Non-manager groups never go below
 * MIN_NON_MANAGER_RESPONSES even if groupMinimums were lowered, since the guarantee rests on it.
 */
function minimumOf(g: Relationship): number {
  return g === 'manager' ? groupMinimums.manager : Math.max(groupMinimums[g], MIN_NON_MANAGER_RESPONSES)
}

function mean(values: number[]): number | null {
  if (values.length === 0) return null
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

function perRelationship<T>(make: (g: Relationship) => T): Record<Relationship, T> {
  return {
    manager: make('manager'),
    peer: make('peer'),
    direct_report: make('direct_report'),
    stakeholder: make('stakeholder'),
  }
}

type Counted = { raterKey: string; score: number }

/** A block's figure: its raw mean, coded once. Nothing else about the block leaves this function. */
function blockFigure(counted: Counted[], attributable: boolean): Figure | null {
  const m = mean(counted.map((c) => c.score))
  if (m === null) return null
  const coded = codeMean(m, attributable)
  return { mean: coded.value, n: counted.length, censored: coded.censored }
}

/** The n-weighted mean of coded block figures, coded again: a function of shown values only. */
function combinedFigure(blocks: Figure[]): Figure | null {
  const n = blocks.reduce((sum, b) => sum + b.n, 0)
  if (n === 0) return null
  const coded = codeMean(blocks.reduce((sum, b) => sum + b.mean * b.n, 0) / n)
  return { mean: coded.value, n, censored: coded.censored }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Capability ids ordered by `key` (then framework order), at most `limit` of them. */
function topBy(
  results: CapabilityResult[],
  key: (r: CapabilityResult) => number | null,
  direction: 1 | -1,
  limit: number,
): string[] {
  return results
    .map((r, index) => ({ id: r.capabilityId, value: key(r), index }))
    .filter((x): x is { id: string; value: number; index: number } => x.value !== null)
    .sort((a, b) => direction * (a.value - b.value) || a.index - b.index)
    .slice(0, limit)
    .map((x) => x.id)
}

/**
 * The report, and which raters each shown capability-level number rests on (for tests).
 * Throws on a repeated raterKey or an unknown relationship: either would break the counts that
 * confidentiality depends on.
 */
export function computeReportWithProvenance(input: ReportInput): { report: Report; provenance: Provenance } {
  const { framework, raters } = input
  const seen = new Set<string>()
  for (const r of raters) {
    if (seen.has(r.raterKey)) throw new Error('computeReport: a rater key appears more than once')
    if (!relationships.includes(r.relationship)) throw new Error('computeReport: unknown relationship')
    seen.add(r.raterKey)
  }

  const submitted = perRelationship((g) => raters.filter((r) => r.relationship === g).length)
  const shownInReport = perRelationship((g) => submitted[g] >= minimumOf(g))
  const provenance: Provenance = []

  const capabilities: CapabilityResult[] = framework.capabilities.map((cap) => {
    const counted = perRelationship<Counted[]>(() => [])
    for (const r of raters) {
      const score = raterCapabilityScore(r.answers, cap.statementIds)
      if (score !== null) counted[r.relationship].push({ raterKey: r.raterKey, score })
    }
    const shown = perRelationship((g) => counted[g].length >= minimumOf(g))
    const groups = perRelationship((g) => (shown[g] ? blockFigure(counted[g], g === 'manager') : null))

    // Hidden non-manager raters are pooled, and the pool is used only when it is large enough.
    // Managers are never pooled: with a minimum of 1 their group is shown whenever one counts.
    const pool = relationships.filter((g) => g !== 'manager' && !shown[g]).flatMap((g) => counted[g])
    const poolFigure = pool.length >= MIN_NON_MANAGER_RESPONSES ? blockFigure(pool, false) : null
    const othersSet = [...relationships.filter((g) => shown[g]).flatMap((g) => counted[g]), ...(poolFigure ? pool : [])]
    const allOthers = combinedFigure([
      ...relationships.flatMap((g) => groups[g] ?? []),
      ...(poolFigure ? [poolFigure] : []),
    ])

    const target =
      input.targets !== null && Object.hasOwn(input.targets, cap.id) ? (input.targets[cap.id] ?? null) : null
    const gap = allOthers !== null && target !== null ? roundShown(allOthers.mean - target) : null
    // Compared in whole tenths of the shown figures, so float error never decides.
    const meetsTarget =
      allOthers !== null && target !== null ? toTenths(allOthers.mean) >= toTenths(target - input.tolerance) : null

    const rated = allOthers?.n ?? 0
    let notObserved = 0
    for (const g of relationships) if (shown[g]) notObserved += submitted[g] - counted[g].length

    const rawSelf = input.self === null ? null : raterCapabilityScore(input.self, cap.statementIds)
    const self = rawSelf === null ? null : roundShown(rawSelf)
    const selfMinusOthers = self !== null && allOthers !== null ? roundShown(self - allOthers.mean) : null
    const flag =
      selfMinusOthers === null
        ? null
        : toTenths(selfMinusOthers) >= toTenths(BLIND_SPOT_THRESHOLD)
          ? 'blind-spot'
          : toTenths(selfMinusOthers) <= -toTenths(BLIND_SPOT_THRESHOLD)
            ? 'hidden-strength'
            : null

    const othersKeys = othersSet.map((c) => c.raterKey)
    const record = (figure: string, keys: string[]) =>
      provenance.push({ capabilityId: cap.id, figure, raterKeys: keys })
    if (self !== null) record('self', [])
    for (const g of relationships)
      if (groups[g] !== null)
        record(
          `group:${g}`,
          counted[g].map((c) => c.raterKey),
        )
    if (allOthers !== null) record('allOthers', othersKeys)
    if (gap !== null) record('gap', othersKeys)
    if (selfMinusOthers !== null) record('selfMinusOthers', othersKeys)

    return {
      capabilityId: cap.id,
      domainId: cap.domainId,
      name: cap.name,
      self,
      groups,
      allOthers,
      target,
      gap,
      meetsTarget,
      coverage: { rated, of: rated + notObserved, notObserved },
      selfMinusOthers,
      flag,
    }
  })

  const byId = new Map(capabilities.map((c) => [c.capabilityId, c]))
  // Means of shown (coded) capability figures, rounded as shown.
  const meanOf = (values: Array<number | null | undefined>) => {
    const m = mean(values.filter((v): v is number => typeof v === 'number'))
    return m === null ? null : roundShown(m)
  }
  const domains: DomainResult[] = framework.domains.map((d) => {
    const caps = d.capabilityIds.flatMap((id) => byId.get(id) ?? [])
    return {
      domainId: d.id,
      name: d.name,
      self: meanOf(caps.map((c) => c.self)),
      groups: perRelationship((g) => meanOf(caps.map((c) => c.groups[g]?.mean))),
      allOthers: meanOf(caps.map((c) => c.allOthers?.mean)),
      target: meanOf(caps.map((c) => c.target)),
    }
  })

  const groupsShown = perRelationship((g) => ({
    shown: shownInReport[g],
    responses: shownInReport[g] ? submitted[g] : null,
  }))

  // Comments of shown groups, put in a content order first (so the input order of raters leaves
  // no trace), then shuffled by the seed.
  const domainIndex = new Map(framework.domains.map((d, i) => [d.id, i]))
  const comments: Report['comments'] = []
  for (const r of raters) {
    if (!shownInReport[r.relationship]) continue
    for (const d of framework.domains) {
      const raw = Object.hasOwn(r.comments, d.id) ? r.comments[d.id] : undefined
      const text = typeof raw === 'string' ? raw.trim() : ''
      if (text !== '') comments.push({ relationship: r.relationship, domainId: d.id, text })
    }
  }
  comments.sort(
    (a, b) =>
      (domainIndex.get(a.domainId) ?? 0) - (domainIndex.get(b.domainId) ?? 0) ||
      relationships.indexOf(a.relationship) - relationships.indexOf(b.relationship) ||
      compareStrings(a.text, b.text),
  )
  const random = mulberry32(hashString(input.commentSeed))
  for (let i = comments.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = comments[i]!
    comments[i] = comments[j]!
    comments[j] = swap
  }

  const report: Report = {
    precision: REPORT_PRECISION,
    capabilities,
    domains,
    groupsShown,
    comments,
    strongest: topBy(capabilities, (c) => c.allOthers?.mean ?? null, -1, 3),
    weakest: topBy(capabilities, (c) => c.allOthers?.mean ?? null, 1, 3),
    blindSpots: capabilities.filter((c) => c.flag === 'blind-spot').map((c) => c.capabilityId),
    hiddenStrengths: capabilities.filter((c) => c.flag === 'hidden-strength').map((c) => c.capabilityId),
    largestGaps: topBy(capabilities, (c) => (c.gap !== null && c.gap < 0 ? c.gap : null), 1, 3),
  }
  return { report, provenance }
}

/** The report alone: what is frozen at cycle close and shown on report pages. */
export function computeReport(input: ReportInput): Report {
  return computeReportWithProvenance(input).report
}
