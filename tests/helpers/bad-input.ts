/**
 * Machinery of the bad-input sweep (tests/integration/bad-input.test.ts): malformed request bodies
 * (hand-written and generated with fast-check from a fixed seed), sending them to a route module's
 * action as a real Request, and a checksum of every table of the database.
 *
 * A body is built from a "shape" (the fields of one valid-looking submission) and always ends with
 * a "breaker": a change that on its own makes the submission invalid whatever the other fields hold
 * (a field set to a refused value, removed, or made too long while keeping what it held). So no
 * generated body is a valid submission, and a correct action must answer 4xx and write nothing.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { getDb } from '~/utils/db.server'

// ---- bodies ----

export type FileValue = { file: Uint8Array; name: string; type: string }
export type Value = string | FileValue
export type Entry = [name: string, value: Value]
export type Encoding = 'urlencoded' | 'multipart'
export type FormBody = { kind: 'form'; label: string; entries: Entry[]; encoding: Encoding }
export type RawBody = { kind: 'raw'; label: string; contentType: string | null; body: string | Uint8Array }
export type Body = FormBody | RawBody

export type Breaker = { label: string; field?: string; apply: (entries: Entry[]) => Entry[] }
/** One kind of submission of an action: its fields with valid-looking values, and ways to break it. */
export type Shape = {
  name: string
  /** (An undefined field is no field: it lets array literals of shapes type-check.) */
  fields: Record<string, string | string[] | FileValue | undefined>
  breakers: Breaker[]
  /** Fields holding ids: they also get negative, zero, huge and non-numeric ids. */
  ids?: string[]
}

export const isFile = (v: Value): v is FileValue => typeof v !== 'string'

/** Replaces every entry of `name` by `values`, where its first entry was (or at the end). */
export function setField(entries: Entry[], name: string, values: Value | Value[]): Entry[] {
  const list = Array.isArray(values) ? values : [values]
  const at = entries.findIndex(([k]) => k === name)
  const rest = entries.filter(([k]) => k !== name)
  const fresh = list.map((v): Entry => [name, v])
  if (at < 0) return [...rest, ...fresh]
  return [...rest.slice(0, at), ...fresh, ...rest.slice(at)]
}
export const removeField = (entries: Entry[], name: string) => entries.filter(([k]) => k !== name)
/** The text of a field's last entry (a file's bytes as text), or ''. */
export function textOf(entries: Entry[], name: string): string {
  const found = entries.filter(([k]) => k === name).pop()?.[1]
  if (found === undefined) return ''
  return isFile(found) ? new TextDecoder().decode(found.file) : found
}

// Breakers: each alone makes a submission invalid.
export const breakers = {
  /** The field holds a value the action refuses. */
  set: (
    field: string,
    value: Value | Value[],
    label = `${field}=${preview(Array.isArray(value) ? value.map(show).join('|') : show(value))}`,
  ): Breaker => ({
    label,
    field,
    apply: (e) => setField(e, field, value),
  }),
  missing: (field: string): Breaker => ({ label: `${field} missing`, field, apply: (e) => removeField(e, field) }),
  /** Longer than `max` after trimming, keeping what the field held (so its characters still reach the parser). */
  tooLong: (field: string, max: number): Breaker => ({
    label: `${field} longer than ${max}`,
    field,
    apply: (e) => setField(e, field, `${textOf(e, field)}${'x'.repeat(max + 1)}`),
  }),
  /** Shorter than `min` (no surrounding spaces, so trimmed or not it is too short). */
  tooShort: (field: string, min: number): Breaker => ({
    label: `${field} shorter than ${min}`,
    field,
    apply: (e) => setField(e, field, 'x'.repeat(Math.max(0, min - 1))),
  }),
}

// ---- values ----

const KB = 1024
export const huge = {
  kb100: 'x'.repeat(100 * KB),
  mb1: 'A'.repeat(1024 * KB),
  emoji100k: '😀'.repeat(50 * KB),
  nul100k: '\u0000'.repeat(100 * KB),
}

