import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv, secureCookies } from '~/utils/env.server'

function envError(source: Record<string, string | undefined>): EnvError {
  let caught: unknown
  try {
    parseEnv(source)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(EnvError)
  return caught as EnvError
}

describe('parseEnv', () => {
  it('fills in the defaults for an empty environment', () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_PATH: 'data/sto.db',
      DATABASE_BUSY_TIMEOUT_MS: 5000,
      CONTENT_DIR: 'content',
      UPLOADS_DIR: 'data/uploads',
      SCRYPT_LOG_N: 17,
      TRUST_PROXY: 0,
      MAIL_FROM: 'STO Pathway <no-reply@sto-pathway.invalid>',
      RETENTION_DAYS: 180,
    })
  })

  it('coerces numbers and keeps given values', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      PORT: '8080',
      TRUST_PROXY: '1',
      APP_URL: 'https://sto.example.com',
      HOST: '0.0.0.0',
    })
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8080,
      TRUST_PROXY: 1,
      APP_URL: 'https://sto.example.com',
      HOST: '0.0.0.0',
      SCRYPT_LOG_N: 17,
    })
  })

  it('names PORT and the bad value when PORT is not a number', () => {
    const error = envError({ PORT: 'abc' })
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^PORT: .*\(got "abc"\)$/)
    expect(error.message).toContain('Invalid environment')
    expect(error.message).toContain('PORT')
  })

  it('refuses a port out of range', () => {
    expect(envError({ PORT: '70000' }).problems[0]).toMatch(/^PORT: /)
  })

  it('refuses the cheap test scrypt cost in production, naming SCRYPT_LOG_N', () => {
    const error = envError({ NODE_ENV: 'production', SCRYPT_LOG_N: '10', APP_URL: 'https://sto.example.com' })
    expect(error.problems).toEqual(['SCRYPT_LOG_N: must be at least 17 in production (got "10")'])
    expect(parseEnv({ NODE_ENV: 'test', SCRYPT_LOG_N: '10' }).SCRYPT_LOG_N).toBe(10)
  })

  it('refuses a scrypt cost below 10 anywhere', () => {
    expect(envError({ NODE_ENV: 'test', SCRYPT_LOG_N: '4' }).problems[0]).toMatch(/^SCRYPT_LOG_N: /)
  })

  it('treats empty strings as unset', () => {
    const env = parseEnv({ PORT: '', NODE_ENV: '', SCRYPT_LOG_N: '', APP_URL: '', SECURE_COOKIES: '', HOST: '' })
    expect(env.PORT).toBe(3000)
    expect(env.NODE_ENV).toBe('development')
    expect(env.SCRYPT_LOG_N).toBe(17)
    expect(env.HOST).toBe('127.0.0.1')
    expect(env.APP_URL).toBeUndefined()
    expect(env.SECURE_COOKIES).toBeUndefined()
  })

  it('names APP_URL when it is not a URL', () => {
    const error = envError({ APP_URL: 'not a url' })
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^APP_URL: .*\(got "not a url"\)$/)
  })

  it('requires APP_URL in production, naming it', () => {
    const error = envError({ NODE_ENV: 'production' })
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/^APP_URL: required when NODE_ENV=production/)
    expect(error.message).toContain('APP_URL: required when NODE_ENV=production')
    expect(envError({ NODE_ENV: 'production', APP_URL: '' }).problems[0]).toMatch(
      /^APP_URL: required when NODE_ENV=production/,
    )
    expect(parseEnv({ NODE_ENV: 'production', APP_URL: 'https://sto.example.com' }).APP_URL).toBe(
      'https://sto.example.com',
    )
  })

  it('does not require APP_URL outside production', () => {
    expect(parseEnv({ NODE_ENV: 'development' }).APP_URL).toBeUndefined()
    expect(parseEnv({ NODE_ENV: 'test' }).APP_URL).toBeUndefined()
  })

  it('names both production problems at once', () => {
    const error = envError({ NODE_ENV: 'production', SCRYPT_LOG_N: '10' })
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['APP_URL', 'SCRYPT_LOG_N'])
  })

  it('names every bad variable at once', () => {
    const error = envError({ PORT: 'abc', NODE_ENV: 'staging', SECURE_COOKIES: 'yes' })
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['NODE_ENV', 'PORT', 'SECURE_COOKIES'])
  })
})

describe('secureCookies', () => {
  it('defaults to on in production and off elsewhere, and SECURE_COOKIES overrides', () => {
    const APP_URL = 'https://sto.example.com'
    expect(secureCookies(parseEnv({ NODE_ENV: 'production', APP_URL }))).toBe(true)
    expect(secureCookies(parseEnv({ NODE_ENV: 'development' }))).toBe(false)
    expect(secureCookies(parseEnv({ NODE_ENV: 'production', APP_URL, SECURE_COOKIES: 'false' }))).toBe(false)
    expect(secureCookies(parseEnv({ NODE_ENV: 'test', SECURE_COOKIES: 'true' }))).toBe(true)
  })
})
