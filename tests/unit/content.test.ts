import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseFramework } from '~/domain/framework/parse'
import type { ContentFileName } from '~/domain/framework/schema'
import { ContentError, loadFrameworkFrom } from '~/utils/content.server'

const CONTENT = path.resolve('content')
const FILES: ContentFileName[] = ['framework.json', 'backgrounds.json', 'program.json', 'decision-rights.json']

// The test pokes at arbitrary paths of parsed JSON to break one rule at a time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

const readJson = (file: ContentFileName): Json => JSON.parse(fs.readFileSync(path.join(CONTENT, file), 'utf8'))

const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A temp copy of content/ with `edit` applied to the named file's JSON (or the file replaced/removed). */
function brokenCopy(file: ContentFileName, edit: ((json: Json) => void) | { text: string } | 'delete'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-content-'))
  tempDirs.push(dir)
  for (const name of FILES) fs.copyFileSync(path.join(CONTENT, name), path.join(dir, name))
  const target = path.join(dir, file)
  if (edit === 'delete') fs.rmSync(target)
  else if (typeof edit === 'function') {
    const json = readJson(file)
    edit(json)
    fs.writeFileSync(target, JSON.stringify(json, null, 2))
  } else fs.writeFileSync(target, edit.text)
  return dir
}

/** Loads `dir`, expecting a ContentError; returns its problems. */
function problemsOf(dir: string): string[] {
  let caught: unknown
  try {
    loadFrameworkFrom(dir)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(ContentError)
  const error = caught as ContentError
  // The message a person reads at start-up lists every problem.
  for (const p of error.problems) expect(error.message).toContain(p)
  return error.problems
}

describe('the real content/', () => {
  const fw = loadFrameworkFrom('content')

  it('has the 4 domains of the seed', () => {
    expect(fw.id).toBe('sto-ai')
    expect(fw.version).toBe('1.0.0')
    expect(fw.domains.map((d) => d.name)).toEqual([
      'Technical Depth',
      'Business Acumen',
      'Leadership Capability',
      'Governance Mindset',
    ])
  })

  it('has the 16 capabilities with the seed names, 4 per domain', () => {
    expect(fw.capabilities.map((c) => c.name)).toEqual([
      'ML Fundamentals',
      'Data Intuition',
      'Systems Thinking',
      'Technical Judgment',
      'Value Identification',
      'Financial Literacy',
      'Market Awareness',
      'Prioritization',
      'Talent Development',
      'Decision Making',
      'Conflict Resolution',
      'Vision Communication',
      'Risk Awareness',
      'Regulatory Knowledge',
      'Ethical Reasoning',
      'Transparency',
    ])
    for (const d of fw.domains) expect(d.capabilities).toHaveLength(4)
    expect(fw.capabilities.find((c) => c.id === 'transparency')?.domainId).toBe('governance-mindset')
    expect(fw.capabilities.find((c) => c.id === 'ml-fundamentals')?.domainId).toBe('technical-depth')
  })

  it('gives every capability 5 level anchors numbered 1-5 and 2-3 behaviour statements', () => {
    for (const c of fw.capabilities) {
      expect(
        c.levels.map((l) => l.level),
        c.id,
      ).toEqual([1, 2, 3, 4, 5])
      for (const l of c.levels) expect(l.anchor.length, `${c.id} level ${l.level}`).toBeGreaterThan(0)
      expect(c.behaviours.length, c.id).toBeGreaterThanOrEqual(2)
      expect(c.behaviours.length, c.id).toBeLessThanOrEqual(3)
      for (const b of c.behaviours) expect(b.id.startsWith(`${c.id}.`)).toBe(true)
    }
  })

  it('has the 4 candidate backgrounds', () => {
    expect(fw.backgrounds.map((b) => b.name)).toEqual([
      'Technical Product Manager',
      'Senior Data Scientist',
      'Engineering Manager',
      'Strategy Consultant',
    ])
    const capIds = new Set(fw.capabilities.map((c) => c.id))
    for (const b of fw.backgrounds)
      for (const c of b.typicalGap.capabilities) expect(capIds.has(c), `${b.id} -> ${c}`).toBe(true)
  })

  it('has the 4 stages in order with the seed time windows', () => {
    expect(fw.stages.map((s) => ({ name: s.name, order: s.order, window: s.window }))).toEqual([
      { name: 'Shadow', order: 1, window: { minMonths: 3, maxMonths: 6 } },
      { name: 'Assistant STO', order: 2, window: { minMonths: 6, maxMonths: 12 } },
      { name: 'Low-Risk Pod Leadership', order: 3, window: { minMonths: 12, maxMonths: null } },
      { name: 'Full STO Certification', order: 4, window: null },
    ])
  })

  it('gives every stage but the last an exit target for all 16 capabilities, never falling', () => {
    const capIds = fw.capabilities.map((c) => c.id).sort()
    const targets = fw.stages.map((s) => s.exitTarget?.targets ?? null)
    expect(targets[3]).toBeNull()
    for (const t of targets.slice(0, 3)) expect(Object.keys(t!).sort()).toEqual(capIds)
    for (const id of capIds) {
      expect(targets[1]![id]).toBeGreaterThanOrEqual(targets[0]![id]!)
      expect(targets[2]![id]).toBeGreaterThanOrEqual(targets[1]![id]!)
    }
  })

  it('has every file on the same framework version', () => {
    for (const file of FILES) {
      const json = readJson(file)
      expect({ file, framework: json.framework, version: json.version }).toEqual({
        file,
        framework: 'sto-ai',
        version: '1.0.0',
      })
    }
    expect(fw.decisionRights.decideAlone.length).toBeGreaterThan(0)
    expect(fw.decisionRights.escalate.length).toBeGreaterThan(0)
    expect(fw.decisionRights.guardrails.length).toBeGreaterThan(0)
  })

  it('loads an unchanged copy without complaint (the copy helper itself is sound)', () => {
    const dir = brokenCopy('framework.json', () => {})
    expect(loadFrameworkFrom(dir).capabilities).toHaveLength(16)
  })
})

describe('broken content is refused with the file and path named', () => {
  it('a missing file', () => {
    const dir = brokenCopy('program.json', 'delete')
    expect(problemsOf(dir)).toEqual([`${dir}/program.json: file is missing`])
  })

  it('a file that is not JSON, reported once (no schema noise for it)', () => {
    const dir = brokenCopy('backgrounds.json', { text: '{ "framework": "sto-ai", ' })
    const problems = problemsOf(dir)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^${escape(dir)}/backgrounds\\.json: not valid JSON \\(`))
  })

  it('a capability with 4 levels', () => {
    const dir = brokenCopy('framework.json', (j) => {
      j.domains[0].capabilities[0].levels.pop()
    })
    expect(problemsOf(dir)).toContain(
      `${dir}/framework.json: domains[0].capabilities[0].levels: must have exactly 5 levels`,
    )
  })

  it('a capability with only 1 behaviour statement', () => {
    const dir = brokenCopy('framework.json', (j) => {
      j.domains[2].capabilities[1].behaviours = j.domains[2].capabilities[1].behaviours.slice(0, 1)
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/framework.json: domains[2].capabilities[1].behaviours: needs at least 2 behaviour statements`,
    ])
  })

  it('an unknown capability in a background gap', () => {
    const dir = brokenCopy('backgrounds.json', (j) => {
      j.backgrounds[1].typicalGap.capabilities[2] = 'juggling'
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/backgrounds.json: backgrounds[1].typicalGap.capabilities[2]: unknown capability id "juggling"`,
    ])
  })

  it('an exit target missing a capability', () => {
    const dir = brokenCopy('program.json', (j) => {
      delete j.stages[0].exitTarget.targets.transparency
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/program.json: stages[0].exitTarget.targets: missing a target for "transparency"`,
    ])
  })

  it('an exit target naming an unknown capability', () => {
    const dir = brokenCopy('program.json', (j) => {
      j.stages[1].exitTarget.targets.juggling = 3
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/program.json: stages[1].exitTarget.targets.juggling: unknown capability id "juggling"`,
    ])
  })

  it('a file on another version than framework.json', () => {
    const dir = brokenCopy('program.json', (j) => {
      j.version = '1.0.1'
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/program.json: framework: is sto-ai@1.0.1, but framework.json is sto-ai@1.0.0`,
    ])
  })

  it('a duplicate behaviour id', () => {
    const dir = brokenCopy('framework.json', (j) => {
      j.domains[0].capabilities[0].behaviours[1].id = 'ml-fundamentals.b1'
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/framework.json: domains[0].capabilities[0].behaviours[1].id: duplicate behaviour id "ml-fundamentals.b1"`,
    ])
  })

  it('an exit target lower than the previous stage’s', () => {
    const dir = brokenCopy('program.json', (j) => {
      j.stages[1].exitTarget.targets['ml-fundamentals'] = 1
    })
    expect(problemsOf(dir)).toEqual([
      `${dir}/program.json: stages[1].exitTarget.targets.ml-fundamentals: 1 is below the previous stage's 2`,
    ])
  })

  it('lists every problem of several files at once', () => {
    const dir = brokenCopy('decision-rights.json', 'delete')
    fs.writeFileSync(path.join(dir, 'program.json'), '[not json')
    const problems = problemsOf(dir)
    expect(problems).toHaveLength(2)
    expect(problems).toContain(`${dir}/decision-rights.json: file is missing`)
    expect(problems.some((p) => p.startsWith(`${dir}/program.json: not valid JSON`))).toBe(true)
  })
})

