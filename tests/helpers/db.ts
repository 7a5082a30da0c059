/** Test fixtures: people with roles and logged-in request cookies, written through the app's models. */
import type { Role } from '~/domain/roles'
import { createPerson, type CandidateProfileInput } from '~/models/people.server'
import { getDb, transaction } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'
import { createSession } from '~/utils/session.server'

export const TEST_PASSWORD = 'correct horse battery staple'

let counter = 0

export async function makePerson(
  opts: {
    roles: Role[]
    name?: string
    email?: string
    password?: string | null
    candidate?: Partial<CandidateProfileInput>
  } = { roles: ['candidate'] },
) {
  counter++
  const name = opts.name ?? `Test Person ${counter}`
  const email = opts.email ?? `person${counter}-${process.pid}@example.com`
  const passwordHash = opts.password === null ? null : await hashPassword(opts.password ?? TEST_PASSWORD)
  const candidate = opts.roles.includes('candidate')
    ? {
        background: 'senior-data-scientist',
        stage: 'shadow',
        mentorId: null,
        joinedOn: '2026-01-15',
        ...opts.candidate,
      }
    : null
  const id = transaction((tx) => createPerson(tx, null, { name, email, roles: opts.roles, passwordHash, candidate }))
  return { id, name, email }
}

/** A person plus the Cookie header of a fresh session of theirs. */
export async function loggedIn(opts: Parameters<typeof makePerson>[0]) {
  const person = await makePerson(opts)
  const setCookie = await createSession(person.id, getDb())
  return { ...person, cookie: setCookie.split(';')[0]! }
}

export function request(
  path: string,
  init: RequestInit & { cookie?: string; form?: Record<string, string | string[]> } = {},
) {
  const headers = new Headers(init.headers)
  if (init.cookie) headers.set('Cookie', init.cookie)
  let body = init.body
  if (init.form) {
    const fd = new URLSearchParams()
    for (const [k, v] of Object.entries(init.form)) for (const item of Array.isArray(v) ? v : [v]) fd.append(k, item)
    body = fd
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
  }
  return new Request(`http://localhost${path}`, {
    ...init,
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers,
    body,
  })
}

/** Runs a loader/action and returns what it returned or threw, as { status, data, headers }. */
export async function call(fn: () => Promise<unknown> | unknown) {
  try {
    return normalize(await fn(), false)
  } catch (thrown) {
    return normalize(thrown, true)
  }
}

function normalize(value: unknown, thrown: boolean) {
  if (value instanceof Response) return { thrown, status: value.status, headers: value.headers, data: null as unknown }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const v = value as unknown as { data: unknown; init: ResponseInit | null }
    return { thrown, status: v.init?.status ?? 200, headers: new Headers(v.init?.headers), data: v.data }
  }
  if (thrown) throw value
  return { thrown, status: 200, headers: new Headers(), data: value }
}
