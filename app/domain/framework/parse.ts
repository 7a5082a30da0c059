/**
 * Turns the raw content files into one checked Framework, or a list of precise problems
 * ("program.json: stages[1].exitTarget.targets.foo: unknown capability id").
 * Pure: the caller reads the files.
 */
import type { z } from 'zod'
import {
  contentFiles,
  type BackgroundsFile,
  type Capability,
  type ContentFileName,
  type DecisionRightsFile,
  type Domain,
  type FrameworkFile,
  type ProgramFile,
  type Stage,
} from './schema'

export type Framework = {
  id: string
  version: string
  title: string
  scale: FrameworkFile['scale']
  domains: Domain[]
  capabilities: Array<Capability & { domainId: string }>
  backgrounds: BackgroundsFile['backgrounds']
  riskTiers: ProgramFile['riskTiers']
  delegatedDomains: ProgramFile['delegatedDomains']
  stages: Stage[]
  decisionRights: Omit<DecisionRightsFile, 'framework' | 'version'>
}

export type ParseResult = { ok: true; framework: Framework } | { ok: false; errors: string[] }

/** "stages[1].exitTarget.targets.foo" from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(top level)' : out
}

function issuesOf(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${file}: ${formatPath(issue.path)}: ${issue.message}`)
}

/**
 * @param raw the parsed JSON of each file, or `undefined` when the file is missing.
 */
export function parseFramework(raw: Partial<Record<ContentFileName, unknown>>): ParseResult {
  const errors: string[] = []
  const parsed: Partial<Record<ContentFileName, unknown>> = {}

  for (const [file, schema] of Object.entries(contentFiles) as Array<
    [ContentFileName, (typeof contentFiles)[ContentFileName]]
  >) {
    if (raw[file] === undefined) {
      errors.push(`${file}: file is missing`)
      continue
    }
    const result = schema.safeParse(raw[file])
    if (result.success) parsed[file] = result.data
    else errors.push(...issuesOf(file, result.error))
  }
  if (errors.length > 0) return { ok: false, errors }

  const fw = parsed['framework.json'] as FrameworkFile
  const bg = parsed['backgrounds.json'] as BackgroundsFile
  const program = parsed['program.json'] as ProgramFile
  const rights = parsed['decision-rights.json'] as DecisionRightsFile

  // Every file must belong to the same framework and version.
  for (const [file, content] of [
    ['backgrounds.json', bg],
    ['program.json', program],
    ['decision-rights.json', rights],
  ] as const) {
    if (content.framework !== fw.framework || content.version !== fw.version) {
      errors.push(
        `${file}: framework: is ${content.framework}@${content.version}, but framework.json is ${fw.framework}@${fw.version}`,
      )
    }
  }

  const capabilities = fw.domains.flatMap((d) => d.capabilities.map((c) => ({ ...c, domainId: d.id })))
  const domainIds = new Set(fw.domains.map((d) => d.id))
  const capabilityIds = new Set<string>()
  const behaviourIds = new Set<string>()

  fw.domains.forEach((domain, di) => {
    domain.capabilities.forEach((cap, ci) => {
      const at = `framework.json: domains[${di}].capabilities[${ci}]`
      if (capabilityIds.has(cap.id)) errors.push(`${at}.id: duplicate capability id "${cap.id}"`)
      if (domainIds.has(cap.id)) errors.push(`${at}.id: "${cap.id}" is already a domain id`)
      capabilityIds.add(cap.id)
      cap.behaviours.forEach((b, bi) => {
        if (!b.id.startsWith(`${cap.id}.`)) errors.push(`${at}.behaviours[${bi}].id: must start with "${cap.id}."`)
        if (behaviourIds.has(b.id)) errors.push(`${at}.behaviours[${bi}].id: duplicate behaviour id "${b.id}"`)
        behaviourIds.add(b.id)
      })
    })
  })
  if (domainIds.size !== fw.domains.length) errors.push('framework.json: domains: domain ids must be unique')

  uniqueIds('backgrounds.json: backgrounds', bg.backgrounds, errors)
  bg.backgrounds.forEach((b, i) => {
    b.typicalGap.domains.forEach((d, j) => {
      if (!domainIds.has(d))
        errors.push(`backgrounds.json: backgrounds[${i}].typicalGap.domains[${j}]: unknown domain id "${d}"`)
    })
    b.typicalGap.capabilities.forEach((c, j) => {
      if (!capabilityIds.has(c))
        errors.push(`backgrounds.json: backgrounds[${i}].typicalGap.capabilities[${j}]: unknown capability id "${c}"`)
    })
  })

  uniqueIds('program.json: stages', program.stages, errors)
  uniqueIds('program.json: riskTiers', program.riskTiers, errors)
  uniqueIds('program.json: delegatedDomains', program.delegatedDomains, errors)
  const milestoneIds = new Set<string>()
  program.stages.forEach((stage, si) => {
    const last = si === program.stages.length - 1
    if (!last && stage.exitTarget === null)
      errors.push(`program.json: stages[${si}].exitTarget: every stage but the last needs an exit target`)
    if (stage.exitTarget) {
      for (const capId of Object.keys(stage.exitTarget.targets)) {
        if (!capabilityIds.has(capId))
          errors.push(`program.json: stages[${si}].exitTarget.targets.${capId}: unknown capability id "${capId}"`)
      }
      for (const capId of capabilityIds) {
        if (!(capId in stage.exitTarget.targets))
          errors.push(`program.json: stages[${si}].exitTarget.targets: missing a target for "${capId}"`)
      }
    }
    stage.milestones.forEach((m, mi) => {
      if (milestoneIds.has(m.id))
        errors.push(`program.json: stages[${si}].milestones[${mi}].id: duplicate milestone id "${m.id}"`)
      milestoneIds.add(m.id)
    })
  })
  // Exit targets never fall from one stage to the next.
  for (let si = 1; si < program.stages.length; si++) {
    const prev = program.stages[si - 1]!.exitTarget
    const cur = program.stages[si]!.exitTarget
    if (!prev || !cur) continue
    for (const [capId, level] of Object.entries(cur.targets)) {
      const before = prev.targets[capId]
      if (before !== undefined && level < before)
        errors.push(
          `program.json: stages[${si}].exitTarget.targets.${capId}: ${level} is below the previous stage's ${before}`,
        )
    }
  }

  uniqueIds('decision-rights.json: decideAlone', rights.decideAlone, errors)
  uniqueIds('decision-rights.json: escalate', rights.escalate, errors)
  uniqueIds('decision-rights.json: guardrails', rights.guardrails, errors)

  if (errors.length > 0) return { ok: false, errors }
  const { framework: _f, version: _v, ...decisionRights } = rights
  return {
    ok: true,
    framework: {
      id: fw.framework,
      version: fw.version,
      title: fw.title,
      scale: fw.scale,
      domains: fw.domains,
      capabilities,
      backgrounds: bg.backgrounds,
      riskTiers: program.riskTiers,
      delegatedDomains: program.delegatedDomains,
      stages: program.stages,
      decisionRights,
    },
  }
}

function uniqueIds(at: string, items: Array<{ id: string }>, errors: string[]) {
  const seen = new Set<string>()
  items.forEach((item, i) => {
    if (seen.has(item.id)) errors.push(`${at}[${i}].id: duplicate id "${item.id}"`)
    seen.add(item.id)
  })
}
