/**
 * Erasing a person removes every evidence file they uploaded from the uploads folder, across all
 * their submissions, except a file another remaining row still refers to (files are stored once
 * per content); refused uploads never left one there to begin with.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evidenceFiles } from '#db/schema/program'
import { sweepOrphanUploads } from '~/models/maintenance.server'
import { action as eraseAction } from '~/routes/admin.people_.$personId.erase'
import { getDb } from '~/utils/db.server'
import { resetEnvCache } from '~/utils/env.server'
import { call, loggedIn, request } from '../helpers/db'
import {
  args,
  enrollVia,
  milestoneByTemplate,
  monthsAgo,
  pdfBytes,
  postEvidence,
  useTempUploads,
} from '../helpers/program'

type Viewer = Awaited<ReturnType<typeof loggedIn>>
const SUMMARY = 'What I did for this milestone, and what it shows.'
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const pdf = (text: string, name: string) => ({ bytes: pdfBytes(text), name, type: 'application/pdf' })

let uploads: string
let admin: Viewer, erin: Viewer, olga: Viewer
const files = {
  plan: pdf('erin plan', 'plan.pdf'),
  journal: pdf('erin journal', 'journal.pdf'),
  // Uploaded by Erin twice (two submissions) and by nobody else.
  twice: pdf('erin uploads this twice', 'notes.pdf'),
  // Uploaded by Erin and by Olga: stays for Olga.
  shared: pdf('a template everyone uses', 'template.pdf'),
  refused: pdf('refused with its submission', 'late.pdf'),
  olgas: pdf('olga only', 'olga.pdf'),
}
const listing = () => fs.readdirSync(uploads).sort()

beforeAll(async () => {
  uploads = useTempUploads()
  admin = await loggedIn({ roles: ['admin'], name: 'Ada Admin' })
  const hr = await loggedIn({ roles: ['hr'], name: 'Hal HR' })
  const mentor = await loggedIn({ roles: ['mentor'], name: 'Mia Mentor' })
  erin = await loggedIn({ roles: ['candidate'], name: 'Erin Erased' })
  olga = await loggedIn({ roles: ['candidate'], name: 'Olga Other' })
  enrollVia(hr.id, { candidateId: erin.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  enrollVia(hr.id, { candidateId: olga.id, mentorId: mentor.id, enrolledOn: monthsAgo(2) })
  const plan = milestoneByTemplate(erin.id, 'shadow-plan').id
  expect(
    (await postEvidence(erin.cookie, plan, { summary: SUMMARY, files: [files.plan, files.twice, files.shared] }))
      .status,
  ).toBe(302)
  expect(
    (
      await postEvidence(erin.cookie, milestoneByTemplate(erin.id, 'shadow-decision-journal').id, {
        summary: SUMMARY,
        files: [files.journal, files.twice],
      })
    ).status,
  ).toBe(302)
  // Already waiting for sign-off: refused, and its file is not kept.
  expect((await postEvidence(erin.cookie, plan, { summary: SUMMARY, files: [files.refused] })).status).toBe(409)
  expect(
    (
      await postEvidence(olga.cookie, milestoneByTemplate(olga.id, 'shadow-plan').id, {
        summary: SUMMARY,
        files: [files.shared, files.olgas],
      })
    ).status,
  ).toBe(302)
})
afterAll(() => {
  fs.rmSync(uploads, { recursive: true, force: true })
  delete process.env.UPLOADS_DIR
  resetEnvCache()
})

describe('erasing a person removes the files they uploaded', () => {
  it('before: every accepted file is stored once, the refused one not at all', () => {
    expect(listing()).toEqual(
      [files.plan, files.journal, files.twice, files.shared, files.olgas].map((f) => sha(f.bytes)).sort(),
    )
  })

  it('after: none of theirs is left but the one another person still refers to; nothing is left for the sweep', async () => {
    const res = await call(() =>
      eraseAction(
        args(request(`/admin/people/${erin.id}/erase`, { cookie: admin.cookie, form: { confirm: erin.email } }), {
          personId: String(erin.id),
        }),
      ),
    )
    expect(res).toMatchObject({ thrown: true, status: 302 })
    expect(listing()).toEqual([files.shared, files.olgas].map((f) => sha(f.bytes)).sort())
    // Olga's rows still find both of her files.
    const olgasRows = getDb()
      .select({ sha256: evidenceFiles.sha256 })
      .from(evidenceFiles)
      .all()
      .map((r) => r.sha256)
      .sort()
    expect(olgasRows).toEqual(listing())
    expect(sweepOrphanUploads(getDb(), new Date(Date.now() + 2 * 24 * 60 * 60 * 1000))).toEqual({
      unreferencedFiles: 0,
      staleTempFiles: 0,
    })
  })
})
