/**
 * Creates the demo database (DATABASE_PATH, default data/demo.db) if it has nobody in it yet.
 * Run by `npm run demo`; safe to run twice (the second run changes nothing).
 */
import { DEMO_PASSWORD, demoCandidates, demoEmail, demoStaff, seedDemo } from '#db/seed/demo'
import { closeDb, getDb, runMigrations } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

process.env.DATABASE_PATH ??= 'data/demo.db'
const env = getEnv()
const db = getDb()
runMigrations(db)
const started = Date.now()
// Seeded links are built from APP_URL (npm run demo and the e2e server set it from their port).
const created = await seedDemo(db)
closeDb()
if (created) {
  console.log(
    `Created the demo organisation in ${env.DATABASE_PATH} (${demoStaff.length + demoCandidates.length} people, ${Date.now() - started} ms).`,
  )
} else {
  console.log(`${env.DATABASE_PATH} already has people in it; left as it is.`)
}

const staff = demoStaff.map((p) => `  ${p.roles.join(', ').padEnd(10)} ${demoEmail(p.name)}`)
const candidates = demoCandidates.slice(0, 4).map((c) => `  ${'candidate'.padEnd(10)} ${demoEmail(c.name)}`)
console.log(
  [
    '',
    'Demo logins (every account has the password ' + DEMO_PASSWORD + '):',
    ...staff,
    ...candidates,
    `  ...and ${demoCandidates.length - 4} more candidates (see README).`,
    '',
  ].join('\n'),
)
