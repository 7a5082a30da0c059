import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '#db/schema/audit'
import { evidenceFiles, milestones, milestoneSubmissions, planItems, signoffs } from '#db/schema/program'
import { recommendAdvancement } from '~/models/advancement.server'
import { submitEvidence } from '~/models/milestones.server'
import { loader as fileLoader } from '~/routes/files.$fileId'
import { action as milestoneAction } from '~/routes/milestones.$milestoneId'
import { loader as queueLoader } from '~/routes/queue'
import { getFramework } from '~/utils/content.server'
import { getDb, transaction } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { MAX_FILE_BYTES } from '~/utils/uploads.server'
import { call, loggedIn, makePerson, request } from '../helpers/db'
import {
  args,
  auditFor,
  countsOf,
  daysFromToday,
  enrollVia,
  enrollmentOf,
  loadGate,
  loadMilestone,
  messageOf,
  milestoneByTemplate,
  milestoneRow,
  monthsAgo,
  noonOf,
  pdfBytes,
  postEvidence,
  postGate,
  postMilestone,
  postTimeline,
  signoffsOf,
  useTempUploads,
} from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
type Queue = {
  mentor: Array<{ id: number; candidateId: number; title: string }> | null
  hrSignoffs: Array<{ id: number; candidateId: number; blocked: string | null }> | null
  advancements: Array<{ candidateId: number; fromStage: string; toStage: string; blocked: string | null }> | null
}
type MilestonePage = {
  milestone: { id: number; status: string; statusLabel: string }
  submissions: Array<{
    id: number
    summary: string
    links: string[]
    files: Array<{ id: number; name: string; size: number }>
  }>
  log: Array<{ id: number; kind: string; role: string; byId: number; note: string | null; revoked: boolean }>
  viewer: { canSubmit: boolean; canDecide: boolean; canRevokeIds: number[] }
}

const SUMMARY = 'I agreed a shadowing plan with my mentor and we review it every fortnight.'
const tables = { submissions: milestoneSubmissions, files: evidenceFiles, signoffs, milestones, auditLog }

let uploads: string
let hr: Viewer, hr2: Viewer, mentor: Viewer, otherMentor: Viewer, mentorHr: Viewer
let cand: Viewer, other: Viewer, assistant: Viewer

const storedFiles = () => fs.readdirSync(uploads).filter((f) => !f.startsWith('.'))
const shadowMilestone = (candidateId: number, templateId = 'shadow-plan') =>
  milestoneByTemplate(candidateId, templateId)
const queue = (v: Viewer) => call(() => queueLoader(args(request('/queue', { cookie: v.cookie }))))

