/** The slice of the loaded framework that scoring and questionnaires need, pure. */
import type { Framework } from '../framework/parse'
import type { ScoringFramework } from './types'

export function toScoringFramework(fw: Framework): ScoringFramework {
  return {
    domains: fw.domains.map((d) => ({ id: d.id, name: d.name, capabilityIds: d.capabilities.map((c) => c.id) })),
    capabilities: fw.capabilities.map((c) => ({
      id: c.id,
      name: c.name,
      domainId: c.domainId,
      statementIds: c.behaviours.map((b) => b.id),
    })),
  }
}

export const frameworkVersionOf = (fw: Pick<Framework, 'id' | 'version'>) => `${fw.id}@${fw.version}`
