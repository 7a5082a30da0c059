import { describe, expect, it } from 'vitest'
import { idField } from '~/domain/forms'

describe('idField', () => {
  it('reads plain positive whole numbers', () => {
    for (const [text, id] of [
      ['1', 1],
      ['7', 7],
      ['4294967295', 4294967295],
    ] as const)
      expect(idField().parse(text)).toBe(id)
  })

  it('refuses what Number() would read as something else (found by the bad-input sweep)', () => {
    for (const text of [' 7', '7 ', '+7', '0x1F', '1e3', '07', '0', '-1', '1.0', '', '７', '12345678901', '1_000'])
      expect(idField('Unknown rater.').safeParse(text), JSON.stringify(text)).toMatchObject({
        success: false,
        error: { issues: [{ message: 'Unknown rater.' }] },
      })
    expect(idField().safeParse(7).success).toBe(false)
  })
})