/** Malformed and hostile values for any text field. */
export const NASTY: readonly string[] = [
  '',
  ' ',
  ' \t\r\n ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00x',
  '\u202Egnp.exe',
  '\u202Ealert(1)\u202C',
  '\u200D',
  'a\u200Db\u200Cc\u200Bd',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈🇺🇳',
  'e\u0301\u0301\u0301\u0301\u0301',
  'Z\u0364\u0351\u0313\u0300a\u0308\u0347l\u036e\u0312g\u030c\u0317o\u0319',
  '\uFEFF',
  '\uFFFE\uFFFF',
  '\u2028\u2029',
  '\u0085\u00A0\u3000',
  'ﷺ',
  'ǅ',
  'İı',
  "' OR 1=1 --",
  "'); DROP TABLE people; --",
  '" OR ""="',
  '1; SELECT * FROM sessions',
  "x' UNION SELECT password_hash FROM people --",
  '%',
  '_',
  '\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '{"a":1}',
  '[1,2,3]',
  '{"__proto__":{"admin":true}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '-0',
  '1.5',
  '1e3',
  '1e309',
  '0x10',
  '99999999999999999999',
  '9007199254740993',
  '%00',
  '%ZZ',
  '../../../etc/passwd',
  '${7*7}{{7*7}}',
]

/** Ids that exist nowhere, or are not ids at all. */
export const BAD_IDS: readonly string[] = [
  '-1',
  '0',
  '-0',
  '00',
  '01',
  '1.0',
  '1.5',
  '1e3',
  '0x1F',
  ' 7',
  '+7',
  '999999999',
  '9999999999',
  '99999999999',
  '9223372036854775808',
  '1e309',
  'abc',
  '١٢',
  'NaN',
  '',
  '1 OR 1=1',
  "1'; DROP TABLE people; --",
  '%00',
  '[1]',
]

/** Extra field names the actions do not know. */
export const EXTRA_NAMES: readonly string[] = [
  'extra',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'isAdmin',
  'role',
  'personId',
  'id',
  '',
  ' ',
  '\u0000',
  'x[]',
  'a.b',
  '<script>',
  "'; --",
  'é',
  '😀',
]

const show = (v: Value) => (isFile(v) ? `<file ${v.name} ${v.file.byteLength} B ${v.type}>` : v)
/** A value as a short readable string: long runs of one character are counted, not printed. */
export function preview(s: string, max = 80): string {
  const squeezed = s.replace(/(.)\1{15,}/gsu, (run, ch: string) => `${ch}×${[...run].length}`)
  const json = JSON.stringify(squeezed)
  return json.length > max ? `${json.slice(0, max)}…(${s.length} chars)` : json
}
export function describeEntries(entries: Entry[]): string {
  const shown = entries.slice(0, 12).map(([k, v]) => `${preview(k, 30)}=${isFile(v) ? show(v) : preview(v)}`)
  return `{${shown.join(', ')}${entries.length > 12 ? `, …(${entries.length} entries)` : ''}}`
}

export function shapeEntries(shape: Shape): Entry[] {
  return Object.entries(shape.fields).flatMap(([k, v]): Entry[] =>
    v === undefined ? [] : Array.isArray(v) ? v.map((x): Entry => [k, x]) : [[k, v]],
  )
}
const fieldNames = (shape: Shape) => Object.keys(shape.fields).filter((k) => shape.fields[k] !== undefined)

/** A breaker of the shape, round robin, preferring one that does not touch `avoid` (the field under test). */
function pickBreaker(shape: Shape, n: number, avoid?: string): Breaker {
  const others = shape.breakers.filter((b) => b.field !== avoid)
  const pool = others.length > 0 ? others : shape.breakers
  const b = pool[n % pool.length]
  if (!b) throw new Error(`shape ${shape.name} has no breakers`)
  return b
}

