/**
 * `npm run test:crash`: crash safety of the production server (needs `npm run build` first).
 *
 * Starts the built server (a primary and WORKERS=2 workers) on a temporary copy of the demo
 * database and drives it from several concurrent clients — raters saving drafts and submitting, a
 * mentor returning milestones and their candidates resubmitting evidence, a candidate adding plan
 * items — while one worker at a time is killed with SIGKILL at random moments (--kills times,
 * default 12) and, every few worker kills, the whole process tree (--tree-kills, default 3), which
 * is then restarted. While a worker is dead, fresh connections to /healthz must all be answered
 * (by the other worker), and the primary must start a replacement. Then it checks
 * that every request that got a success answer is in the database, that no multi-row operation is
 * half-applied (each row has its audit entry and each milestone's status matches its last event),
 * that the audit chain verifies and that `PRAGMA integrity_check` says ok.
 * Last line: `acknowledged=N lost=N integrity=ok|…`; exit code 0 only when nothing was lost.
 */
import http from 'node:http'
import Database from 'better-sqlite3'
import { mulberry32 } from '~/domain/random'
import { verifyAuditLog } from '~/models/audit.server'
import { loadFrameworkFrom } from '~/utils/content.server'
import { openDatabase } from '~/utils/db.server'
import { demoDatabase, demoLogins, logIn, startServer, type RunningServer } from '../tests/system/server'

const killsArg = process.argv.indexOf('--kills')
const KILLS = killsArg >= 0 ? Number(process.argv[killsArg + 1]) : 12
if (!Number.isInteger(KILLS) || KILLS < 1 || KILLS > 1000) {
  console.error('--kills must be a whole number from 1 to 1000')
  process.exit(2)
}
const treeKillsArg = process.argv.indexOf('--tree-kills')
const TREE_KILLS = treeKillsArg >= 0 ? Number(process.argv[treeKillsArg + 1]) : 3
if (!Number.isInteger(TREE_KILLS) || TREE_KILLS < 0 || TREE_KILLS > 100) {
  console.error('--tree-kills must be a whole number from 0 to 100')
  process.exit(2)
}
const WORKERS = 2
const rand = mulberry32(20261126)
const started = Date.now()

const { file } = demoDatabase()
// Every client here comes from 127.0.0.1, more than 32 at once (one per pending rater): the
// per-address connection cap would refuse some (and the probes) with a 503.
const start = () => startServer(file, { WORKERS: String(WORKERS), MAX_CONNECTIONS_PER_ADDRESS: '256' })
let server: RunningServer = await start()
let restarting: Promise<void> | null = null
let stopping = false

// ---- Who acts, on what --------------------------------------------------------------------------
const setup = new Database(file, { readonly: true })
const idOf = (email: string) =>
  setup.prepare('select id from people where lower(email) = lower(?)').pluck().get(email) as number
const mentorEmail = demoLogins.mentor
const mentorId = idOf(mentorEmail)
// Milestones of this mentor's mentees that wait for the mentor alone: each is a return ↔ resubmit loop.
const loops = setup
  .prepare(
    `select m.id as milestoneId, p.email as candidateEmail from milestones m join people p on p.id = m.candidate_id
     join candidate_profiles cp on cp.person_id = m.candidate_id
     where cp.mentor_id = ? and m.status = 'submitted' and m.sign_off = 'mentor' order by m.id limit 3`,
  )
  .all(mentorId) as Array<{ milestoneId: number; candidateEmail: string }>
const raterLinks = (
  setup
    .prepare(
      `select o.body from outbox o join raters r on r.id = o.rater_id where r.invited_at is not null and r.submitted_at is null and r.revoked_at is null`,
    )
    .pluck()
    .all() as string[]
)
  .map((body) => /\/r\/([A-Za-z0-9_-]+)/.exec(body)?.[1])
  .filter((t): t is string => typeof t === 'string')
