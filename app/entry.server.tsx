import { PassThrough } from 'node:stream'
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
} from '@remix-run/node'
import { RemixServer, isRouteErrorResponse } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { BUSY_RETRY_AFTER_SECONDS } from './utils/db.server'
import { logError, pathOf } from './utils/logging.server'
import { NonceProvider } from './utils/nonce'

// The production server (server.mjs) calls these through build.entry.module.
export { startup, startWorker, flushOutboxNow, shutdown, shutdownWorker } from './utils/startup.server'
export { logError } from './utils/logging.server'

const ABORT_DELAY = 5_000

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === 'string' ? loadContext.cspNonce : ''
  const waitForAll = isbot(request.headers.get('user-agent') ?? '')
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          // Pages carry personal data: keep them out of shared and back-button caches.
          if (!responseHeaders.has('Cache-Control')) responseHeaders.set('Cache-Control', 'no-store')
          // A 503 is the database staying busy (serviceBusy): tell clients when to try again.
          if (responseStatusCode === 503) responseHeaders.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS))
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered)
            logError({ requestId: requestIdOf(request), method: request.method, path: pathOf(request.url), error })
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

/** Loader and action data (single fetch) carry the same personal data as pages. */
export function handleDataRequest(response: Response) {
  if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store')
  if (response.status === 503) response.headers.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS))
  return response
}

/** Set by server.mjs for every request (never taken from the client). */
const requestIdOf = (request: Request) => request.headers.get('X-STO-Request-Id') ?? undefined

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (a closed tab) are not errors of the app.
  if (request.signal.aborted) return
  // A 4xx (no such page, not allowed, a bad request) is the client's, not an error of the app:
  // logging each would let any client flood the log.
  if (isRouteErrorResponse(error) && error.status < 500) return
  if (error instanceof Response && error.status < 500) return
  logError({
    requestId: requestIdOf(request),
    method: request.method,
    path: pathOf(request.url),
    status: isRouteErrorResponse(error) ? error.status : 500,
    error,
  })
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce?: string
  }
}
