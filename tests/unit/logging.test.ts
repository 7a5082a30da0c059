/** The error log: one JSON line per error, without query strings, stack traces or personal data. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { logError, pathOf } from '~/utils/logging.server'

afterEach(() => vi.restoreAllMocks())

describe('logError', () => {
  it('writes one JSON line with time, level, request id, method, path, status and the message', () => {
    const lines: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => (lines.push(String(chunk)), true),
    )
    logError({
      requestId: 'r-1',
      method: 'POST',
      path: pathOf('http://x/people/7?email=someone%40example.com#f'),
      error: new RangeError('boom'),
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.endsWith('\n')).toBe(true)
    expect(lines[0]!.trimEnd()).not.toContain('\n')
    const line = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(line).toMatchObject({
      level: 'error',
      requestId: 'r-1',
      method: 'POST',
      path: '/people/7',
      status: 500,
      error: 'RangeError',
      message: 'boom',
    })
    expect(typeof line.time).toBe('string')
    expect(lines[0]).not.toContain('someone')
    expect(lines[0]).not.toContain('at ') // no stack trace
  })

  it('keeps the path of a URL it cannot parse, without its query', () => {
    expect(pathOf('/%E0%A4%A?token=secret')).toBe('/%E0%A4%A')
  })
})