const statementIds = loadFrameworkFrom(process.env.CONTENT_DIR ?? 'content').capabilities.flatMap((c) =>
  c.behaviours.map((b) => b.id),
)
const planCandidateEmail = demoLogins.candidate
const planCandidateId = idOf(planCandidateEmail)
setup.close()
if (loops.length === 0 || raterLinks.length === 0)
  throw new Error('the demo data has no milestone loop or pending rater to drive')

const cookies = new Map<string, string>()
for (const email of new Set([mentorEmail, planCandidateEmail, ...loops.map((l) => l.candidateEmail)]))
  cookies.set(email, await logIn(server.origin, email))
const raterCookies: string[] = []
for (const [i, token] of raterLinks.entries()) {
  const res = await fetch(`${server.origin}/r/${token}`, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': `198.19.9.${i}` },
  })
  raterCookies.push(
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  )
}

// ---- Requests, with what counts as acknowledged -------------------------------------------------
type Outcome = 'ack' | 'refused' | 'unknown'
let attempted = 0
const acknowledged: Array<{ kind: string; key: string | number; value: string }> = []

/** One request against whichever server is up; a connection error is "unknown" (it may have been applied). */
async function send(
  path: string,
  init: RequestInit,
  okStatuses: number[],
): Promise<{ outcome: Outcome; status: number }> {
  if (restarting) await restarting
  attempted++
  const origin = server.origin
  try {
    const res = await fetch(`${origin}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), origin },
    })
    await res.arrayBuffer()
    return { outcome: okStatuses.includes(res.status) ? 'ack' : 'refused', status: res.status }
  } catch {
    return { outcome: 'unknown', status: 0 }
  }
}
const form = (cookie: string, fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
})

async function milestoneLoop(loop: { milestoneId: number; candidateEmail: string }, n: number) {
  const mentor = cookies.get(mentorEmail)!
  const candidate = cookies.get(loop.candidateEmail)!
  for (let i = 0; !stopping; i++) {
    const note = `crash-return ${loop.milestoneId}-${n}-${i}: add the model card.`
    const r = await send(`/milestones/${loop.milestoneId}`, form(mentor, { intent: 'return', note }), [302])
    if (r.outcome === 'ack') acknowledged.push({ kind: 'return', key: loop.milestoneId, value: note })
    const summary = `crash-evidence ${loop.milestoneId}-${n}-${i}: the model card is now attached and reviewed.`
    const body = new FormData()
    body.set('summary', summary)
    body.set('links', '')
    const s = await send(
      `/milestones/${loop.milestoneId}`,
      { method: 'POST', headers: { cookie: candidate }, body },
      [302],
    )
    if (s.outcome === 'ack') acknowledged.push({ kind: 'evidence', key: loop.milestoneId, value: summary })
  }
}

async function planLoop() {
  const candidate = cookies.get(planCandidateEmail)!
  for (let i = 0; !stopping; i++) {
    const action = `crash-plan ${i}: pair with the data lead on one pipeline review.`
    const r = await send(
      `/program/${planCandidateId}`,
      form(candidate, { intent: 'add-plan', capabilityId: 'data-intuition', action, dueOn: '' }),
      [200, 302],
    )
    if (r.outcome === 'ack') acknowledged.push({ kind: 'plan', key: planCandidateId, value: action })
  }
}

/** A rater saves drafts (each a different answer set) and finally submits once it is time. */
async function raterLoop(cookie: string, n: number, submitAfter: () => boolean) {
  for (let i = 0; ; i++) {
    const submit = submitAfter()
    const fields: Record<string, string> = { intent: submit ? 'submit' : 'save' }
    statementIds.forEach((id, k) => (fields[`s:${id}`] = String(((i + k + n) % 5) + 1)))
    fields['c:technical-depth'] = `crash-draft ${n}-${i}`
    const r = await send('/rate', form(cookie, fields), submit ? [302] : [200])
    if (r.outcome === 'ack')
      acknowledged.push({
        kind: submit ? 'rater-submit' : 'rater-draft',
        key: cookie,
        value: fields['c:technical-depth']!,
      })
    if (submit && r.outcome === 'ack') return
    if (submit && r.outcome === 'refused') return // submitted by an unacknowledged earlier attempt
  }
}

// ---- The killer ----------------------------------------------------------------------------------
let kills = 0
let treeKills = 0
let probes = 0
const probeFailures: string[] = []

/** GET /healthz on a connection of its own (not one kept alive to the worker that just died). */
function probe(origin: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}/healthz`, { agent: false, timeout: 5_000 }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error) => resolve({ status: 0, text: error.message }))
  })
}

