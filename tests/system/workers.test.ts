/**
 * The supervisor and its workers (server.mjs, scripts/server-worker.mjs), with WORKERS=2:
 * - a view cached by one worker (the pipeline summary behind /pipeline.csv) is fresh after a
 *   write through the other: the cache is per process, its data generation is in SQLite;
 * - the per-address connection cap holds for the server as a whole, not per worker;
 * - a worker killed with SIGKILL: the other keeps answering while it is gone, and the primary
 *   starts a replacement.
 * Requests are pinned to a worker by a keep-alive agent with one socket (a connection stays with
 * the worker that accepted it); EXPOSE_WORKER_PID=1 makes each answer name its worker.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, demoLogins, logIn, startServer, type RunningServer } from './server'

const CAP = 6
let server: RunningServer
let file: string
beforeAll(async () => {
  ;({ file } = demoDatabase())
  server = await startServer(file, { WORKERS: '2', EXPOSE_WORKER_PID: '1', MAX_CONNECTIONS_PER_ADDRESS: String(CAP) })
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

type Answer = { status: number; body: string; pid: number }
/** One request over `agent` (so over its one kept-alive connection, to its worker). */
function request(
  agent: http.Agent,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, server.origin)
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, pid: Number(res.headers['x-sto-worker-pid']) }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
const pinnedAgent = () => new http.Agent({ keepAlive: true, maxSockets: 1 })

/** Two agents whose connections were accepted by different workers. */
async function agentsOnBothWorkers(): Promise<[http.Agent, http.Agent, number, number]> {
  const first = pinnedAgent()
  const a = (await request(first, '/healthz')).pid
  for (let i = 0; i < 40; i++) {
    const other = pinnedAgent()
    const b = (await request(other, '/healthz')).pid
    if (b !== a) return [first, other, a, b]
    other.destroy()
  }
  throw new Error('every connection went to the same worker')
}

describe('two workers', () => {
  // First: the other tests leave kept-alive connections open for a while.
  it('caps connections per address for the server as a whole, not per worker', async () => {
    const open = (): Promise<net.Socket> =>
      new Promise((resolve, reject) => {
        const socket = net.connect(Number(new URL(server.origin).port), '127.0.0.1', () => resolve(socket))
        socket.on('error', reject)
      })
    const pids = new Set<number>()
    /** Sends one request; resolves with the answer's first line (and notes which worker answered). */
    const ask = (socket: net.Socket) =>
      new Promise<string>((resolve) => {
        let data = ''
        socket.setEncoding('utf8')
        const done = () => {
          const pid = /\r\nX-STO-Worker-Pid: (\d+)/i.exec(data)?.[1]
          if (pid) pids.add(Number(pid))
          resolve(data.split('\r\n')[0] ?? '')
        }
        socket.on('data', (d: string) => {
          data += d
          if (data.includes('\r\n\r\n')) done()
        })
        socket.on('close', done)
        socket.on('error', done)
        socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      })
    const held: net.Socket[] = []
    try {
      // CAP connections, spread over both workers: all answered.
      for (let i = 0; i < CAP; i++) {
        const socket = await open()
        held.push(socket)
        expect(await ask(socket)).toBe('HTTP/1.1 200 OK')
      }
      // Both workers hold some of them (each fewer than CAP)...
      expect(pids.size).toBe(2)
      // ...and one more, whichever worker gets it, is refused.
      const extra = await open()
      held.push(extra)
      expect(await ask(extra)).toBe('HTTP/1.1 503 Service Unavailable')
    } finally {
      for (const socket of held) socket.destroy()
    }
    // Closed connections are given back: a new one is answered.
    await new Promise((r) => setTimeout(r, 200))
    const again = await open()
    expect(await ask(again)).toBe('HTTP/1.1 200 OK')
    again.destroy()
  })

  it('start as two processes besides the primary, each answering', async () => {
    const pids = server.workerPids()
    expect(pids).toHaveLength(2)
    expect(pids).not.toContain(server.process.pid)
    const [a, b, pidA, pidB] = await agentsOnBothWorkers()
    expect(new Set([pidA, pidB])).toEqual(new Set(pids))
    a.destroy()
    b.destroy()
  })

  it('a pipeline view cached by one worker is fresh after a write through the other', async () => {
    const db = new Database(file, { readonly: true })
    const loop = db
      .prepare(
        `select m.id as milestoneId, p.name as candidate from milestones m join people p on p.id = m.candidate_id
         join candidate_profiles cp on cp.person_id = m.candidate_id join people mentor on mentor.id = cp.mentor_id
         where lower(mentor.email) = lower(?) and m.status = 'submitted' and m.sign_off = 'mentor' order by m.id limit 1`,
      )
      .get(demoLogins.mentor) as { milestoneId: number; candidate: string }
    db.close()
    expect(loop).toBeDefined()
    const hr = await logIn(server.origin, demoLogins.hr)
    const mentor = await logIn(server.origin, demoLogins.mentor)
    const [onA, onB, pidA, pidB] = await agentsOnBothWorkers()

    const pendingOf = async (agent: http.Agent, expectedPid: number) => {
      const res = await request(agent, '/pipeline.csv', { headers: { cookie: hr } })
      expect(res.status).toBe(200)
      expect(res.pid).toBe(expectedPid)
      const row = res.body
        .split('\n')
        .find((line) => line.startsWith(`${loop.candidate},`) || line.startsWith(`"${loop.candidate}",`))
      expect(row, `no pipeline row for ${loop.candidate}`).toBeDefined()
      // pending_signoffs is the 12th column; names and labels here have no commas.
      return Number(row!.split(',')[11])
    }
    // Each worker computes the view once and caches it.
    const before = await pendingOf(onA, pidA)
    expect(before).toBeGreaterThan(0)
    expect(await pendingOf(onA, pidA)).toBe(before)
    expect(await pendingOf(onB, pidB)).toBe(before)

    // The mentor returns the submitted milestone through worker B...
    const returned = await request(onB, `/milestones/${loop.milestoneId}`, {
      method: 'POST',
      headers: { cookie: mentor, origin: server.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'return', note: 'Please add the evaluation results.' }).toString(),
    })
    expect(returned.status).toBe(302)
    expect(returned.pid).toBe(pidB)

    // ...and worker A, which cached the view before the write, answers with the new count.
    expect(await pendingOf(onA, pidA)).toBe(before - 1)
    expect(await pendingOf(onB, pidB)).toBe(before - 1)
    onA.destroy()
    onB.destroy()
  })

  it('a worker killed with SIGKILL: the other keeps answering, and a new worker replaces it', async () => {
    const [victim, survivor] = server.workerPids()
    process.kill(victim!, 'SIGKILL')
    // While it is gone (before the replacement listens), every new connection is answered.
    const answered: number[] = []
    const deadline = Date.now() + 30_000
    while (server.workerPids().includes(victim!) || server.workerPids().length < 2) {
      const agent = new http.Agent({ keepAlive: false })
      const res = await request(agent, '/healthz')
      expect(res.status).toBe(200)
      answered.push(res.pid)
      if (Date.now() > deadline) throw new Error('no replacement within 30 s')
    }
    expect(answered).toContain(survivor)
    // (The last few may come from the replacement, listening just before the primary said so.)
    expect(answered).not.toContain(victim)
    const now = await server.waitForWorkers(2, [victim!])
    expect(now).toContain(survivor)
    expect(now).toHaveLength(2)
    // The replacement answers too.
    const [a, b, pidA, pidB] = await agentsOnBothWorkers()
    expect(new Set([pidA, pidB])).toEqual(new Set(now))
    a.destroy()
    b.destroy()
    expect(server.stderr()).toMatch(new RegExp(`worker ${victim} exited \\(signal SIGKILL\\)`))
  })
})

