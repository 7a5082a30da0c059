/** The session cookie object is built once per module, so Secure is tested in its own file. */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makePerson } from '../helpers/db'

const before = process.env.SECURE_COOKIES

beforeAll(async () => {
  process.env.SECURE_COOKIES = 'true'
  const { resetEnvCache } = await import('~/utils/env.server')
  resetEnvCache()
})

afterAll(async () => {
  if (before === undefined) delete process.env.SECURE_COOKIES
  else process.env.SECURE_COOKIES = before
  const { resetEnvCache } = await import('~/utils/env.server')
  resetEnvCache()
})

it('marks the session cookie Secure when SECURE_COOKIES=true', async () => {
  const { createSession } = await import('~/utils/session.server')
  const p = await makePerson({ roles: ['candidate'] })
  const setCookie = await createSession(p.id)
  const attrs = setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase())
  expect(attrs).toContain('secure')
  expect(attrs).toContain('httponly')
  expect(attrs).toContain('samesite=lax')
})
