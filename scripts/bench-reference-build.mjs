// @ts-check
/**
 * The benchmark's reference page: a minimal one-route Remix app, outside the app's routes, served
 * by the same server stack (`STO_SERVER_BUILD=scripts/bench-reference-build.mjs node server.mjs`:
 * the same primary, worker, Express middleware, compression and security headers). Its single
 * route renders a complete document — <Meta>, <Links>, a paragraph, <Scripts> with the hydration
 * data and module preloads — with no loader, no session and no database, so the floor's ratio to
 * it is what the app adds (route manifest, root loader, layout markup).
 *
 * Written by hand as a ServerBuild (what `remix vite:build` emits) so that the benchmark needs no
 * second build; the client modules it names are never fetched (the benchmark reads the HTML only).
 */
import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { Links, Meta, RemixServer, Scripts } from '@remix-run/react'
import { createElement as h } from 'react'
import { renderToPipeableStream } from 'react-dom/server'

/** As app/entry.server.tsx for a browser: stream once the shell is ready, never cached. */
function handleRequest(
  /** @type {Request} */ request,
  /** @type {number} */ status,
  /** @type {Headers} */ headers,
  /** @type {any} */ remixContext,
  /** @type {any} */ loadContext,
) {
  const nonce = typeof loadContext?.cspNonce === 'string' ? loadContext.cspNonce : ''
  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(h(RemixServer, { context: remixContext, url: request.url, nonce }), {
      nonce,
      onShellReady() {
        const body = new PassThrough()
        headers.set('Content-Type', 'text/html; charset=utf-8')
        headers.set('Cache-Control', 'no-store')
        resolve(new Response(/** @type {any} */ (createReadableStreamFromReadable(body)), { headers, status }))
        pipe(body)
      },
      onShellError: reject,
    })
    setTimeout(abort, 5_000)
  })
}

function Page() {
  return h(
    'html',
    { lang: 'en' },
    h(
      'head',
      null,
      h('meta', { charSet: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h(Meta),
      h(Links),
    ),
    h(
      'body',
      null,
      h('main', null, h('h1', null, 'Reference'), h('p', null, 'A minimal Remix page served by the same stack.')),
      h(Scripts),
    ),
  )
}

const env = () => ({
  host: process.env.HOST || '127.0.0.1',
  port: Number(process.env.PORT || 3000),
  frameworkVersion: 'reference',
  databasePath: '(none)',
})

/** What server.mjs and scripts/server-worker.mjs call (app/entry.server.tsx exports the real ones). */
const entryModule = {
  default: handleRequest,
  startup: env,
  startWorker: env,
  flushOutboxNow: () => {},
  shutdown: () => {},
  shutdownWorker: () => {},
  logError: (/** @type {unknown} */ fields) => console.error(JSON.stringify(fields)),
}

/** @type {any} */
const build = {
  mode: 'production',
  basename: '/',
  publicPath: '/',
  assetsBuildDirectory: 'build/client',
  isSpaMode: false,
  // The app's flags (vite.config.ts), so the rendering path is the same.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_routeConfig: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    unstable_optimizeDeps: false,
  },
  entry: { module: entryModule },
  routes: {
    root: {
      id: 'root',
      parentId: undefined,
      path: '',
      index: undefined,
      caseSensitive: undefined,
      module: { default: Page, meta: () => [{ title: 'Reference' }] },
    },
  },
  assets: {
    entry: { module: '/assets/reference-entry.js', imports: ['/assets/reference-components.js'], css: [] },
    routes: {
      root: {
        id: 'root',
        parentId: undefined,
        path: '',
        index: undefined,
        caseSensitive: undefined,
        hasAction: false,
        hasLoader: false,
        hasClientAction: false,
        hasClientLoader: false,
        hasErrorBoundary: false,
        module: '/assets/reference-root.js',
        imports: [],
        css: [],
      },
    },
    url: '/assets/reference-manifest.js',
    version: 'reference',
  },
}
export default build
