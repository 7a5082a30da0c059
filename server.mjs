// @ts-check
/**
 * The production server (`npm start`): one primary process and WORKERS HTTP workers (default: one
 * per core; node's `cluster`, so the workers share the port and the primary hands each new
 * connection to one of them in turn).
 *
 * The primary, before it forks: validates the environment, takes the server lock, applies
 * migrations, checks the content and recodes old reports (`startup` in the app's entry) — once; a
 * problem stops start-up with a message naming it. Then it alone runs the background jobs and sends
 * mail (workers ask it to), and counts connections per client address for all workers.
 * Workers (scripts/server-worker.mjs) only serve HTTP. Sessions, rate limits and the derived-view
 * cache's data generation live in SQLite, so every worker sees the same state.
 *
 * A worker that dies is replaced after a back-off (100 ms, doubling to 10 s for a worker slot whose
 * workers keep dying; back to 100 ms once one has lived 30 s). When workers die before they ever
 * listen, five in a row, something is wrong with every start: the primary stops with a message.
 * SIGTERM/SIGINT: every worker stops accepting and finishes its in-flight requests, then the
 * primary stops its jobs, closes the database and releases the lock. A kill -9 of the primary
 * takes its workers with it (cluster closes their channel; they exit).
 */
import cluster from 'node:cluster'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_WORKERS,
  REQUEST_TIMEOUT_MS,
  WORKER_BACKOFF_MAX_MS,
  WORKER_BACKOFF_MIN_MS,
  WORKER_HEALTHY_AFTER_MS,
  WORKER_START_FAILURES_FATAL,
} from './scripts/server-flags.mjs'
import { limitFromEnv, loadBuild } from './scripts/server-shared.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))

// Checked here so that a bad value stops the primary once, not every worker at start.
const workerCount = limitFromEnv('WORKERS', Math.min(MAX_WORKERS, os.availableParallelism()), MAX_WORKERS)
limitFromEnv('REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS)
const maxConnectionsPerAddress = limitFromEnv('MAX_CONNECTIONS_PER_ADDRESS', MAX_CONNECTIONS_PER_ADDRESS)

const { appEntry } = await loadBuild()
const config = (() => {
  try {
    return appEntry.startup()
  } catch (error) {
    console.error(`STO Pathway cannot start.\n${/** @type {Error} */ (error).message}`)
    process.exit(1)
  }
})()

cluster.setupPrimary({ exec: path.join(here, 'scripts', 'server-worker.mjs') })

// ---- Connections per client address, for all workers together ----------------------------------
/** @type {Map<string, number>} */
const openByAddress = new Map()
/** Each worker's share, so that a worker's death gives its connections back. @type {Map<number, Map<string, number>>} */
const openByWorker = new Map()

/** @param {Map<string, number>} map @param {string} address @param {number} delta */
function add(map, address, delta) {
  const n = (map.get(address) ?? 0) + delta
  if (n <= 0) map.delete(address)
  else map.set(address, n)
}

/** @param {import('node:cluster').Worker} worker @param {string} address */
function admit(worker, address) {
  if ((openByAddress.get(address) ?? 0) >= maxConnectionsPerAddress) return false
  add(openByAddress, address, 1)
  let mine = openByWorker.get(worker.id)
  if (!mine) openByWorker.set(worker.id, (mine = new Map()))
  add(mine, address, 1)
  return true
}

/** @param {import('node:cluster').Worker} worker @param {string} address */
function release(worker, address) {
  const mine = openByWorker.get(worker.id)
  if (!mine?.has(address)) return
  add(mine, address, -1)
  add(openByAddress, address, -1)
}

/** @param {import('node:cluster').Worker} worker */
function releaseAll(worker) {
  for (const [address, n] of openByWorker.get(worker.id) ?? []) add(openByAddress, address, -n)
  openByWorker.delete(worker.id)
}

// ---- Workers: start, replace, stop ---------------------------------------------------------------
/** @typedef {{ worker: import('node:cluster').Worker | null, startedAt: number, listening: boolean, delayMs: number, timer: NodeJS.Timeout | null }} Slot */
/** @type {Slot[]} */
const slots = Array.from({ length: workerCount }, () => ({ worker: null, startedAt: 0, listening: false, delayMs: WORKER_BACKOFF_MIN_MS, timer: null }))
let startFailuresInARow = 0
let announced = false
let closing = false

/** @param {Slot} slot */
function startWorker(slot) {
  slot.timer = null
  if (closing) return
  const worker = cluster.fork()
  slot.worker = worker
  slot.startedAt = Date.now()
  slot.listening = false
  worker.on('message', (/** @type {any} */ message) => {
    if (message?.type === 'sto:admit') {
      const admitted = admit(worker, String(message.address))
      if (worker.isConnected()) worker.send({ type: 'sto:admitted', id: message.id, admitted })
    } else if (message?.type === 'sto:release') release(worker, String(message.address))
    else if (message?.type === 'sto:flush-outbox') appEntry.flushOutboxNow()
  })
  worker.on('listening', (address) => {
    slot.listening = true
    startFailuresInARow = 0
    console.log(`worker ${worker.process.pid} ready`)
    if (!announced && slots.every((s) => s.listening)) {
      announced = true
      console.log(
        `STO Pathway listening on http://${config.host}:${address.port} (${workerCount} worker${workerCount === 1 ? '' : 's'}, database ${config.databasePath}, framework ${config.frameworkVersion})`,
      )
    }
  })
  worker.on('exit', (code, signal) => {
    releaseAll(worker)
    slot.worker = null
    if (closing) return finishIfAllStopped()
    const lived = Date.now() - slot.startedAt
    const how = signal ? `signal ${signal}` : `exit code ${code}`
    if (!slot.listening) {
      startFailuresInARow++
      if (startFailuresInARow >= WORKER_START_FAILURES_FATAL) {
        console.error(`STO Pathway stops: ${startFailuresInARow} workers in a row died before they could listen (last: ${how}). See the errors above.`)
        stopAll(1)
        return
      }
    }
    if (lived >= WORKER_HEALTHY_AFTER_MS) slot.delayMs = WORKER_BACKOFF_MIN_MS
    console.error(`worker ${worker.process.pid} exited (${how}) after ${(lived / 1000).toFixed(1)} s; starting another in ${slot.delayMs} ms`)
    slot.timer = setTimeout(() => startWorker(slot), slot.delayMs)
    slot.delayMs = Math.min(WORKER_BACKOFF_MAX_MS, slot.delayMs * 2)
  })
}

let exitCode = 0
/** @param {number} code */
function stopAll(code) {
  if (closing) return
  closing = true
  exitCode = code
  for (const slot of slots) if (slot.timer) clearTimeout(slot.timer)
  for (const slot of slots) if (slot.worker?.isConnected()) slot.worker.send({ type: 'sto:stop' })
  // A worker finishes its in-flight requests within 10 s (then closes them itself); past that it is stuck.
  setTimeout(() => {
    for (const slot of slots) slot.worker?.process.kill('SIGKILL')
  }, 15_000).unref()
  finishIfAllStopped()
}

function finishIfAllStopped() {
  if (slots.some((s) => s.worker)) return
  appEntry.shutdown()
  console.log('Closed the database. Bye.')
  process.exit(exitCode)
}

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.on(signal, () => {
    if (!closing) console.log(`${signal} received: finishing in-flight requests...`)
    stopAll(0)
  })
}

for (const slot of slots) startWorker(slot)
