/** Parsing questionnaire answers (app/domain/assessment/answers.ts): every bad field is an error, never dropped. */
import { describe, expect, it } from 'vitest'
import { COMMENT_MAX, parseAnswerForm } from '~/domain/assessment/answers'
import type { ScoringFramework } from '~/domain/assessment/types'

const fw: ScoringFramework = {
  domains: [
    { id: 'd1', name: 'D1', capabilityIds: ['c1'] },
    { id: 'd2', name: 'D2', capabilityIds: ['c2'] },
  ],
  capabilities: [
    { id: 'c1', name: 'C1', domainId: 'd1', statementIds: ['b1', 'b2'] },
    { id: 'c2', name: 'C2', domainId: 'd2', statementIds: ['b3'] },
  ],
}
const parse = (entries: Array<[string, FormDataEntryValue]>) => parseAnswerForm(entries, fw)

describe('parseAnswerForm', () => {
  it('reads scores 1 to 5, "na" as not observed, trimmed comments, and lists what is unanswered', () => {
    expect(
      parse([
        ['s:b1', '5'],
        ['s:b2', 'na'],
        ['c:d1', '  Clear owner.  '],
        ['c:d2', '   '],
        ['intent', 'save'],
      ]),
    ).toEqual({
      ok: true,
      value: { answers: { b1: 5, b2: null }, comments: { d1: 'Clear owner.' }, unanswered: ['b3'] },
    })
    expect(
      parse([
        ['s:b1', '1'],
        ['s:b2', ''],
        ['s:b3', '3'],
      ]),
    ).toEqual({ ok: true, value: { answers: { b1: 1, b3: 3 }, comments: {}, unanswered: ['b2'] } })
  })

  it('refuses a score outside 1 to 5, naming the statement and the value', () => {
    for (const bad of ['0', '6', '3.5', ' 3', '3 ', '12', 'NA'])
      expect(parse([['s:b1', bad]]), bad).toEqual({
        ok: false,
        errors: [`Statement "b1": a score is 1 to 5 or "not observed" (got "${bad}").`],
      })
    expect(parse([['s:b1', 'x'.repeat(50)]])).toEqual({
      ok: false,
      errors: [`Statement "b1": a score is 1 to 5 or "not observed" (got "${'x'.repeat(20)}").`],
    })
  })

  it('refuses unknown statements and domains (ids cut to 80 characters)', () => {
    expect(parse([['s:zz', '3']])).toEqual({ ok: false, errors: ['Unknown statement "zz".'] })
    expect(parse([[`s:${'q'.repeat(100)}`, '3']])).toEqual({
      ok: false,
      errors: [`Unknown statement "${'q'.repeat(80)}".`],
    })
    expect(parse([['c:zz', 'hi']])).toEqual({ ok: false, errors: ['Unknown domain "zz".'] })
    expect(parse([[`c:${'q'.repeat(100)}`, 'hi']])).toEqual({
      ok: false,
      errors: [`Unknown domain "${'q'.repeat(80)}".`],
    })
    // The prefix is the start of the name, not anywhere in it.
    expect(
      parse([
        ['xs:b1', '9'],
        ['xc:d9', 'hi'],
      ]),
    ).toEqual({ ok: true, value: { answers: {}, comments: {}, unanswered: ['b1', 'b2', 'b3'] } })
  })

  it('refuses a statement answered twice, even when the first was empty', () => {
    expect(
      parse([
        ['s:b1', '3'],
        ['s:b1', '4'],
      ]),
    ).toEqual({ ok: false, errors: ['Statement "b1" was answered twice.'] })
    expect(
      parse([
        ['s:b1', ''],
        ['s:b1', '4'],
      ]),
    ).toEqual({ ok: false, errors: ['Statement "b1" was answered twice.'] })
  })

  it('refuses files', () => {
    const file = new File(['x'], 'x.txt')
    expect(parse([['s:b1', file]])).toEqual({ ok: false, errors: ['s:b1: files are not accepted here.'] })
  })

  it(`takes a comment of ${COMMENT_MAX} characters and refuses a longer one`, () => {
    expect(parse([['c:d1', 'a'.repeat(COMMENT_MAX)]])).toMatchObject({
      ok: true,
      value: { comments: { d1: 'a'.repeat(COMMENT_MAX) } },
    })
    expect(parse([['c:d1', ` ${'a'.repeat(COMMENT_MAX)} `]])).toMatchObject({ ok: true })
    expect(parse([['c:d1', 'a'.repeat(COMMENT_MAX + 1)]])).toEqual({
      ok: false,
      errors: [`A comment has at most ${COMMENT_MAX} characters.`],
    })
  })

  it('reports every error, not just the first', () => {
    const r = parse([
      ['s:zz', '3'],
      ['s:b1', '7'],
      ['c:d1', 'ok'],
    ])
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors).toHaveLength(2)
  })
})
