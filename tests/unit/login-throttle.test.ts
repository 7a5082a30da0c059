import { describe, expect, it } from 'vitest'
import { ATTACK_MAX_DELAY_MS, PAIR_MAX_DELAY_MS, pairDelayMs, waitText } from '~/domain/login-throttle'

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
