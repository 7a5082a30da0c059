import { describe, expect, it } from 'vitest'
import { addressKey, ATTACK_MAX_DELAY_MS, PAIR_MAX_DELAY_MS, pairDelayMs, waitText } from '~/domain/login-throttle'

describe('pairDelayMs', () => {
  it('never holds back a pair without failures, attack or not', () => {
    expect(pairDelayMs(0, false)).toBe(0)
    expect(pairDelayMs(0, true)).toBe(0)
  })

  it('gives five free failures, then 1 s doubling up to 15 minutes', () => {
    expect([1, 2, 3, 4].map((f) => pairDelayMs(f, false))).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 14, 15, 16].map((f) => pairDelayMs(f, false))).toEqual([1000, 2000, 4000, 512_000, PAIR_MAX_DELAY_MS, PAIR_MAX_DELAY_MS])
    expect(pairDelayMs(10_000, false)).toBe(PAIR_MAX_DELAY_MS)
  })

  it('under attack: delays from the first failure, up to an hour', () => {
    expect([1, 2, 3, 12, 13, 50].map((f) => pairDelayMs(f, true))).toEqual([1000, 2000, 4000, 2_048_000, ATTACK_MAX_DELAY_MS, ATTACK_MAX_DELAY_MS])
  })
})

describe('waitText', () => {
  it('rounds up, so waiting as long as it says is always enough', () => {
    expect([1, 1000, 1001, 59_000, 59_001, 60_000, 60_001, 512_000, 900_000].map(waitText)).toEqual([
      '1 second',
      '1 second',
      '2 seconds',
      '59 seconds',
      '1 minute',
      '1 minute',
      '2 minutes',
      '9 minutes',
      '15 minutes',
    ])
  })
})

describe('addressKey', () => {
  it('keeps IPv4 as it is, also IPv4-mapped as a dual-stack socket reports it', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9')
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(addressKey('::FFFF:203.0.113.9')).toBe('203.0.113.9')
  })

  it('counts IPv6 by its /64, however it is written', () => {
    const key = '2001:db8:1:2::/64'
    for (const ip of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:7', '2001:db8:1:2::1.2.3.4', '2001:db8:1:2::9%eth0'])
      expect(addressKey(ip), ip).toBe(key)
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64')
  })

  it('leaves what is not an address as it is (it still counts, as itself)', () => {
    expect(addressKey('unknown')).toBe('unknown')
    expect(addressKey('1::2::3')).toBe('1::2::3')
  })
})
