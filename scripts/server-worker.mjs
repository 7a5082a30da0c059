// @ts-check
/**
 * One HTTP worker of the production server (server.mjs, the primary, forks one per core): Express
 * around the Remix build. It serves requests only: the primary has already applied migrations and
 * checked the content, and it alone holds the server lock, runs the background jobs and sends mail.
 * - security headers with a per-request CSP nonce, gzip, long-cached static assets;
 * - hostile input bounded before the app sees it (docs/reliability.md, "Hostile input"): body
 *   size by kind (413), header and request timeouts, connections per address across all workers
 *   (503, counted by the primary), unknown methods (405), malformed URLs (400), POSTs from another
 *   site or an opaque Origin (403);
 * - no request logging on the hot path (errors only, one JSON line each, with a request id);
 * - graceful stop when the primary asks (or on SIGTERM/SIGINT): stop accepting, finish in-flight
 *   requests, close the database connection.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import compression from 'compression'
import express from 'express'
import {
  FORM_BODY_LIMIT,
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  MULTIPART_BODY_LIMIT,
  REQUEST_TIMEOUT_MS,
} from './server-flags.mjs'
import { buildDir, limitFromEnv, loadBuild, toPrimary } from './server-shared.mjs'

if (!process.send) {
  console.error('scripts/server-worker.mjs is started by server.mjs (npm start), not on its own.')
  process.exit(1)
}

const { build, appEntry } = await loadBuild()

try {
  appEntry.startWorker(() => toPrimary({ type: 'sto:flush-outbox' }))
} catch (error) {
  console.error(`STO Pathway cannot start a worker.\n${/** @type {Error} */ (error).message}`)
  process.exit(1)
}

const requestTimeoutMs = limitFromEnv('REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS)
/** After refusing a body, read (and drop) the rest for at most this long so the client sees the answer. */
const REFUSED_BODY_LINGER_MS = 1_000

const production = process.env.NODE_ENV === 'production'
const exposeWorkerPid = process.env.EXPOSE_WORKER_PID === '1'
const secure = process.env.SECURE_COOKIES ? process.env.SECURE_COOKIES === 'true' : production

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', false)

/**
 * A short page for an answer the server gives before the app runs.
 * @param {import('express').Response} res
 * @param {number} status
 * @param {string} title
 * @param {string} text
 */
function refusal(res, status, title, text) {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · STO Pathway</title></head>` +
        `<body><main><h1>${title}</h1><p>${text}</p><p><a href="/">Back to STO Pathway</a></p></main></body></html>`,
    )
}

