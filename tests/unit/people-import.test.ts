/**
 * The people CSV check (app/domain/people-import.ts), pure: header, row limits, per-row validation
 * with line numbers, what HR may do without update:person:any, and create/update/unchanged.
 */
import { describe, expect, it } from 'vitest'
import { checkImport, IMPORT_COLUMNS, MAX_IMPORT_ROWS, type ExistingPerson } from '~/domain/people-import'

const header = { line: 1, fields: [...IMPORT_COLUMNS] }
const row = (line: number, fields: string[]) => ({ line, fields })
const ctx = (over: Partial<Parameters<typeof checkImport>[1]> = {}): Parameters<typeof checkImport>[1] => ({
  backgrounds: ['eng', 'pm'],
  stages: ['s1', 's2'],
  finalStage: 's3',
  existing: new Map(),
  mentorEmails: new Set(['mentor@x.org']),
  today: '2026-06-01',
  canManageRoles: true,
  ...over,
})
const candidateRow = (line: number, over: Partial<Record<(typeof IMPORT_COLUMNS)[number], string>> = {}) => {
  const v = {
    name: 'Ann Lee',
    email: 'ann@x.org',
    roles: 'candidate',
    background: 'eng',
    mentor_email: 'mentor@x.org',
    stage: 's1',
    enrollment_date: '2026-01-31',
    ...over,
  }
  return row(
    line,
    IMPORT_COLUMNS.map((c) => v[c]),
  )
}
const person = (over: Partial<ExistingPerson> = {}): ExistingPerson => ({
  id: 5,
  name: 'Ann Lee',
  roles: ['candidate'],
  background: 'eng',
  stage: 's1',
  mentorEmail: 'mentor@x.org',
  joinedOn: '2026-01-31',
  enrolled: true,
  ...over,
})
const messages = (r: ReturnType<typeof checkImport>) => r.errors.map((e) => `${e.line}: ${e.message}`)

describe('the header and the size of the file', () => {
  it('accepts the exact header, ignoring case and spaces around names', () => {
    const r = checkImport(
      [{ line: 1, fields: IMPORT_COLUMNS.map((c) => ` ${c.toUpperCase()} `) }, candidateRow(2)],
      ctx(),
    )
    expect(r.errors).toEqual([])
    expect(r.rows).toHaveLength(1)
  })

  it('rejects a missing, reordered or shortened header, on the header line', () => {
    expect(checkImport([], ctx())).toEqual({
      rows: [],
      errors: [{ line: 1, message: `The header must be exactly: ${IMPORT_COLUMNS.join(',')}` }],
    })
    const swapped = [IMPORT_COLUMNS[1], IMPORT_COLUMNS[0], ...IMPORT_COLUMNS.slice(2)]
    expect(messages(checkImport([{ line: 3, fields: swapped }, candidateRow(4)], ctx()))).toEqual([
      `3: The header must be exactly: ${IMPORT_COLUMNS.join(',')}`,
    ])
    expect(checkImport([{ line: 1, fields: IMPORT_COLUMNS.slice(0, 6) }], ctx()).errors).toHaveLength(1)
  })

  it('rejects a file with no rows after the header', () => {
    expect(checkImport([header], ctx())).toEqual({
      rows: [],
      errors: [{ line: 2, message: 'The file has no rows after the header.' }],
    })
  })

  it(`takes ${MAX_IMPORT_ROWS} rows and refuses one more`, () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => candidateRow(i + 2, { email: `p${i}@x.org` }))
    expect(checkImport([header, ...body(MAX_IMPORT_ROWS)], ctx()).errors).toEqual([])
    expect(checkImport([header, ...body(MAX_IMPORT_ROWS + 1)], ctx())).toEqual({
      rows: [],
      errors: [{ line: 1, message: `At most ${MAX_IMPORT_ROWS} rows per file (this one has ${MAX_IMPORT_ROWS + 1}).` }],
    })
  })
})

