/**
 * The built production server as a child process, for system tests and the crash test: a demo
 * database in a temporary directory, a free loopback port, log-ins over HTTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
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
    const seeded = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/seed-demo.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: templateDb, NODE_ENV: 'development' },
      encoding: 'utf8',
    })
    if (seeded.status !== 0) throw new Error(`seeding the demo database failed:\n${seeded.stderr}`)
  }
  const file = path.join(dir, 'sto.db')
  fs.copyFileSync(templateDb, file)
  return { dir, file }
}


export type RunningServer = { origin: string; process: ChildProcess; stderr: () => string; stop: () => Promise<void>; kill: () => Promise<void> }

/** Starts `node server.mjs` (production mode) on `databasePath` and waits for /healthz. */
export async function startServer(databasePath: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
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
  child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-8000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${stderr}`)
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer within 30 s:\n${stderr}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return {
    origin,
    process: child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
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
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
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
