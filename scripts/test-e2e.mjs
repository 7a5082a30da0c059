// @ts-check
/**
 * `npm run test:e2e`: build the app, find (or install) Chromium, run the Playwright tests
 * against the production server. Extra arguments go to Playwright.
 */
import { spawnSync } from 'node:child_process'
import { ensureBrowser } from './find-browser.mjs'

/** @param {string} cmd @param {string[]} args @param {Record<string, string>} [env] */
export function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
}

export async function runE2e(
  extraArgs = /** @type {string[]} */ ([]),
  env = /** @type {Record<string, string>} */ ({}),
) {
  if (run('npx', ['remix', 'vite:build', '--logLevel', 'warn']) !== 0) {
    console.error('The build failed; the end-to-end tests cannot run.')
    return 1
  }
  let browser
  try {
    browser = await ensureBrowser()
  } catch (error) {
    console.error(/** @type {Error} */ (error).message)
    return 1
  }
  console.log(`[e2e] Chromium: ${browser}`)
  return run('npx', ['playwright', 'test', ...extraArgs], { ...env, CHROMIUM_PATH: browser })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await runE2e(process.argv.slice(2)))
}
