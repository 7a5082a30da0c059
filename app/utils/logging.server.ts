/**
 * Error log: one JSON line per error on stderr — time, level, request id, method, path (never the
 * query string), status, the error's name and message. No personal data: no bodies, no cookies, no
 * addresses, no query strings. A dozen lines instead of a logging library (pino would add a
 * dependency and a transport for what is one JSON.stringify).
 */
export type ErrorLogFields = {
  requestId?: string
  method?: string
  path?: string
  status?: number
  error?: unknown
  message?: string
}

/** The error's name and message only (a stack trace can hold data; it is not needed to find the line). */
function describe(error: unknown) {
  if (error instanceof Error) return { error: error.name, message: error.message.slice(0, 500) }
  return { error: typeof error, message: String(error).slice(0, 500) }
}

export function logError({ requestId, method, path, status = 500, error, message }: ErrorLogFields) {
  const line = {
    time: new Date().toISOString(),
    level: 'error',
    requestId: requestId ?? null,
    method: method ?? null,
    path: path ?? null,
    status,
    ...(error === undefined ? { error: null, message: message ?? null } : describe(error)),
  }
  process.stderr.write(`${JSON.stringify(line)}\n`)
}

/** The path of a request URL without its query string or fragment ("/%E0" stays as sent). */
export function pathOf(url: string) {
  try {
    return new URL(url).pathname
  } catch {
    return url.split(/[?#]/)[0] ?? ''
  }
}