describe('the supervisor', () => {
  const root = path.resolve(import.meta.dirname, '../..')

  it('refuses a WORKERS that is not a whole number from 1 to 64, naming it', () => {
    for (const bad of ['0', '65', 'two', '1.5', '-1']) {
      const run = spawnSync(process.execPath, ['server.mjs'], {
        cwd: root,
        env: { ...process.env, WORKERS: bad },
        encoding: 'utf8',
        timeout: 20_000,
      })
      expect(run.status, bad).toBe(1)
      expect(run.stderr, bad).toMatch(/WORKERS must be a positive integer of at most 64/)
    }
  })

  it('stops with a message when every worker dies at start, after backing off', () => {
    // A build whose workers fail as they start (the primary's start-up succeeds).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-failing-build-'))
    const build = path.join(dir, 'build.mjs')
    fs.writeFileSync(
      build,
      `const config = () => ({ host: '127.0.0.1', port: 0, frameworkVersion: 'x', databasePath: '(none)' })
       export default { routes: {}, entry: { module: { startup: config, startWorker: () => { throw new Error('no worker can start') }, flushOutboxNow() {}, shutdown() {}, shutdownWorker() {}, logError() {} } } }\n`,
    )
    const started = Date.now()
    const run = spawnSync(process.execPath, ['server.mjs'], {
      cwd: root,
      env: { ...process.env, WORKERS: '1', STO_SERVER_BUILD: build },
      encoding: 'utf8',
      timeout: 60_000,
    })
    const took = Date.now() - started
    fs.rmSync(dir, { recursive: true, force: true })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/no worker can start/)
    expect(run.stderr).toMatch(/5 workers in a row died before they were ready/)
    // Restarts after 100, 200, 400 and 800 ms: the back-off doubles.
    expect(run.stderr).toMatch(
      /starting another in 100 ms[\s\S]*starting another in 200 ms[\s\S]*starting another in 400 ms[\s\S]*starting another in 800 ms/,
    )
    expect(took).toBeGreaterThanOrEqual(1_500)
  }, 70_000)

  it('SIGTERM: a request in flight is answered, then every process exits and the lock is released', async () => {
    const { file: db } = demoDatabase()
    const s = await startServer(db, { WORKERS: '2' })
    const lock = `${path.resolve(db)}.server.pid`
    expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(s.process.pid))
    const workers = s.workerPids()
    // A log-in whose body is still on its way when the server is told to stop.
    const body = new URLSearchParams({ email: demoLogins.hr, password: 'wrong password', redirectTo: '/' }).toString()
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request(`${s.origin}/login`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
          origin: s.origin,
          'x-forwarded-for': '198.18.7.7',
        },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write(body.slice(0, 10))
      setTimeout(() => req.end(body.slice(10)), 600)
    })
    await new Promise((r) => setTimeout(r, 200))
    const exited = new Promise<number | null>((resolve) => s.process.once('exit', (code) => resolve(code)))
    s.process.kill('SIGTERM')
    expect(await answered).toBe(400)
    expect(await exited).toBe(0)
    expect(fs.existsSync(lock)).toBe(false)
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow()
  }, 60_000)
})