describe('each row', () => {
  it('reads a valid candidate row, trimmed, with the email in lower case', () => {
    const r = checkImport(
      [header, candidateRow(2, { name: '  Ann Lee ', email: ' Ann@X.org ', mentor_email: 'MENTOR@x.org' })],
      ctx(),
    )
    expect(r).toEqual({
      rows: [
        {
          line: 2,
          name: 'Ann Lee',
          email: 'ann@x.org',
          roles: ['candidate'],
          candidate: { background: 'eng', stage: 's1', mentorEmail: 'mentor@x.org', enrolledOn: '2026-01-31' },
          action: 'create',
        },
      ],
      errors: [],
    })
  })

  it('reports every problem of a row with its line, and then returns no rows at all', () => {
    const r = checkImport([header, candidateRow(2), row(7, ['', 'not-an-email', '', '', '', '', ''])], ctx())
    expect(r.rows).toEqual([])
    expect(messages(r)).toEqual([
      '7: name: Enter a name.',
      '7: email: Enter a valid email address, like name@example.com.',
      '7: roles: give at least one of candidate, mentor, hr, admin (separate several with ";")',
    ])
  })

  it('rejects a name with control characters', () => {
    expect(messages(checkImport([header, candidateRow(2, { name: 'Ann\u0007Lee' })], ctx()))).toEqual([
      '2: name: Remove control characters.',
    ])
  })

  it('finds an email that appears twice, whatever its case, and names the first line', () => {
    const r = checkImport([header, candidateRow(2), candidateRow(3, { email: 'ANN@x.org' })], ctx())
    expect(messages(r)).toEqual(['3: email ann@x.org appears again (first on line 2)'])
  })

  it('does not count an invalid email as seen', () => {
    const r = checkImport([header, candidateRow(2, { email: 'bad' }), candidateRow(3, { email: 'bad' })], ctx())
    expect(r.errors.filter((e) => e.message.includes('appears again'))).toEqual([])
  })

  it('reads several roles separated by ";" or "|", in any case, each once', () => {
    const r = checkImport([header, row(2, ['Mo', 'mo@x.org', ' Mentor ; HR|mentor ', '', '', '', ''])], ctx())
    expect(r.errors).toEqual([])
    expect(r.rows[0]!.roles).toEqual(['mentor', 'hr'])
    expect(r.rows[0]!.candidate).toBeNull()
  })

  it('names an unknown role (cut to 30 characters)', () => {
    const r = checkImport([header, row(2, ['Mo', 'mo@x.org', `mentor;${'x'.repeat(40)}`, '', '', '', ''])], ctx())
    expect(messages(r)).toEqual([`2: roles: unknown role "${'x'.repeat(30)}"`])
  })

  it('lets only an administrator give the hr and admin roles', () => {
    const hrImport = ctx({ canManageRoles: false })
    expect(messages(checkImport([header, row(2, ['Mo', 'mo@x.org', 'hr;admin', '', '', '', ''])], hrImport))).toEqual([
      '2: roles: only an administrator can give the hr and admin role',
    ])
    expect(messages(checkImport([header, row(2, ['Mo', 'mo@x.org', 'admin', '', '', '', ''])], hrImport))).toEqual([
      '2: roles: only an administrator can give the admin role',
    ])
    expect(checkImport([header, row(2, ['Mo', 'mo@x.org', 'mentor', '', '', '', ''])], hrImport).errors).toEqual([])
    expect(checkImport([header, row(2, ['Mo', 'mo@x.org', 'hr;admin', '', '', '', ''])], ctx()).errors).toEqual([])
  })

  it('refuses candidate fields on a row that is not a candidate', () => {
    const msg = '2: background, mentor_email, stage and enrollment_date are only for candidates (leave them empty)'
    for (const i of [3, 4, 5, 6]) {
      const fields = ['Mo', 'mo@x.org', 'mentor', '', '', '', '']
      fields[i] = 'x'
      expect(messages(checkImport([header, row(2, fields)], ctx()))).toEqual([msg])
    }
  })
})

