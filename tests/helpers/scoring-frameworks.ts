/** Small framework shapes for the scoring tests. */
import type { ScoringFramework } from '~/domain/assessment/types'

/** 2 domains x 2 capabilities; c1 and c3 have 2 statements, c2 and c4 have 3. */
export const small: ScoringFramework = {
  domains: [
    { id: 'd1', name: 'Delivery', capabilityIds: ['c1', 'c2'] },
    { id: 'd2', name: 'People', capabilityIds: ['c3', 'c4'] },
  ],
  capabilities: [
    { id: 'c1', name: 'One', domainId: 'd1', statementIds: ['c1.b1', 'c1.b2'] },
    { id: 'c2', name: 'Two', domainId: 'd1', statementIds: ['c2.b1', 'c2.b2', 'c2.b3'] },
    { id: 'c3', name: 'Three', domainId: 'd2', statementIds: ['c3.b1', 'c3.b2'] },
    { id: 'c4', name: 'Four', domainId: 'd2', statementIds: ['c4.b1', 'c4.b2', 'c4.b3'] },
  ],
}

/** The real shape: 4 domains x 4 capabilities, 3 statements each. */
export const realistic: ScoringFramework = (() => {
  const capabilities = Array.from({ length: 16 }, (_, i) => ({
    id: `cap-${i}`,
    name: `Capability ${i}`,
    domainId: `dom-${Math.floor(i / 4)}`,
    statementIds: [1, 2, 3].map((b) => `cap-${i}.b${b}`),
  }))
  const domains = [0, 1, 2, 3].map((d) => ({
    id: `dom-${d}`,
    name: `Domain ${d}`,
    capabilityIds: capabilities.filter((c) => c.domainId === `dom-${d}`).map((c) => c.id),
  }))
  return { domains, capabilities }
})()
