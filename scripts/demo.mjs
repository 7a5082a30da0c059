// @ts-check
/**
 * `npm run demo`: build if the build is missing or older than the sources, start a local mailbox
 * (maildev: SMTP on 127.0.0.1:1025, web inbox on 127.0.0.1:1080; MAILDEV_SMTP_PORT and
 * MAILDEV_WEB_PORT override) unless SMTP_URL is already set, create data/demo.db with the demo
 * organisation if it does not exist, print the logins, and serve it with APP_URL from its port.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { SERVER_NODE_FLAGS } from './server-flags.mjs'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
process.chdir(root)
const buildEntry = path.join(root, 'build', 'server', 'index.js')

/** Newest modification time below the given paths.
 * @param {string[]} paths */
function newestMtime(paths) {
  let newest = 0
  /** @param {string} p */
  const visit = (p) => {
    if (!fs.existsSync(p)) return
    const stat = fs.statSync(p)
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry))
    else newest = Math.max(newest, stat.mtimeMs)
  }
  paths.forEach(visit)
  return newest
}

/** @param {string} command @param {string[]} args @param {Record<string, string>} env */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) {
    console.error(`\n"${command} ${args.join(' ')}" failed.`)
    process.exit(result.status ?? 1)
  }
}

const sources = ['app', 'public', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(root, p))
if (!fs.existsSync(buildEntry) || newestMtime(sources) > fs.statSync(buildEntry).mtimeMs) {
  console.log('Building the app...')
  run('npm', ['run', 'build', '--silent'])
}

const databasePath = process.env.DATABASE_PATH || 'data/demo.db'
const port = process.env.PORT || '3000'
const appUrl = process.env.APP_URL || `http://127.0.0.1:${port}`

/** Starts maildev bound to 127.0.0.1 and waits for its web inbox; returns the child and the SMTP URL. */
async function startMailbox() {
  const smtpPort = process.env.MAILDEV_SMTP_PORT || '1025'
  const webPort = process.env.MAILDEV_WEB_PORT || '1080'
  const web = `http://127.0.0.1:${webPort}`
  // Kept beside the demo database, so mail survives a restart; a fresh demo database gets a fresh mailbox.
  const mailDir = path.join(path.dirname(path.resolve(databasePath)), 'demo-mailbox')
  if (!fs.existsSync(databasePath)) fs.rmSync(mailDir, { recursive: true, force: true })
  fs.mkdirSync(mailDir, { recursive: true })
  const args = [
    path.join(root, 'node_modules', 'maildev', 'bin', 'maildev'),
    '--ip',
    '127.0.0.1',
    '--smtp',
    smtpPort,
    '--web',
    webPort,
    '--mail-directory',
    mailDir,
    '--silent',
  ]
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `The local mailbox (maildev) stopped at start (are ports ${smtpPort} and ${webPort} free? Set MAILDEV_SMTP_PORT / MAILDEV_WEB_PORT).`,
      )
    try {
      if ((await fetch(`${web}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The local mailbox (maildev) did not answer on ${web} within 15 s.`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, web }
}

/** @type {import('node:child_process').ChildProcess | null} */
let mailbox = null
let smtpUrl = process.env.SMTP_URL || ''
let mailboxWeb = ''
if (!smtpUrl) {
  try {
    const started = await startMailbox()
    mailbox = started.child
    smtpUrl = started.smtpUrl
    mailboxWeb = started.web
  } catch (error) {
    console.error(String(/** @type {Error} */ (error).message))
    process.exit(1)
  }
}

// The seed's invitations are queued for the mailbox (SMTP_URL) with links to this server (APP_URL).
run(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/seed-demo.ts'], {
  DATABASE_PATH: databasePath,
  SMTP_URL: smtpUrl,
  APP_URL: appUrl,
})

console.log(
  mailboxWeb
    ? `Mailbox: ${mailboxWeb}  (every email the demo sends arrives here)`
    : `Mail goes to SMTP_URL (${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}).`,
)
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'server.mjs'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV || 'production',
    DATABASE_PATH: databasePath,
    PORT: port,
    APP_URL: appUrl,
    SMTP_URL: smtpUrl,
  },
})
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    server.kill(signal)
    mailbox?.kill(signal)
  })
}
server.on('exit', (code) => {
  mailbox?.kill('SIGTERM')
  process.exit(code ?? 0)
})
