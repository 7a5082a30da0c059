// @ts-check
/**
 * `npm test`: typecheck, lint and format checks, unit and integration tests (vitest), then end-to-end tests in Chromium
 * (Playwright) against the built app, then system tests that run the built server as a process
 * (vitest.system.config.ts: the benchmark's smoke test, backups under load). Every step runs even
 * if an earlier one failed, so one run shows everything; the last line sums all test runners as
 * "N passed, N failed".
 */
import fs from 'node:fs'
import path from 'node:path'
import { run, runE2e } from './test-e2e.mjs'

const resultsDir = path.resolve('test-results')
fs.mkdirSync(resultsDir, { recursive: true })
const vitestJson = path.join(resultsDir, 'vitest.json')
const e2eJson = path.join(resultsDir, 'e2e.json')
const systemJson = path.join(resultsDir, 'system.json')
for (const f of [vitestJson, e2eJson, systemJson]) fs.rmSync(f, { force: true })

const problems = []

console.log('\n== Typecheck ==')
if (run('npx', ['tsc', '--noEmit']) !== 0) problems.push('typecheck failed')

// Lint (the layers' import rules included) and formatting are checks, not conventions (decision 0017).
console.log('\n== Lint (ESLint) and format (Prettier) ==')
if (run('npx', ['eslint', '.']) !== 0) problems.push('lint failed')
if (run('npx', ['prettier', '--check', '--log-level', 'warn', '.']) !== 0)
  problems.push('formatting check failed (run npm run format)')

console.log('\n== Unit and integration tests (vitest) ==')
if (run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) !== 0)
  problems.push('vitest failed')

console.log('\n== End-to-end tests (Playwright, Chromium) ==')
if ((await runE2e([], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson })) !== 0) problems.push('end-to-end tests failed')

// The end-to-end step built the app; these start its production server themselves.
console.log('\n== System tests (the built server as a process) ==')
if (
  run('npx', [
    'vitest',
    'run',
    '--config',
    'vitest.system.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${systemJson}`,
  ]) !== 0
)
  problems.push('system tests failed')

// Crash safety (issue 7): SIGKILL the server under load, restart, check nothing acknowledged was lost.
console.log('\n== Crash test (npm run test:crash) ==')
const crashOk = run('npx', ['tsx', 'scripts/test-crash.ts']) === 0
if (!crashOk) problems.push('crash test failed')

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

let passed = 0
let failed = 0
let skipped = 0
for (const [file, label] of /** @type {const} */ ([
  [vitestJson, 'vitest'],
  [systemJson, 'system test'],
])) {
  const v = readJson(file)
  if (v) {
    passed += v.numPassedTests ?? 0
    failed += v.numFailedTests ?? 0
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  } else problems.push(`no ${label} results`)
}
const e = readJson(e2eJson)
if (e?.stats) {
  passed += (e.stats.expected ?? 0) + (e.stats.flaky ?? 0)
  failed += e.stats.unexpected ?? 0
  skipped += e.stats.skipped ?? 0
} else problems.push('no end-to-end results')

// The crash test is one test: it passed or it lost something.
if (crashOk) passed++
else failed++

if (problems.length > 0) console.log(`\nProblems: ${problems.join('; ')}`)
if (problems.length > 0 && failed === 0) failed = 1 // a step that failed without counting a test still fails the run
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(problems.length > 0 || failed > 0 ? 1 : 0)
