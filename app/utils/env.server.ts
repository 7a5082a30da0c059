/**
 * The environment, validated once with zod. A bad value stops start-up with a message
 * that names the variable (see `EnvError`).
 */
import { z } from 'zod'

const port = z.coerce.number().int().min(0).max(65_535)

export const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_PATH: z.string().min(1).default('data/sto.db'),
  /** How long a write waits for another connection's lock before the request gets a 503. */
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  CONTENT_DIR: z.string().min(1).default('content'),
  /** Where evidence files are stored (by content hash). */
  UPLOADS_DIR: z.string().min(1).default('data/uploads'),
  /** log2 of scrypt's N. Production uses 17 (N = 131072); tests may lower it to save time. */
  SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  /** "true" when the app is served over HTTPS (sets the Secure cookie flag and HSTS). Defaults to production. */
  SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  /** Trust X-Forwarded-For from a reverse proxy (the number of proxy hops). 0: use the socket address. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Public base URL of emailed links, e.g. https://sto.example.com. Required in production; links are
   * built from it alone, never from request headers (outside production: http://HOST:PORT).
   */
  APP_URL: z.url().optional(),
  /** SMTP server for outgoing mail, e.g. smtps://user:pass@mail.example.com:465. Unset: mail is kept in the in-app outbox. */
  SMTP_URL: z
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).default('STO Pathway <no-reply@sto-pathway.invalid>'),
  /** Days after a cycle ends before `npm run maintenance` purges its rater drafts, links and emails. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
})

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'EnvError'
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as most shells and .env files mean them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const result = envSchema.safeParse(cleaned)
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.')
        const value = source[name]
        return `${name}: ${issue.message}${value !== undefined ? ` (got "${value}")` : ''}`
      }),
    )
  }
  const production: string[] = []
  if (result.data.NODE_ENV === 'production' && result.data.SCRYPT_LOG_N < 17) {
    production.push(`SCRYPT_LOG_N: must be at least 17 in production (got "${result.data.SCRYPT_LOG_N}")`)
  }
  if (result.data.NODE_ENV === 'production' && !result.data.APP_URL) {
    production.push(
      'APP_URL: required when NODE_ENV=production (the public base URL of emailed links, e.g. https://sto.example.com)',
    )
  }
  if (production.length > 0) throw new EnvError(production)
  return result.data
}

let cached: Env | undefined

/** The validated environment of this process (parsed on first use). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined
}

export function secureCookies(env: Env = getEnv()): boolean {
  return env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : env.NODE_ENV === 'production'
}
