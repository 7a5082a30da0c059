// @ts-check
/**
 * `npm run demo`: build if the build is missing or older than the sources, create data/demo.db
 * with the demo organisation if it does not exist, print the logins, and serve it.
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
run(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/seed-demo.ts'], { DATABASE_PATH: databasePath })

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'server.mjs'], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production', DATABASE_PATH: databasePath },
})
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
