/** The shared form schemas (app/domain/forms.ts): the rules the browser and the server both apply. */
import { describe, expect, it } from 'vitest'
import { changePasswordSchema, idField, personSchema, roleList, setupSchema } from '~/domain/forms'

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)

describe('idField', () => {
  it('answers a bad id with the given message, or "Unknown id."', () => {
    expect(issues(idField().safeParse('x'))).toEqual([': Unknown id.'])
    expect(issues(idField().safeParse(7))).toEqual([': Unknown id.'])
    expect(issues(idField('No such cycle.').safeParse('0'))).toEqual([': No such cycle.'])
    expect(issues(idField('No such cycle.').safeParse(undefined))).toEqual([': No such cycle.'])
  })
})

describe('passwords that must match', () => {
  const pw = 'correct horse battery'
  it('accepts two equal passwords and names the repeat field when they differ', () => {
    expect(setupSchema.safeParse({ name: 'A', email: 'a@x.org', password: pw, confirmPassword: pw }).success).toBe(true)
    expect(
      issues(setupSchema.safeParse({ name: 'A', email: 'a@x.org', password: pw, confirmPassword: `${pw}!` })),
    ).toEqual(['confirmPassword: The two passwords do not match.'])
    expect(
      issues(changePasswordSchema.safeParse({ currentPassword: 'old', password: pw, confirmPassword: 'other' })),
    ).toEqual(['confirmPassword: The two passwords do not match.'])
  })
})

describe('roleList', () => {
  it('takes each role once', () => {
    expect(roleList.safeParse(['hr', 'mentor']).success).toBe(true)
    expect(issues(roleList.safeParse(['hr', 'hr']))).toEqual([': Each role once.'])
  })
})

describe('personSchema', () => {
  const base = { name: 'Ann', email: 'ann@x.org', roles: ['mentor'] }
  const schema = personSchema({ withPassword: false })

  it('needs background, stage and start date only for a candidate', () => {
    expect(schema.safeParse(base).success).toBe(true)
    expect(issues(schema.safeParse({ ...base, roles: ['candidate'] }))).toEqual([
      'background: Choose the candidate’s background.',
      'stage: Choose the candidate’s program stage.',
      'joinedOn: Enter the date they joined the program.',
    ])
    expect(
      schema.safeParse({ ...base, roles: ['candidate'], background: 'eng', stage: 's1', joinedOn: '2026-01-31' })
        .success,
    ).toBe(true)
  })

  it('needs a real start date', () => {
    const candidate = { ...base, roles: ['candidate'], background: 'eng', stage: 's1' }
    expect(issues(schema.safeParse({ ...candidate, joinedOn: '2026-02-30' }))).toEqual(['joinedOn: Enter a real date.'])
    expect(issues(schema.safeParse({ ...candidate, joinedOn: '2026-99-01' }))).toEqual(['joinedOn: Enter a real date.'])
    expect(issues(schema.safeParse({ ...candidate, joinedOn: '1/2/2026' }))).toContain(
      'joinedOn: Use the format YYYY-MM-DD.',
    )
  })

  it('limits background and stage ids to 64 characters, and needs a positive whole mentor id', () => {
    expect(schema.safeParse({ ...base, background: 'b'.repeat(64), stage: 's'.repeat(64) }).success).toBe(true)
    expect(issues(schema.safeParse({ ...base, background: 'b'.repeat(65) }))[0]).toMatch(/^background: /)
    expect(issues(schema.safeParse({ ...base, stage: 's'.repeat(65) }))[0]).toMatch(/^stage: /)
    expect(schema.safeParse({ ...base, mentorId: '12' })).toMatchObject({ success: true, data: { mentorId: 12 } })
    expect(issues(schema.safeParse({ ...base, mentorId: 'abc' }))).toEqual(['mentorId: Choose a mentor.'])
    expect(schema.safeParse({ ...base, mentorId: '0' }).success).toBe(false)
  })

  it('takes a password only when asked to', () => {
    expect(personSchema({ withPassword: true }).safeParse({ ...base, password: 'correct horse battery' }).success).toBe(
      true,
    )
    expect(personSchema({ withPassword: true }).safeParse(base).success).toBe(false)
    expect(schema.safeParse({ ...base, password: 'correct horse battery' }).success).toBe(false)
  })
})
