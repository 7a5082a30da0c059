/**
 * How a 360 figure is shipped (app/domain/assessment/precision.ts, decision 0016): one decimal,
 * rounded half up in exact tenths, and a non-manager block's mean top- and bottom-coded. The
 * exhaustive "every coded value fits two sets of scores" check is in insider-solver.test.ts.
 */
import { describe, expect, it } from 'vitest'
import {
  BOTTOM_CODE_TENTHS,
  codeMean,
  formatCoded,
  roundShown,
  SHOWN_DECIMALS,
  TOP_CODE_TENTHS,
  toTenths,
} from '~/domain/assessment/precision'

describe('rounding to the one decimal shown', () => {
  it('rounds half up, also where binary floating point stores the half a little below', () => {
    expect(toTenths(4.35)).toBe(44) // 4.35 is 4.3499999… in binary
    expect(toTenths(4.25)).toBe(43)
    expect(toTenths(13 / 3)).toBe(43)
    expect(toTenths(4.349)).toBe(43)
    expect(toTenths(1.05)).toBe(11)
    expect(toTenths(2.449999)).toBe(24)
    expect(toTenths(-0.25)).toBe(-2) // a difference: half up, towards +∞
    expect(toTenths(-0.26)).toBe(-3)
    expect(toTenths(0)).toBe(0)
  })

  it('gives the shown value as a number', () => {
    expect(roundShown(3.25)).toBe(3.3)
    expect(roundShown(-1.04)).toBe(-1)
    expect(roundShown(14 / 3)).toBe(4.7)
    expect(SHOWN_DECIMALS).toBe(1)
  })
})

describe('coding a block mean', () => {
  it('codes a non-manager mean from 4.75 up as "at least 4.8", and 4.7… as itself', () => {
    expect(TOP_CODE_TENTHS).toBe(48)
    expect(codeMean(5)).toEqual({ value: 4.8, censored: 'above' })
    expect(codeMean(4.75)).toEqual({ value: 4.8, censored: 'above' })
    expect(codeMean(4.749)).toEqual({ value: 4.7, censored: null })
    expect(codeMean(14 / 3)).toEqual({ value: 4.7, censored: null })
  })

  it('codes a non-manager mean below 1.25 as "at most 1.2", and 1.25 as 1.3', () => {
    expect(BOTTOM_CODE_TENTHS).toBe(12)
    expect(codeMean(1)).toEqual({ value: 1.2, censored: 'below' })
    expect(codeMean(1.249)).toEqual({ value: 1.2, censored: 'below' })
    expect(codeMean(1.25)).toEqual({ value: 1.3, censored: null })
    expect(codeMean(3.04)).toEqual({ value: 3, censored: null })
  })

  it('only rounds an attributable (manager) mean, at both ends', () => {
    expect(codeMean(5, true)).toEqual({ value: 5, censored: null })
    expect(codeMean(4.75, true)).toEqual({ value: 4.8, censored: null })
    expect(codeMean(1, true)).toEqual({ value: 1, censored: null })
    expect(codeMean(1.2, true)).toEqual({ value: 1.2, censored: null })
  })
})

describe('how a coded figure reads', () => {
  it('shows one decimal, a bound with its sign, and a dash for nothing', () => {
    expect(formatCoded({ value: 4, censored: null })).toBe('4.0')
    expect(formatCoded({ value: 4.3 })).toBe('4.3')
    expect(formatCoded(codeMean(5))).toBe('≥ 4.8')
    expect(formatCoded(codeMean(1))).toBe('≤ 1.2')
    expect(formatCoded(null)).toBe('—')
    expect(formatCoded(undefined)).toBe('—')
  })
})
