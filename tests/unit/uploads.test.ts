/**
 * app/utils/uploads.server.ts on its own: the stored name follows the detected type, and every
 * limit of `receiveUpload` is enforced while the body streams, leaving no temp file behind.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resetEnvCache } from '~/utils/env.server'
import {
  keepFile,
  MalformedUploadError,
  MAX_UPLOAD_FIELDS,
  receiveUpload,
  storedFileName,
  UploadLimitError,
  type UploadLimits,
} from '~/utils/uploads.server'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sto-uploads-unit-'))
  process.env.UPLOADS_DIR = dir
  resetEnvCache()
})
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
  delete process.env.UPLOADS_DIR
  resetEnvCache()
})

describe('storedFileName', () => {
  it.each([
    ['report.html', 'application/pdf', 'report.pdf'],
    ['report.PDF', 'application/pdf', 'report.PDF'],
    ['scan', 'image/png', 'scan.png'],
    ['photo.jpeg', 'image/jpeg', 'photo.jpeg'],
    ['photo.JPG', 'image/jpeg', 'photo.JPG'],
    ['photo.png', 'image/jpeg', 'photo.jpg'],
    ['v2.final draft', 'application/pdf', 'v2.final draft.pdf'],
    ['notes.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'notes.docx'],
    ['.pdf', 'application/pdf', '.pdf.pdf'],
    ['   ', 'application/pdf', 'file.pdf'],
  ])('%s as %s is %s', (name, type, expected) => {
    expect(storedFileName(name, type)).toBe(expected)
  })

  it('cuts a long name to 200 characters and keeps the extension', () => {
    const name = storedFileName(`${'a'.repeat(300)}.html`, 'application/pdf')
    expect(name).toHaveLength(200)
    expect(name.endsWith('a.pdf')).toBe(true)
    expect(storedFileName(`${'b'.repeat(250)}.pdf`, 'application/pdf')).toBe(`${'b'.repeat(196)}.pdf`)
  })
})

describe('receiveUpload', () => {
  const limits: UploadLimits = {
    maxFiles: 3,
    maxFileBytes: 1000,
    maxTotalFileBytes: 1500,
    maxFieldBytes: { long: 5000 },
  }
  const upload = (fd: FormData, l = limits) =>
    receiveUpload(new Request('http://localhost/x', { method: 'POST', body: fd }), l)
  const file = (size: number, name = 'f.pdf') => new File([new Uint8Array(size).fill(0x41)], name)
  const refusal = async (fd: FormData, l = limits) => {
    const error = await upload(fd, l).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UploadLimitError)
    return (error as UploadLimitError).limit
  }
  const listing = () => fs.readdirSync(dir)

  it('receives fields and files; the files wait as temp files until kept or discarded', async () => {
    const fd = new FormData()
    fd.set('summary', 'héllo')
    fd.append('files', file(10, 'a.pdf'))
    fd.append('files', file(0, ''))
    fd.append('files', file(20, 'b.pdf'))
    const got = await upload(fd)
    expect(got.fields.get('summary')).toBe('héllo')
    expect(got.files.map((f) => [f.fileName, f.sizeBytes])).toEqual([
      ['a.pdf', 10],
      ['b.pdf', 20],
    ])
    expect(got.files[0]!.head).toEqual(new Uint8Array(10).fill(0x41))
    expect(listing().filter((n) => n.endsWith('.tmp'))).toHaveLength(2)
    keepFile(got.files[0]!)
    got.discard()
    expect(listing()).toEqual([got.files[0]!.sha256])
    fs.rmSync(path.join(dir, got.files[0]!.sha256))
  })

  it('refuses each limit while streaming and leaves no temp file', async () => {
    const four = new FormData()
    for (let i = 0; i < 4; i++) four.append('files', file(10))
    expect(await refusal(four)).toBe('too-many-files')

    const big = new FormData()
    big.append('files', file(1001))
    expect(await refusal(big)).toBe('file-too-large')

    const total = new FormData()
    total.append('files', file(900))
    total.append('files', file(700))
    expect(await refusal(total)).toBe('files-too-large')
    // Without a total of its own, it is maxFiles × maxFileBytes.
    expect(await upload(total, { maxFiles: 2, maxFileBytes: 1000 }).then((u) => (u.discard(), 'received'))).toBe(
      'received',
    )
    expect(await refusal(total, { maxFiles: 2, maxFileBytes: 800 })).toBe('file-too-large')

    const field = new FormData()
    field.set('summary', 'x'.repeat(64 * 1024 + 1))
    expect(await refusal(field)).toBe('field-too-large')
    const allowed = new FormData()
    allowed.set('long', 'x'.repeat(5000))
    expect(await upload(allowed).then((u) => u.fields.get('long'))).toHaveLength(5000)
    allowed.set('long', 'x'.repeat(5001))
    expect(await refusal(allowed)).toBe('field-too-large')

    const fields = new FormData()
    for (let i = 0; i <= MAX_UPLOAD_FIELDS; i++) fields.append(`f${i}`, 'x')
    expect(await refusal(fields)).toBe('too-many-fields')

    expect(listing()).toEqual([])
  })

  it('a malformed body is a MalformedUploadError, never a crash', async () => {
    const bad = (body: string, type = 'multipart/form-data; boundary=XyZ') =>
      receiveUpload(
        new Request('http://localhost/x', { method: 'POST', body, headers: { 'content-type': type } }),
        limits,
      ).then(
        () => null,
        (e: unknown) => e,
      )
    expect(
      await bad('--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\nhalf a file'),
    ).toBeInstanceOf(MalformedUploadError)
    expect(await bad('a=1', 'application/x-www-form-urlencoded')).toBeInstanceOf(MalformedUploadError)
    expect(listing()).toEqual([])
  })

  it('a failing disk is the server’s error (rethrown as it is), not a malformed upload', async () => {
    fs.writeFileSync(path.join(dir, 'a-file'), 'not a folder')
    process.env.UPLOADS_DIR = path.join(dir, 'a-file', 'uploads')
    resetEnvCache()
    try {
      const fd = new FormData()
      fd.append('files', file(10))
      const error = await upload(fd).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).not.toBeInstanceOf(MalformedUploadError)
      expect((error as NodeJS.ErrnoException).code).toBe('ENOTDIR')
    } finally {
      process.env.UPLOADS_DIR = dir
      resetEnvCache()
      fs.rmSync(path.join(dir, 'a-file'))
    }
  })

  it('a client that goes away in the middle of a file leaves no temp file', async () => {
    const enc = new TextEncoder()
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0)
          controller.enqueue(
            enc.encode('--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-1.4\n'),
          )
        else if (sent < 5) controller.enqueue(new Uint8Array(100))
        else controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))
        sent++
      },
    })
    const req = new Request('http://localhost/x', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    } as RequestInit)
    const error = await receiveUpload(req, limits).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MalformedUploadError)
    expect(listing()).toEqual([])
  })
})