describe('parseFramework (pure)', () => {
  const raw = () => Object.fromEntries(FILES.map((f) => [f, readJson(f)])) as Record<ContentFileName, Json>

  it('accepts the real content and flattens capabilities with their domain', () => {
    const result = parseFramework(raw())
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.framework.capabilities).toHaveLength(16)
    expect(result.framework.capabilities.filter((c) => c.domainId === 'business-acumen').map((c) => c.id)).toEqual([
      'value-identification',
      'financial-literacy',
      'market-awareness',
      'prioritization',
    ])
    expect(result.framework.decisionRights).not.toHaveProperty('version')
  })

  it('reports every missing file without a directory prefix', () => {
    expect(parseFramework({})).toEqual({
      ok: false,
      errors: FILES.map((f) => `${f}: file is missing`),
    })
  })

  it('requires an exit target on every stage but the last', () => {
    const r = raw()
    r['program.json'].stages[2].exitTarget = null
    expect(parseFramework(r)).toEqual({
      ok: false,
      errors: ['program.json: stages[2].exitTarget: every stage but the last needs an exit target'],
    })
  })

  it('names the path of a schema problem (a level outside 1-5 in a target)', () => {
    const r = raw()
    r['program.json'].stages[0].exitTarget.targets['data-intuition'] = 6
    const result = parseFramework(r)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^program\.json: stages\[0\]\.exitTarget\.targets\.data-intuition: /)
  })
})

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
