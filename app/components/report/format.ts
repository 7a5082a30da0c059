/** How the report writes its figures. */
/** A figure at the one decimal the report holds, or a dash. */
export const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1))
/** A difference with its sign, or a dash. */
export const signed = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v > 0 ? `+${v.toFixed(1)}` : v.toFixed(1)