beforeAll(async () => {
  uploads = useTempUploads()
  hr = await loggedIn({ roles: ['hr'], name: 'Hugo HR' })
  hr2 = await loggedIn({ roles: ['hr'], name: 'Hilde HR' })
  mentor = await loggedIn({ roles: ['mentor'], name: 'Mona Mentor' })
  otherMentor = await loggedIn({ roles: ['mentor'], name: 'Otto Othermentor' })
  mentorHr = await loggedIn({ roles: ['mentor', 'hr'], name: 'Magda Mentor-HR' })
  cand = await loggedIn({ roles: ['candidate'], name: 'Cleo Candidate' })
  other = await loggedIn({ roles: ['candidate'], name: 'Oskar Other' })
  assistant = await loggedIn({ roles: ['candidate'], name: 'Asha Assistant' })
  enrollVia(hr.id, { candidateId: cand.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  enrollVia(hr.id, { candidateId: other.id, mentorId: otherMentor.id, enrolledOn: monthsAgo(2) })
  enrollVia(hr.id, {
    candidateId: assistant.id,
    mentorId: mentorHr.id,
    stageId: 'assistant-sto',
    enrolledOn: monthsAgo(1),
    reason: 'Ran a data platform team for three years.',
    record: { delegatedDomain: 'technical-decisions' },
  })
})

afterAll(() => {
  fs.rmSync(uploads, { recursive: true, force: true })
  delete process.env.UPLOADS_DIR
  resetEnvCache()
})

describe('submitting evidence (multipart POST to milestones.$milestoneId)', () => {
  it('stores a PDF by its SHA-256, records the submission and file, marks the milestone submitted, and audits it', async () => {
    const m = shadowMilestone(cand.id)
    const bytes = pdfBytes('shadowing plan')
    const sha = createHash('sha256').update(bytes).digest('hex')
    const before = countsOf(tables)
    const res = await postEvidence(cand.cookie, m.id, {
      summary: SUMMARY,
      links: 'https://wiki.example.com/plan\nhttp://intranet.example.com/notes',
      files: [{ bytes, name: 'shadow plan.pdf', type: 'application/pdf' }],
    })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(res.headers.get('Location')).toBe(`/milestones/${m.id}`)

    const submission = getDb()
      .select()
      .from(milestoneSubmissions)
      .where(eq(milestoneSubmissions.milestoneId, m.id))
      .get()!
    expect(submission).toMatchObject({ summary: SUMMARY, submittedBy: cand.id, planItemId: null })
    expect(JSON.parse(submission.linksJson)).toEqual([
      'https://wiki.example.com/plan',
      'http://intranet.example.com/notes',
    ])
    const files = getDb().select().from(evidenceFiles).where(eq(evidenceFiles.submissionId, submission.id)).all()
    expect(files).toEqual([
      expect.objectContaining({
        fileName: 'shadow plan.pdf',
        contentType: 'application/pdf',
        sizeBytes: bytes.byteLength,
        sha256: sha,
      }),
    ])
    expect(fs.readFileSync(path.join(uploads, sha)).equals(Buffer.from(bytes))).toBe(true)
    expect(milestoneRow(m.id).status).toBe('submitted')
    const audit = auditFor('milestone.submit', m.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: cand.id, entityType: 'milestone' })
    expect(JSON.parse(audit[0]!.after!)).toEqual({ submissionId: submission.id, files: [sha], links: 2 })
    expect(countsOf(tables)).toEqual({
      ...before,
      submissions: before.submissions + 1,
      files: before.files + 1,
      auditLog: before.auditLog + 1,
    })

    // What the mentor and the candidate see on the milestone page.
    const page = (await loadMilestone(mentor.cookie, m.id)).data as MilestonePage
    expect(page.milestone).toMatchObject({ status: 'submitted', statusLabel: 'Waiting for sign-off' })
    expect(page.submissions).toEqual([
      expect.objectContaining({
        summary: SUMMARY,
        files: [{ id: files[0]!.id, name: 'shadow plan.pdf', size: bytes.byteLength }],
      }),
    ])
    expect(page.viewer).toMatchObject({ canSubmit: false, canDecide: true })
    expect(((await loadMilestone(cand.cookie, m.id)).data as MilestonePage).viewer).toMatchObject({
      canSubmit: false,
      canDecide: false,
    })

    // A second submission while it waits for sign-off is refused.
    const again = await postEvidence(cand.cookie, m.id, { summary: SUMMARY })
    expect(again).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(again)).toBe('This milestone is already waiting for sign-off.')
  })

  it('refuses a file over 10 MB with 413 and writes nothing', async () => {
    const m = shadowMilestone(cand.id, 'shadow-meeting-coverage')
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(new TextEncoder().encode('%PDF-1.4\n'))
    const before = countsOf(tables)
    const stored = storedFiles()
    const res = await postEvidence(cand.cookie, m.id, {
      summary: SUMMARY,
      files: [{ bytes: big, name: 'huge.pdf', type: 'application/pdf' }],
    })
    expect(res).toMatchObject({ thrown: false, status: 413 })
    expect(messageOf(res)).toBe('A file is larger than 10 MB. Nothing was saved.')
    expect(countsOf(tables)).toEqual(before)
    expect(storedFiles()).toEqual(stored)
    expect(milestoneRow(m.id).status).toBe('open')
  })

  it('refuses a file type that is not accepted (by its bytes, not its name) with 415 and writes nothing', async () => {
    const m = shadowMilestone(cand.id, 'shadow-meeting-coverage')
    const before = countsOf(tables)
    const stored = storedFiles()
    const cases = [
      { bytes: 'MZ\x90\x00\x03\x00\x00\x00 this is a program', name: 'x.exe', type: 'application/x-msdownload' },
      { bytes: 'plain text notes from the meeting', name: 'notes.txt', type: 'text/plain' },
      // A program renamed to .pdf, with the browser claiming a PDF.
      { bytes: 'MZ\x90\x00\x03\x00 renamed', name: 'report.pdf', type: 'application/pdf' },
    ]
    for (const file of cases) {
      // Next to an acceptable PDF: the whole submission is refused, the PDF is not stored either.
      const res = await postEvidence(cand.cookie, m.id, {
        summary: SUMMARY,
        files: [{ bytes: pdfBytes('ok'), name: 'fine.pdf', type: 'application/pdf' }, file],
      })
      expect(res, file.name).toMatchObject({ thrown: false, status: 415 })
      expect(messageOf(res), file.name).toContain(`“${file.name}” is not an accepted file type.`)
    }
    expect(countsOf(tables)).toEqual(before)
    expect(storedFiles()).toEqual(stored)
  })

  it('refuses a summary under 20 characters and a link that is not http(s) with 400', async () => {
    const m = shadowMilestone(cand.id, 'shadow-meeting-coverage')
    const before = countsOf(tables)
    const short = await postEvidence(cand.cookie, m.id, { summary: 'Did it.' })
    expect(short).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(short)).toBe('Write a summary of at least 20 characters.')
    expect((await postEvidence(cand.cookie, m.id, {})).status).toBe(400)
    for (const links of [
      'javascript:alert(1)',
      'ftp://files.example.com/notes',
      'https://ok.example.com www.example.com',
    ]) {
      const res = await postEvidence(cand.cookie, m.id, { summary: SUMMARY, links })
      expect(res, links).toMatchObject({ thrown: false, status: 400 })
      expect(messageOf(res), links).toContain('Each link must be a full http(s) address.')
    }
    expect(countsOf(tables)).toEqual(before)
  })

  it('refuses evidence for a milestone of another stage than the current one (409)', async () => {
    const e = enrollmentOf(cand.id)!
    const now = new Date().toISOString()
    const { id } = getDb()
      .insert(milestones)
      .values({
        enrollmentId: e.id,
        candidateId: cand.id,
        stage: 'assistant-sto',
        templateId: 'assistant-owned-decisions',
        title: 'Own decisions in the delegated domain',
        description: 'A milestone of the next stage.',
        evidence: 'A decision log.',
        signOff: 'mentor',
        required: true,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: milestones.id })
      .get()
    const before = countsOf(tables)
    const res = await postEvidence(cand.cookie, id, { summary: SUMMARY })
    expect(res).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(res)).toBe('This milestone belongs to another stage than your current one.')
    expect(countsOf(tables)).toEqual(before)
  })

  it('refuses evidence from anyone but the milestone’s candidate', async () => {
    const m = shadowMilestone(cand.id, 'shadow-decision-journal')
    const before = countsOf(tables)
    expect(await postEvidence(other.cookie, m.id, { summary: SUMMARY })).toMatchObject({ thrown: true, status: 403 })
    // Their mentor and HR can read the milestone but not submit for the candidate.
    expect(await postEvidence(mentor.cookie, m.id, { summary: SUMMARY })).toMatchObject({ thrown: true, status: 403 })
    expect(await postEvidence(hr.cookie, m.id, { summary: SUMMARY })).toMatchObject({ thrown: true, status: 403 })
    expect(await postEvidence(cand.cookie, 999999, { summary: SUMMARY })).toMatchObject({ thrown: true, status: 404 })
    expect(countsOf(tables)).toEqual(before)
  })

  it('links a plan item of the candidate’s own, and refuses someone else’s', async () => {
    const m = shadowMilestone(cand.id, 'shadow-decision-rights-map')
    expect(
      (
        await postTimeline(cand.cookie, cand.id, {
          intent: 'add-plan',
          capabilityId: 'decision-making',
          action: 'Map who decides what in the pod.',
        })
      ).status,
    ).toBe(302)
    expect(
      (
        await postTimeline(other.cookie, other.id, {
          intent: 'add-plan',
          capabilityId: 'decision-making',
          action: 'Another candidate’s item.',
        })
      ).status,
    ).toBe(302)
    const mine = getDb().select().from(planItems).where(eq(planItems.candidateId, cand.id)).get()!
    const theirs = getDb().select().from(planItems).where(eq(planItems.candidateId, other.id)).get()!
    const before = countsOf(tables)
    const refused = await postEvidence(cand.cookie, m.id, { summary: SUMMARY, planItemId: String(theirs.id) })
    expect(refused).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(refused)).toBe('Choose one of your own plan items.')
    expect(countsOf(tables)).toEqual(before)
    expect((await postEvidence(cand.cookie, m.id, { summary: SUMMARY, planItemId: String(mine.id) })).status).toBe(302)
    expect(getDb().select().from(planItems).where(eq(planItems.id, mine.id)).get()!.milestoneId).toBe(m.id)
  })
})

