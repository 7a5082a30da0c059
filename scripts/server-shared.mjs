// @ts-check
/** What the primary (server.mjs) and its HTTP workers (scripts/server-worker.mjs) share. */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const buildDir = path.join(root, 'build')

/**
 * @typedef {{ host: string, port: number, frameworkVersion: string, databasePath: string }} ServerConfig
 * @typedef {{
 *   startup: () => ServerConfig,
 *   startWorker: (askPrimaryToFlush: () => void) => ServerConfig,
 *   flushOutboxNow: () => void,
 *   shutdown: () => void,
 *   shutdownWorker: () => void,
 *   logError: (fields: { requestId?: string, method?: string, path?: string, status?: number, error?: unknown, message?: string }) => void,
 * }} AppEntry
 */

/**
 * The Remix server build and the functions its entry exports for the server. STO_SERVER_BUILD
 * names another build module: only the benchmark uses it, for its one-route reference page
 * (scripts/bench-reference-build.mjs) served by this same stack.
 * @returns {Promise<{ build: import('@remix-run/node').ServerBuild, appEntry: AppEntry }>}
 */
export async function loadBuild() {
  const file = process.env.STO_SERVER_BUILD
    ? path.resolve(process.env.STO_SERVER_BUILD)
    : path.join(buildDir, 'server', 'index.js')
  try {
    /** @type {any} */
    const module = await import(pathToFileURL(file).href)
    const build = module.default?.routes ? module.default : module
    return { build, appEntry: /** @type {AppEntry} */ (build.entry.module) }
  } catch (error) {
    console.error(
      `Cannot load the app build ${file}: run "npm run build" first.\n${/** @type {Error} */ (error).message}`,
    )
    process.exit(1)
  }
}

/**
 * A limit from the environment (a positive integer, at most `max`), else its default; tests set
 * small timeouts. A bad value stops the server with a message naming it.
 * @param {string} name
 * @param {number} fallback
 * @param {number} [max]
 */
export function limitFromEnv(name, fallback, max = 9_999_999_999) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > max) {
    console.error(
      `STO Pathway cannot start.\n${name} must be a positive integer${max < 9_999_999_999 ? ` of at most ${max}` : ''} (got "${raw}").`,
    )
    process.exit(1)
  }
  return Number(raw)
}

/**
 * A message to the primary. After the primary has gone (a kill -9) the channel is closed and the
 * worker is about to exit (Node's cluster does that): nothing to send to.
 * @param {object} message
 */
export function toPrimary(message) {
  if (process.connected && process.send) process.send(message)
}