function finish(shape: Shape, label: string, entries: Entry[], breaker: Breaker, encoding: Encoding): FormBody {
  const broken = breaker.apply(entries)
  return {
    kind: 'form',
    label: `${shape.name}: ${label}; broken by ${breaker.label}: ${describeEntries(broken)} as ${encoding}`,
    entries: broken,
    encoding,
  }
}

/** Files that are never an accepted evidence type (an executable's first bytes, whatever the name says). */
export const notAccepted = (name: string, rest = 'not really', type = 'application/pdf'): FileValue => ({
  file: new TextEncoder().encode(`MZ${rest}`),
  name,
  type,
})

/**
 * Hand-written malformed bodies of a shape: every field empty or blank, each field set to each
 * nasty value, repeated, duplicated with a different value, huge, a file where text is expected,
 * ids that do not exist, unknown extra fields, odd field names. Each is then broken.
 */
export function handBodies(
  shape: Shape,
  opts: {
    encoding: Encoding
    allowFiles?: boolean
    /** How many of the nasty values each field gets (a window that moves from field to field and with `offset`); all by default. */
    nastyPerField?: number
    offset?: number
    /** Huge values (100 KB, 1 MB) in this many fields, and bodies of 5,000 fields. */
    hugeFields?: number
  },
): FormBody[] {
  const base = shapeEntries(shape)
  const names = fieldNames(shape)
  const out: FormBody[] = []
  let n = 0
  const add = (label: string, entries: Entry[], avoid?: string, encoding: Encoding = opts.encoding) =>
    out.push(finish(shape, label, entries, pickBreaker(shape, n++, avoid), encoding))

  add('as given', base)
  add('no fields at all', [])
  add(
    'every field empty',
    base.map(([k]): Entry => [k, '']),
  )
  add(
    'every field blank',
    base.map(([k]): Entry => [k, ' \t\n ']),
  )
  add(
    'every field nasty',
    base.map(([k], i): Entry => [k, NASTY[(i * 7 + 24) % NASTY.length]!]),
  )
  const window = Math.min(opts.nastyPerField ?? NASTY.length, NASTY.length)
  for (const [fi, name] of names.entries()) {
    const first = base.find(([k]) => k === name)?.[1] ?? ''
    const firstText = isFile(first) ? 'file' : first
    const start = ((opts.offset ?? 0) + fi) * window
    for (let j = 0; j < window; j++) {
      const v = NASTY[(((start + j) % NASTY.length) + NASTY.length) % NASTY.length]!
      add(`${name}=${preview(v, 30)}`, setField(base, name, v), name)
    }
    add(`${name} repeated`, setField(base, name, ['a', 'b', 'c']), name)
    add(`${name} duplicated (valid first)`, setField(base, name, [first, 'other value']), name)
    add(`${name} duplicated (valid last)`, setField(base, name, ['other value', first]), name)
    add(`${name} as JSON object`, setField(base, name, '{"a":1}'), name)
    add(`${name} padded`, setField(base, name, `  ${firstText}  `), name)
    add(`${name} missing`, removeField(base, name), name)
    if (opts.allowFiles !== false)
      add(`${name} as a file`, setField(base, name, notAccepted('x.pdf', firstText)), name, 'multipart')
  }
  const hugeFields = opts.hugeFields ?? 2
  for (const [i, name] of names.slice(0, hugeFields).entries()) {
    add(`${name} of 100 KB`, setField(base, name, huge.kb100), name)
    add(`${name} of 100 KB of NUL`, setField(base, name, huge.nul100k), name)
    add(`${name} of 50 K emoji`, setField(base, name, huge.emoji100k), name)
    if (i === 0) add(`${name} of 1 MB`, setField(base, name, huge.mb1), name)
  }
  for (const name of shape.ids ?? [])
    for (const id of BAD_IDS) add(`${name}=${preview(id)}`, setField(base, name, id), name)
  add('unknown extra fields', [...base, ...EXTRA_NAMES.map((k, i): Entry => [k, NASTY[i % NASTY.length]!])])
  if (hugeFields > 0) {
    add('a field name of 1 MB', [...base, [huge.mb1, 'x']])
    add('5,000 unknown fields', [...base, ...Array.from({ length: 5000 }, (_, i): Entry => [`f${i}`, 'x'])])
    add('5,000 copies of the first field', [
      ...base,
      ...Array.from({ length: 5000 }, (): Entry => [names[0] ?? 'x', 'x']),
    ])
  }
  add(
    'field names in another case',
    base.map(([k, v]): Entry => [k.toUpperCase(), v]),
  )
  add(
    'field names with spaces',
    base.map(([k, v]): Entry => [` ${k} `, v]),
  )
  add(
    'field names with []',
    base.map(([k, v]): Entry => [`${k}[]`, v]),
  )
  return out
}

