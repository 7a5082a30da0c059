// @ts-check
/**
 * A production server for the end-to-end tests on a fresh temporary database:
 * `node scripts/e2e-server.mjs demo PORT` (the demo organisation) or `... empty PORT` (first-run setup).
 * The build must exist (scripts/test-e2e.mjs builds first).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const [kind = 'demo', port = '4173'] = process.argv.slice(2)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sto-e2e-${kind}-`))
const databasePath = path.join(dir, 'sto.db')

Object.assign(process.env, {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: port,
  DATABASE_PATH: databasePath,
  // Each test speaks through its own X-Forwarded-For address (tests/e2e/fixtures.ts), as behind a
  // proxy, so the per-IP login limit applies per test and not to the whole suite.
  TRUST_PROXY: '1',
  UPLOADS_DIR: path.join(dir, 'uploads'),
})

if (kind === 'demo') {
  execFileSync(path.resolve('node_modules/.bin/tsx'), ['scripts/seed-demo.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
const cleanup = () => fs.rmSync(dir, { recursive: true, force: true })
process.on('exit', cleanup)
await import('../server.mjs')