describe('a candidate row', () => {
  const check = (over: Parameters<typeof candidateRow>[1], c = ctx()) =>
    messages(checkImport([header, candidateRow(2, over)], c))

  it('needs a background of the framework', () => {
    expect(check({ background: 'law' })).toEqual(['2: background: unknown background "law" (use one of eng, pm)'])
    expect(check({ background: 'y'.repeat(80) })).toEqual([
      `2: background: unknown background "${'y'.repeat(60)}" (use one of eng, pm)`,
    ])
  })

  it('needs an importable stage, and never the final one', () => {
    expect(check({ stage: 's2' })).toEqual([])
    expect(check({ stage: 's3' })).toEqual([
      '2: stage: s3 is reached through the stage gate, not by import; import at an earlier stage',
    ])
    expect(check({ stage: 'z'.repeat(80) })).toEqual([
      `2: stage: unknown stage "${'z'.repeat(60)}" (use one of s1, s2)`,
    ])
  })

  it('needs a real enrollment date, not in the future', () => {
    expect(check({ enrollment_date: '31.01.2026' })).toEqual(['2: enrollment_date must look like 2026-01-31'])
    expect(check({ enrollment_date: '2026-02-30' })).toEqual(['2: enrollment_date is not a real date'])
    expect(check({ enrollment_date: '2026-13-01' })).toEqual(['2: enrollment_date is not a real date'])
    expect(check({ enrollment_date: '2026-06-01' })).toEqual([])
    expect(check({ enrollment_date: '2026-06-02' })).toEqual(['2: enrollment_date is in the future'])
  })

  it('needs a mentor who is one, or is made one in the same file, and not themself', () => {
    expect(check({ mentor_email: 'nobody@x.org' })).toEqual(['2: mentor_email: nobody@x.org is not a mentor'])
    expect(check({ mentor_email: `${'m'.repeat(90)}@x.org` })).toEqual([
      `2: mentor_email: ${'m'.repeat(80)} is not a mentor`,
    ])
    expect(check({ mentor_email: '' })).toEqual([])
    const inFile = checkImport(
      [
        header,
        candidateRow(2, { mentor_email: 'New@x.org' }),
        row(3, ['New', 'NEW@x.org', 'Candidate|Mentor', 'eng', '', 's1', '2026-01-01']),
      ],
      ctx(),
    )
    expect(inFile.errors).toEqual([])
    const candidateOnly = checkImport(
      [
        header,
        candidateRow(2, { mentor_email: 'new@x.org' }),
        row(3, ['New', 'new@x.org', 'candidate', 'eng', '', 's1', '2026-01-01']),
      ],
      ctx(),
    )
    expect(messages(candidateOnly)).toEqual(['2: mentor_email: new@x.org is not a mentor'])
    const self = checkImport(
      [header, row(2, ['Mo', 'Mo@x.org', 'candidate;mentor', 'eng', 'mo@x.org', 's1', '2026-01-01'])],
      ctx(),
    )
    expect(messages(self)).toEqual(['2: mentor_email: a candidate cannot mentor themself'])
  })

  it('keeps an empty mentor as null', () => {
    expect(
      checkImport([header, candidateRow(2, { mentor_email: '' })], ctx()).rows[0]!.candidate!.mentorEmail,
    ).toBeNull()
  })
})

