/**
 * The demo organisation: 1 admin, 2 HR, 4 mentors and 16 candidates (each background in each
 * stage once), with join dates back-dated from `today` so stage windows look realistic.
 * Deterministic: the same `today` gives the same data. Written through the app's own model code.
 */
import type { Role } from '~/domain/roles'
import { countPeople, createPerson } from '~/models/people.server'
import { getFramework } from '~/utils/content.server'
import { seedDemoAssessments } from './demo-assessments'
import { seedDemoProgram } from './demo-program'
import type { Db } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'

/** One password for every demo account (documented in the README; never use it elsewhere). */
export const DEMO_PASSWORD = 'pathway-demo-2026'
export const DEMO_DOMAIN = 'demo.sto-pathway.test'

type DemoPerson = { name: string; roles: Role[] }
type DemoCandidate = { name: string; background: string; stage: string; mentor: number; monthsAgo: number }

export const demoStaff: DemoPerson[] = [
  { name: 'Alex Morgan', roles: ['admin'] },
  { name: 'Priya Raman', roles: ['hr'] },
  { name: 'Tomasz Nowak', roles: ['hr'] },
  { name: 'Grace Okafor', roles: ['mentor'] },
  { name: 'Daniel Ferreira', roles: ['mentor'] },
  { name: 'Mei Lin Chen', roles: ['mentor'] },
  { name: 'Samuel Adeyemi', roles: ['mentor'] },
]

// mentor: index into the four mentors above (0..3); monthsAgo: when they joined the program.
export const demoCandidates: DemoCandidate[] = [
  { name: 'Jordan Ellis', background: 'technical-product-manager', stage: 'shadow', mentor: 0, monthsAgo: 2 },
  { name: 'Fatima Zahra Benali', background: 'senior-data-scientist', stage: 'shadow', mentor: 1, monthsAgo: 4 },
  { name: 'Lukas Becker', background: 'engineering-manager', stage: 'shadow', mentor: 2, monthsAgo: 1 },
  { name: 'Chloé Dubois', background: 'strategy-consultant', stage: 'shadow', mentor: 3, monthsAgo: 7 },
  { name: 'Ravi Shankar', background: 'technical-product-manager', stage: 'assistant-sto', mentor: 1, monthsAgo: 9 },
  { name: 'Hannah Kim', background: 'senior-data-scientist', stage: 'assistant-sto', mentor: 2, monthsAgo: 12 },
  { name: 'Mateo García', background: 'engineering-manager', stage: 'assistant-sto', mentor: 3, monthsAgo: 14 },
  { name: 'Aisha Mensah', background: 'strategy-consultant', stage: 'assistant-sto', mentor: 0, monthsAgo: 11 },
  {
    name: 'Oliver Bennett',
    background: 'technical-product-manager',
    stage: 'low-risk-pod-leadership',
    mentor: 2,
    monthsAgo: 20,
  },
  {
    name: 'Sofia Rossi',
    background: 'senior-data-scientist',
    stage: 'low-risk-pod-leadership',
    mentor: 3,
    monthsAgo: 24,
  },
  {
    name: 'Kenji Watanabe',
    background: 'engineering-manager',
    stage: 'low-risk-pod-leadership',
    mentor: 0,
    monthsAgo: 27,
  },
  {
    name: 'Nadia Haddad',
    background: 'strategy-consultant',
    stage: 'low-risk-pod-leadership',
    mentor: 1,
    monthsAgo: 22,
  },
  {
    name: 'Ethan Brooks',
    background: 'technical-product-manager',
    stage: 'full-sto-certification',
    mentor: 3,
    monthsAgo: 36,
  },
  {
    name: 'Ingrid Larsen',
    background: 'senior-data-scientist',
    stage: 'full-sto-certification',
    mentor: 0,
    monthsAgo: 40,
  },
  {
    name: 'Marcus Johnson',
    background: 'engineering-manager',
    stage: 'full-sto-certification',
    mentor: 1,
    monthsAgo: 33,
  },
  {
    name: 'Yasmin Farouk',
    background: 'strategy-consultant',
    stage: 'full-sto-certification',
    mentor: 2,
    monthsAgo: 38,
  },
]

/** "Grace Okafor" -> grace.okafor@demo.sto-pathway.test (accents dropped). */
export function demoEmail(name: string): string {
  const local = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '')
  return `${local}@${DEMO_DOMAIN}`
}

function monthsBefore(today: Date, months: number): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, Math.min(today.getUTCDate(), 28)))
  return d.toISOString().slice(0, 10)
}

/** Seeds the demo organisation into an empty database; returns false (and writes nothing) otherwise. */
export async function seedDemo(db: Db, today = new Date()): Promise<boolean> {
  if (countPeople(db) > 0) return false
  const everyone = [...demoStaff, ...demoCandidates]
  // Every demo account has the same published password, so one hash (one salt) serves them all:
  // hashing is one at a time per process (memory), and 23 hashes would add ~15 s to the demo.
  const shared = await hashPassword(DEMO_PASSWORD)
  const hashes = everyone.map(() => shared)
  db.$client
    .transaction(() => {
      const ids = demoStaff.map((p, i) =>
        createPerson(db, null, {
          name: p.name,
          email: demoEmail(p.name),
          roles: p.roles,
          passwordHash: hashes[i]!,
          candidate: null,
        }),
      )
      const mentorIds = ids.slice(3, 7)
      const refs = demoCandidates.map((c, i) => {
        const candidate = {
          background: c.background,
          stage: c.stage,
          mentorId: mentorIds[c.mentor]!,
          joinedOn: monthsBefore(today, c.monthsAgo),
        }
        const id = createPerson(db, null, {
          name: c.name,
          email: demoEmail(c.name),
          roles: ['candidate'],
          passwordHash: hashes[demoStaff.length + i]!,
          candidate,
        })
        return {
          id,
          name: c.name,
          email: demoEmail(c.name),
          stage: c.stage,
          background: c.background,
          mentorId: candidate.mentorId,
          joinedOn: candidate.joinedOn,
        }
      })
      // Program history first (it sets each candidate's stage), then 360s; HR actions by Tomasz Nowak.
      seedDemoProgram(db, getFramework(), refs, ids[2]!, today.toISOString().slice(0, 10))
      seedDemoAssessments(db, getFramework(), refs, ids[1]!, today)
    })
    .immediate()
  return true
}
