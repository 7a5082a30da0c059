/**
 * `npm run seed:scale -- --candidates N [--out data/scale.db]`: a large, deterministic organisation
 * for benchmarks, built through the app's own models and scoring (not a second implementation):
 * N candidates over the 4 backgrounds and 4 stages with program histories and sign-offs, two closed
 * 360s each (7–12 raters answering every statement, some "not observed"), a plan item each, one mentor
 * per ~8 candidates, HR; every 10th candidate also has a cycle collecting feedback, whose personal
 * links are in the outbox (for rater-form benchmarks). Prints its time.
 */
import fs from 'node:fs'
import { eq } from 'drizzle-orm'
import { demoCycle } from '#db/seed/demo-assessments'
import { seedDemoProgram } from '#db/seed/demo-program'
import { candidateProfiles } from '#db/schema/people'
import { addMonths } from '~/domain/program/dates'
import { mulberry32 } from '~/domain/random'
import { createPerson } from '~/models/people.server'
import { addPlanItem } from '~/models/program.server'
import { loadFrameworkFrom } from '~/utils/content.server'
import { openDatabase, runMigrations } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

const candidatesWanted = Number(arg('candidates', '5000'))
if (!Number.isInteger(candidatesWanted) || candidatesWanted < 8 || candidatesWanted > 50_000) {
  console.error('--candidates must be a whole number from 8 to 50000')
  process.exit(1)
}
const out = arg('out', 'data/scale.db')
/** Dates are relative to --today (default: today), so open cycles are not already past due; the random seed is fixed. */
const ANCHOR = new Date(`${arg('today', new Date().toISOString().slice(0, 10))}T12:00:00Z`)
export const SCALE_PASSWORD = 'pathway-scale-2026'

const started = Date.now()
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(out + suffix, { force: true })
const { db, sqlite } = openDatabase(out)
runMigrations(db)
// A generated database: durability during the load buys nothing; FULL is restored at the end.
sqlite.pragma('synchronous = OFF')
const fw = loadFrameworkFrom(process.env.CONTENT_DIR ?? 'content')
const rand = mulberry32(20261126)
const first = ['Ana', 'Ben', 'Carla', 'Dmitri', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kavya', 'Leo', 'Maya', 'Nils', 'Olga', 'Pedro', 'Rosa', 'Sami', 'Tara', 'Yusuf']
const last = ['Albers', 'Brandt', 'Costa', 'Diallo', 'Eriksen', 'Fischer', 'Gomez', 'Hale', 'Ito', 'Janssen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Oyelaran', 'Petrov']
const nameOf = (i: number) => `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${i}`

// Four accounts can log in (the benchmark's sessions); everyone else has no password.
const [adminHash, hrHash, mentorHash, candidateHash] = await Promise.all([1, 2, 3, 4].map(() => hashPassword(SCALE_PASSWORD)))
const batch = <T>(fn: () => T) => sqlite.transaction(fn)()

const staff = batch(() => {
  const admin = createPerson(db, null, { name: 'Scale Admin', email: 'admin@scale.sto-pathway.test', roles: ['admin'], passwordHash: adminHash!, candidate: null })
  const hr = [0, 1, 2].map((i) => createPerson(db, null, { name: `Scale HR ${i}`, email: `hr${i}@scale.sto-pathway.test`, roles: ['hr'], passwordHash: i === 0 ? hrHash! : null, candidate: null }))
  const mentors = Array.from({ length: Math.ceil(candidatesWanted / 8) }, (_, i) =>
    createPerson(db, null, { name: `Mentor ${nameOf(i)}`, email: `mentor${i}@scale.sto-pathway.test`, roles: ['mentor'], passwordHash: i === 0 ? mentorHash! : null, candidate: null }),
  )
  return { admin, hr, mentors }
})

const stageMix: Array<[string, number, number]> = [
  // stage, share, months since joining (min..min+span below)
  ['shadow', 0.35, 1],
  ['assistant-sto', 0.3, 5],
  ['low-risk-pod-leadership', 0.25, 13],
  ['full-sto-certification', 0.1, 26],
]
const today = ANCHOR.toISOString().slice(0, 10)
const BATCH = 100
let made = 0
for (let start = 0; start < candidatesWanted; start += BATCH) {
  batch(() => {
    const refs = []
    for (let i = start; i < Math.min(candidatesWanted, start + BATCH); i++) {
      const r = rand()
      let acc = 0
      const [stage, , minMonths] = stageMix.find(([, share]) => (acc += share) >= r) ?? stageMix[0]!
      const joinedOn = addMonths(today, -(minMonths + Math.floor(rand() * 4)))
      const background = fw.backgrounds[i % 4]!.id
      const mentorId = staff.mentors[Math.floor(i / 8) % staff.mentors.length]!
      const name = nameOf(i)
      const email = `c${i}@scale.sto-pathway.test`
      const id = createPerson(db, staff.hr[0]!, {
        name,
        email,
        roles: ['candidate'],
        passwordHash: i === 0 ? candidateHash! : null,
        candidate: { background, stage, mentorId, joinedOn },
      })
      refs.push({ id, name, email, stage, background, mentorId, joinedOn })
    }
    seedDemoProgram(db, fw, refs, staff.hr[1]!, today)
    refs.forEach((c, k) => {
      const stageNow = db.select({ stage: candidateProfiles.stage }).from(candidateProfiles).where(eq(candidateProfiles.personId, c.id)).get()!.stage
      const ref = { ...c, stage: stageNow }
      const seed = (start + k) * 7919 + 17
      demoCycle(db, fw, ref, staff.hr[0]!, { openedDaysAgo: 330, today: ANCHOR, seed, growth: -0.4 })
      demoCycle(db, fw, ref, staff.hr[0]!, { openedDaysAgo: 120, today: ANCHOR, seed: seed + 1, growth: 0 })
      if ((start + k) % 10 === 0) demoCycle(db, fw, ref, staff.hr[0]!, { openedDaysAgo: 5, today: ANCHOR, seed: seed + 2, growth: 0, leaveOpen: 'collecting' })
      addPlanItem(db, c.id, { capabilityId: fw.capabilities[(start + k) % 16]!.id, action: 'Pair with a senior STO on one decision a month.', dueOn: null, source: 'own' }, ANCHOR)
    })
    made += refs.length
  })
  if (made % 1000 === 0 || made === candidatesWanted) console.log(`  ${made} candidates (${((Date.now() - started) / 1000).toFixed(1)} s)`)
}
sqlite.pragma('synchronous = FULL')
sqlite.pragma('wal_checkpoint(TRUNCATE)')
const count = (table: string) => sqlite.prepare(`select count(*) from ${table}`).pluck().get()
console.log(
  `Built ${out}: ${candidatesWanted} candidates, ${staff.mentors.length} mentors, ${count('assessment_cycles')} cycles, ${count('raters')} raters, ${count('milestones')} milestones, ${count('audit_log')} audit entries in ${((Date.now() - started) / 1000).toFixed(1)} s. Logins (password ${SCALE_PASSWORD}): admin@, hr0@, mentor0@, c0@scale.sto-pathway.test`,
)
sqlite.close()