/** @param {number} limit */
const tooLargeText = (limit) =>
  `This request is larger than the ${limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${limit / 1024} KB`} this page accepts. Nothing was saved.`

/**
 * A client that asked for "Connection: close" would have the socket closed as soon as the answer is
 * written, while it is still sending: its own write then fails before it reads the 413. Keep the
 * socket open (the body is dropped unread) until the linger timer closes it.
 * @param {import('express').Response} res
 */
const keepOpenBriefly = (res) => {
  if (!res.headersSent) res.shouldKeepAlive = true
}

/** Every form of the app posts; nothing uses PUT, PATCH, DELETE, OPTIONS, TRACE or CONNECT. */
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST'])

app.use((req, res, next) => {
  // The app logs errors with this id; never accept one from the client.
  req.headers['x-sto-request-id'] = randomUUID()
  const nonce = randomBytes(16).toString('base64')
  res.locals.cspNonce = nonce
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      // recharts and React set style attributes; no inline <style> from users is ever rendered.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  )
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
  if (secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  // Only for tests of the supervisor (tests/system/workers.test.ts): which process answered.
  if (exposeWorkerPid) res.setHeader('X-STO-Worker-Pid', String(process.pid))
  // The app reads the client address from this header; never accept one from the client.
  req.headers['x-sto-remote-address'] = req.socket.remoteAddress ?? 'unknown'
  next()
})

// Requests no page of this app answers: refused before anything parses them.
app.use((req, res, next) => {
  if (!ALLOWED_METHODS.has(req.method)) {
    res.set('Allow', 'GET, HEAD, POST')
    refusal(res, 405, 'Method not allowed', 'This site answers GET and POST requests only.')
    return
  }
  try {
    decodeURIComponent(req.path)
  } catch {
    refusal(res, 400, 'Bad request', 'The address of this request is not a valid URL.')
    return
  }
  next()
})

// Every body is bounded before it is buffered: a declared length over the limit is refused
// unread; a body without one is counted while it streams and cut when it passes the limit.
app.use((req, res, next) => {
  const multipart = String(req.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('multipart/form-data')
  const limit = multipart ? MULTIPART_BODY_LIMIT : FORM_BODY_LIMIT
  let received = 0
  let refused = false
  let ended = false
  let lingered = false
  const cut = () => {
    if (!res.writableFinished || !(ended || lingered)) return
    req.on('error', () => {}) // nobody may be reading the body any more
    req.destroy(Object.assign(new Error('Request body too large'), { code: 'ERR_BODY_TOO_LARGE' }))
  }
  const refuse = () => {
    refused = true
    keepOpenBriefly(res)
    if (!res.headersSent) refusal(res, 413, 'Too large', tooLargeText(limit))
    res.locals.bodyRefused = true
    res.once('finish', () => {
      setTimeout(() => {
        lingered = true
        cut()
      }, REFUSED_BODY_LINGER_MS).unref()
      cut()
    })
  }
  const declared = Number(req.headers['content-length'] ?? '0')
  if (declared > limit) {
    // Refused unread. Node drops the rest of the body as it arrives (no buffering) so that the
    // client, still sending, reads the answer; after REFUSED_BODY_LINGER_MS the socket is closed.
    keepOpenBriefly(res)
    refusal(res, 413, 'Too large', tooLargeText(limit))
    res.once('finish', () => {
      // Whatever the client still sends is not read: the connection closes.
      setTimeout(() => {
        req.socket.destroy()
      }, REFUSED_BODY_LINGER_MS).unref()
    })
    return
  }
  // The parser hands every chunk of the body to push(); past the limit nothing more reaches the
  // app (not even the end, so a cut body is never parsed as a shorter form).
  const push = req.push
  req.push = function (chunk, encoding) {
    if (refused) {
      if (chunk === null) {
        ended = true
        cut()
      }
      return true
    }
    if (chunk !== null && chunk !== undefined) {
      received += chunk.length
      if (received > limit) {
        refuse()
        return true
      }
    }
    return push.call(this, chunk, encoding)
  }
  next()
})

app.use(compression())

// Fingerprinted assets never change: cache them for a year.
app.use(
  '/assets',
  express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y', index: false }),
)
app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h', index: false }))

// Changes only by POST from this site: refuse a cross-site Origin before the app sees the request.
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next()
  const origin = req.headers.origin
  // "null" is an opaque origin (a sandboxed frame, a file, a cross-site redirect): not this site.
  if (origin) {
    let host
    try {
      host = origin === 'null' ? '' : new URL(origin).host
    } catch {
      host = ''
    }
    if (host !== req.headers.host) {
      refusal(
        res,
        403,
        'Cross-site request refused.',
        'Changes are accepted only from the pages of this site. Nothing was saved.',
      )
      return
    }
  }
  next()
})

const remix = createRequestHandler({
  build,
  mode: production ? 'production' : 'development',
  getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
})
app.all('*', (req, res, next) =>
  remix(req, res, (error) => {
    // The body was cut with a 413 already sent: the app's own answer has nowhere to go.
    if (res.locals.bodyRefused && res.headersSent) return
    next(error)
  }),
)

/** @type {import('express').ErrorRequestHandler} */
const lastResort = (error, req, res, _next) => {
  appEntry.logError({
    requestId: String(req.headers['x-sto-request-id'] ?? ''),
    method: req.method,
    path: req.path,
    error,
  })
  if (res.headersSent) {
    req.socket.destroy()
    return
  }
  refusal(res, 500, 'Something went wrong', 'The server could not answer this request. Try again in a moment.')
}
app.use(lastResort)

// Timeouts in seconds, not Node's five minutes: a slow body (a byte every few seconds) is cut.
// Node checks them every connectionsCheckingInterval, so that is a fraction of the timeout.
const server = http.createServer(
  {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(requestTimeoutMs / 4))),
  },
  app,
)

// Connections come from the primary, which accepts them, applies the per-address cap for all
// workers together, and hands each socket to one worker (scripts/server-flags.mjs, server.mjs).
// This worker says it has taken a socket at once (until then the primary keeps its copy, to hand it
// to another worker if this one dies) and says when it has closed (the primary's count).
// Node's HTTP server starts checking its header and request timeouts on 'listening'; this server
// never listens itself, so it is told.
server.emit('listening')
/** @type {Set<import('node:net').Socket>} */
const open = new Set()
process.on('message', (/** @type {any} */ message, /** @type {import('node:net').Socket | undefined} */ socket) => {
  if (message?.type === 'sto:connection') {
    toPrimary({ type: 'sto:taken', id: message.id })
    if (!socket || socket.destroyed || closing) {
      socket?.destroy()
      toPrimary({ type: 'sto:closed', id: message.id })
      return
    }
    open.add(socket)
    socket.once('close', () => {
      open.delete(socket)
      toPrimary({ type: 'sto:closed', id: message.id })
    })
    server.emit('connection', socket)
  } else if (message?.type === 'sto:stop') shutdown()
})

let closing = false
function shutdown() {
  if (closing) return
  closing = true
  const started = Date.now()
  // Idle keep-alive connections are closed now, busy ones as soon as their answer is sent.
  const check = () => {
    if (Date.now() - started > 10_000) {
      console.error(`Worker ${process.pid}: requests still open after 10 s; closing anyway.`)
      for (const socket of open) socket.destroy()
    }
    server.closeIdleConnections()
    if (open.size > 0) return
    appEntry.shutdownWorker()
    process.exit(0)
  }
  setInterval(check, 50)
  check()
}
// SIGTERM to this worker alone: stop gracefully (the primary starts a replacement). SIGINT is
// what a terminal's Ctrl-C sends to the whole process group: the primary then stops every worker.
process.on('SIGTERM', () => shutdown())
process.on('SIGINT', () => {})

toPrimary({ type: 'sto:ready' })
