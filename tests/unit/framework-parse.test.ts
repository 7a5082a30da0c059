/**
 * The cross-file rules of parseFramework (app/domain/framework/parse.ts), each broken once on a
 * copy of the real content: unique ids everywhere, ids that point somewhere, one framework version,
 * exit targets that never fall. The schema-level checks and the loader are in content.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatPath, parseFramework } from '~/domain/framework/parse'
import type { ContentFileName } from '~/domain/framework/schema'

const FILES: ContentFileName[] = ['framework.json', 'backgrounds.json', 'program.json', 'decision-rights.json']
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
const original = Object.fromEntries(
  FILES.map((f) => [f, JSON.parse(fs.readFileSync(path.resolve('content', f), 'utf8'))]),
) as Record<ContentFileName, Json>
const raw = (): Record<ContentFileName, Json> => structuredClone(original)
const errorsOf = (edit: (r: Record<ContentFileName, Json>) => void) => {
  const r = raw()
  edit(r)
  const result = parseFramework(r)
  return result.ok ? [] : result.errors
}

describe('formatPath', () => {
  it('writes a zod path as it reads in JSON, and names the top level', () => {
    expect(formatPath([])).toBe('(top level)')
    expect(formatPath(['stages', 1, 'exitTarget', 'targets', 'foo'])).toBe('stages[1].exitTarget.targets.foo')
    expect(formatPath([0, 'id'])).toBe('[0].id')
    expect(formatPath(['a'])).toBe('a')
  })
})

describe('parseFramework across files', () => {
  it('accepts the real content', () => {
    expect(parseFramework(raw()).ok).toBe(true)
  })

  it('needs every file to be of the same framework and version', () => {
    expect(errorsOf((r) => (r['backgrounds.json'].version = '2.0.0'))).toEqual([
      'backgrounds.json: framework: is sto-ai@2.0.0, but framework.json is sto-ai@1.0.0',
    ])
    expect(errorsOf((r) => (r['decision-rights.json'].framework = 'other'))).toEqual([
      'decision-rights.json: framework: is other@1.0.0, but framework.json is sto-ai@1.0.0',
    ])
  })

  it('needs unique domain, capability and behaviour ids, each behaviour under its capability', () => {
    expect(errorsOf((r) => (r['framework.json'].domains[1].id = r['framework.json'].domains[0].id))).toContain(
      'framework.json: domains: domain ids must be unique',
    )
    const dupCap = errorsOf((r) => {
      const fw = r['framework.json']
      fw.domains[1].capabilities[0].id = fw.domains[0].capabilities[0].id
      fw.domains[1].capabilities[0].behaviours.forEach(
        (b: Json, i: number) => (b.id = `${fw.domains[0].capabilities[0].id}.b${i + 7}`),
      )
    })
    expect(dupCap).toContain('framework.json: domains[1].capabilities[0].id: duplicate capability id "ml-fundamentals"')
    const capIsDomain = errorsOf((r) => {
      const cap = r['framework.json'].domains[1].capabilities[0]
      cap.id = 'technical-depth'
      cap.behaviours.forEach((b: Json, i: number) => (b.id = `technical-depth.b${i + 1}`))
    })
    expect(capIsDomain).toContain(
      'framework.json: domains[1].capabilities[0].id: "technical-depth" is already a domain id',
    )
    expect(
      errorsOf((r) => (r['framework.json'].domains[0].capabilities[0].behaviours[0].id = 'data-intuition.b9')),
    ).toContain('framework.json: domains[0].capabilities[0].behaviours[0].id: must start with "ml-fundamentals."')
  })

  it('needs backgrounds with unique ids whose typical gaps name real domains', () => {
    expect(
      errorsOf((r) => (r['backgrounds.json'].backgrounds[1].id = r['backgrounds.json'].backgrounds[0].id)),
    ).toEqual(['backgrounds.json: backgrounds[1].id: duplicate id "technical-product-manager"'])
    expect(errorsOf((r) => r['backgrounds.json'].backgrounds[0].typicalGap.domains.push('astrology'))).toEqual([
      'backgrounds.json: backgrounds[0].typicalGap.domains[1]: unknown domain id "astrology"',
    ])
  })

  it('needs unique stage, risk tier, delegated domain and milestone ids', () => {
    const p = (edit: (p: Json) => void) => errorsOf((r) => edit(r['program.json']))
    expect(p((x) => (x.riskTiers[1].id = x.riskTiers[0].id))).toEqual([
      'program.json: riskTiers[1].id: duplicate id "low"',
    ])
    expect(p((x) => (x.delegatedDomains[1].id = x.delegatedDomains[0].id))).toEqual([
      'program.json: delegatedDomains[1].id: duplicate id "technical-decisions"',
    ])
    expect(p((x) => (x.stages[1].id = x.stages[0].id))).toContain('program.json: stages[1].id: duplicate id "shadow"')
    expect(p((x) => (x.stages[1].milestones[0].id = x.stages[0].milestones[0].id))).toEqual([
      'program.json: stages[1].milestones[0].id: duplicate milestone id "shadow-plan"',
    ])
    expect(p((x) => (x.stages[0].milestones[1].id = x.stages[0].milestones[0].id))).toEqual([
      'program.json: stages[0].milestones[1].id: duplicate milestone id "shadow-plan"',
    ])
  })

  it('never lets an exit target fall from one stage to the next (equal is fine)', () => {
    expect(errorsOf((r) => (r['program.json'].stages[1].exitTarget.targets['data-intuition'] = 1))).toEqual([
      "program.json: stages[1].exitTarget.targets.data-intuition: 1 is below the previous stage's 2",
    ])
    expect(errorsOf((r) => (r['program.json'].stages[1].exitTarget.targets['data-intuition'] = 2))).toEqual([])
  })

  it('needs unique ids in each list of decision rights', () => {
    const d = (list: string) =>
      errorsOf((r) => (r['decision-rights.json'][list][1].id = r['decision-rights.json'][list][0].id))
    const first = (list: string) => original['decision-rights.json'][list][0].id
    for (const list of ['decideAlone', 'escalate', 'guardrails'])
      expect(d(list)).toEqual([`decision-rights.json: ${list}[1].id: duplicate id "${first(list)}"`])
  })
})

describe('the schema rules that look at a whole list', () => {
  const one = (errors: string[], pattern: RegExp) => {
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(pattern)
  }

  it('needs scale levels and capability levels numbered 1 to 5 in order (a later one out of place counts too)', () => {
    one(
      errorsOf((r) => (r['framework.json'].scale[3].level = 5)),
      /^framework\.json: scale: scale levels must be numbered 1 to 5 in order$/,
    )
    one(
      errorsOf((r) => (r['framework.json'].domains[0].capabilities[1].levels[4].level = 4)),
      /^framework\.json: domains\[0\]\.capabilities\[1\]\.levels: levels must be numbered 1 to 5 in order$/,
    )
  })

  it('needs stages ordered 1 to 4 in file order', () => {
    one(
      errorsOf((r) => (r['program.json'].stages[3].order = 3)),
      /^program\.json: stages: stages must be ordered 1 to 4 in file order$/,
    )
  })

  it('needs a stage window whose maximum is not below its minimum (equal is fine)', () => {
    one(
      errorsOf((r) => (r['program.json'].stages[0].window.maxMonths = 2)),
      /^program\.json: stages\[0\]\.window: maxMonths must not be below minMonths$/,
    )
    expect(errorsOf((r) => (r['program.json'].stages[0].window.maxMonths = 3))).toEqual([])
  })
})
