/**
 * `npm run bench [-- --quick | --candidates N] [--duration S] [--warmup S] [--no-build] [--cache-dir DIR] [--only a,b] [--profile]`
 *
 * Builds the app, builds (or reuses) a scale database with `seed:scale`, starts the production
 * server (the primary and its default number of workers) on a copy of it on a free loopback port,
 * logs in with the right role for each route, and drives each route with autocannon at 16
 * connections: a warm-up, then a timed run. Then, in the same run, two comparisons, each between
 * two servers up at once and driven in turn: the floor with the default workers against a server
 * with WORKERS=1, and that one against a minimal one-route Remix page
 * (scripts/bench-reference-build.mjs) on the same stack with one worker. Reports requests/s, p50/p95/p99, errors (non-2xx/3xx and socket errors), the ratio of
 * each route to the floor route (a page with no data, /privacy), `workers_ratio` (floor with the
 * default workers ÷ with one) and `floor_vs_reference` (floor ÷ reference page, one worker each),
 * the server's cold start and peak resident memory (all its processes), and counts the rater
 * submissions stored afterwards. The last line printed is one JSON object (see docs/performance.md).
 *
 * Exits non-zero only when the benchmark itself could not run (the targets are reported, not enforced).
 */
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { freePort } from './free-port.mjs'
import { SERVER_NODE_FLAGS } from './server-flags.mjs'

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
function option(name, fallback) {
  const i = argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = Number(argv[i + 1])
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} needs a positive number (got "${argv[i + 1] ?? ''}")`)
  return value
}
function fail(message) {
  console.error(`bench: ${message}`)
  process.exit(2)
}

const quick = flag('quick')
const candidates = option('candidates', quick ? 500 : 5000)
if (!Number.isInteger(candidates) || candidates < 8) fail('--candidates must be a whole number of at least 8')
const duration = option('duration', quick ? 4 : 15)
const warmup = option('warmup', quick ? 1 : 3)
const CONNECTIONS = 16
const PASSWORD = 'pathway-scale-2026'
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const log = (...a) => console.log(...a)

// 1. Build.
if (!flag('no-build')) {
  log('== Building the app ==')
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  if (b.status !== 0) fail('the build failed')
}
if (!fs.existsSync(path.join(root, 'build/server/index.js'))) fail('no build found: run without --no-build')

// 2. Scale data, cached by size, day and the code and content that shape it.
const today = new Date().toISOString().slice(0, 10)
function fingerprint() {
  const h = crypto.createHash('sha256')
  const files = [
    'scripts/seed-scale.ts',
    'db/seed/demo-assessments.ts',
    ...fs
      .readdirSync(path.join(root, 'db/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => `db/migrations/${f}`),
    ...fs.readdirSync(path.join(root, 'content')).map((f) => `content/${f}`),
  ].sort()
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(root, f)))
  return h.digest('hex').slice(0, 12)
}
const cacheIndex = argv.indexOf('--cache-dir')
const cacheDir =
  cacheIndex >= 0 && argv[cacheIndex + 1] ? path.resolve(argv[cacheIndex + 1]) : path.join(root, 'data/bench')
fs.mkdirSync(cacheDir, { recursive: true })
const seeded = path.join(cacheDir, `scale-${candidates}-${today}-${fingerprint()}.db`)
if (!fs.existsSync(seeded)) {
  for (const f of fs.readdirSync(cacheDir))
    if (f.startsWith(`scale-${candidates}-`)) fs.rmSync(path.join(cacheDir, f), { force: true })
  log(`== Building scale data: ${candidates} candidates ==`)
  const partial = `${seeded}.partial`
  const s = spawnSync(
    'npx',
    ['tsx', 'scripts/seed-scale.ts', '--candidates', String(candidates), '--out', partial, '--today', today],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  )
  if (s.status !== 0) fail('seed:scale failed')
  fs.renameSync(partial, seeded)
} else log(`== Reusing scale data ${path.relative(root, seeded)} ==`)

// 3. A private copy (the run submits answers) and a server on a free loopback port.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-bench-'))
const dbPath = path.join(workDir, 'scale.db')
fs.copyFileSync(seeded, dbPath)
// The seed checkpoints its WAL; copy one anyway if something wrote to the cached file since.
if (fs.existsSync(`${seeded}-wal`)) fs.copyFileSync(`${seeded}-wal`, `${dbPath}-wal`)
const profileDir = path.join(cacheDir, 'profiles')
// --profile writes V8 CPU profiles of the server's processes (open them in Chrome DevTools) to <cache dir>/profiles.
const nodeArgs = flag('profile') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []

/**
 * Starts the production server exactly as `npm start` does (the primary and its workers), on a
 * free loopback port; `build` is the benchmark's reference page instead of the app.
 * @param {{ workers?: number, build?: string, database?: string }} how
 */
async function startServer(how) {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const startedAt = performance.now()
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, 'server.mjs'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: how.database ?? dbPath,
      UPLOADS_DIR: path.join(workDir, 'uploads'),
      APP_URL: origin,
      SECURE_COOKIES: 'false',
      // Each rater link is opened from its own (pretend) address, past the per-address link limit.
      TRUST_PROXY: '1',
      SMTP_URL: '',
      ...(how.workers ? { WORKERS: String(how.workers) } : { WORKERS: '' }),
      ...(how.build ? { STO_SERVER_BUILD: how.build } : {}),
    },
  })
  const state = {
    child,
    origin,
    exited: false,
    err: '',
    workers: /** @type {number[]} */ ([]),
    announced: false,
    coldStartMs: 0,
  }
  let out = ''
  child.stdout?.on('data', (d) => {
    out += d
    const lines = out.split('\n')
    out = lines.pop() ?? ''
    for (const line of lines) {
      const ready = /^worker (\d+) ready/.exec(line)
      if (ready) state.workers.push(Number(ready[1]))
      if (line.startsWith('STO Pathway listening')) state.announced = true
    }
  })
  child.stderr?.on('data', (d) => (state.err = (state.err + d).slice(-4000)))
  child.on('exit', () => (state.exited = true))
  servers.add(state)
  try {
    await waitForHealth(state, !how.build)
  } catch (e) {
    fail(`the server did not start: ${e instanceof Error ? e.message : e}\n${state.err}`)
  }
  state.coldStartMs = Math.round(performance.now() - startedAt)
  return state
}
/** @type {Set<{ child: import('node:child_process').ChildProcess, exited: boolean }>} */
const servers = new Set()
/** @param {{ child: import('node:child_process').ChildProcess, exited: boolean }} s */
async function stopServer(s) {
  s.child.kill('SIGTERM')
  await new Promise((resolve) => (s.exited ? resolve(null) : s.child.once('exit', resolve)))
  servers.delete(s)
}
const cleanup = () => {
  for (const s of servers) if (!s.exited) s.child.kill('SIGKILL')
  fs.rmSync(workDir, { recursive: true, force: true })
}
process.on('exit', cleanup)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130))

const cores = os.availableParallelism()
// First the default server (every worker): all routes.
let server = await startServer({})
let origin = server.origin
const coldStartMs = server.coldStartMs
log(
  `Server listening on ${origin} with ${server.workers.length} workers after ${coldStartMs} ms (cold start, migrations checked)`,
)

// 4. Who to be, and what to ask for.
const data = new Database(dbPath, { readonly: true, fileMustExist: true })
const idOf = (email) => /** @type {number} */ (data.prepare('select id from people where email = ?').pluck().get(email))
const c0 = idOf('c0@scale.sto-pathway.test')
const reportCycle = data
  .prepare("select id from assessment_cycles where candidate_id = ? and state = 'closed' order by id desc limit 1")
  .pluck()
  .get(c0)
const firstBackground = data
  .prepare('select background from candidate_profiles order by person_id limit 1')
  .pluck()
  .get()
const links = /** @type {Array<{ raterId: number, body: string }>} */ (
  data
    .prepare(
      "select o.rater_id as raterId, o.body from outbox o join raters r on r.id = o.rater_id where r.status = 'approved' and r.invited_at is not null and r.submitted_at is null order by o.id",
    )
    .all()
)
const tokens = links.map((l) => /\/r\/([A-Za-z0-9_-]+)/.exec(l.body)?.[1]).filter((t) => typeof t === 'string')
const statementIds = /** @type {string[]} */ (
  JSON.parse(fs.readFileSync(path.join(root, 'content/framework.json'), 'utf8')).domains.flatMap((d) =>
    d.capabilities.flatMap((c) => c.behaviours.map((b) => b.id)),
  )
)
data.close()
if (!reportCycle || tokens.length < 2) fail('the scale data has no closed cycle or pending rater links')

const cookies = {
  hr: await logIn('hr0@scale.sto-pathway.test'),
  mentor: await logIn('mentor0@scale.sto-pathway.test'),
  candidate: await logIn('c0@scale.sto-pathway.test'),
}
log(`Opening ${tokens.length} rater links…`)
const raterCookies = await mapPool(tokens, 16, openRaterLink)
const formRater = raterCookies.shift()
const formBody = (i) => {
  const p = new URLSearchParams({ intent: 'submit' })
  statementIds.forEach((id, k) => p.set(`s:${id}`, (i + k) % 11 === 0 ? 'na' : String(((i + k) % 5) + 1)))
  p.set('c:technical-depth', `Clear thinking on trade-offs ${i}.`)
  return p.toString()
}

/** @type {Array<{ name: string, path: string, cookie: string }>} */
const getRoutes = [
  { name: 'floor', path: '/privacy', cookie: cookies.hr },
  { name: 'pipeline', path: '/pipeline', cookie: cookies.hr },
  { name: 'pipeline_filtered', path: `/pipeline?background=${firstBackground}`, cookie: cookies.hr },
  { name: 'gaps', path: '/pipeline/gaps', cookie: cookies.hr },
  { name: 'report', path: `/cycles/${reportCycle}/report`, cookie: cookies.candidate },
  { name: 'rater_form', path: '/rate', cookie: /** @type {string} */ (formRater) },
  { name: 'mentor_queue', path: '/queue', cookie: cookies.mentor },
]

// 5. Drive each route; sample the server's memory throughout (the primary and every worker).
let peakRssKb = 0
let peakProcessRssKb = 0
/** @param {number} pid */
const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0 // not Linux, or the process has exited
  }
}
const sampleMemory = () => {
  const each = [/** @type {number} */ (server.child.pid), ...server.workers].map(rssKb)
  peakRssKb = Math.max(
    peakRssKb,
    each.reduce((a, b) => a + b, 0),
  )
  peakProcessRssKb = Math.max(peakProcessRssKb, ...each)
}
const memoryTimer = setInterval(sampleMemory, 100)

const results = []
// --only floor,pipeline limits the run to some routes (while investigating one).
const only = argv.includes('--only') ? new Set(String(argv[argv.indexOf('--only') + 1]).split(',')) : null
for (const r of getRoutes.filter((x) => !only || x.name === 'floor' || only.has(x.name))) {
  const target = { url: origin + r.path, headers: { cookie: r.cookie } }
  await drive(target, { duration: warmup })
  const m = await drive(target, { duration })
  results.push({ name: r.name, ...m })
  log(`  ${r.name.padEnd(18)} ${m.rps.toFixed(0).padStart(6)} req/s  p95 ${m.p95_ms} ms  errors ${m.errors}`)
}

// Rater submissions: each request answers a different pending invitation (its own rater session).
const warmSubmits = Math.min(100, Math.floor(raterCookies.length / 10))
const queue = raterCookies.map((cookie, i) => ({ cookie, body: formBody(i) }))
const submitRequest = () => {
  let next = 0
  return {
    method: /** @type {const} */ ('POST'),
    path: '/rate',
    setupRequest: (req) => {
      const item = queue[next++]
      if (!item) return req
      return {
        ...req,
        headers: { ...req.headers, cookie: item.cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: item.body,
      }
    },
  }
}
const shared = submitRequest() // one cursor over the queue for both phases
let submit = { requests: 0, ok: 0, rps: 0, p50_ms: null, p95_ms: null, p99_ms: null, errors: 0 }
let warmOk = 0
if (!only || only.has('rater_submit')) {
  if (warmSubmits > 0) warmOk = (await drive({ requests: [shared] }, { amount: warmSubmits })).ok
  submit = await drive({ requests: [shared] }, { amount: queue.length - warmSubmits })
  results.push({ name: 'rater_submit', ...submit })
  log(
    `  ${'rater_submit'.padEnd(18)} ${submit.rps.toFixed(0).padStart(6)} req/s  p95 ${submit.p95_ms} ms  errors ${submit.errors}`,
  )
}

sampleMemory()
clearInterval(memoryTimer)
const workersDefault = server.workers.length

// The two comparisons, each between two servers up at the same time and driven in turn (A, B, A,
// B, half the duration each): whatever else the machine does drifts over both alike.
/** @param {{ origin: string }} s @param {string} pathname @param {string} [cookie] */
const at = (s, pathname, cookie) => ({ url: s.origin + pathname, headers: cookie ? { cookie } : {} })
/** @param {ReturnType<typeof at>} a @param {ReturnType<typeof at>} b */
async function inTurn(a, b) {
  const sums = [
    { requests: 0, seconds: 0, errors: 0 },
    { requests: 0, seconds: 0, errors: 0 },
  ]
  for (let round = 0; round < 2; round++) {
    for (const [i, target] of [a, b].entries()) {
      const m = await drive(target, { duration: duration / 2 })
      sums[i].requests += m.requests
      sums[i].seconds += m.requests / Math.max(m.rps, 1e-9)
      sums[i].errors += m.errors
    }
  }
  return sums.map((x) => ({ rps: x.seconds > 0 ? x.requests / x.seconds : 0, errors: x.errors }))
}
// The floor with the default workers against the floor with one. One server per database (its
// lock): the second gets a consistent copy, sessions included, taken while the first runs.
const secondDb = path.join(workDir, 'second.db')
const source = new Database(dbPath, { readonly: true, fileMustExist: true })
await source.backup(secondDb)
source.close()
const oneWorker = await startServer({ workers: 1, database: secondDb })
await drive(at(oneWorker, '/privacy', cookies.hr), { duration: warmup })
const [floorDefaultPaired, floorOneWorker] = await inTurn(
  at(server, '/privacy', cookies.hr),
  at(oneWorker, '/privacy', cookies.hr),
)
await stopServer(server)
log(
  `  ${'floor, in turn'.padEnd(18)} ${workersDefault} workers ${floorDefaultPaired.rps.toFixed(0)} req/s, 1 worker ${floorOneWorker.rps.toFixed(0)} req/s`,
)
// The floor with one worker against the reference page (a minimal Remix page, same stack, one worker).
const referenceServer = await startServer({ workers: 1, build: 'scripts/bench-reference-build.mjs' })
await drive(at(referenceServer, '/'), { duration: warmup })
const [floorAgainstReference, reference] = await inTurn(at(oneWorker, '/privacy', cookies.hr), at(referenceServer, '/'))
await stopServer(oneWorker)
await stopServer(referenceServer)
log(
  `  ${'floor vs reference'.padEnd(18)} floor ${floorAgainstReference.rps.toFixed(0)} req/s, reference page ${reference.rps.toFixed(0)} req/s (1 worker each)`,
)

const check = new Database(dbPath, { readonly: true, fileMustExist: true })
const stored = check
  .prepare('select count(*) from raters where submitted_at is not null and id in (select value from json_each(?))')
  .pluck()
  .get(JSON.stringify(links.map((l) => l.raterId)))
check.close()

// 6. Report.
const floor = results.find((r) => r.name === 'floor')
const routes = results.map((r) => ({
  name: r.name,
  rps: round(r.rps, 1),
  p50_ms: r.p50_ms,
  p95_ms: r.p95_ms,
  p99_ms: r.p99_ms,
  errors: r.errors,
  requests: r.requests,
  ratio_to_floor: floor && floor.rps > 0 ? round(r.rps / floor.rps, 2) : null,
}))
const acknowledgedSubmits = submit.ok + warmOk
const summary = {
  candidates,
  connections: CONNECTIONS,
  duration_s: duration,
  cold_start_ms: coldStartMs,
  cores,
  workers: workersDefault,
  floor_rps: round(floor?.rps ?? 0, 1),
  // The floor with the default workers over the floor with one, driven in turn.
  workers_ratio: floorOneWorker.rps > 0 ? round(floorDefaultPaired.rps / floorOneWorker.rps, 2) : null,
  workers_pair: {
    default_rps: round(floorDefaultPaired.rps, 1),
    one_worker_rps: round(floorOneWorker.rps, 1),
    errors: floorDefaultPaired.errors + floorOneWorker.errors,
  },
  // The floor over a minimal one-route Remix page on the same stack, one worker each, driven in turn.
  floor_vs_reference: reference.rps > 0 ? round(floorAgainstReference.rps / reference.rps, 2) : null,
  reference_pair: {
    floor_rps: round(floorAgainstReference.rps, 1),
    reference_rps: round(reference.rps, 1),
    errors: floorAgainstReference.errors + reference.errors,
  },
  // The primary and every worker together, and the largest single process.
  peak_rss_mb: Math.round(peakRssKb / 1024),
  peak_process_rss_mb: Math.round(peakProcessRssKb / 1024),
  rater_submissions: { acknowledged: acknowledgedSubmits, stored },
  routes,
}
log('')
log(
  `STO Pathway benchmark — ${candidates} candidates, ${CONNECTIONS} connections, ${duration} s per route (after ${warmup} s warm-up), ${cores} CPUs, ${workersDefault} workers`,
)
log(
  ['route', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', '× floor']
    .map((h, i) => (i ? h.padStart(9) : h.padEnd(18)))
    .join(''),
)
for (const r of routes)
  log(
    [
      r.name.padEnd(18),
      ...[r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.errors, r.ratio_to_floor ?? '-'].map((v) => String(v).padStart(9)),
    ].join(''),
  )
log(
  `floor: ${workersDefault} workers ÷ 1 worker = ${summary.workers_ratio} · floor ÷ reference page (1 worker each) = ${summary.floor_vs_reference}`,
)
log(
  `cold start ${coldStartMs} ms · peak RSS ${summary.peak_rss_mb} MB in all, ${summary.peak_process_rss_mb} MB the largest process · rater submissions acknowledged ${acknowledgedSubmits}, stored ${stored}`,
)
console.log(JSON.stringify(summary))

// ---------------------------------------------------------------------------------------------

function round(n, digits) {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Runs autocannon and measures each response's latency and status itself (for exact p95). */
async function drive(target, limits) {
  /** @type {number[]} */
  const latencies = []
  let ok = 0
  let bad = 0
  const instance = autocannon({
    url: origin,
    // A small organisation may have fewer pending invitations than connections.
    connections: limits.amount !== undefined ? Math.min(CONNECTIONS, Math.max(limits.amount, 1)) : CONNECTIONS,
    timeout: 30,
    ...(limits.amount !== undefined ? { amount: Math.max(limits.amount, 1) } : { duration: limits.duration }),
    ...target,
  })
  /** @type {Map<number, number>} */
  const badStatuses = new Map()
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime)
    if (statusCode >= 200 && statusCode < 400) ok++
    else {
      bad++
      badStatuses.set(statusCode, (badStatuses.get(statusCode) ?? 0) + 1)
    }
  })
  const result = await instance
  if (bad || result.errors || result.timeouts)
    log(
      `    (errors: ${[...badStatuses].map(([s, n]) => `${n} × ${s}`).join(', ') || 'none by status'}; ${result.errors ?? 0} socket errors, ${result.timeouts ?? 0} timeouts)`,
    )
  latencies.sort((a, b) => a - b)
  const pct = (p) =>
    latencies.length
      ? round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)], 1)
      : null
  const seconds = (result.duration ?? 0) || limits.duration || 1
  return {
    requests: ok + bad,
    ok,
    rps: (ok + bad) / seconds,
    p50_ms: pct(50),
    p95_ms: pct(95),
    p99_ms: pct(99),
    errors: bad + (result.errors ?? 0) + (result.timeouts ?? 0),
  }
}

/**
 * One request on a connection of its own, closed after the answer. (fetch keeps its connections
 * open for seconds: 16 of them, from opening rater links, plus autocannon's 16 would pass the
 * server's 32 connections per address, and the first route would meet 503s.)
 * @param {string} url @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 * @returns {Promise<{ status: number, cookies: string }>}
 */
function once(url, init = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '),
        }),
      )
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

async function logIn(email) {
  const res = await once(`${origin}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'x-forwarded-for': '198.19.0.1' },
    body: new URLSearchParams({ email, password: PASSWORD, redirectTo: '/' }).toString(),
  })
  const cookie = res.cookies
  if (res.status !== 302 || !cookie) fail(`could not log in as ${email} (status ${res.status})`)
  return cookie
}

async function openRaterLink(token, i) {
  const res = await once(`${origin}/r/${token}`, {
    headers: { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  })
  const cookie = res.cookies
  if (res.status !== 302 || !cookie) fail(`a rater link did not open (status ${res.status})`)
  return cookie
}

/** Maps with at most `width` calls in flight, keeping order. */
async function mapPool(items, width, fn) {
  const out = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i], i)
      }
    }),
  )
  return out
}

/** Until every worker is ready (the primary says so) and, for the app, /healthz answers. */
async function waitForHealth(
  /** @type {{ origin: string, exited: boolean, announced: boolean }} */ s,
  /** @type {boolean} */ isApp,
) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (s.exited) throw new Error('the server exited')
    if (s.announced) {
      if (!isApp) return // the reference page has no /healthz
      try {
        const res = await once(`${s.origin}/healthz`)
        if (res.status === 200) return
      } catch {
        /* not listening yet */
      }
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('every worker ready and /healthz answering: not within 30 s')
}
