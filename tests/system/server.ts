/**
 * The built production server as a child process, for system tests and the crash test: a demo
 * database in a temporary directory, a free loopback port, log-ins over HTTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../scripts/free-port.mjs'
import { DEMO_PASSWORD, demo as demoLogins } from '../helpers/demo-logins'

export { DEMO_PASSWORD, demoLogins }

const root = path.resolve(import.meta.dirname, '../..')
let templateDb: string | undefined

/** A private copy of a freshly seeded demo database (seeded once per process). */
export function demoDatabase(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-system-'))) {
  if (!templateDb) {
    const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-system-template-'))
    templateDb = path.join(templateDir, 'demo.db')
    const seeded = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/seed-demo.ts'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_PATH: templateDb, NODE_ENV: 'development' },
        encoding: 'utf8',
      },
    )
    if (seeded.status !== 0) throw new Error(`seeding the demo database failed:\n${seeded.stderr}`)
  }
  const file = path.join(dir, 'sto.db')
  fs.copyFileSync(templateDb, file)
  return { dir, file }
}

export type RunningServer = {
  origin: string
  /** The primary (the supervisor). */
  process: ChildProcess
  stderr: () => string
  /** Pids of the workers that are listening now, in the order they started. */
  workerPids: () => number[]
  /** Resolves when `count` workers listen, none of them in `except` (a replacement has started). */
  waitForWorkers: (count: number, except?: number[], timeoutMs?: number) => Promise<number[]>
  /** SIGTERM to the primary: a graceful stop. */
  stop: () => Promise<void>
  /** SIGKILL to the primary and every worker at once (the whole process group). */
  kill: () => Promise<void>
}

/**
 * Starts `node server.mjs` (production mode) on `databasePath` and waits until all its workers
 * listen. One worker unless `env.WORKERS` says otherwise: most system tests need no more, and the
 * machine running them is small.
 */
export async function startServer(databasePath: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const workers = Number(env.WORKERS ?? '1')
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: root,
    // Its own process group, so kill() can reach the workers too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      WORKERS: '1',
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: databasePath,
      UPLOADS_DIR: path.join(path.dirname(databasePath), 'uploads'),
      APP_URL: origin,
      SECURE_COOKIES: 'false',
      TRUST_PROXY: '1',
      SMTP_URL: '',
      ...env,
    },
  })
  let stderr = ''
  // The primary says "worker <pid> ready" and "worker <pid> exited (…)" for each worker.
  const live: number[] = []
  const watch = (line: string) => {
    const m = /^worker (\d+) (ready|exited)/.exec(line)
    if (!m) return
    const pid = Number(m[1])
    if (m[2] === 'ready') live.push(pid)
    else if (live.includes(pid)) live.splice(live.indexOf(pid), 1)
  }
  const lines = (stream: NodeJS.ReadableStream | null, keep: boolean) => {
    let rest = ''
    stream?.on('data', (d) => {
      if (keep) stderr = (stderr + String(d)).slice(-8000)
      const parts = (rest + String(d)).split('\n')
      rest = parts.pop() ?? ''
      parts.forEach(watch)
    })
  }
  lines(child.stdout, false)
  lines(child.stderr, true)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const waitForWorkers = async (count: number, except: number[] = [], timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${stderr}`)
      const fresh = live.filter((pid) => !except.includes(pid))
      if (live.length >= count && fresh.length === live.length) return [...live]
      if (Date.now() > deadline)
        throw new Error(
          `${count} workers did not listen within ${timeoutMs} ms (listening: ${live.join(', ')}):\n${stderr}`,
        )
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  await waitForWorkers(workers)
  // Not kept alive: a test of the connection cap starts with no connection of ours open.
  const health = await new Promise<number>((resolve, reject) =>
    http.get(`${origin}/healthz`, { agent: false }, (res) => resolve(res.resume().statusCode ?? 0)).on('error', reject),
  )
  if (health !== 200) throw new Error(`/healthz answered ${health}:\n${stderr}`)
  return {
    origin,
    process: child,
    stderr: () => stderr,
    workerPids: () => [...live],
    waitForWorkers,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
    kill: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL')
      await exited
      // The workers were killed with it; wait until the kernel has reaped every one.
      for (const pid of live) while (isAlive(pid)) await new Promise((r) => setTimeout(r, 5))
      live.length = 0
    },
  }
}

/** A process that exists and is not a zombie (a container's init may never reap one). */
function isAlive(pid: number) {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

let addressCounter = 0
/** A distinct client address per call (the server trusts one proxy hop), past the per-address login limit. */
export const clientAddress = () => `198.19.${(addressCounter >> 8) & 255}.${addressCounter++ & 255}`

export async function logIn(origin: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'x-forwarded-for': clientAddress() },
    body: new URLSearchParams({ email, password, redirectTo: '/' }),
  })
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  if (res.status !== 302 || !cookie) throw new Error(`could not log in as ${email} (status ${res.status})`)
  return cookie
}

/** A form POST as a browser on this site would send it. */
export function postForm(origin: string, pathname: string, cookie: string, form: Record<string, string>) {
  return fetch(`${origin}${pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
    body: new URLSearchParams(form),
  })
}
