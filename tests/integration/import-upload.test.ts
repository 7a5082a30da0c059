/**
 * The people import's upload (app/routes/people_.import.tsx): one CSV file of at most 2 MB, and the
 * confirmation's `csv` field may carry the same 2 MB (other fields of upload forms stop at 64 KB);
 * the file streams to a temp file that is gone once the answer is given.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as importAction } from '~/routes/people_.import'
import { MAX_CSV_BYTES } from '~/utils/csv.server'
import { resetEnvCache } from '~/utils/env.server'
import { call, loggedIn } from '../helpers/db'
import { args, useTempUploads } from '../helpers/program'

const HEADER = 'name,email,roles,background,mentor_email,stage,enrollment_date'
let uploads: string
let cookie: string

beforeAll(async () => {
  uploads = useTempUploads()
  cookie = (await loggedIn({ roles: ['hr'], name: 'Ursula Upload' })).cookie
})
afterAll(() => {
  fs.rmSync(uploads, { recursive: true, force: true })
  delete process.env.UPLOADS_DIR
  resetEnvCache()
})

const post = (fd: FormData) =>
  call(() =>
    importAction(
      args(new Request('http://localhost/people/import', { method: 'POST', body: fd, headers: { Cookie: cookie } })),
    ),
  )
const message = (res: { data: unknown }) => (res.data as { message: string }).message
/**
 * A CSV of about `bytes` bytes whose rows all fail (an unknown role): checked, never imported.
 * CRLF line ends: a form field's line ends are sent as CRLF (the HTML rule), so these are the bytes
 * the confirmation sends back.
 */
const badCsv = (bytes: number) => {
  const row = 'Rae Role,rae@example.com,superuser,,,,\r\n'
  return `${HEADER}\r\n${row.repeat(Math.floor((bytes - HEADER.length - 2) / row.length))}`
}

describe('the import upload', () => {
  it('a file and a confirmation of nearly 2 MB are read and checked (400 with the problems), not refused as too large', async () => {
    const csv = badCsv(MAX_CSV_BYTES - 1000)
    expect(csv.length).toBeGreaterThan(MAX_CSV_BYTES - 2000)
    const preview = new FormData()
    preview.set('intent', 'preview')
    preview.set('file', new File([csv], 'people.csv', { type: 'text/csv' }))
    const confirm = new FormData()
    confirm.set('intent', 'import')
    confirm.set('csv', csv)
    confirm.set('fileName', 'people.csv')
    for (const fd of [preview, confirm]) {
      const res = await post(fd)
      expect(res.status, message(res)).toBe(400)
      expect(message(res)).toMatch(/problems? found\. Nothing was imported/)
    }
    expect(fs.readdirSync(uploads)).toEqual([])
  })

  it('two files, or another field over 64 KB, are refused with 413 while streaming', async () => {
    const two = new FormData()
    two.set('intent', 'preview')
    two.append('file', new File([badCsv(1000)], 'a.csv'))
    two.append('file', new File([badCsv(1000)], 'b.csv'))
    const twoRes = await post(two)
    expect(twoRes.status).toBe(413)
    expect(message(twoRes)).toBe('Choose one CSV file. Nothing was imported.')
    const longName = new FormData()
    longName.set('intent', 'import')
    longName.set('csv', badCsv(1000))
    longName.set('fileName', 'x'.repeat(64 * 1024 + 1))
    expect(await post(longName)).toMatchObject({ status: 413 })
    expect(fs.readdirSync(uploads)).toEqual([])
  })
})
