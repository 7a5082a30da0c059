/**
 * Loads content/*.json once, validates it (app/domain/framework) and keeps it in memory.
 * An invalid or missing file stops start-up with a message naming the file, path and problem.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseFramework, type Framework } from '~/domain/framework/parse'
import { contentFiles, type ContentFileName } from '~/domain/framework/schema'
import { getEnv } from './env.server'

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid framework content:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ContentError'
  }
}

/** Reads and checks every content file in `dir`; throws ContentError listing every problem. */
export function loadFrameworkFrom(dir: string): Framework {
  const raw: Partial<Record<ContentFileName, unknown>> = {}
  const problems: string[] = []
  for (const name of Object.keys(contentFiles) as ContentFileName[]) {
    const file = path.join(dir, name)
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch {
      continue // reported as "file is missing" by parseFramework
    }
    try {
      raw[name] = JSON.parse(text)
    } catch (error) {
      problems.push(`${name}: not valid JSON (${(error as Error).message})`)
      raw[name] = null
    }
  }
  const result = parseFramework(raw)
  if (!result.ok) {
    // A file that is not JSON also fails its schema; report only the JSON problem for it.
    const broken = new Set(problems.map((p) => p.split(':')[0]))
    throw new ContentError(
      [...problems, ...result.errors.filter((e) => !broken.has(e.split(':')[0]))].map(
        (p) => `${dir.replace(/\/+$/, '')}/${p}`,
      ),
    )
  }
  return result.framework
}

let cached: Framework | undefined

export function getFramework(): Framework {
  cached ??= loadFrameworkFrom(getEnv().CONTENT_DIR)
  return cached
}

/** Lookups used across routes. */
export function findCapability(id: string) {
  return getFramework().capabilities.find((c) => c.id === id)
}
export function findDomain(id: string) {
  return getFramework().domains.find((d) => d.id === id)
}
export function findBackground(id: string) {
  return getFramework().backgrounds.find((b) => b.id === id)
}
export function findStage(id: string) {
  return getFramework().stages.find((s) => s.id === id)
}
