/**
 * Erasure (app/models/erasure.server.ts, erasePerson) leaves their email in neither
 * login_attempts nor any outbox row: mail to them as a rater, mail whose rater row is gone or
 * never existed, recipients stored in another case, and mail to others that quotes their address.
 * Everyone else's attempts and mail stay as they were.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { outbox } from '#db/schema/assessments'
import { loginAttempts } from '#db/schema/auth'
import { erasePerson, erasedEmail } from '~/models/erasure.server'
import { login } from '~/utils/auth.server'
import { getDb, transaction } from '~/utils/db.server'
import { collectingCycle, specs } from '../helpers/cycles'
import { TEST_PASSWORD, loggedIn } from '../helpers/db'

const IVY = { name: 'Ivy Quenneville-Erasable', email: 'ivy.quenneville@example.com' }

type Viewer = Awaited<ReturnType<typeof loggedIn>>
let admin: Viewer, hr: Viewer, ivy: Viewer, other: Viewer
let raterOutboxId: number
const strayIds: Record<'orphan' | 'upperCase' | 'quotesHer' | 'unrelated', number> = {} as never

/** Every outbox column of every row (cast to text) that contains `needle`, case-insensitively, as "id.column". */
function outboxHits(needle: string): string[] {
  const sqlite = getDb().$client
  const columns = (sqlite.prepare(`pragma table_info("outbox")`).all() as Array<{ name: string }>).map((c) => c.name)
  return columns.flatMap((column) =>
    (
      sqlite
        .prepare(`select id from outbox where instr(lower(cast("${column}" as text)), lower(?)) > 0`)
        .all(needle) as Array<{ id: number }>
    ).map((r) => `${r.id}.${column}`),
  )
}

function mail(values: { toName: string; toEmail: string; subject?: string; body?: string; raterId?: number | null }) {
  return getDb()
    .insert(outbox)
    .values({
      createdAt: new Date().toISOString(),
      kind: 'reminder',
      subject: values.subject ?? 'A reminder',
      body: values.body ?? 'Please give your feedback.',
      status: 'kept',
      attempts: 0,
      cycleId: null,
      raterId: values.raterId ?? null,
      toName: values.toName,
      toEmail: values.toEmail,
    })
    .returning({ id: outbox.id })
    .get().id
}

let othersAttemptsBefore: unknown[]
let othersMailBefore: unknown

beforeAll(async () => {
  admin = await loggedIn({ roles: ['admin'] })
  hr = await loggedIn({ roles: ['hr'] })
  ivy = await loggedIn({ roles: ['mentor'], ...IVY })
  other = await loggedIn({ roles: ['mentor'] })
  const cand = await loggedIn({ roles: ['candidate'], candidate: { mentorId: other.id } })

  // Ivy is asked for feedback (typed in another case by the candidate): an invitation tied to her rater row.
  const made = await collectingCycle({
    approverCookie: hr.cookie,
    candidateCookie: cand.cookie,
    candidateId: cand.id,
    specs: [
      ...specs('manager', 1),
      ...specs('peer', 2),
      { name: IVY.name, email: 'Ivy.Quenneville@Example.COM', relationship: 'peer' },
    ],
  })
  const ivyRater = made.raters.find((r) => r.name === IVY.name)!
  raterOutboxId = getDb().select({ id: outbox.id }).from(outbox).where(eq(outbox.raterId, ivyRater.id)).get()!.id

  // Mail to her that no rater row holds (its row was deleted, or it never had one), in another case too.
  strayIds.orphan = mail({ toName: IVY.name, toEmail: IVY.email })
  strayIds.upperCase = mail({ toName: 'Ivy', toEmail: IVY.email.toUpperCase() })
  // Mail to someone else that quotes her address. (The app's templates name people but quote no
  // address; a quote is replaced as stored, like a name — see scrubMentions.)
  strayIds.quotesHer = mail({
    toName: 'Someone Else',
    toEmail: 'someone.else@example.com',
    body: `Questions? Write to ${IVY.email}.`,
  })
  strayIds.unrelated = mail({ toName: 'Someone Else', toEmail: 'someone.else@example.com', body: 'Nothing about her.' })

  // Her login attempts from two addresses, typed with spaces and capitals; and someone else's.
  for (const ip of ['192.0.2.201', '192.0.2.202'])
    expect(await login({ email: `  ${IVY.email.toUpperCase()} `, password: 'not her password', ip })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  expect(await login({ email: IVY.email, password: TEST_PASSWORD, ip: '192.0.2.203' })).toMatchObject({ ok: true })
  expect(await login({ email: other.email, password: 'not theirs either', ip: '192.0.2.204' })).toEqual({
    ok: false,
    reason: 'invalid',
  })
  expect(await login({ email: 'unknown.person@example.com', password: 'guess', ip: '192.0.2.205' })).toEqual({
    ok: false,
    reason: 'invalid',
  })

  expect(getDb().select().from(loginAttempts).where(eq(loginAttempts.email, IVY.email)).all()).toHaveLength(3)
  // Before: her address is in four rows (recipient of three, quoted in one).
  expect(outboxHits(IVY.email).sort()).toEqual(
    [
      `${raterOutboxId}.to_email`,
      `${strayIds.orphan}.to_email`,
      `${strayIds.upperCase}.to_email`,
      `${strayIds.quotesHer}.body`,
    ].sort(),
  )
  othersAttemptsBefore = getDb()
    .select()
    .from(loginAttempts)
    .all()
    .filter((a) => a.email !== IVY.email)
  othersMailBefore = getDb().select().from(outbox).where(eq(outbox.id, strayIds.unrelated)).get()

  transaction((tx) => erasePerson(tx, admin.id, ivy.id))
})

describe('erasing a person removes their email from login attempts and the outbox', () => {
  it('deletes their login attempts, whatever case they were typed in, and keeps everyone else’s', () => {
    const rows = getDb().select().from(loginAttempts).all()
    expect(rows.filter((a) => a.email.toLowerCase().includes('ivy.quenneville'))).toEqual([])
    expect(rows).toEqual(othersAttemptsBefore)
  })

  it('leaves their address in no outbox row: rater mail, mail without a rater row, any case, quoted by others', () => {
    expect(outboxHits(IVY.email)).toEqual([])
    expect(outboxHits('ivy.quenneville')).toEqual([])
    expect(getDb().select().from(outbox).where(eq(outbox.id, raterOutboxId)).get()!.toEmail).toMatch(
      /^erased-rater-\d+@erased\.invalid$/,
    )
    for (const id of [strayIds.orphan, strayIds.upperCase])
      expect(getDb().select().from(outbox).where(eq(outbox.id, id)).get()).toMatchObject({
        toEmail: erasedEmail(ivy.id),
      })
    // Mail to others keeps its recipient; only the quoted address is replaced.
    for (const id of [strayIds.quotesHer])
      expect(getDb().select().from(outbox).where(eq(outbox.id, id)).get()).toMatchObject({
        toEmail: 'someone.else@example.com',
      })
    expect(getDb().select().from(outbox).where(eq(outbox.id, strayIds.unrelated)).get()).toEqual(othersMailBefore)
  })
})