/** SIGKILL to one worker; until its replacement listens, the other must answer every new connection. */
async function killOneWorker() {
  const pids = server.workerPids()
  const victim = pids[Math.floor(rand() * pids.length)]!
  process.kill(victim, 'SIGKILL')
  kills++
  const replaced = server.waitForWorkers(WORKERS, [victim], 60_000)
  let done = false
  void replaced.then(
    () => (done = true),
    () => (done = true),
  )
  let answered = 0
  while (!done) {
    const { status, text } = await probe(server.origin)
    probes++
    if (status === 200) answered++
    else
      probeFailures.push(
        `kill ${kills} (worker ${victim}): /healthz answered ${status || 'nothing'} (${text.slice(0, 80)}) while the worker was dead`,
      )
  }
  await replaced
  if (answered === 0) probeFailures.push(`kill ${kills} (worker ${victim}): replaced before any probe was answered`)
}

/** SIGKILL to the primary and every worker at once; then a fresh start. */
async function killTree() {
  let done!: () => void
  restarting = new Promise<void>((resolve) => (done = resolve))
  await server.kill()
  treeKills++
  server = await start()
  restarting = null
  done()
}

async function killer() {
  // The tree kills fall between worker kills, evenly.
  const treeKillAfter = new Set(
    Array.from({ length: TREE_KILLS }, (_, i) => Math.round(((i + 1) * KILLS) / (TREE_KILLS + 1))),
  )
  while (kills < KILLS) {
    await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 900)))
    await killOneWorker()
    if (treeKillAfter.has(kills)) {
      await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 900)))
      await killTree()
    }
  }
}

const workers = [
  ...loops.map((l, n) => milestoneLoop(l, n)),
  planLoop(),
  ...raterCookies.map((c, n) => raterLoop(c, n, () => stopping)),
]
await killer()
stopping = true
await Promise.all(workers)
await server.stop()

// ---- Checks ---------------------------------------------------------------------------------------
const db = new Database(file, { readonly: true })
const integrity = db.pragma('integrity_check', { simple: true }) as string
const foreignKeyProblems = (db.pragma('foreign_key_check') as unknown[]).length
const lost: string[] = []
const has = (sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) !== undefined
for (const a of acknowledged) {
  const present =
    a.kind === 'return'
      ? has("select 1 from signoffs where milestone_id = ? and kind = 'returned' and note = ?", a.key, a.value)
      : a.kind === 'evidence'
        ? has('select 1 from milestone_submissions where milestone_id = ? and summary = ?', a.key, a.value)
        : a.kind === 'plan'
          ? has('select 1 from plan_items where candidate_id = ? and action = ?', a.key, a.value)
          : true
  if (!present) lost.push(`${a.kind} ${a.key}: ${a.value}`)
}
// Raters: every acknowledged final submission is stored; otherwise the stored draft is the last
// acknowledged one or a later attempt (never an older one).
for (const a of acknowledged.filter((x) => x.kind === 'rater-submit')) {
  const n = a.value.split(' ')[1]!.split('-')[0]
  const stored = db
    .prepare('select submitted_at from raters where comments_json like ? and submitted_at is not null')
    .pluck()
    .get(`%crash-draft ${n}-%`)
  if (!stored) lost.push(`rater submission ${a.value}`)
}
for (const [n] of raterCookies.entries()) {
  const drafts = acknowledged.filter((x) => x.kind === 'rater-draft' && x.value.startsWith(`crash-draft ${n}-`))
  const lastAcked = drafts.at(-1)
  if (!lastAcked) continue
  const lastIndex = Number(lastAcked.value.split('-').at(-1))
  const stored = db
    .prepare('select comments_json from raters where comments_json like ?')
    .pluck()
    .get(`%crash-draft ${n}-%`) as string | undefined
  const storedIndex = stored ? Number(/crash-draft \d+-(\d+)/.exec(stored)?.[1]) : -1
  if (storedIndex < lastIndex)
    lost.push(`rater ${n}: stored draft ${storedIndex} is older than acknowledged draft ${lastIndex}`)
}

