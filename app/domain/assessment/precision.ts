/**
 * How a 360 figure is shipped: the value a person sees, and nothing finer (decision 0016).
 *
 * Every figure is rounded to one decimal, as displayed. A block of raters' mean at the ends of the
 * scale is also coded as "at least 4.8" or "at most 1.2" (top- and bottom-coding, as statistical
 * agencies do): without it a mean of 4.9 from three raters says that two gave the top score and
 * one a step below, which is exactly what a solver over the shown figures recovers. With it, every
 * coded value of a block of three or more non-manager raters is consistent with at least two
 * different sets of scores (checked exhaustively in tests/unit/precision.test.ts), even when every
 * rater gave the same extreme score.
 *
 * Pure: integer tenths internally, so binary floating point never decides a rounding.
 */

/** Decimals shown, and so shipped, for every 360 figure. */
export const SHOWN_DECIMALS = 1
/** A block mean at or above this (4.75, which rounds to 4.8) is shown as "at least 4.8". */
export const TOP_CODE_TENTHS = 48
/** A block mean below this (1.25, which rounds to 1.3) is shown as "at most 1.2". */
export const BOTTOM_CODE_TENTHS = 12

export type Censored = 'above' | 'below' | null

/** A shipped figure: `value` at one decimal; `censored` says it is a bound ("at least"/"at most"). */
export type CodedValue = { value: number; censored: Censored }

/**
 * Tenths, rounded half up. Means are ratios of small integers, so the slack absorbs only binary
 * error (e.g. 4.35 stored as 4.3499999…) and never a real difference.
 */
export function toTenths(x: number): number {
  return Math.floor(x * 10 + 0.5 + 1e-9)
}

/** A value rounded to the one decimal shown (for self-ratings, differences and targets). */
export function roundShown(x: number): number {
  return toTenths(x) / 10
}

/**
 * The coded mean of a block of raters. Managers are attributable (they are told so), so their mean
 * is only rounded; every other block is also top- and bottom-coded.
 */
export function codeMean(mean: number, attributable = false): CodedValue {
  const tenths = toTenths(mean)
  if (!attributable && tenths >= TOP_CODE_TENTHS) return { value: TOP_CODE_TENTHS / 10, censored: 'above' }
  if (!attributable && tenths <= BOTTOM_CODE_TENTHS) return { value: BOTTOM_CODE_TENTHS / 10, censored: 'below' }
  return { value: tenths / 10, censored: null }
}

/** How a coded figure reads: "4.3", "≥ 4.8", "≤ 1.2". */
export function formatCoded(figure: { value: number; censored?: Censored } | null | undefined): string {
  if (!figure) return '—'
  const text = figure.value.toFixed(SHOWN_DECIMALS)
  return figure.censored === 'above' ? `≥ ${text}` : figure.censored === 'below' ? `≤ ${text}` : text
}
