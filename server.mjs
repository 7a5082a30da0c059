// @ts-check
/**
 * The production server: Express around the Remix build.
 * - validates the environment, applies migrations and checks the content before it listens
 *   (a problem stops start-up with a message naming it);
 * - security headers with a per-request CSP nonce, gzip, long-cached static assets;
 * - no request logging on the hot path (errors only);
 * - graceful shutdown on SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import compression from 'compression'
import express from 'express'

const here = path.dirname(fileURLToPath(import.meta.url))
const buildDir = path.join(here, 'build')

/** @type {import('@remix-run/node').ServerBuild} */
let build
try {
  build = await import(pathToFileURL(path.join(buildDir, 'server', 'index.js')).href)
} catch (error) {
  console.error(`Cannot load the app build in ${buildDir}: run "npm run build" first.\n${/** @type {Error} */ (error).message}`)
  process.exit(1)
}

const appEntry = /** @type {{ startup: () => { host: string, port: number, frameworkVersion: string, databasePath: string }, shutdown: () => void }} */ (
  /** @type {unknown} */ (build.entry.module)
)

let config
try {
  config = appEntry.startup()
} catch (error) {
  console.error(`STO Pathway cannot start.\n${/** @type {Error} */ (error).message}`)
  process.exit(1)
}

const production = process.env.NODE_ENV === 'production'
const secure = process.env.SECURE_COOKIES ? process.env.SECURE_COOKIES === 'true' : production

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', false)

app.use((req, res, next) => {
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
  // The app reads the client address from this header; never accept one from the client.
  req.headers['x-sto-remote-address'] = req.socket.remoteAddress ?? 'unknown'
  next()
})

app.use(compression())

// Fingerprinted assets never change: cache them for a year.
app.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y', index: false }))
app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h', index: false }))

// Changes only by POST from this site: refuse a cross-site Origin before the app sees the request.
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next()
  const origin = req.headers.origin
  if (origin && origin !== 'null') {
    let host
    try {
      host = new URL(origin).host
    } catch {
      host = ''
    }
    if (host !== req.headers.host) {
      res.status(403).type('text/plain').send('Cross-site request refused.')
      return
    }
  }
  next()
})

app.all(
  '*',
  createRequestHandler({
    build,
    mode: production ? 'production' : 'development',
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
  }),
)

const server = app.listen(config.port, config.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  console.log(`STO Pathway listening on http://${config.host}:${port} (database ${config.databasePath}, framework ${config.frameworkVersion})`)
})
server.keepAliveTimeout = 5_000

let closing = false
/** @param {string} signal */
function shutdown(signal) {
  if (closing) return
  closing = true
  console.log(`${signal} received: finishing in-flight requests...`)
  const force = setTimeout(() => {
    console.error('Requests still open after 10 s; closing anyway.')
    server.closeAllConnections()
  }, 10_000)
  force.unref()
  server.close(() => {
    appEntry.shutdown()
    console.log('Closed the database. Bye.')
    process.exit(0)
  })
  // Idle keep-alive connections would hold close() open.
  server.closeIdleConnections()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