describe('signing off, returning and revoking', () => {
  it('the mentor returns with feedback, the candidate resubmits, the mentor signs off; a second sign-off is refused', async () => {
    const m = shadowMilestone(cand.id, 'shadow-guided-responsibilities')
    expect((await postEvidence(cand.cookie, m.id, { summary: SUMMARY })).status).toBe(302)

    const noNote = await postMilestone(mentor.cookie, m.id, { intent: 'return', note: 'Hmm' })
    expect(noNote).toMatchObject({ thrown: false, status: 400 })
    expect(messageOf(noNote)).toBe('Say what to improve (at least 5 characters).')
    expect(signoffsOf(m.id)).toEqual([])

    const returned = await postMilestone(mentor.cookie, m.id, {
      intent: 'return',
      note: 'Add the two decisions you took alone.',
    })
    expect(returned).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('returned')
    expect(signoffsOf(m.id)).toEqual([
      expect.objectContaining({
        kind: 'returned',
        role: 'mentor',
        byId: mentor.id,
        note: 'Add the two decisions you took alone.',
      }),
    ])
    expect(auditFor('milestone.return', m.id)).toHaveLength(1)
    expect(((await loadMilestone(cand.cookie, m.id)).data as MilestonePage).viewer.canSubmit).toBe(true)

    expect((await postEvidence(cand.cookie, m.id, { summary: `${SUMMARY} Now with both decisions.` })).status).toBe(302)
    expect(milestoneRow(m.id).status).toBe('submitted')
    expect(auditFor('milestone.resubmit', m.id)).toHaveLength(1)
    expect(
      getDb().select().from(milestoneSubmissions).where(eq(milestoneSubmissions.milestoneId, m.id)).all(),
    ).toHaveLength(2)

    // The candidate cannot sign their own milestone; a mentor of someone else cannot either.
    expect(await postMilestone(cand.cookie, m.id, { intent: 'sign' })).toMatchObject({ thrown: true, status: 403 })
    expect(await postMilestone(otherMentor.cookie, m.id, { intent: 'sign' })).toMatchObject({
      thrown: true,
      status: 403,
    })
    // HR may not give a mentor's sign-off.
    expect(await postMilestone(hr.cookie, m.id, { intent: 'sign' })).toMatchObject({ thrown: false, status: 403 })
    expect(milestoneRow(m.id).status).toBe('submitted')

    const signed = await postMilestone(mentor.cookie, m.id, { intent: 'sign', note: 'Well evidenced.' })
    expect(signed).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('signed-off')
    const log = signoffsOf(m.id)
    expect(log.at(-1)).toMatchObject({ kind: 'signed', role: 'mentor', byId: mentor.id, note: 'Well evidenced.' })
    // The sign-off names the latest submission.
    const latest = getDb()
      .select()
      .from(milestoneSubmissions)
      .where(eq(milestoneSubmissions.milestoneId, m.id))
      .all()
      .at(-1)!
    expect(log.at(-1)!.submissionId).toBe(latest.id)

    const twice = await postMilestone(mentor.cookie, m.id, { intent: 'sign' })
    expect(twice).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(twice)).toBe('This milestone is already signed off.')
    expect(signoffsOf(m.id)).toHaveLength(2)
  })

  it('refuses to sign a milestone without submitted evidence (409)', async () => {
    const m = milestoneByTemplate(other.id, 'shadow-plan')
    const res = await postMilestone(otherMentor.cookie, m.id, { intent: 'sign' })
    expect(res).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(res)).toBe('There is no submitted evidence to sign off.')
  })

  it('mentor-then-HR: the mentor signs (awaiting HR); an HR person who mentors the candidate is refused; another HR person signs', async () => {
    const m = milestoneByTemplate(assistant.id, 'assistant-delegation-agreement')
    expect(m.signOff).toBe('mentor-then-hr')
    const submitted = await postEvidence(assistant.cookie, m.id, {
      summary: 'The signed delegation agreement for technical decisions.',
      files: [{ bytes: pdfBytes('agreement'), name: 'agreement.pdf' }],
    })
    expect(submitted.status).toBe(302)

    const first = await postMilestone(mentorHr.cookie, m.id, { intent: 'sign' })
    expect(first).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('awaiting-hr')
    expect(signoffsOf(m.id)).toEqual([expect.objectContaining({ kind: 'signed', role: 'mentor', byId: mentorHr.id })])

    // The same person, now as HR: refused, so two people always look at it.
    const self = await postMilestone(mentorHr.cookie, m.id, { intent: 'sign' })
    expect(self).toMatchObject({ thrown: false, status: 403 })
    expect(messageOf(self)).toBe('You mentor this candidate; another HR person must sign this off.')
    expect(((await loadMilestone(mentorHr.cookie, m.id)).data as MilestonePage).viewer.canDecide).toBe(false)
    expect(milestoneRow(m.id).status).toBe('awaiting-hr')
    expect(signoffsOf(m.id)).toHaveLength(1)

    expect(((await loadMilestone(hr2.cookie, m.id)).data as MilestonePage).viewer.canDecide).toBe(true)
    const second = await postMilestone(hr2.cookie, m.id, { intent: 'sign' })
    expect(second).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('signed-off')
    expect(signoffsOf(m.id).at(-1)).toMatchObject({ kind: 'signed', role: 'hr', byId: hr2.id })

    // HR revokes their own sign-off: back to waiting for HR (the mentor's step still stands).
    const hrEntry = signoffsOf(m.id).at(-1)!
    const revoked = await postMilestone(hr2.cookie, m.id, {
      intent: 'revoke',
      signoffId: String(hrEntry.id),
      reason: 'Signed the wrong version of the agreement.',
    })
    expect(revoked).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('awaiting-hr')
  })

  it('revoking: the signer adds a linked revocation with a reason and the milestone goes back to submitted; never twice', async () => {
    const m = shadowMilestone(cand.id)
    // Submitted in the first test of this file; the mentor signs now.
    expect(milestoneRow(m.id).status).toBe('submitted')
    expect((await postMilestone(mentor.cookie, m.id, { intent: 'sign' })).status).toBe(302)
    const entry = signoffsOf(m.id).at(-1)!
    expect(entry).toMatchObject({ kind: 'signed', byId: mentor.id })

    expect(
      await postMilestone(mentor.cookie, m.id, { intent: 'revoke', signoffId: String(entry.id), reason: 'oops' }),
    ).toMatchObject({ thrown: false, status: 400 })
    // Someone who may not act on this milestone: refused.
    expect(
      await postMilestone(otherMentor.cookie, m.id, {
        intent: 'revoke',
        signoffId: String(entry.id),
        reason: 'Not my mentee at all.',
      }),
    ).toMatchObject({ thrown: true, status: 403 })
    expect(milestoneRow(m.id).status).toBe('signed-off')

    const reason = 'I signed before reading the attachment.'
    const res = await postMilestone(mentor.cookie, m.id, { intent: 'revoke', signoffId: String(entry.id), reason })
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(milestoneRow(m.id).status).toBe('submitted')
    const log = signoffsOf(m.id)
    expect(log).toHaveLength(2)
    expect(log[0]).toEqual(entry) // the original entry is unchanged
    expect(log[1]).toMatchObject({
      kind: 'revoked',
      role: 'mentor',
      byId: mentor.id,
      revokesId: entry.id,
      submissionId: entry.submissionId,
      note: reason,
    })
    expect(auditFor('milestone.revoke', m.id)).toHaveLength(1)
    const page = (await loadMilestone(mentor.cookie, m.id)).data as MilestonePage
    expect(page.log.find((e) => e.id === entry.id)).toMatchObject({ revoked: true })
    expect(page.viewer.canRevokeIds).toEqual([])

    const again = await postMilestone(mentor.cookie, m.id, { intent: 'revoke', signoffId: String(entry.id), reason })
    expect(again).toMatchObject({ thrown: false, status: 409 })
    expect(messageOf(again)).toBe('This sign-off is already revoked.')
    // A revocation entry cannot itself be revoked.
    expect(
      await postMilestone(mentor.cookie, m.id, {
        intent: 'revoke',
        signoffId: String(log[1]!.id),
        reason: 'Revoking the revocation.',
      }),
    ).toMatchObject({
      thrown: false,
      status: 404,
    })
    expect(signoffsOf(m.id)).toHaveLength(2)

    // The mentor can sign again after the correction.
    expect((await postMilestone(mentor.cookie, m.id, { intent: 'sign' })).status).toBe(302)
    expect(milestoneRow(m.id).status).toBe('signed-off')
  })

  it('the sign-off log is append-only in the database: UPDATE and DELETE throw', () => {
    const entry = getDb().select().from(signoffs).get()!
    const sqlite = getDb().$client
    expect(() => sqlite.prepare('UPDATE signoffs SET note = ? WHERE id = ?').run('edited', entry.id)).toThrow(
      /append-only/,
    )
    expect(() => sqlite.prepare('UPDATE signoffs SET kind = ? WHERE id = ?').run('returned', entry.id)).toThrow(
      /append-only/,
    )
    expect(() => sqlite.prepare('DELETE FROM signoffs WHERE id = ?').run(entry.id)).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM signoffs').run()).toThrow(/append-only/)
    expect(getDb().select().from(signoffs).where(eq(signoffs.id, entry.id)).get()).toEqual(entry)
  })
})