/** Intents that no action knows (for actions that dispatch on `intent`). */
export const BAD_INTENTS: readonly string[] = [
  '',
  ' ',
  'nope',
  'SAVE',
  'Submit',
  'save ',
  ' submit',
  'save\u0000',
  'delete',
  'drop',
  '__proto__',
  'constructor',
  'toString',
  "'; DROP TABLE people; --",
  '<script>alert(1)</script>',
  '{"intent":"save"}',
  '0',
  '-1',
]

// ---- generated bodies (fast-check, fixed seed) ----

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const oddChar = fc.constantFrom(
  '\u0000',
  '\u202E',
  '\u202D',
  '\u200D',
  '\u200B',
  '\u0301',
  '\uFEFF',
  '\uFFFD',
  '<',
  '>',
  '"',
  "'",
  '&',
  ';',
  '-',
  '%',
  '\\',
  '/',
  '=',
  '+',
  '\r',
  '\n',
  '\t',
  ' ',
)
const anyUnit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 3, arbitrary: oddChar },
)
export const weirdString = fc.string({ unit: anyUnit, maxLength: 120 })
const numberish = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.integer({ min: -3, max: 3 }).map(String),
)
const nastyOrWeird = fc.oneof(fc.constantFrom(...NASTY), weirdString, numberish, fc.json({ maxDepth: 2 }))
const randomFile = fc
  .record({
    rest: fc.uint8Array({ maxLength: 64 }),
    name: fc.oneof(
      fc.constantFrom(
        'x.pdf',
        'evidence.png',
        '../../etc/passwd',
        'a\u0000.pdf',
        '<script>.pdf',
        '',
        'évidence.docx',
        `${'n'.repeat(300)}.pdf`,
        'x.exe',
      ),
      weirdString,
    ),
    type: fc.constantFrom('application/pdf', 'text/html', '', 'image/svg+xml', 'application/x-msdownload'),
  })
  // "MZ" first: never an accepted evidence type, whatever the name or the claimed type.
  .map(({ rest, name, type }): FileValue => ({ file: Uint8Array.from([0x4d, 0x5a, ...rest]), name, type }))

type Perturbation = { kind: 'keep' } | { kind: 'omit' } | { kind: 'set'; values: Value[]; how: string }

function perturbation(allowFiles: boolean): fc.Arbitrary<Perturbation> {
  const set =
    (how: string) =>
    (values: Value[]): Perturbation => ({ kind: 'set', values, how })
  const options: Array<fc.WeightedArbitrary<Perturbation>> = [
    { weight: 5, arbitrary: fc.constant<Perturbation>({ kind: 'keep' }) },
    { weight: 1, arbitrary: fc.constant<Perturbation>({ kind: 'omit' }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY).map((v) => set('nasty')([v])) },
    { weight: 2, arbitrary: weirdString.map((v) => set('random')([v])) },
    { weight: 1, arbitrary: numberish.map((v) => set('number')([v])) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map((v) => set('json')([v])) },
    { weight: 1, arbitrary: fc.array(nastyOrWeird, { minLength: 2, maxLength: 4 }).map(set('repeated')) },
    {
      weight: 1,
      arbitrary: fc.tuple(nastyOrWeird, fc.boolean()).map(
        ([v, first]) =>
          ({
            kind: 'set',
            values: [first ? '\u0001keep' : v, first ? v : '\u0001keep'],
            how: 'duplicated',
          }) as Perturbation,
      ),
    },
  ]
  if (allowFiles) options.push({ weight: 1, arbitrary: randomFile.map((f) => set('file')([f])) })
  return fc.oneof(...options)
}