describe('existing people', () => {
  const importOne = (existing: ExistingPerson, over: Parameters<typeof candidateRow>[1] = {}, canManageRoles = true) =>
    checkImport([header, candidateRow(2, over)], ctx({ existing: new Map([['ann@x.org', existing]]), canManageRoles }))

  it('leaves an identical person unchanged, so a second import changes nothing', () => {
    expect(importOne(person()).rows[0]!.action).toBe('unchanged')
    expect(importOne(person(), {}, false).rows[0]!.action).toBe('unchanged')
    const mentor = person({
      roles: ['mentor'],
      background: null,
      stage: null,
      mentorEmail: null,
      joinedOn: null,
      enrolled: false,
    })
    const r = checkImport(
      [header, row(2, ['Ann Lee', 'ann@x.org', 'mentor', '', '', '', ''])],
      ctx({ existing: new Map([['ann@x.org', mentor]]) }),
    )
    expect(r.rows[0]!.action).toBe('unchanged')
  })

  it('updates a person whose name, roles or candidate facts differ (as an administrator)', () => {
    expect(importOne(person({ name: 'Ann Old' })).rows[0]!.action).toBe('update')
    expect(importOne(person({ roles: ['candidate', 'mentor'] })).rows[0]!.action).toBe('update')
    expect(importOne(person({ roles: ['mentor'] })).rows[0]!.action).toBe('update')
    expect(importOne(person({ background: 'pm' })).rows[0]!.action).toBe('update')
    expect(importOne(person({ mentorEmail: null, enrolled: false })).rows[0]!.action).toBe('update')
    expect(importOne(person({ joinedOn: '2026-01-01' })).rows[0]!.action).toBe('update')
    expect(importOne(person({ enrolled: false, stage: 's2' })).rows[0]!.action).toBe('update')
  })

  it('counts an unenrolled candidate without a mentor as unchanged when the row has no mentor either', () => {
    expect(importOne(person({ mentorEmail: null, enrolled: false }), { mentor_email: '' }).rows[0]!.action).toBe(
      'unchanged',
    )
    // With a mentor in the row, the same person is enrolled now: an update.
    expect(importOne(person({ enrolled: false })).rows[0]!.action).toBe('update')
  })

  it('never changes the stage of someone in the program: that is the gate’s job', () => {
    expect(messages(importOne(person({ stage: 's2' })))).toEqual([
      '2: stage: ann@x.org is already in the program at s2; stages change only through the gate',
    ])
  })

  it('lets only an administrator change roles', () => {
    expect(messages(importOne(person({ roles: ['candidate', 'mentor'] }), {}, false))).toEqual([
      '2: roles: only an administrator can change the roles of ann@x.org',
    ])
    expect(messages(importOne(person({ roles: ['mentor'] }), {}, false))).toEqual([
      '2: roles: only an administrator can change the roles of ann@x.org',
    ])
  })

  it('lets HR enrol an existing candidate with a first mentor and start date, and change nothing else', () => {
    const notEnrolled = person({ mentorEmail: null, joinedOn: '2025-01-01', enrolled: false })
    expect(importOne(notEnrolled, {}, false)).toMatchObject({ errors: [], rows: [{ action: 'update' }] })
    const hr = (p: ExistingPerson, over: Parameters<typeof candidateRow>[1] = {}) => messages(importOne(p, over, false))
    const suffix =
      'only an administrator can change an existing person (ann@x.org); an import by HR adds people and enrols candidates'
    expect(hr(person({ name: 'Ann Old' }))).toEqual([`2: name: ${suffix}`])
    expect(hr(person({ background: 'pm' }))).toEqual([`2: background: ${suffix}`])
    expect(hr(person({ mentorEmail: 'other@x.org' }))).toEqual([`2: mentor_email: ${suffix}`])
    expect(hr(person({ mentorEmail: 'other@x.org', enrolled: false }))).toEqual([`2: mentor_email: ${suffix}`])
    expect(hr(person({ joinedOn: '2026-01-01' }))).toEqual([`2: enrollment_date: ${suffix}`])
    expect(hr(person({ name: 'Ann Old', background: 'pm' }))).toEqual([`2: name, background: ${suffix}`])
  })
})

describe('details found by mutation testing', () => {
  const existing = (p: ExistingPerson) => ctx({ existing: new Map([['ann@x.org', p]]) })

  it('finds a mentor made in the same file whatever the spaces around the email and the roles', () => {
    const r = checkImport(
      [
        header,
        candidateRow(2, { mentor_email: 'new@x.org' }),
        row(3, ['New', '  new@x.org ', 'candidate; mentor', 'eng', '', 's1', '2026-01-01']),
      ],
      ctx(),
    )
    expect(r.errors).toEqual([])
  })

  it('counts roles as the same only when every role matches', () => {
    const r = checkImport(
      [header, row(2, ['Ann Lee', 'ann@x.org', 'candidate;mentor', 'eng', 'mentor@x.org', 's1', '2026-01-31'])],
      existing(person({ roles: ['candidate', 'hr'] })),
    )
    expect(r.rows[0]!.action).toBe('update')
  })

  it('updates a new stage of someone not yet enrolled, and a new mentor of someone enrolled', () => {
    const notEnrolled = person({ enrolled: false, mentorEmail: null, stage: 's2' })
    expect(checkImport([header, candidateRow(2, { mentor_email: '' })], existing(notEnrolled)).rows[0]!.action).toBe(
      'update',
    )
    const otherMentor = person({ mentorEmail: 'other@x.org' })
    expect(checkImport([header, candidateRow(2)], existing(otherMentor)).rows[0]!.action).toBe('update')
  })
})
