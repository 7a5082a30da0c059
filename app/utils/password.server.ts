/**
 * Password hashing with scrypt (node:crypto) and the password policy.
 * Stored format: scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64> — self-describing, so a
 * hash made with other parameters (older, or lowered under test) still verifies.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { getEnv } from './env.server'

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 128
const KEY_LENGTH = 64
const R = 8
const P = 1

export type ScryptParams = { logN: number; r: number; p: number }

/**
 * One hash at a time per process: each needs 128 * N * r bytes (128 MiB at the production cost),
 * so parallel logins could otherwise take half a gigabyte — a cheap way to exhaust the server's
 * memory. Logins queue instead (about 0.7 s each on the reference machine; docs/performance.md).
 */
let hashQueue: Promise<unknown> = Promise.resolve()
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = hashQueue.then(work, work)
  hashQueue = result.catch(() => undefined)
  return result
}

function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  return oneAtATime(() => scryptNow(password, salt, keylen, params))
}

function scryptNow(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN
  // 128 * N * r bytes are needed; allow twice that (Node's default cap is 32 MiB).
  const maxmem = 256 * N * params.r
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keylen, { N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

export async function hashPassword(
  password: string,
  params: ScryptParams = { logN: getEnv().SCRYPT_LOG_N, r: R, p: P },
) {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEY_LENGTH, params)
  return ['scrypt', params.logN, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export function parseHash(stored: string): (ScryptParams & { salt: Buffer; key: Buffer }) | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  const [logN, r, p] = parts.slice(1, 4).map(Number)
  // Only costs this app could have written; anything else is a corrupt row, not a reason to crash.
  if (!Number.isInteger(logN) || !Number.isInteger(r) || !Number.isInteger(p)) return null
  if (logN! < 10 || logN! > 20 || r! < 1 || r! > 32 || p! < 1 || p! > 4) return null
  return { logN: logN!, r: r!, p: p!, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed || parsed.key.length === 0) return false
  const key = await scrypt(password, parsed.salt, parsed.key.length, parsed)
  return timingSafeEqual(key, parsed.key)
}

let dummyHash: Promise<string> | undefined
/**
 * For unknown emails: verify against a real hash of the current cost, so an unknown account
 * takes as long as a wrong password and the answer gives nothing away.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'))
  await verifyPassword(password, await dummyHash)
  return false
}

let commonPasswords: Set<string> | undefined

/**
 * The ~49,000 most common passwords, ranked, from @zxcvbn-ts/language-common (maintained by the
 * zxcvbn-ts project; see docs/decisions/0003-passwords-and-sessions.md).
 */
export function getCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const require = createRequire(import.meta.url)
    const pkgDir = path.dirname(require.resolve('@zxcvbn-ts/language-common/package.json'))
    const list = JSON.parse(fs.readFileSync(path.join(pkgDir, 'src', 'passwords.json'), 'utf8')) as string[]
    commonPasswords = new Set(list.map((p) => p.toLowerCase()))
  }
  return commonPasswords
}

/** null when acceptable, otherwise the message to show beside the field. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`
  if (getCommonPasswords().has(password.toLowerCase())) return 'This password is too common. Choose another.'
  return null
}