/**
 * `count` generated bodies over the shapes, reproducible from `seed`: each field kept, dropped or
 * replaced (nasty, random unicode, numbers, JSON, repeated, duplicated, a file), unknown extra
 * fields, and always a breaker of the shape at the end.
 */
export function generatedBodies(
  shapes: Shape[],
  opts: { seed: number; count: number; encodings: Encoding[] },
): FormBody[] {
  const allowFiles = opts.encodings.includes('multipart')
  const arb = fc.integer({ min: 0, max: shapes.length - 1 }).chain((si) => {
    const shape = shapes[si]!
    const names = fieldNames(shape)
    return fc.record({
      si: fc.constant(si),
      perturbs: fc.tuple(...names.map(() => perturbation(allowFiles))),
      extras: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...EXTRA_NAMES), weirdString), nastyOrWeird), {
        maxLength: 3,
      }),
      breaker: fc.integer({ min: 0, max: Math.max(0, shape.breakers.length - 1) }),
      encoding: fc.constantFrom(...opts.encodings),
      reverse: fc.boolean(),
    })
  })
  return fc.sample(arb, { seed: opts.seed, numRuns: opts.count }).map((g) => {
    const shape = shapes[g.si]!
    const names = fieldNames(shape)
    let entries = shapeEntries(shape)
    const how: string[] = []
    names.forEach((name, i) => {
      const p = g.perturbs[i] as Perturbation
      if (p.kind === 'omit') {
        entries = removeField(entries, name)
        how.push(`${name} omitted`)
      } else if (p.kind === 'set') {
        const current = textOf(entries, name)
        // "\u0001keep" stands for the field's valid value (a duplicate key with another value).
        entries = setField(
          entries,
          name,
          p.values.map((v) => (v === '\u0001keep' ? current : v)),
        )
        how.push(`${name} ${p.how}`)
      }
    })
    entries.push(...g.extras.map(([k, v]): Entry => [names.includes(k) ? `x-${k}` : k, v]))
    if (g.reverse) entries.reverse()
    const breaker = shape.breakers[g.breaker]
    if (!breaker) throw new Error(`shape ${shape.name} has no breakers`)
    // Files only go in multipart bodies.
    const encoding: Encoding = entries.some(([, v]) => isFile(v)) ? 'multipart' : g.encoding
    return finish(
      shape,
      `generated (${how.join(', ') || 'as given'}${g.extras.length ? `, ${g.extras.length} extra` : ''})`,
      entries,
      breaker,
      encoding,
    )
  })
}

/**
 * CSV texts for the people import, reproducible from `seed`: the right header (mostly) or a random
 * line, then rows of nasty, random and plausible cells, quoted or not, with \n, \r\n or \r line
 * ends. Callers append a bad row (with the same line end), so no text imports.
 */
export function generatedCsvs(seed: number, count: number, header: string): Array<{ text: string; eol: string }> {
  const plausible = fc.constantFrom(
    'candidate',
    'hr',
    'mentor',
    'admin',
    'candidate;mentor',
    'shadow',
    'engineering-manager',
    '2026-01-05',
    'ann@example.com',
    '',
  )
  const cell = fc
    .tuple(fc.oneof(nastyOrWeird, plausible), fc.boolean())
    .map(([v, quoted]) => (quoted ? `"${v.replace(/"/g, '""')}"` : v))
  const arb = fc.record({
    header: fc.oneof({ weight: 4, arbitrary: fc.constant(header) }, { weight: 1, arbitrary: weirdString }),
    rows: fc.array(
      fc.array(cell, { maxLength: 9 }).map((cells) => cells.join(',')),
      { maxLength: 6 },
    ),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
  })
  return fc.sample(arb, { seed, numRuns: count }).map((g) => ({ text: [g.header, ...g.rows].join(g.eol), eol: g.eol }))
}

