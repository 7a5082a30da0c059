/**
 * Views derived from the whole candidate population (the pipeline, the gap analysis) take time
 * proportional to the organisation; they are kept in memory until the data they read changes.
 * "Changes" is exact: triggers raise `data_generation` on every write to those tables, by any
 * connection or process (decision 0013), so a cached view is never older than the last write.
 */
import { sql } from 'drizzle-orm'
import type { Db } from './db.server'

/** A few filter combinations at a time (an unfiltered pipeline of 5,000 candidates is ~10 MB); least recently used go first. */
const MAX_ENTRIES = 8

type Entry = { generation: number; value: unknown }
// Per database handle: tests open many databases in one process.
const caches = new WeakMap<Db, Map<string, Entry>>()

export function dataGeneration(db: Db): number {
  return db.get<{ value: number } | undefined>(sql`select value from data_generation where id = 1`)?.value ?? -1
}

/**
 * The value for `key` computed at the current data generation, computing it if needed. The key
 * must name everything else the value depends on (filters, the day).
 */
export function derived<T>(db: Db, key: string, compute: () => T): T {
  const generation = dataGeneration(db)
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const hit = cache.get(key)
  if (hit && hit.generation === generation) {
    // Re-insert: Map order is the eviction order.
    cache.delete(key)
    cache.set(key, hit)
    return hit.value as T
  }
  const value = compute()
  cache.delete(key)
  cache.set(key, { generation, value })
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return value
}