describe('evidence files (files.$fileId)', () => {
  it('downloads as an attachment with the same bytes for the candidate, their mentor and HR; 403 for others; 404 for unknown ids', async () => {
    const file = getDb().select().from(evidenceFiles).where(eq(evidenceFiles.fileName, 'shadow plan.pdf')).get()!
    const expected = pdfBytes('shadowing plan')
    for (const viewer of [cand, mentor, hr]) {
      const res = (await fileLoader(
        args(request(`/files/${file.id}`, { cookie: viewer.cookie }), { fileId: String(file.id) }),
      )) as Response
      expect(res.status, viewer.name).toBe(200)
      expect(res.headers.get('Content-Disposition')).toBe(
        `attachment; filename="shadow plan.pdf"; filename*=UTF-8''shadow%20plan.pdf`,
      )
      expect(res.headers.get('Content-Type')).toBe('application/pdf')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(expected))).toBe(true)
    }
    const open = (v: Viewer, id: string) =>
      call(() => fileLoader(args(request(`/files/${id}`, { cookie: v.cookie }), { fileId: id })))
    expect(await open(other, String(file.id))).toMatchObject({ thrown: true, status: 403 })
    expect(await open(otherMentor, String(file.id))).toMatchObject({ thrown: true, status: 403 })
    for (const id of ['999999', 'abc', '0']) expect(await open(hr, id), id).toMatchObject({ thrown: true, status: 404 })
  })
})

