/** The demo organisation's published logins (db/seed/demo.ts), for end-to-end and system tests. */
export const DEMO_PASSWORD = 'pathway-demo-2026'
export const demo = {
  admin: 'alex.morgan@demo.sto-pathway.test',
  hr: 'priya.raman@demo.sto-pathway.test',
  mentor: 'grace.okafor@demo.sto-pathway.test',
  candidate: 'jordan.ellis@demo.sto-pathway.test',
  otherCandidate: 'fatima.zahra.benali@demo.sto-pathway.test',
} as const
