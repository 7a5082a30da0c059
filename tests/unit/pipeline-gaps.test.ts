/** Background gap analysis (app/domain/pipeline/gaps.ts): suppression below three candidates, means, needs. */
import { describe, expect, it } from 'vitest'
import { summarizeGaps, type GapRow } from '~/domain/pipeline/gaps'

const fw = {
  domains: [
    {
      id: 'd1',
      name: 'Domain 1',
      capabilities: [
        { id: 'c1', name: 'Cap 1' },
        { id: 'c2', name: 'Cap 2' },
      ],
    },
    {
      id: 'd2',
      name: 'Domain 2',
      capabilities: [
        { id: 'c3', name: 'Cap 3' },
        { id: 'c4', name: 'Cap 4' },
      ],
    },
  ],
  backgrounds: [
    { id: 'eng', name: 'Engineering', typicalGap: { capabilities: ['c2'], summary: 'Product sense' } },
    { id: 'pm', name: 'Product', typicalGap: { capabilities: [], summary: 'Depth' } },
  ],
}
const row = (
  capabilityId: string,
  candidates: number,
  othersMean: number | null,
  gapCandidates: number,
  gapMean: number | null,
  background = 'eng',
): GapRow => ({
  background,
  capabilityId,
  candidates,
  othersMean,
  gapCandidates,
  gapMean,
})

describe('summarizeGaps', () => {
  const rows = [
    row('c1', 3, 3.5, 3, -0.5),
    row('c2', 4, 2.5, 3, -1.25),
    row('c3', 5, 4, 2, 0.5),
    row('c4', 2, 1, 2, -2),
    row('c1', 9, 4.5, 9, -3, 'pm'),
  ]
  // Computed inside each test, so that each test exercises the rule itself (not a value computed once).
  const both = () => summarizeGaps(rows, fw)

  it('gives one summary per background, in framework order, with every capability', () => {
    const [eng, pm] = both()
    expect(eng!).toMatchObject({ id: 'eng', name: 'Engineering', typicalGap: 'Product sense' })
    expect(pm!.id).toBe('pm')
    expect(eng!.cells.map((c) => c.capabilityId)).toEqual(['c1', 'c2', 'c3', 'c4'])
  })

  it('shows a figure only when at least three candidates stand behind it', () => {
    const [eng] = both()
    expect(eng!.cells[0]).toEqual({
      capabilityId: 'c1',
      name: 'Cap 1',
      candidates: 3,
      gapCandidates: 3,
      others: 3.5,
      gap: -0.5,
      typical: false,
    })
    // Others shown (five candidates), gap hidden (two with a target).
    expect(eng!.cells[2]).toMatchObject({ others: 4, gap: null, gapCandidates: 2 })
    expect(eng!.cells[3]).toMatchObject({ others: null, gap: null, candidates: 2 })
  })

  it('marks the capabilities typical of the background', () => {
    const [eng] = both()
    expect(eng!.cells.map((c) => c.typical)).toEqual([false, true, false, false])
  })

  it('averages the shown figures per domain, and gives null where none is shown', () => {
    const [eng, pm] = both()
    expect(eng!.domains).toEqual([
      { domainId: 'd1', name: 'Domain 1', others: 3, gap: -0.875 },
      { domainId: 'd2', name: 'Domain 2', others: 4, gap: null },
    ])
    expect(pm!.domains[1]).toEqual({ domainId: 'd2', name: 'Domain 2', others: null, gap: null })
  })

  it('counts the candidates as the largest count of any capability', () => {
    const [eng] = both()
    expect(eng!.candidates).toBe(5)
    expect(eng!.candidatesWithTarget).toBe(3)
    expect(summarizeGaps([], fw)[0]).toMatchObject({ candidates: 0, candidatesWithTarget: 0 })
  })

  it('lists as needs the shown negative gaps, largest first, at most three', () => {
    const [eng] = both()
    expect(eng!.needs.map((c) => c.capabilityId)).toEqual(['c2', 'c1'])
    const many = summarizeGaps(
      [row('c1', 3, 3, 3, -1), row('c2', 3, 3, 3, -4), row('c3', 3, 3, 3, -2), row('c4', 3, 3, 3, -3)],
      fw,
    )[0]!
    expect(many.needs.map((c) => c.capabilityId)).toEqual(['c2', 'c4', 'c3'])
    const none = summarizeGaps([row('c1', 3, 3, 3, 0), row('c2', 3, 3, 3, 0.5)], fw)[0]!
    expect(none.needs).toEqual([])
  })
})