describe('the queue (queue loader)', () => {
  it('shows a mentor their mentees’ pending sign-offs oldest first and nobody else’s; HR its sign-offs and approvals; 403 to a candidate', async () => {
    // Two mentees of a fresh mentor, submitting at known times (the newest first by id).
    const qMentor = await loggedIn({ roles: ['mentor'], name: 'Quinn Queue' })
    const a = await loggedIn({ roles: ['candidate'], name: 'Ada Early' })
    const b = await loggedIn({ roles: ['candidate'], name: 'Bea Late' })
    enrollVia(hr.id, { candidateId: a.id, mentorId: qMentor.id, enrolledOn: monthsAgo(2) })
    enrollVia(hr.id, { candidateId: b.id, mentorId: qMentor.id, enrolledOn: monthsAgo(2) })
    const evidence = { summary: SUMMARY, links: [], files: [], planItemId: null }
    const mb = milestoneByTemplate(b.id, 'shadow-plan')
    const ma = milestoneByTemplate(a.id, 'shadow-plan')
    const ma2 = milestoneByTemplate(a.id, 'shadow-decision-journal')
    transaction((tx) => submitEvidence(tx, b.id, mb.id, evidence, noonOf(daysFromToday(-1))))
    transaction((tx) => submitEvidence(tx, a.id, ma.id, evidence, noonOf(daysFromToday(-5))))
    transaction((tx) => submitEvidence(tx, a.id, ma2.id, evidence, noonOf(daysFromToday(-3))))
    // Another mentor's mentee's submission must not show up for this mentor.
    transaction((tx) =>
      submitEvidence(
        tx,
        other.id,
        milestoneByTemplate(other.id, 'shadow-plan').id,
        evidence,
        noonOf(daysFromToday(-9)),
      ),
    )

    const q = (await queue(qMentor)).data as Queue
    expect(q.mentor!.map((m) => m.id)).toEqual([ma.id, ma2.id, mb.id])
    expect(q.hrSignoffs).toBeNull()
    expect(q.advancements).toBeNull()
    expect(((await queue(otherMentor)).data as Queue).mentor!.map((m) => m.candidateId)).toEqual([other.id])

    // HR: the milestone awaiting HR (the assistant's, back to awaiting-hr after the revocation) and a recommended advancement.
    transaction((tx) =>
      recommendAdvancement(tx, otherMentor.id, other.id, 'Ready for the next stage, in my view.', getFramework()),
    )
    const h = (await queue(hr)).data as Queue
    expect(h.mentor).toBeNull()
    expect(h.hrSignoffs!.map((m) => m.id)).toContain(
      milestoneByTemplate(assistant.id, 'assistant-delegation-agreement').id,
    )
    for (const m of h.hrSignoffs!) expect(['awaiting-hr', 'submitted']).toContain(milestoneRow(m.id).status)
    expect(h.hrSignoffs!.map((m) => m.id)).not.toContain(ma.id)
    expect(h.advancements).toEqual([
      expect.objectContaining({ candidateId: other.id, fromStage: 'Shadow', toStage: 'Assistant STO', blocked: null }),
    ])
    // The mentor-HR sees both queues, and is told which items another HR person must decide, and why.
    const mh = (await queue(mentorHr)).data as Queue
    expect(mh.mentor).toEqual([])
    expect(mh.hrSignoffs!.find((m) => m.candidateId === assistant.id)).toMatchObject({
      blocked: 'You mentor this candidate; another HR person must sign this off.',
    })
    // The recommender (otherMentor holds no HR) is not the viewer here; an HR person who recommended is told so.
    const recommenderHr = await loggedIn({ roles: ['mentor', 'hr'], name: 'Rhea Recommender-HR' })
    const mentee = await makePerson({ roles: ['candidate'], candidate: { mentorId: recommenderHr.id } })
    enrollVia(hr.id, { candidateId: mentee.id, mentorId: recommenderHr.id, enrolledOn: monthsAgo(4) })
    transaction((tx) =>
      recommendAdvancement(tx, recommenderHr.id, mentee.id, 'Ready for the next stage, in my view.', getFramework()),
    )
    const rq = (await queue(recommenderHr)).data as Queue
    expect(rq.advancements!.find((a) => a.candidateId === mentee.id)).toMatchObject({
      blocked: 'You recommended this advancement; another HR person must decide it.',
    })
    expect(((await queue(hr)).data as Queue).advancements!.find((a) => a.candidateId === mentee.id)).toMatchObject({
      blocked: null,
    })

    expect(await queue(cand)).toMatchObject({ thrown: true, status: 403 })
    expect(await queue(await loggedIn({ roles: ['admin'] }))).toMatchObject({ thrown: true, status: 403 })
  })

  // After a withdrawal HR must not keep an approval it can never act on (the gate page is 404).
  it('drops the recommendation of a withdrawn candidate from HR’s approvals', async () => {
    // `other` was recommended in the previous test; HR withdraws them.
    expect(
      (await postTimeline(hr.cookie, other.id, { intent: 'withdraw', reason: 'Left the company last week.' })).status,
    ).toBe(302)
    // Their pending sign-offs leave the mentor's queue...
    expect(((await queue(otherMentor)).data as Queue).mentor).toEqual([])
    // ...and HR cannot act on the recommendation any more...
    expect(await loadGate(hr.cookie, other.id)).toMatchObject({ thrown: true, status: 404 })
    expect(
      await postGate(hr.cookie, other.id, { intent: 'decline', note: 'The candidate has left the program.' }),
    ).toMatchObject({ thrown: false, status: 409 })
    // ...so it must not stay in HR's approvals.
    expect(((await queue(hr)).data as Queue).advancements!.map((a) => a.candidateId)).not.toContain(other.id)
  })
})

