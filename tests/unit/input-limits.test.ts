/**
 * The input limits fit the largest legal form with room to spare, and readForm enforces them
 * before it parses a body (issue 13). The figures are in docs/reliability.md, "Hostile input".
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMENT_MAX } from '~/domain/assessment/answers'
import { countFormFields, readForm } from '~/utils/forms.server'
import {
  FORM_BODY_LIMIT,
  FORM_FIELD_LIMIT,
  LARGE_FORM_FIELD_LIMIT,
  MULTIPART_BODY_LIMIT,
} from '../../scripts/server-flags.mjs'

type Framework = { domains: Array<{ id: string; capabilities: Array<{ behaviours: Array<{ id: string }> }> }> }
const framework = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../content/framework.json'), 'utf8'),
) as Framework

/** The largest questionnaire a browser can send: every statement "na", every comment full of 3-byte characters. */
function largestQuestionnaire() {
  const form = new URLSearchParams()
  for (const d of framework.domains)
    for (const c of d.capabilities) for (const b of c.behaviours) form.append(`s:${b.id}`, 'na')
  // "€" is 3 bytes of UTF-8, 9 percent-encoded: the most bytes per character the length check counts.
  for (const d of framework.domains) form.append(`c:${d.id}`, '€'.repeat(COMMENT_MAX))
  form.append('intent', 'submit')
  return form.toString()
}

const post = (body: string, pathname = '/rate', type = 'application/x-www-form-urlencoded') =>
  new Request(`http://localhost${pathname}`, { method: 'POST', headers: { 'content-type': type }, body })

const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise
    return 200
  } catch (error) {
    return (error as { init?: { status?: number } }).init?.status ?? -1
  }
}

describe('the limits fit every legal form', () => {
  it('the largest questionnaire is under half the byte limit and a fraction of the field limit', () => {
    const body = largestQuestionnaire()
    const fields = countFormFields(body)
    console.log(
      `largest questionnaire: ${Buffer.byteLength(body)} bytes, ${fields} fields (limits ${FORM_BODY_LIMIT} bytes, ${FORM_FIELD_LIMIT} fields)`,
    )
    expect(fields).toBe(53)
    expect(Buffer.byteLength(body) * 2).toBeLessThan(FORM_BODY_LIMIT)
    expect(fields * 4).toBeLessThan(FORM_FIELD_LIMIT)
  })

  it("opening cycles for 5,000 candidates (the form's own maximum) fits both limits", () => {
    const form = new URLSearchParams()
    for (let i = 0; i < 5_000; i++) form.append('candidateIds', String(1_000_000_000 + i))
    form.append('dueOn', '2099-12-31')
    const body = form.toString()
    console.log(`largest cycle opening: ${Buffer.byteLength(body)} bytes, ${countFormFields(body)} fields`)
    expect(Buffer.byteLength(body)).toBeLessThan(FORM_BODY_LIMIT)
    expect(countFormFields(body)).toBeLessThanOrEqual(LARGE_FORM_FIELD_LIMIT)
  })

  it('the multipart cap is five 10 MB files and 1 MB more', () => {
    expect(MULTIPART_BODY_LIMIT).toBe(5 * 10 * 1024 * 1024 + 1024 * 1024)
  })
})

describe('readForm', () => {
  it('counts fields without parsing', () => {
    expect(countFormFields('')).toBe(0)
    expect(countFormFields('a=1')).toBe(1)
    expect(countFormFields('a=1&b=2&&')).toBe(4)
  })

  it('reads the largest questionnaire', async () => {
    const form = await readForm(post(largestQuestionnaire()))
    expect(form.get('intent')).toBe('submit')
    expect([...form.keys()].length).toBe(53)
  })

  it('refuses more fields than the limit with 413, and a longer body before reading it', async () => {
    expect(await statusOf(readForm(post(Array.from({ length: FORM_FIELD_LIMIT + 1 }, () => 'a=1').join('&'))))).toBe(
      413,
    )
    expect(await statusOf(readForm(post(Array.from({ length: FORM_FIELD_LIMIT }, () => 'a=1').join('&'))))).toBe(200)
    expect(await statusOf(readForm(post('a='.padEnd(FORM_BODY_LIMIT + 1, 'x'))))).toBe(413)
    expect(await statusOf(readForm(post('a=b', '/rate', 'application/json')))).toBe(400)
  })

  it('lets the cycle-opening form carry one field per candidate, up to its own maximum', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `candidateIds=${i + 1}`).join('&')
    const large = { maxFields: LARGE_FORM_FIELD_LIMIT }
    expect(await statusOf(readForm(post(ids(5_001), '/cycles/new'), large))).toBe(200)
    expect(await statusOf(readForm(post(ids(LARGE_FORM_FIELD_LIMIT + 1), '/cycles/new'), large))).toBe(413)
    expect(await statusOf(readForm(post(ids(5_001), '/cycles/new')))).toBe(413)
  })
})
