import { afterEach, describe, expect, it } from 'vitest'
import { resetEnvCache } from '~/utils/env.server'
import { getCommonPasswords, hashPassword, parseHash, passwordProblem, verifyPassword } from '~/utils/password.server'

const PW = 'a long and unusual passphrase'

afterEach(() => {
  process.env.SCRYPT_LOG_N = '10'
  resetEnvCache()
})

describe('hashPassword / verifyPassword', () => {
  it('round-trips: the right password verifies', async () => {
    const stored = await hashPassword(PW)
    expect(await verifyPassword(PW, stored)).toBe(true)
  })

  it('refuses a wrong password, including one differing only in case or a trailing space', async () => {
    const stored = await hashPassword(PW)
    expect(await verifyPassword('a long and unusual passphrasf', stored)).toBe(false)
    expect(await verifyPassword(PW.toUpperCase(), stored)).toBe(false)
    expect(await verifyPassword(`${PW} `, stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('stores the self-describing format scrypt$10$8$1$<salt>$<key> under test', async () => {
    const stored = await hashPassword(PW)
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/)
    const parsed = parseHash(stored)!
    expect(parsed.salt).toHaveLength(16)
    expect(parsed.key).toHaveLength(64)
    expect(stored).not.toContain(PW)
  })

  it('salts: the same password hashes differently twice, and both verify', async () => {
    const a = await hashPassword(PW)
    const b = await hashPassword(PW)
    expect(a).not.toBe(b)
    expect(await verifyPassword(PW, a)).toBe(true)
    expect(await verifyPassword(PW, b)).toBe(true)
  })

  it('returns false for malformed stored hashes', async () => {
    const good = await hashPassword(PW)
    const [, , , , salt, key] = good.split('$')
    for (const stored of [
      '',
      'not a hash',
      PW,
      `bcrypt$10$8$1$${salt}$${key}`,
      `scrypt$10$8$1$${salt}`,
      `scrypt$10$8$1$${salt}$${key}$extra`,
      `scrypt$ten$8$1$${salt}$${key}`,
      `scrypt$10.5$8$1$${salt}$${key}`,
      `scrypt$10$8$1$${salt}$`,
      `scrypt$10$8$1$${salt}$!!!!`,
    ]) {
      expect(await verifyPassword(PW, stored), JSON.stringify(stored)).toBe(false)
    }
  })

  // A corrupt stored hash must mean "no match", never a crash (500) of the login.
  it('returns false (does not throw) for a stored hash whose scrypt cost is out of range', async () => {
    const good = await hashPassword(PW)
    const [, , , , salt, key] = good.split('$')
    for (const stored of [
      `scrypt$0$8$1$${salt}$${key}`,
      `scrypt$-1$8$1$${salt}$${key}`,
      `scrypt$99$8$1$${salt}$${key}`,
    ]) {
      await expect(verifyPassword(PW, stored), stored).resolves.toBe(false)
    }
  })

  it('verifies a hash made at one cost after SCRYPT_LOG_N changes (the format is self-describing)', async () => {
    const old = await hashPassword(PW)
    expect(old.startsWith('scrypt$10$')).toBe(true)
    process.env.SCRYPT_LOG_N = '11'
    resetEnvCache()
    const fresh = await hashPassword(PW)
    expect(fresh.startsWith('scrypt$11$8$1$')).toBe(true)
    expect(await verifyPassword(PW, old)).toBe(true)
    expect(await verifyPassword(PW, fresh)).toBe(true)
    expect(await verifyPassword('wrong password!!', old)).toBe(false)
  })

  it('uses the production parameters when asked (N = 2^17, r = 8, p = 1)', async () => {
    const stored = await hashPassword(PW, { logN: 17, r: 8, p: 1 })
    expect(stored.startsWith('scrypt$17$8$1$')).toBe(true)
    expect(await verifyPassword(PW, stored)).toBe(true)
  })
})

describe('passwordProblem', () => {
  it('refuses fewer than 12 characters and accepts 12', () => {
    expect(passwordProblem('k7#vQ2!mZp9x'.slice(0, 11))).toBe('Use at least 12 characters.')
    expect(passwordProblem('k7#vQ2!mZp9x')).toBeNull()
  })

  it('accepts 128 characters and refuses 129', () => {
    expect(passwordProblem('k7#vQ2!m'.repeat(16))).toBeNull()
    expect(passwordProblem(`${'k7#vQ2!m'.repeat(16)}x`)).toBe('Use at most 128 characters.')
  })

  it('refuses a common password of 12+ characters, whatever its case', () => {
    const common = [...getCommonPasswords()].find((p) => p.length >= 12 && /[a-z]/.test(p))
    expect(common).toBeDefined()
    expect(passwordProblem(common!)).toMatch(/too common/)
    expect(passwordProblem(common!.toUpperCase())).toMatch(/too common/)
    expect(passwordProblem('qwerty123456')).toBe('This password is too common. Choose another.')
  })

  it('loads a real common-password list', () => {
    const list = getCommonPasswords()
    expect(list.size).toBeGreaterThanOrEqual(10_000)
    expect(list.has('password')).toBe(true)
  })
})