describe('uploads: streamed, bounded and atomic', () => {
  let uma: Viewer
  /** Every entry of the uploads folder, temp files included. */
  const everything = () => fs.readdirSync(uploads).sort()
  const pdfOf = (size: number, text = 'streamed') => {
    const bytes = new Uint8Array(size)
    bytes.set(pdfBytes(text).subarray(0, Math.min(size, 64)))
    return bytes
  }

  beforeAll(async () => {
    uma = await loggedIn({ roles: ['candidate'], name: 'Uma Upload' })
    enrollVia(hr.id, { candidateId: uma.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  })

  /**
   * A multipart body produced on demand: a summary, then `files` file parts of `fileBytes` each
   * (a PDF header, then zeros), counting the bytes the server pulled and whether it cancelled.
   */
  function streamedEvidence(milestoneId: number, files: number, fileBytes: number) {
    const boundary = 'StreamedBoundary7e3f'
    const enc = new TextEncoder()
    const head = enc.encode(`%PDF-1.4\n`)
    const segments: Array<Uint8Array | number> = [
      enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="summary"\r\n\r\n${SUMMARY}\r\n`),
    ]
    for (let i = 0; i < files; i++) {
      segments.push(
        enc.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="part-${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        head,
        fileBytes - head.byteLength,
        enc.encode('\r\n'),
      )
    }
    segments.push(enc.encode(`--${boundary}--\r\n`))
    const zeros = new Uint8Array(64 * 1024)
    let pulled = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = segments[0]
        if (next === undefined) return controller.close()
        let chunk: Uint8Array
        if (typeof next === 'number') {
          chunk = zeros.subarray(0, Math.min(next, zeros.byteLength))
          if (next - chunk.byteLength > 0) segments[0] = next - chunk.byteLength
          else segments.shift()
        } else {
          chunk = next
          segments.shift()
        }
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
      cancel() {
        cancelled = true
      },
    })
    const req = new Request(`http://localhost/milestones/${milestoneId}`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { Cookie: uma.cookie, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    } as RequestInit)
    return {
      post: () => call(() => milestoneAction(args(req, { milestoneId: String(milestoneId) }))),
      pulled: () => pulled,
      cancelled: () => cancelled,
    }
  }

  it('30 files of 9 MB: 413 at the sixth file, the rest of the body unread (then cancelled), nothing on disk', async () => {
    const m = shadowMilestone(uma.id)
    const before = countsOf(tables)
    const files = everything()
    const body = streamedEvidence(m.id, 30, 9 * 1024 * 1024)
    const res = await body.post()
    expect(res).toMatchObject({ thrown: false, status: 413 })
    expect(messageOf(res)).toBe('Attach at most 5 files. Nothing was saved.')
    // Five files and the start of the sixth were read; 270 MB were offered.
    expect(body.pulled()).toBeGreaterThan(5 * 9 * 1024 * 1024)
    expect(body.pulled()).toBeLessThan(5 * 9 * 1024 * 1024 + 1024 * 1024)
    expect(everything()).toEqual(files)
    expect(countsOf(tables)).toEqual(before)
    // The request is ended after a moment (so the client reads the 413 first).
    expect(body.cancelled()).toBe(false)
    await new Promise((r) => setTimeout(r, 1_300))
    expect(body.cancelled()).toBe(true)
  })

  it('a file that never ends is cut just past 10 MB with 413', async () => {
    const m = shadowMilestone(uma.id)
    const files = everything()
    const body = streamedEvidence(m.id, 1, 1024 * 1024 * 1024)
    const res = await body.post()
    expect(res).toMatchObject({ thrown: false, status: 413 })
    expect(messageOf(res)).toBe('A file is larger than 10 MB. Nothing was saved.')
    expect(body.pulled()).toBeLessThan(MAX_FILE_BYTES + 1024 * 1024)
    expect(everything()).toEqual(files)
  })

  it('six files are refused with 413 before the sixth is stored; five are accepted', async () => {
    const m = shadowMilestone(uma.id, 'shadow-meeting-coverage')
    const files = everything()
    const six = Array.from({ length: 6 }, (_, i) => ({
      bytes: pdfBytes(`six-${i}`),
      name: `six-${i}.pdf`,
      type: 'application/pdf',
    }))
    const res = await postEvidence(uma.cookie, m.id, { summary: SUMMARY, files: six })
    expect(res).toMatchObject({ thrown: false, status: 413 })
    expect(messageOf(res)).toBe('Attach at most 5 files. Nothing was saved.')
    expect(everything()).toEqual(files)
    // Empty file inputs (nothing chosen) are not files.
    const five = [...six.slice(0, 5), { bytes: new Uint8Array(0), name: '', type: 'application/octet-stream' }]
    expect(await postEvidence(uma.cookie, m.id, { summary: SUMMARY, files: five })).toMatchObject({
      thrown: true,
      status: 302,
    })
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
    expect(everything()).toEqual([...files, ...six.slice(0, 5).map((f) => sha(f.bytes))].sort())
  })

  it('refused submissions with files leave no file at all behind (409, 400, 413, 415): no orphan, no temp file', async () => {
    const submitted = shadowMilestone(uma.id) // still open
    expect((await postEvidence(uma.cookie, submitted.id, { summary: SUMMARY })).status).toBe(302)
    const open = shadowMilestone(uma.id, 'shadow-decision-journal')
    const theirs = getDb().select().from(planItems).where(eq(planItems.candidateId, cand.id)).get()!
    const before = countsOf(tables)
    const files = everything()
    const pdf = (name: string) => ({ bytes: pdfBytes(`refused ${name}`), name, type: 'application/pdf' })
    const refusals: Array<[number, Parameters<typeof postEvidence>[2], number]> = [
      // Refused inside the transaction, after the files were received.
      [submitted.id, { summary: SUMMARY, files: [pdf('already-waiting.pdf')] }, 409],
      [open.id, { summary: SUMMARY, planItemId: String(theirs.id), files: [pdf('their-plan.pdf')] }, 400],
      // Refused before the transaction.
      [open.id, { summary: 'Too short.', files: [pdf('short.pdf')] }, 400],
      [open.id, { summary: SUMMARY, files: [pdf('fine.pdf'), { bytes: 'MZ\x90\x00 a program', name: 'x.exe' }] }, 415],
      // Refused while streaming: the first file was already on disk as a temp file.
      [
        open.id,
        { summary: SUMMARY, files: [pdf('first.pdf'), { bytes: pdfOf(MAX_FILE_BYTES + 1), name: 'big.pdf' }] },
        413,
      ],
      [
        open.id,
        { summary: SUMMARY, links: 'https://example.com/a '.repeat(4000), files: [pdf('long-links.pdf')] },
        413,
      ],
    ]
    for (const [id, input, status] of refusals) {
      const res = await postEvidence(uma.cookie, id, input)
      expect(res.status, `${status}: ${messageOf(res)}`).toBe(status)
      expect(everything(), `${status}: ${messageOf(res)}`).toEqual(files)
    }
    expect(countsOf(tables)).toEqual({ ...before })
    expect(milestoneRow(open.id).status).toBe('open')
  })

  it('a file is named after the type its bytes show: report.html that is a PDF is stored and offered as report.pdf', async () => {
    const m = shadowMilestone(uma.id, 'shadow-decision-journal')
    const res = await postEvidence(uma.cookie, m.id, {
      summary: SUMMARY,
      files: [
        { bytes: pdfBytes('not a web page'), name: 'report.html', type: 'text/html' },
        {
          bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
          name: 'whiteboard.jpeg',
          type: 'image/jpeg',
        },
        { bytes: pdfBytes('no extension'), name: 'minutes', type: 'application/octet-stream' },
      ],
    })
    expect(res.status).toBe(302)
    const submission = getDb()
      .select()
      .from(milestoneSubmissions)
      .where(eq(milestoneSubmissions.milestoneId, m.id))
      .get()!
    const rows = getDb().select().from(evidenceFiles).where(eq(evidenceFiles.submissionId, submission.id)).all()
    expect(rows.map((r) => [r.fileName, r.contentType])).toEqual([
      ['report.pdf', 'application/pdf'],
      ['whiteboard.jpeg', 'image/jpeg'],
      ['minutes.pdf', 'application/pdf'],
    ])
    const download = async (id: number) =>
      (await fileLoader(args(request(`/files/${id}`, { cookie: uma.cookie }), { fileId: String(id) }))) as Response
    expect((await download(rows[0]!.id)).headers.get('Content-Disposition')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    )
    // A row stored before names followed the type is offered under the right extension too.
    getDb().update(evidenceFiles).set({ fileName: 'old upload.html' }).where(eq(evidenceFiles.id, rows[2]!.id)).run()
    const old = await download(rows[2]!.id)
    expect(old.headers.get('Content-Disposition')).toBe(
      `attachment; filename="old upload.pdf"; filename*=UTF-8''old%20upload.pdf`,
    )
    expect(old.headers.get('Content-Type')).toBe('application/pdf')
  })
})
