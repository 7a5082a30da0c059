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
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_WAITING_CONNECTIONS,
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

// ---- Connections: accepted here, counted per client address, handed to a worker -----------------
// The primary accepts every connection itself (unread: pauseOnConnect) rather than leaving it to
// cluster's round robin, for two reasons. The per-address cap must hold for the server as a whole,
// and only the primary sees every connection. And a connection handed to a worker that has just
// died must not be lost: cluster's round robin drops it (the client waits forever), while here the
// primary keeps its copy of the socket until the worker says it has taken it, and hands it to
// another worker if that one dies first.

/** @typedef {{ id: number, address: string, socket: import('node:net').Socket | null, workerId: number | null }} Connection */
/** Every connection a worker has not yet closed (socket: the primary's copy until a worker takes it). @type {Map<number, Connection>} */
const connections = new Map()
/** Accepted while no worker was ready (all starting): handed over as soon as one is. @type {Connection[]} */
const waiting = []
/** @type {Map<string, number>} */
const openByAddress = new Map()
let nextConnectionId = 0
let nextWorker = 0

/** @param {string} address @param {number} delta */
function count(address, delta) {
  const n = (openByAddress.get(address) ?? 0) + delta
  if (n <= 0) openByAddress.delete(address)
  else openByAddress.set(address, n)
}

/** @param {import('node:net').Socket} socket @param {string} text */
function refuse(socket, text) {
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  )
  setTimeout(() => socket.destroy(), 1_000).unref()
}

/** @param {import('node:net').Socket} socket */
function accept(socket) {
  socket.on('error', () => {})
  const address = socket.remoteAddress ?? 'unknown'
  if (closing) return void socket.destroy()
  // The socket's address, never a header: over the cap, a 503.
  if ((openByAddress.get(address) ?? 0) >= maxConnectionsPerAddress)
    return refuse(socket, 'Too many connections from one place.')
  count(address, 1)
  const connection = { id: nextConnectionId++, address, socket, workerId: null }
  connections.set(connection.id, connection)
  handOver(connection)
}

/** @param {Connection} connection */
function handOver(connection) {
  const socket = connection.socket
  if (!socket) return
  const ready = slots.filter((s) => s.listening && s.worker?.isConnected())
  if (ready.length === 0) {
    if (waiting.length >= MAX_WAITING_CONNECTIONS) {
      forget(connection)
      return refuse(socket, 'The server is starting. Try again.')
    }
    waiting.push(connection)
    return
  }
  const worker = /** @type {import('node:cluster').Worker} */ (ready[nextWorker++ % ready.length]?.worker)
  connection.workerId = worker.id
  worker.send({ type: 'sto:connection', id: connection.id }, socket, { keepOpen: true }, (error) => {
    // The worker is gone (its exit hands the connection on) or the channel failed: try another.
    if (error && connection.workerId === worker.id && connection.socket) {
      connection.workerId = null
      setImmediate(() => handOver(connection))
    }
  })
}

/** @param {Connection} connection */
function forget(connection) {
  if (!connections.delete(connection.id)) return
  count(connection.address, -1)
}

/** @param {import('node:cluster').Worker} worker */
function workerGone(worker) {
  for (const connection of connections.values()) {
    if (connection.workerId !== worker.id) continue
    connection.workerId = null
    // Taken by the dead worker: closed with it. Not yet taken: another worker gets it.
    if (connection.socket) handOver(connection)
    else forget(connection)
  }
}

function handOverWaiting() {
  for (const connection of waiting.splice(0)) handOver(connection)
}

const listener = net.createServer({ pauseOnConnect: true }, accept)
listener.on('error', (error) => {
  console.error(`STO Pathway cannot listen on ${config.host}:${config.port}: ${error.message}`)
  stopAll(1)
})
listener.listen(config.port, config.host)

// ---- Workers: start, replace, stop ---------------------------------------------------------------
/** @typedef {{ worker: import('node:cluster').Worker | null, startedAt: number, listening: boolean, delayMs: number, timer: NodeJS.Timeout | null }} Slot */
/** @type {Slot[]} */
const slots = Array.from({ length: workerCount }, () => ({
  worker: null,
  startedAt: 0,
  listening: false,
  delayMs: WORKER_BACKOFF_MIN_MS,
  timer: null,
}))
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
    if (message?.type === 'sto:taken') {
      const connection = connections.get(message.id)
      // The worker has its own copy now; closing ours does not close the connection.
      connection?.socket?.destroy()
      if (connection) connection.socket = null
    } else if (message?.type === 'sto:closed') {
      const connection = connections.get(message.id)
      if (connection) forget(connection)
    } else if (message?.type === 'sto:flush-outbox') appEntry.flushOutboxNow()
    else if (message?.type === 'sto:ready') {
      slot.listening = true
      startFailuresInARow = 0
      console.log(`worker ${worker.process.pid} ready`)
      handOverWaiting()
      if (!announced && slots.every((s) => s.listening)) {
        announced = true
        const address = listener.address()
        const port = typeof address === 'object' && address ? address.port : config.port
        console.log(
          `STO Pathway listening on http://${config.host}:${port} (${workerCount} worker${workerCount === 1 ? '' : 's'}, database ${config.databasePath}, framework ${config.frameworkVersion})`,
        )
      }
    }
  })
  worker.on('exit', (code, signal) => {
    slot.worker = null
    workerGone(worker)
    if (closing) return finishIfAllStopped()
    const lived = Date.now() - slot.startedAt
    const how = signal ? `signal ${signal}` : `exit code ${code}`
    if (!slot.listening) {
      startFailuresInARow++
      if (startFailuresInARow >= WORKER_START_FAILURES_FATAL) {
        console.error(
          `STO Pathway stops: ${startFailuresInARow} workers in a row died before they were ready (last: ${how}). See the errors above.`,
        )
        stopAll(1)
        return
      }
    }
    slot.listening = false
    if (lived >= WORKER_HEALTHY_AFTER_MS) slot.delayMs = WORKER_BACKOFF_MIN_MS
    console.error(
      `worker ${worker.process.pid} exited (${how}) after ${(lived / 1000).toFixed(1)} s; starting another in ${slot.delayMs} ms`,
    )
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
  // No new connections; those not yet with a worker are closed unanswered (the client retries).
  listener.close()
  for (const connection of waiting.splice(0)) connection.socket?.destroy()
  for (const slot of slots) if (slot.timer) clearTimeout(slot.timer)
  for (const slot of slots) {
    // A worker still starting has no handler for the message yet and nothing in flight: end it.
    if (slot.worker && !slot.listening) slot.worker.process.kill('SIGTERM')
    else if (slot.worker?.isConnected()) slot.worker.send({ type: 'sto:stop' })
  }
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

// Workers only once the port is ours: a port in use stops the primary before any worker starts.
listener.once('listening', () => {
  for (const slot of slots) startWorker(slot)
})