/**
 * Bodies that are not a well-formed form at all, sent as url-encoded: no fields, bare names, stray
 * separators, broken percent-escapes and invalid UTF-8. None carries a known intent with its fields.
 */
export const RAW_URLENCODED: readonly string[] = [
  '',
  'a',
  '=',
  '==',
  '&&&',
  '&=&=&',
  '%',
  '%%%',
  '%zz=%zz',
  'intent',
  'intent=',
  'intent=%E0%A4%A',
  'intent=%ED%A0%80',
  'x=%C0%AF%C0%AF',
  '%FF%FE=%FF%FE',
  'a=b=c',
  '+++=+++',
  'intent=%00',
  'intent[]=1&intent[]=2',
  'intent.x=1',
  ';;;',
  '&'.repeat(10_000),
  'x'.repeat(1024 * 1024),
  `x=${'%41'.repeat(100_000)}`,
]

/** Multipart bodies that are broken: no boundary, a wrong one, truncated, no parts, bad headers. */
export function rawMultipart(): Array<{ label: string; contentType: string; body: string | Uint8Array }> {
  const part = (name: string, value: string, b = 'XyZ') =>
    `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  return [
    {
      label: 'multipart without a boundary',
      contentType: 'multipart/form-data',
      body: `${part('intent', 'nope')}--XyZ--\r\n`,
    },
    { label: 'multipart with an empty boundary', contentType: 'multipart/form-data; boundary=', body: 'garbage' },
    {
      label: 'multipart with another boundary than the body',
      contentType: 'multipart/form-data; boundary=AbC',
      body: `${part('intent', 'nope')}--XyZ--\r\n`,
    },
    {
      label: 'multipart truncated in a part',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\r\nContent-Disposition: form-data; name="summary"\r\n\r\nhalf a val',
    },
    {
      label: 'multipart without the closing boundary',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: part('intent', 'nope'),
    },
    { label: 'multipart with no parts', contentType: 'multipart/form-data; boundary=XyZ', body: '--XyZ--\r\n' },
    { label: 'multipart, empty body', contentType: 'multipart/form-data; boundary=XyZ', body: '' },
    {
      label: 'multipart, garbage body',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: 'this is not multipart at all',
    },
    {
      label: 'multipart part without Content-Disposition',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--XyZ--\r\n',
    },
    {
      label: 'multipart part without a name',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XyZ--\r\n',
    },
    {
      label: 'multipart part with a bare-LF header',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\nContent-Disposition: form-data; name="intent"\n\nnope\n--XyZ--\n',
    },
    {
      label: 'multipart header of 100 KB',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: `--XyZ\r\nContent-Disposition: form-data; name="${'n'.repeat(100 * KB)}"\r\n\r\nv\r\n--XyZ--\r\n`,
    },
    {
      label: 'multipart file name with path and NUL',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="../../etc/\u0000passwd.pdf"\r\nContent-Type: application/pdf\r\n\r\nMZ\r\n--XyZ--\r\n',
    },
    {
      label: 'multipart with invalid UTF-8',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: Uint8Array.from([
        ...new TextEncoder().encode('--XyZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\n'),
        0xff,
        0xfe,
        0xed,
        0xa0,
        0x80,
        ...new TextEncoder().encode('\r\n--XyZ--\r\n'),
      ]),
    },
    {
      label: 'multipart boundary of 200 characters',
      contentType: `multipart/form-data; boundary=${'b'.repeat(200)}`,
      body: `--${'b'.repeat(200)}--\r\n`,
    },
    {
      label: 'multipart nested',
      contentType: 'multipart/form-data; boundary=XyZ',
      body: '--XyZ\r\nContent-Disposition: form-data; name="intent"\r\nContent-Type: multipart/mixed; boundary=Inner\r\n\r\n--Inner\r\n\r\nx\r\n--Inner--\r\n--XyZ--\r\n',
    },
  ]
}

/** Bodies of a content type that is not a form. */
export const WRONG_TYPES: ReadonlyArray<{ label: string; contentType: string | null; body: string }> = [
  { label: 'JSON body', contentType: 'application/json', body: '{"intent":"save","a":1}' },
  { label: 'JSON array body', contentType: 'application/json', body: '[1,2,3]' },
  { label: 'plain text body', contentType: 'text/plain', body: 'intent=save' },
  {
    label: 'XML body',
    contentType: 'application/xml',
    body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  { label: 'no Content-Type', contentType: null, body: 'intent=save' },
  { label: 'Content-Type garbage', contentType: '%%%', body: 'intent=save' },
]

// ---- sending ----

export type Outcome = { status: number; data: unknown; location: string | null; error?: unknown }

/** The Request a browser would send for this body. */
export function toRequest(url: string, body: Body, headers: Headers): Request {
  if (body.kind === 'raw') {
    if (body.contentType !== null) headers.set('Content-Type', body.contentType)
    const payload = typeof body.body === 'string' ? body.body : (body.body as Uint8Array<ArrayBuffer>)
    return new Request(url, { method: 'POST', headers, body: payload })
  }
  if (body.encoding === 'urlencoded') {
    const form = new URLSearchParams()
    for (const [k, v] of body.entries) form.append(k, isFile(v) ? v.name : v)
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    return new Request(url, { method: 'POST', headers, body: form.toString() })
  }
  const form = new FormData()
  for (const [k, v] of body.entries) {
    if (isFile(v)) form.append(k, new File([v.file as Uint8Array<ArrayBuffer>], v.name, { type: v.type }))
    else form.append(k, v)
  }
  return new Request(url, { method: 'POST', headers, body: form })
}

/**
 * Runs an action. A thrown Response (or `data()`) is its answer; anything else thrown is what
 * Remix turns into a 500.
 */
export async function runAction(
  action: (args: never) => unknown,
  request: Request,
  params: Record<string, string>,
): Promise<Outcome> {
  let value: unknown
  let threw = false
  try {
    value = await action({ request, params, context: {} } as never)
  } catch (thrown) {
    value = thrown
    threw = true
  }
  if (value instanceof Response) return { status: value.status, data: null, location: value.headers.get('Location') }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const v = value as { data: unknown; init: ResponseInit | null }
    return { status: v.init?.status ?? 200, data: v.data, location: new Headers(v.init?.headers).get('Location') }
  }
  if (threw) return { status: 500, data: null, location: null, error: value }
  return { status: 200, data: value, location: null }
}

// ---- the database checksum ----

/**
 * SHA-256 of every table's rows (`select <columns> from <table> order by rowid`), per table, so a
 * difference names the table. Columns in `skipColumns` ("table.column") and whole tables in
 * `skipTables` are left out; sqlite_sequence leaves out the rows of skipped tables.
 */
export function tableChecksums(opts: { skipTables?: string[]; skipColumns?: string[] } = {}): Record<string, string> {
  const sqlite = getDb().$client
  const skipTables = new Set(opts.skipTables ?? [])
  const skipColumns = new Set(opts.skipColumns ?? [])
  const tables = sqlite
    .prepare(`select name from sqlite_master where type = 'table' order by name`)
    .pluck()
    .all() as string[]
  const quote = (id: string) => `"${id.replace(/"/g, '""')}"`
  const out: Record<string, string> = {}
  for (const table of tables) {
    if (skipTables.has(table)) continue
    const columns = (sqlite.prepare('select name from pragma_table_info(?)').pluck().all(table) as string[]).filter(
      (c) => !skipColumns.has(`${table}.${c}`),
    )
    let rows = sqlite
      .prepare(`select ${columns.map(quote).join(', ')} from ${quote(table)} order by rowid`)
      .raw()
      .all() as unknown[][]
    if (table === 'sqlite_sequence') rows = rows.filter((r) => !skipTables.has(String(r[0])))
    const json = JSON.stringify(rows, (_k, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
    )
    out[table] = createHash('sha256').update(json).digest('hex')
  }
  return out
}
