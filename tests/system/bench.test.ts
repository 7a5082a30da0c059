/**
 * The benchmark script itself, on a tiny organisation with one-second runs: it must print one
 * JSON line with every route, every route answered without errors, every acknowledged rater
 * submission stored, and the side-by-side ratios (default workers ÷ one worker, floor ÷ reference
 * page). No timing is asserted (speed is the benchmark's report, not a test).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-bench-test-'))
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }))

it('prints a JSON summary of every route as its last line, with no errors', () => {
  const run = spawnSync(
    process.execPath,
    [
      'scripts/bench.mjs',
      '--no-build',
      '--candidates',
      '30',
      '--duration',
      '1',
      '--warmup',
      '0.2',
      '--cache-dir',
      cacheDir,
    ],
    {
      encoding: 'utf8',
      timeout: 200_000,
    },
  )
  expect(run.status, run.stderr).toBe(0)
  const lines = run.stdout.trim().split('\n')
  const summary = JSON.parse(lines.at(-1)!) as {
    candidates: number
    cores: number
    workers: number
    floor_rps: number
    workers_ratio: number
    workers_pair: { default_rps: number; one_worker_rps: number; errors: number }
    floor_vs_reference: number
    reference_pair: { floor_rps: number; reference_rps: number; errors: number }
    peak_process_rss_mb: number
    peak_rss_mb: number
    cold_start_ms: number
    rater_submissions: { acknowledged: number; stored: number }
    routes: Array<{
      name: string
      rps: number
      p50_ms: number
      p95_ms: number
      p99_ms: number
      errors: number
      requests: number
      ratio_to_floor: number
    }>
  }
  expect(summary.candidates).toBe(30)
  expect(summary.routes.map((r) => r.name)).toEqual([
    'floor',
    'pipeline',
    'pipeline_filtered',
    'gaps',
    'report',
    'rater_form',
    'mentor_queue',
    'rater_submit',
  ])
  for (const r of summary.routes) {
    expect(r.errors, r.name).toBe(0)
    expect(r.requests, r.name).toBeGreaterThan(0)
    for (const key of ['rps', 'p50_ms', 'p95_ms', 'p99_ms', 'ratio_to_floor'] as const)
      expect(typeof r[key], `${r.name}.${key}`).toBe('number')
    expect(r.p50_ms).toBeLessThanOrEqual(r.p95_ms)
    expect(r.p95_ms).toBeLessThanOrEqual(r.p99_ms)
  }
  expect(summary.floor_rps).toBeGreaterThan(0)
  // The default is one worker per core (at most 64).
  expect(summary.workers).toBe(Math.min(64, os.availableParallelism()))
  expect(summary.cores).toBe(os.availableParallelism())
  // Both ratios are measured in this run, each from two servers driven in turn, without errors.
  for (const rps of [
    summary.workers_pair.default_rps,
    summary.workers_pair.one_worker_rps,
    summary.reference_pair.floor_rps,
    summary.reference_pair.reference_rps,
  ])
    expect(rps).toBeGreaterThan(0)
  expect(summary.workers_pair.errors).toBe(0)
  expect(summary.reference_pair.errors).toBe(0)
  expect(summary.workers_ratio).toBeCloseTo(summary.workers_pair.default_rps / summary.workers_pair.one_worker_rps, 1)
  expect(summary.floor_vs_reference).toBeCloseTo(
    summary.reference_pair.floor_rps / summary.reference_pair.reference_rps,
    1,
  )
  expect(summary.peak_rss_mb).toBeGreaterThan(0)
  // The memory of all the server's processes together is more than that of its largest one.
  expect(summary.peak_rss_mb).toBeGreaterThan(summary.peak_process_rss_mb)
  expect(summary.rater_submissions.acknowledged).toBeGreaterThan(0)
  expect(summary.rater_submissions.stored).toBe(summary.rater_submissions.acknowledged)
  // The readable table comes before the JSON line.
  expect(run.stdout).toContain('route')
  expect(run.stdout).toContain('rater_submit')
  expect(run.stdout).toMatch(/floor ÷ reference page/)
})
