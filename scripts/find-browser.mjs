// @ts-check
/**
 * Finds a Chromium for the end-to-end tests, installing one when there is none:
 * CHROMIUM_PATH, then the system's Chromium, then Playwright's own browser; otherwise Playwright's
 * installer (where its download host is reachable), then Debian's `chromium` package (as root).
 * Prints the path; fails with a clear message only when nothing works.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'

const systemPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

async function playwrightBrowser() {
  try {
    const { chromium } = await import('@playwright/test')
    const p = chromium.executablePath()
    return p && fs.existsSync(p) ? p : null
  } catch {
    return null
  }
}

export async function findBrowser() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`)
  }
  return systemPaths.find((p) => fs.existsSync(p)) ?? (await playwrightBrowser())
}

/** @param {string} cmd @param {string[]} args */
function tryRun(cmd, args, timeoutMs = 600_000) {
  console.log(`[browser] ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  return r.status === 0
}

export async function ensureBrowser() {
  const found = await findBrowser()
  if (found) return found
  console.log('[browser] No Chromium found; trying to install one.')
  if (tryRun('npx', ['playwright', 'install', 'chromium'], 300_000)) {
    const p = await playwrightBrowser()
    if (p) return p
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot && fs.existsSync('/usr/bin/apt-get')) {
    if (tryRun('apt-get', ['update', '-qq']) && tryRun('apt-get', ['install', '-y', '-qq', 'chromium'])) {
      const p = systemPaths.find((s) => fs.existsSync(s))
      if (p) return p
    }
  }
  throw new Error(
    'No Chromium for the end-to-end tests, and none could be installed.\n' +
      'Install one (Debian/Ubuntu: "sudo apt-get install chromium"; or "npx playwright install chromium"),\n' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureBrowser().then(
    (p) => console.log(p),
    (e) => {
      console.error(e.message)
      process.exit(1)
    },
  )
}
