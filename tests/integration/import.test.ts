import { and, asc, eq, inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { candidateProfiles, people, roleAssignments } from '#db/schema/people'
import { certificates, enrolmentProposals, enrollments, milestones, stagePeriods } from '#db/schema/program'
import { action as importAction, loader as importLoader } from '~/routes/people_.import'
import { applyImport } from '~/models/import.server'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { call, loggedIn, request } from '../helpers/db'
import { noticeOf } from '../helpers/cycles'
import { args, countsOf, daysFromToday, enrollVia, postTimeline, profileOf } from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
type ImportResult = {
  stage: 'error' | 'preview'
  message: string | null
  errors: Array<{ line: number; message: string }>
  preview: Array<{ line: number; name: string; email: string; roles: string; action: string }>
  csv: string
  fileName: string
}

const HEADER = 'name,email,roles,background,mentor_email,stage,enrollment_date'
const HR_EMAIL = 'harriet.hr@import.test'
const NOTHING_IMPORTED = /^\d+ problems? found\. Nothing was imported; correct the file and upload it again\.$/

// Route wrappers: multipart posts as the browser sends them.
const loadImport = (cookie: string | undefined) => call(() => importLoader(args(request('/people/import', { cookie }))))
function post(cookie: string | undefined, fd: FormData) {
  const headers = new Headers()
  if (cookie) headers.set('Cookie', cookie)
  return call(() =>
    importAction(args(new Request('http://localhost/people/import', { method: 'POST', body: fd, headers }))),
  )
}
/** Uploads a file for the preview. */
function preview(cookie: string | undefined, content: string | Uint8Array, fileName = 'people.csv') {
  const fd = new FormData()
  fd.set('intent', 'preview')
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
  fd.set('file', new File([bytes as Uint8Array<ArrayBuffer>], fileName, { type: 'text/csv' }))
  return post(cookie, fd)
}
/** Confirms an import: the checked text goes back as the `csv` field. */
function confirm(cookie: string | undefined, csv: string, fileName = 'people.csv') {
  const fd = new FormData()
  fd.set('intent', 'import')
  fd.set('csv', csv)
  fd.set('fileName', fileName)
  return post(cookie, fd)
}
const result = (res: { data: unknown }) => res.data as ImportResult
const csvOf = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`

const tables = { people, roleAssignments, candidateProfiles, enrollments, stagePeriods, milestones, auditLog }
const personByEmail = (email: string) => getDb().select().from(people).where(eq(people.email, email)).get()
const rolesOf = (personId: number) =>
  getDb()
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(eq(roleAssignments.personId, personId))
    .all()
    .map((r) => r.role)
    .sort()
const auditRows = (action: string) =>
  getDb().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id)).all()

let hr: Viewer, secondHr: Viewer, admin: Viewer, candidate: Viewer, mentor: Viewer
const shadowOn = daysFromToday(-30)
const assistantOn = daysFromToday(-200)
// Mixed case in the file: people are matched by the lower-cased email.
const VALID = () =>
  csvOf(
    'Imani Mentor,Imani.Mentor@Import.test,mentor,,,,',
    `Ira Shadow,ira.shadow@import.test,candidate,senior-data-scientist,imani.mentor@import.test,shadow,${shadowOn}`,
    `Ines Assistant,ines.assistant@import.test,candidate,technical-product-manager,IMANI.MENTOR@import.test,assistant-sto,${assistantOn}`,
  )

beforeAll(async () => {
  hr = await loggedIn({ roles: ['hr'], name: 'Harriet HR', email: HR_EMAIL })
  secondHr = await loggedIn({ roles: ['hr'], name: 'Selma Second-HR' })
  admin = await loggedIn({ roles: ['admin'], name: 'Adam Admin' })
  candidate = await loggedIn({ roles: ['candidate'], name: 'Cara Candidate' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Milo Mentor' })
})

describe('who may import people', () => {
  it('HR and admin may open the import page', async () => {
    for (const viewer of [hr, admin])
      expect(await loadImport(viewer.cookie)).toMatchObject({ status: 200, data: { notice: null } })
  })

  it('candidates and mentors get 403 on the page and on both steps, and nothing is written', async () => {
    const before = countsOf(tables)
    for (const viewer of [candidate, mentor]) {
      expect(await loadImport(viewer.cookie)).toMatchObject({ thrown: true, status: 403 })
      expect(await preview(viewer.cookie, VALID())).toMatchObject({ thrown: true, status: 403 })
      expect(await confirm(viewer.cookie, VALID())).toMatchObject({ thrown: true, status: 403 })
    }
    expect(countsOf(tables)).toEqual(before)
  })

  it('anonymous visitors are sent to the login page', async () => {
    for (const res of [
      await loadImport(undefined),
      await preview(undefined, VALID()),
      await confirm(undefined, VALID()),
    ]) {
      expect(res).toMatchObject({ thrown: true, status: 302 })
      expect(res.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    }
  })
})

describe('importing a valid file', () => {
  it('the preview lists every row as a creation and writes nothing', async () => {
    const before = countsOf(tables)
    const res = await preview(hr.cookie, VALID())
    expect(res).toMatchObject({ thrown: false, status: 200 })
    const data = result(res)
    expect(data).toMatchObject({ stage: 'preview', message: null, errors: [], csv: VALID(), fileName: 'people.csv' })
    expect(data.preview).toEqual([
      { line: 2, name: 'Imani Mentor', email: 'imani.mentor@import.test', roles: 'mentor', action: 'create' },
      { line: 3, name: 'Ira Shadow', email: 'ira.shadow@import.test', roles: 'candidate', action: 'create' },
      { line: 4, name: 'Ines Assistant', email: 'ines.assistant@import.test', roles: 'candidate', action: 'create' },
    ])
    expect(countsOf(tables)).toEqual(before)
  })

  it('confirming creates the people, roles, profiles and enrollments, and audits the import', async () => {
    const before = countsOf(tables)
    const res = await confirm(hr.cookie, VALID())
    expect(res).toMatchObject({ thrown: true, status: 302 })
    const location = new URL(res.headers.get('Location')!, 'http://localhost')
    expect(location.pathname).toBe('/people/import')
    expect(location.search).toBe('')
    expect(await noticeOf(hr.cookie)).toBe(
      'Imported: 3 created, 0 updated, 0 unchanged, 1 enrolled, 1 proposed at a later stage (waiting for a second HR person on each program page).',
    )

    const imani = personByEmail('imani.mentor@import.test')!
    const ira = personByEmail('ira.shadow@import.test')!
    const ines = personByEmail('ines.assistant@import.test')!
    for (const p of [imani, ira, ines]) expect(p).toMatchObject({ active: true, passwordHash: null })
    expect([imani.name, ira.name, ines.name]).toEqual(['Imani Mentor', 'Ira Shadow', 'Ines Assistant'])
    expect(rolesOf(imani.id)).toEqual(['mentor'])
    expect(rolesOf(ira.id)).toEqual(['candidate'])
    expect(rolesOf(ines.id)).toEqual(['candidate'])

    const profile = (id: number) =>
      getDb().select().from(candidateProfiles).where(eq(candidateProfiles.personId, id)).get()
    expect(profile(imani.id)).toBeUndefined()
    expect(profile(ira.id)).toEqual({
      personId: ira.id,
      background: 'senior-data-scientist',
      stage: 'shadow',
      mentorId: imani.id,
      joinedOn: shadowOn,
    })
    // Ines starts beyond Shadow: a proposal, so her profile stays at the first stage until a second HR person confirms.
    expect(profile(ines.id)).toEqual({
      personId: ines.id,
      background: 'technical-product-manager',
      stage: 'shadow',
      mentorId: imani.id,
      joinedOn: assistantOn,
    })

    const enrollmentOf = (id: number) => getDb().select().from(enrollments).where(eq(enrollments.candidateId, id)).all()
    expect(enrollmentOf(ira.id)).toEqual([
      expect.objectContaining({
        status: 'active',
        enrolledOn: shadowOn,
        enrolledBy: hr.id,
        startStage: 'shadow',
        startReason: null,
      }),
    ])
    expect(enrollmentOf(ines.id)).toEqual([])
    const proposal = getDb().select().from(enrolmentProposals).where(eq(enrolmentProposals.candidateId, ines.id)).get()!
    expect(proposal).toMatchObject({
      status: 'pending',
      stage: 'assistant-sto',
      proposedBy: hr.id,
      mentorId: imani.id,
      reason: 'Imported from people.csv with prior progress.',
    })
    // The importer cannot confirm their own import's proposal; a second HR person can.
    expect(
      await postTimeline(hr.cookie, ines.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
    ).toMatchObject({ status: 403 })
    expect(
      await postTimeline(secondHr.cookie, ines.id, { intent: 'confirm-enrolment', proposalId: String(proposal.id) }),
    ).toMatchObject({ thrown: true, status: 302 })
    const [inesEnrollment] = enrollmentOf(ines.id)
    expect(inesEnrollment).toMatchObject({
      status: 'active',
      enrolledOn: assistantOn,
      enrolledBy: hr.id,
      confirmedBy: secondHr.id,
      startStage: 'assistant-sto',
      startReason: 'Imported from people.csv with prior progress.',
    })
    expect(getDb().select().from(stagePeriods).where(eq(stagePeriods.enrollmentId, inesEnrollment!.id)).all()).toEqual([
      expect.objectContaining({ stage: 'assistant-sto', enteredOn: assistantOn, exitedOn: null }),
    ])
    expect(
      getDb()
        .select()
        .from(milestones)
        .where(eq(milestones.candidateId, ines.id))
        .all()
        .map((m) => [m.stage, m.status]),
    ).toEqual(Array(5).fill(['assistant-sto', 'open']))

    expect(countsOf(tables)).toMatchObject({
      people: before.people + 3,
      roleAssignments: before.roleAssignments + 3,
      candidateProfiles: before.candidateProfiles + 2,
      enrollments: before.enrollments + 2,
    })
    const [audit] = auditRows('people.import')
    expect(auditRows('people.import')).toHaveLength(1)
    expect(audit).toMatchObject({ actorId: hr.id, entityType: 'import', entityId: 'people.csv' })
    expect(JSON.parse(audit!.after!)).toEqual({ created: 3, updated: 0, unchanged: 0, enrolled: 1, proposed: 1 })
    expect(
      getDb()
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, 'person.create'),
            inArray(
              auditLog.entityId,
              [imani, ira, ines].map((p) => String(p.id)),
            ),
          ),
        )
        .all(),
    ).toHaveLength(3)
    expect(
      getDb()
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, 'program.enroll'),
            inArray(
              auditLog.entityId,
              [ira, ines].map((p) => String(p.id)),
            ),
          ),
        )
        .all(),
    ).toHaveLength(2)
  })

  it('the same file again: the preview shows every row unchanged, and importing it changes nothing', async () => {
    const res = await preview(hr.cookie, VALID())
    expect(res.status).toBe(200)
    expect(result(res).preview.map((r) => [r.line, r.action])).toEqual([
      [2, 'unchanged'],
      [3, 'unchanged'],
      [4, 'unchanged'],
    ])

    const before = {
      ...countsOf({ people, roleAssignments, candidateProfiles, enrollments, stagePeriods, milestones }),
      updates: auditRows('person.update').length,
    }
    const again = await confirm(hr.cookie, VALID())
    expect(again).toMatchObject({ thrown: true, status: 302 })
    expect(await noticeOf(hr.cookie)).toBe('Imported: 0 created, 0 updated, 3 unchanged, 0 enrolled.')
    expect({
      ...countsOf({ people, roleAssignments, candidateProfiles, enrollments, stagePeriods, milestones }),
      updates: auditRows('person.update').length,
    }).toEqual(before)
    expect(auditRows('person.update')).toHaveLength(0)
  })
})

describe('refused files: every problem with its line, nothing imported', () => {
  it('one bad row (unknown background on line 3) refuses the whole file', async () => {
    const file = csvOf(
      'Gabe Good,gabe.good@import.test,mentor,,,,',
      `Bea Bad,bea.bad@import.test,candidate,astronaut,imani.mentor@import.test,shadow,${shadowOn}`,
      `Gil Good,gil.good@import.test,candidate,engineering-manager,imani.mentor@import.test,shadow,${shadowOn}`,
    )
    const before = countsOf(tables)
    for (const res of [await preview(hr.cookie, file), await confirm(hr.cookie, file)]) {
      expect(res).toMatchObject({ thrown: false, status: 400 })
      const data = result(res)
      expect(data.stage).toBe('error')
      expect(data.message).toBe('1 problem found. Nothing was imported; correct the file and upload it again.')
      expect(data.errors).toEqual([
        {
          line: 3,
          message: expect.stringMatching(
            /^background: unknown background "astronaut" \(use one of .*senior-data-scientist.*\)$/,
          ),
        },
      ])
      expect(data.preview).toEqual([])
    }
    expect(countsOf(tables)).toEqual(before)
    expect(personByEmail('gabe.good@import.test')).toBeUndefined()
  })

  const cases: Array<[string, () => string | Uint8Array, Array<{ line: number; message: string | RegExp }>]> = [
    [
      'a wrong header',
      () => 'name,email,role,background,mentor,stage,date\nWes Wrong,wes@import.test,mentor,,,,\n',
      [{ line: 1, message: `The header must be exactly: ${HEADER}` }],
    ],
    [
      'an unknown stage',
      () =>
        csvOf(
          `Uma Unknown,uma@import.test,candidate,senior-data-scientist,imani.mentor@import.test,chief-officer,${shadowOn}`,
        ),
      [{ line: 2, message: /^stage: unknown stage "chief-officer" \(use one of shadow, assistant-sto, / }],
    ],
    [
      'the same email twice in the file',
      () =>
        csvOf(
          `Dana Dup,dana.dup@import.test,candidate,senior-data-scientist,imani.mentor@import.test,shadow,${shadowOn}`,
          'Otto Other,otto.other@import.test,mentor,,,,',
          `Dana Again,Dana.Dup@import.test,candidate,senior-data-scientist,imani.mentor@import.test,shadow,${shadowOn}`,
        ),
      [{ line: 4, message: 'email dana.dup@import.test appears again (first on line 2)' }],
    ],
    [
      'a mentor email of someone who is not a mentor',
      () => csvOf(`Noah Nomentor,noah@import.test,candidate,senior-data-scientist,${HR_EMAIL},shadow,${shadowOn}`),
      [{ line: 2, message: `mentor_email: ${HR_EMAIL} is not a mentor` }],
    ],
    [
      'a name of 200 characters',
      () => csvOf(`${'N'.repeat(200)},long.name@import.test,mentor,,,,`),
      [{ line: 2, message: 'name: Use at most 120 characters.' }],
    ],
    [
      'an enrollment date in the future',
      () =>
        csvOf(
          `Fiona Future,fiona@import.test,candidate,senior-data-scientist,imani.mentor@import.test,shadow,${daysFromToday(10)}`,
        ),
      [{ line: 2, message: 'enrollment_date is in the future' }],
    ],
    [
      'binary content',
      () =>
        new Uint8Array([
          0x50,
          0x4b,
          0x03,
          0x04,
          0x14,
          0x00,
          0x00,
          0x00,
          0x08,
          0x00,
          ...new TextEncoder().encode(',a,b\n'),
        ]),
      [{ line: 1, message: 'This is not a CSV text file (it contains binary data).' }],
    ],
  ]

  it.each(cases)('%s: a clear message, nothing imported', async (_label, make, expected) => {
    const content = make()
    const before = countsOf(tables)
    const res = await preview(hr.cookie, content)
    expect(res).toMatchObject({ thrown: false, status: 400 })
    const data = result(res)
    expect(data.message).toMatch(NOTHING_IMPORTED)
    expect(data.errors).toHaveLength(expected.length)
    expected.forEach((e, i) => {
      expect(data.errors[i]!.line).toBe(e.line)
      if (typeof e.message === 'string') expect(data.errors[i]!.message).toBe(e.message)
      else expect(data.errors[i]!.message).toMatch(e.message)
    })
    // Confirming the same text (bypassing the preview) is refused the same way.
    const text = typeof content === 'string' ? content : new TextDecoder().decode(content)
    const confirmed = await confirm(hr.cookie, text)
    expect(confirmed).toMatchObject({ thrown: false, status: 400 })
    expect(result(confirmed).errors).toEqual(data.errors)
    expect(countsOf(tables)).toEqual(before)
  })

  it('a file over 2 MB is refused with 413, as is an over-long confirmation', async () => {
    const row = `Bulk Person,bulk@import.test,mentor,,,,\n`
    const big = HEADER + '\n' + row.repeat(Math.ceil((2 * 1024 * 1024) / row.length) + 10)
    expect(new TextEncoder().encode(big).byteLength).toBeGreaterThan(2 * 1024 * 1024)
    const before = countsOf(tables)
    for (const res of [await preview(hr.cookie, big), await confirm(hr.cookie, big)]) {
      expect(res).toMatchObject({ thrown: false, status: 413 })
      expect(result(res).message).toBe(
        'The file is larger than 2 MB. Split it into smaller files. Nothing was imported.',
      )
    }
    expect(countsOf(tables)).toEqual(before)
  })

  it('an empty upload or an unknown intent is refused', async () => {
    expect(await preview(hr.cookie, '')).toMatchObject({
      thrown: false,
      status: 400,
      data: { message: 'Choose a CSV file to import.' },
    })
    const fd = new FormData()
    fd.set('intent', 'delete-everyone')
    expect(await post(hr.cookie, fd)).toMatchObject({
      thrown: false,
      status: 400,
      data: { message: 'Unknown action.' },
    })
    const headerOnly = await preview(hr.cookie, `${HEADER}\n`)
    expect(result(headerOnly).errors).toEqual([{ line: 2, message: 'The file has no rows after the header.' }])
  })

  it('a candidate already enrolled at another stage is refused with the line number', async () => {
    // Ira was imported at Shadow; stages change only through the gate.
    const file = csvOf(
      'Gabe Good,gabe.good@import.test,mentor,,,,',
      `Ira Shadow,ira.shadow@import.test,candidate,senior-data-scientist,imani.mentor@import.test,assistant-sto,${shadowOn}`,
    )
    const before = countsOf(tables)
    for (const res of [await preview(hr.cookie, file), await confirm(hr.cookie, file)]) {
      expect(res).toMatchObject({ thrown: false, status: 400 })
      expect(result(res).errors).toEqual([
        {
          line: 3,
          message:
            'stage: ira.shadow@import.test is already in the program at shadow; stages change only through the gate',
        },
      ])
    }
    expect(countsOf(tables)).toEqual(before)
    expect(
      getDb()
        .select()
        .from(candidateProfiles)
        .where(eq(candidateProfiles.personId, personByEmail('ira.shadow@import.test')!.id))
        .get()!.stage,
    ).toBe('shadow')
  })

  it('a candidate enrolled through the timeline is matched by email and refused at another stage too', async () => {
    const cand = await loggedIn({
      roles: ['candidate'],
      name: 'Tia Timeline',
      candidate: { background: 'engineering-manager', joinedOn: daysFromToday(-40) },
    })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: daysFromToday(-40) })
    const res = await preview(
      hr.cookie,
      csvOf(
        `Tia Timeline,${cand.email.toUpperCase()},candidate,engineering-manager,${mentor.email},assistant-sto,${daysFromToday(-40)}`,
      ),
    )
    expect(res.status).toBe(400)
    expect(result(res).errors).toEqual([
      {
        line: 2,
        message: `stage: ${cand.email} is already in the program at shadow; stages change only through the gate`,
      },
    ])
  })
})

describe('what an import may not do', () => {
  // Importing is HR's; giving hr/admin roles or changing roles is an administrator's.
  it('HR cannot grant themselves the admin role by importing their own row', async () => {
    const hr2 = await loggedIn({ roles: ['hr'], name: 'Hugo HR' })
    const file = csvOf(`Hugo HR,${hr2.email},hr;admin,,,,`)
    const before = countsOf(tables)
    const res = await confirm(hr2.cookie, file)
    expect(rolesOf(hr2.id)).toEqual(['hr'])
    expect(res).toMatchObject({ thrown: false, status: 400 })
    // Refused for the right reason: the admin role, not some other problem of the row.
    expect(result(res).errors).toEqual([
      { line: 2, message: 'roles: only an administrator can give the hr and admin role' },
    ])
    expect(countsOf(tables)).toEqual(before)
  })

  it('issue 12 path 6: an import row by HR cannot grant the admin role to a new person (exact reason, nothing written)', async () => {
    const before = countsOf(tables)
    const res = await confirm(hr.cookie, csvOf('Ada Newadmin,ada.newadmin@import.test,admin,,,,'))
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(result(res).errors).toEqual([{ line: 2, message: 'roles: only an administrator can give the admin role' }])
    expect(personByEmail('ada.newadmin@import.test')).toBeUndefined()
    expect(countsOf(tables)).toEqual(before)
  })

  it('issue 12 path 6: HR cannot change an existing person’s roles by import; an admin can', async () => {
    const m = await loggedIn({ roles: ['mentor'], name: 'Rolf Roles' })
    const file = csvOf(`Rolf Roles,${m.email},mentor;candidate,engineering-manager,,shadow,${daysFromToday(-5)}`)
    const res = await confirm(hr.cookie, file)
    expect(res).toMatchObject({ thrown: false, status: 400 })
    expect(result(res).errors).toEqual([
      { line: 2, message: `roles: only an administrator can change the roles of ${m.email}` },
    ])
    expect(rolesOf(m.id)).toEqual(['mentor'])
    expect((await confirm(admin.cookie, file)).status).toBe(302)
    expect(rolesOf(m.id)).toEqual(['candidate', 'mentor'])
  })

  it('issue 12 path 6: HR cannot rename a mentor or change a candidate’s mentor by import (nothing written); an admin can', async () => {
    const m = await loggedIn({ roles: ['mentor'], name: 'Nina Namekeeper' })
    const m2 = await loggedIn({ roles: ['mentor'], name: 'Otto Othermentor' })
    const cand = await loggedIn({
      roles: ['candidate'],
      name: 'Cleo Keepmentor',
      candidate: { background: 'engineering-manager', joinedOn: daysFromToday(-40) },
    })
    enrollVia(hr.id, { candidateId: cand.id, mentorId: m.id, enrolledOn: daysFromToday(-40) })
    const before = { counts: countsOf(tables), updates: auditRows('person.update').length }
    const rename = await confirm(hr.cookie, csvOf(`Nina Renamed,${m.email},mentor,,,,`))
    expect(rename).toMatchObject({ thrown: false, status: 400 })
    expect(result(rename).errors).toEqual([
      {
        line: 2,
        message: `name: only an administrator can change an existing person (${m.email}); an import by HR adds people and enrols candidates`,
      },
    ])
    const remap = await confirm(
      hr.cookie,
      csvOf(`Cleo Keepmentor,${cand.email},candidate,engineering-manager,${m2.email},shadow,${daysFromToday(-40)}`),
    )
    expect(remap).toMatchObject({ thrown: false, status: 400 })
    expect(result(remap).errors).toEqual([
      {
        line: 2,
        message: `mentor_email: only an administrator can change an existing person (${cand.email}); an import by HR adds people and enrols candidates`,
      },
    ])
    expect({ counts: countsOf(tables), updates: auditRows('person.update').length }).toEqual(before)
    expect(personByEmail(m.email)!.name).toBe('Nina Namekeeper')
    expect(profileOf(cand.id).mentorId).toBe(m.id)
    // The same rename by an administrator goes through.
    expect((await confirm(admin.cookie, csvOf(`Nina Renamed,${m.email},mentor,,,,`))).status).toBe(302)
    expect(personByEmail(m.email)!.name).toBe('Nina Renamed')
  })

  it('issue 12 path 6: the model refuses an HR edit of an existing person even when handed a checked row', async () => {
    const m = await loggedIn({ roles: ['mentor'], name: 'Mo Modelcheck' })
    const before = countsOf(tables)
    expect(() =>
      transaction((tx) =>
        applyImport(
          tx,
          hr.id,
          [{ line: 2, name: 'Mo Renamed', email: m.email, roles: ['mentor'], candidate: null, action: 'update' }],
          getFramework(),
          'forged.csv',
        ),
      ),
    ).toThrow(`Line 2: Only an administrator can change an existing person (${m.email}).`)
    expect(countsOf(tables)).toEqual(before)
  })

  // The final stage is reached through the gate (which certifies), never by import.
  it('a candidate imported at the final stage is not left active there without a certificate', async () => {
    const email = 'fred.final@import.test'
    const file = csvOf(
      `Fred Final,${email},candidate,engineering-manager,imani.mentor@import.test,full-sto-certification,${daysFromToday(-10)}`,
    )
    await confirm(hr.cookie, file)
    const fred = personByEmail(email)
    const active = fred
      ? getDb()
          .select()
          .from(enrollments)
          .where(and(eq(enrollments.candidateId, fred.id), eq(enrollments.status, 'active')))
          .all()
      : []
    const certified = fred ? getDb().select().from(certificates).where(eq(certificates.candidateId, fred.id)).all() : []
    // Either refused (nobody enrolled) or certified: never active in the final stage with no certificate.
    expect({ activeAtFinalStage: active.length, certificates: certified.length }).not.toEqual({
      activeAtFinalStage: 1,
      certificates: 0,
    })
  })
})
