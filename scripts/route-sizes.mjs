// @ts-check
/**
 * Prints the gzipped JavaScript each route makes the browser download on a first visit: the entry,
 * the root route, the route itself and the chunks they import (from the Remix assets manifest in the
 * server build). Run after `npm run build` (which runs this too).
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import zlib from 'node:zlib'

const build = await import(pathToFileURL(path.resolve('build/server/index.js')).href)
/** @type {{ entry: { module: string, imports: string[] }, routes: Record<string, { module: string, imports?: string[], parentId?: string }> }} */
const assets = build.assets
const clientDir = path.resolve('build/client')
const cache = new Map()
const gzipSize = (/** @type {string} */ url) => {
  if (!cache.has(url))
    cache.set(url, zlib.gzipSync(fs.readFileSync(path.join(clientDir, url)), { level: 9 }).byteLength)
  return cache.get(url)
}
const filesOf = (/** @type {{ module: string, imports?: string[] }} */ r) => [r.module, ...(r.imports ?? [])]

const rows = Object.entries(assets.routes)
  .filter(([id]) => id !== 'root')
  .map(([id, route]) => {
    const files = new Set([
      ...filesOf(assets.entry),
      ...(assets.routes.root ? filesOf(assets.routes.root) : []),
      ...filesOf(route),
    ])
    return { id: id.replace(/^routes\//, ''), kb: [...files].reduce((n, f) => n + gzipSize(f), 0) / 1024 }
  })
  .sort((a, b) => b.kb - a.kb)

console.log('\nJavaScript per route on a first visit (gzipped: entry + root + route):')
for (const r of rows) console.log(`  ${r.id.padEnd(34)} ${r.kb.toFixed(1).padStart(7)} KB`)
