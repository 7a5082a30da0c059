/**
 * Background gap analysis, pure: per background, capability and domain figures from the candidates'
 * latest closed 360s, suppressed below three candidates, and what each background needs most.
 */
import { suppressed } from './signals'

export type GapRow = {
  background: string
  capabilityId: string
  candidates: number
  othersMean: number | null
  gapMean: number | null
  gapCandidates: number
}
type Fw = {
  domains: Array<{ id: string; name: string; capabilities: Array<{ id: string; name: string }> }>
  backgrounds: Array<{ id: string; name: string; typicalGap: { capabilities: string[]; summary: string } }>
}

export type CapabilityCell = {
  capabilityId: string
  name: string
  candidates: number
  gapCandidates: number
  others: number | null
  gap: number | null
  typical: boolean
}

export function summarizeGaps(rows: GapRow[], fw: Fw) {
  return fw.backgrounds.map((b) => {
    const cells: CapabilityCell[] = fw.domains.flatMap((d) =>
      d.capabilities.map((c) => {
        const row = rows.find((r) => r.background === b.id && r.capabilityId === c.id)
        const n = row?.candidates ?? 0
        return {
          capabilityId: c.id,
          name: c.name,
          candidates: n,
          gapCandidates: row?.gapCandidates ?? 0,
          others: suppressed(row?.othersMean ?? null, n),
          gap: suppressed(row?.gapMean ?? null, row?.gapCandidates ?? 0),
          typical: b.typicalGap.capabilities.includes(c.id),
        }
      }),
    )
    const domains = fw.domains.map((d) => {
      const shown = cells.filter((c) => d.capabilities.some((x) => x.id === c.capabilityId) && c.others !== null)
      const gaps = shown.filter((c) => c.gap !== null)
      return {
        domainId: d.id,
        name: d.name,
        others: shown.length ? shown.reduce((s, c) => s + c.others!, 0) / shown.length : null,
        gap: gaps.length ? gaps.reduce((s, c) => s + c.gap!, 0) / gaps.length : null,
      }
    })
    const candidates = Math.max(0, ...cells.map((c) => c.candidates))
    const candidatesWithTarget = Math.max(0, ...cells.map((c) => c.gapCandidates))
    const needs = cells
      .filter((c) => c.gap !== null && c.gap < 0)
      .sort((x, y) => x.gap! - y.gap!)
      .slice(0, 3)
    return {
      id: b.id,
      name: b.name,
      typicalGap: b.typicalGap.summary,
      candidates,
      candidatesWithTarget,
      cells,
      domains,
      needs,
    }
  })
}