// Multi-row operations: each row has its audit entry, and each milestone's status follows its last event.
const halfApplied: string[] = []
const count = (sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) as number
for (const { milestoneId } of loops) {
  const returns = count("select count(*) from signoffs where milestone_id = ? and kind = 'returned'", milestoneId)
  const returnAudits = count(
    "select count(*) from audit_log where entity_type = 'milestone' and entity_id = ? and action = 'milestone.return'",
    String(milestoneId),
  )
  const submissions = count('select count(*) from milestone_submissions where milestone_id = ?', milestoneId)
  const submitAudits = count(
    "select count(*) from audit_log where entity_type = 'milestone' and entity_id = ? and action in ('milestone.submit', 'milestone.resubmit')",
    String(milestoneId),
  )
  if (returns !== returnAudits)
    halfApplied.push(`milestone ${milestoneId}: ${returns} returns, ${returnAudits} audit entries`)
  // The demo's first submission was seeded with its own audit entry; every later one came through the app.
  if (submissions !== submitAudits)
    halfApplied.push(`milestone ${milestoneId}: ${submissions} submissions, ${submitAudits} audit entries`)
  // The last of its audited events (ids are in commit order) says what the status must be.
  const lastEvent = db
    .prepare(
      "select action from audit_log where entity_type = 'milestone' and entity_id = ? and action in ('milestone.return', 'milestone.submit', 'milestone.resubmit') order by id desc limit 1",
    )
    .pluck()
    .get(String(milestoneId))
  const expected = lastEvent === 'milestone.return' ? 'returned' : 'submitted'
  const status = db.prepare('select status from milestones where id = ?').pluck().get(milestoneId)
  if (status !== expected) halfApplied.push(`milestone ${milestoneId}: status ${String(status)}, expected ${expected}`)
}
const plans = count("select count(*) from plan_items where action like 'crash-plan %'")
const planAudits = count(
  "select count(*) from audit_log where action = 'plan.add' and entity_id in (select cast(id as text) from plan_items where action like 'crash-plan %')",
)
if (plans !== planAudits) halfApplied.push(`plan items: ${plans} rows, ${planAudits} audit entries`)
db.close()
const { db: appDb, sqlite } = openDatabase(file)
const chain = verifyAuditLog(appDb)
sqlite.close()

const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(
  `Crash test: ${kills} worker kills and ${treeKills} whole-server kills (SIGKILL), each followed by a replacement or restart, in ${seconds} s; ` +
    `${attempted} requests attempted, ${acknowledged.length} acknowledged; ${probes} health probes while a worker was dead, ${probes - probeFailures.length} answered.`,
)
for (const p of probeFailures) console.log(`  UNAVAILABLE: ${p}`)
for (const l of lost) console.log(`  LOST: ${l}`)
for (const h of halfApplied) console.log(`  HALF-APPLIED: ${h}`)
if (!chain.intact) console.log(`  AUDIT CHAIN BROKEN at ${chain.brokenAtId}: ${chain.reason}`)
if (foreignKeyProblems) console.log(`  FOREIGN KEY PROBLEMS: ${foreignKeyProblems}`)
const ok =
  lost.length === 0 &&
  halfApplied.length === 0 &&
  chain.intact &&
  integrity === 'ok' &&
  foreignKeyProblems === 0 &&
  probeFailures.length === 0
console.log(
  `acknowledged=${acknowledged.length} lost=${lost.length} integrity=${integrity === 'ok' && chain.intact && halfApplied.length === 0 ? 'ok' : 'FAILED'}`,
)
process.exit(ok ? 0 : 1)
