import { describe, expect, it } from 'vitest'
import { addressKey, ATTACK_MAX_DELAY_MS, PAIR_MAX_DELAY_MS, pairDelayMs, waitText } from '~/domain/login-throttle'

describe('pairDelayMs', () => {
  it('never holds back a pair without failures, attack or not', () => {
    expect(pairDelayMs(0, false)).toBe(0)
    expect(pairDelayMs(0, true)).toBe(0)
  })

  it('gives five free failures, then 1 s doubling up to 15 minutes', () => {
    expect([1, 2, 3, 4].map((f) => pairDelayMs(f, false))).toEqual([0, 0, 0, 0])
    expect([5, 6, 7, 14, 15, 16].map((f) => pairDelayMs(f, false))).toEqual([
      1000,
      2000,
      4000,
      512_000,
      PAIR_MAX_DELAY_MS,
      PAIR_MAX_DELAY_MS,
    ])
    expect(pairDelayMs(10_000, false)).toBe(PAIR_MAX_DELAY_MS)
  })

  it('under attack: delays from the first failure, up to an hour', () => {
    expect([1, 2, 3, 12, 13, 50].map((f) => pairDelayMs(f, true))).toEqual([
      1000,
      2000,
      4000,
      2_048_000,
      ATTACK_MAX_DELAY_MS,
      ATTACK_MAX_DELAY_MS,
    ])
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
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:0:0:0:7',
      '2001:db8:1:2::1.2.3.4',
      '2001:db8:1:2::9%eth0',
    ])
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

describe('pairDelayMs at its edges', () => {
  it('holds back no pair with a zero or negative count, even under attack', () => {
    expect(pairDelayMs(-1, true)).toBe(0)
    expect(pairDelayMs(0, true)).toBe(0)
  })
})

describe('addressKey in detail', () => {
  it('drops an IPv6 zone only at its "%", and trims and lower-cases first', () => {
    expect(addressKey('  FE80::1%ETH0  ')).toBe('fe80:0:0:0::/64')
    expect(addressKey('fe80::1%eth0%x')).toBe('fe80:0:0:0::/64')
    // An IPv4 address carries no zone; the text stays whole when there is no "%".
    expect(addressKey(' 198.51.100.7 ')).toBe('198.51.100.7')
    expect(addressKey('198.51.100.7%x')).toBe('198.51.100.7')
    // A zone may be long and hold anything; all of it goes, also before the /64 is read.
    expect(addressKey('1:2:3:4%eth0')).toBe('1:2:3:4::/64')
    expect(addressKey('fe80::1%a::b')).toBe('fe80:0:0:0::/64')
  })

  it('reads IPv4-mapped addresses in every written form, and only whole ones', () => {
    expect(addressKey('0:0:0:0:0:ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(addressKey('::0:ffff:198.51.100.7')).toBe('198.51.100.7')
    // Not mapped: something before or after the mapped form.
    expect(addressKey('2001:db8::ffff:198.51.100.7')).toBe('2001:db8:0:0::/64')
    expect(addressKey('::ffff:198.51.100.7:1')).toBe('0:0:0:0::/64')
    expect(addressKey('1:2:3:4:5:6:ffff:1.2.3.4')).toBe('1:2:3:4::/64')
    expect(addressKey('x::ffff:1.2.3.4')).toBe('x::ffff:1.2.3.4')
  })

  it('fills the "::" so the /64 is the first four groups, counting an IPv4 tail as two', () => {
    expect(addressKey('1:2:3::4:5:6:7')).toBe('1:2:3:0::/64')
    expect(addressKey('1:2::3:4:5:6:7')).toBe('1:2:0:3::/64')
    expect(addressKey('1:2::3:4:5:1.2.3.4')).toBe('1:2:0:3::/64')
    expect(addressKey('1:2:3::4:5:1.2.3.4')).toBe('1:2:3:0::/64')
    expect(addressKey('::2:3:4:5:6:7:8')).toBe('0:2:3:4::/64')
    expect(addressKey('::2:3:4:5:6:1.2.3.4')).toBe('0:2:3:4::/64')
    // Too many groups for a "::" to stand for anything: the groups are read as written.
    expect(addressKey('1:2:3:4:5:6:7::8')).toBe('1:2:3:4::/64')
  })

  it('leaves what is not an IPv6 address as it is', () => {
    expect(addressKey('1:2:3')).toBe('1:2:3')
    expect(addressKey('1:2:3:g:5:6:7:8')).toBe('1:2:3:g:5:6:7:8')
    expect(addressKey('1:2:3:12345:5:6:7:8')).toBe('1:2:3:12345:5:6:7:8')
    expect(addressKey('x1:2:3:4::')).toBe('x1:2:3:4::')
    expect(addressKey('1:2:3:4x::')).toBe('1:2:3:4x::')
  })
})
