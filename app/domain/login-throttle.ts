/**
 * How failed logins slow further attempts — a lockout an attacker cannot aim at someone else.
 *
 * The unit that is slowed is the pair (account, client address — an IPv6 address by its /64,
 * see addressKey): after a few failures for one
 * account from one address, that pair waits 1 s, 2 s, 4 s … (at most 15 minutes) before its next
 * attempt is even checked. Strangers failing from other addresses add to *their* pairs, never to
 * the real user's, so nobody can lock someone else out. A success, an admin clearing the
 * account's failures, or a day without attempts starts a pair afresh.
 *
 * Two wider limits remain, and neither can stop a pair that has no failures:
 * - per address, across accounts (credential stuffing: one guess each for many accounts): a burst
 *   limit of attempts per minute and a ceiling of failures per hour;
 * - per account, across addresses: when an account collects many failures in an hour (an attack
 *   from many addresses), pairs *with* failures lose their free tries and may wait up to an hour.
 *   The attacker's many addresses are slowed; the user at an address with no failures is not.
 *
 * Every count is by the normalised email as typed, whether or not an account has it, so the
 * limits answer an unknown email exactly as they answer a known one (no account enumeration).
 * Pure rules; the counts come from app/models/login-attempts.server.ts.
 */

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE

/** Attempts (any outcome) from one address in a minute: each costs a slow hash. */
export const ADDRESS_ATTEMPTS_PER_MINUTE = 10
/** Failures from one address in an hour, over all accounts: generous for an office behind one NAT. */
export const ADDRESS_FAILURES_PER_HOUR = 100

/** Failures a pair may make before its delays begin: room for a few typos. */
export const PAIR_FREE_FAILURES = 5
export const PAIR_FIRST_DELAY_MS = SECOND
export const PAIR_MAX_DELAY_MS = 15 * MINUTE
/** How far back a pair's failures count (login_attempts are pruned after a day anyway). */
export const FAILURE_MEMORY_MS = 24 * HOUR

/** Failures of one account in an hour, from all addresses, that mark an attack on it. */
export const ACCOUNT_ATTACK_FAILURES_PER_HOUR = 100
/** During an attack: delays begin after a pair's first failure, and grow to at most an hour. */
export const ATTACK_FREE_FAILURES = 1
export const ATTACK_MAX_DELAY_MS = HOUR

/**
 * How long a pair with `failures` (since its last success) must wait after its latest failure.
 * Zero for a pair with no failures, always — whatever happens elsewhere.
 */
export function pairDelayMs(failures: number, accountUnderAttack: boolean): number {
  const free = accountUnderAttack ? ATTACK_FREE_FAILURES : PAIR_FREE_FAILURES
  const cap = accountUnderAttack ? ATTACK_MAX_DELAY_MS : PAIR_MAX_DELAY_MS
  if (failures <= 0 || failures < free) return 0
  // 2 ** 40 s is far beyond any cap; bounding the exponent keeps the number finite.
  return Math.min(cap, PAIR_FIRST_DELAY_MS * 2 ** Math.min(failures - free, 40))
}

/**
 * The "address" the limits count: an IPv4 address as it is (also when written IPv4-mapped, as a
 * dual-stack socket reports it), an IPv6 address by its /64 — one subscriber's network, whose
 * 2^64 addresses would otherwise each be a fresh pair with fresh free tries.
 */
export function addressKey(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '')
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)
  if (mapped) return mapped[1]!
  if (!address.includes(':')) return address
  const [head, tail, ...rest] = address.split('::')
  if (rest.length > 0) return address
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : [])
  const left = groupsOf(head)
  const right = groupsOf(tail)
  // An embedded IPv4 tail ("::1.2.3.4") fills the last two groups, which a /64 never reads.
  const width = [...left, ...right].reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0)
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - width)).fill('0'), ...right]
  const prefix = groups.slice(0, 4)
  if (prefix.length < 4 || !prefix.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return address
  return `${prefix.map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}

/** "4 seconds", "1 minute", "15 minutes": rounded up, so waiting that long is always enough. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / SECOND))
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
