/**
 * Evidence files: checked by their first bytes (not by the name or the browser's claim), at most
 * 10 MB each, stored once under UPLOADS_DIR by SHA-256 (the same file twice is stored once).
 *
 * How an upload travels (docs/reliability.md, "Uploads"):
 * 1. `receiveUpload` streams the multipart body: every file part goes straight to a temporary file
 *    `UPLOADS_DIR/.upload-<random>.tmp` while its SHA-256 is computed; files, bytes per file, bytes in
 *    all and text fields are counted as they arrive, and the first limit passed stops the reading
 *    (the rest of the body is never read) with an `UploadLimitError`.
 * 2. The route checks each file by its first bytes and runs its transaction.
 * 3. Only after that transaction has committed, `keepFile` renames the temp file to its
 *    content-addressed name; `discard()` (in a `finally`) removes every temp file of the request
 *    that was not kept, so a refused or failed submission leaves nothing behind.
 * 4. `npm run maintenance` sweeps what a crash could still leave: temp files and stored files no
 *    row refers to, once they are a day old (`sweepUploads`).
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { unstable_parseMultipartFormData, type UploadHandlerPart } from '@remix-run/node'
import { getEnv } from './env.server'

export const MAX_FILE_BYTES = 10 * 1024 * 1024
export const MAX_FILES_PER_SUBMISSION = 5
/** A text field of an upload form (the evidence summary and links are at most 5,000 characters). */
export const MAX_UPLOAD_FIELD_BYTES = 64 * 1024
/** Text fields of one upload form: the evidence form has three, the import three. */
export const MAX_UPLOAD_FIELDS = 20
/**
 * A temp file or an unreferenced stored file younger than this may belong to a request still
 * running (a request lasts at most 60 s) or to a file being moved into place: the sweep leaves it.
 */
export const UPLOAD_SWEEP_AGE_MS = 24 * 60 * 60 * 1000
/**
 * After a refused upload, the rest of the body is left unread for this long (so the client, still
 * sending, reads the 413), then the request is cancelled, which closes the connection — as
 * server.mjs does with a body over its own cap.
 */
const REFUSED_UPLOAD_LINGER_MS = 1_000

const officeZip: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
}
const officeOle: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
}

/** Bytes `detectFileType` looks at (WebP needs 12). */
const HEAD_BYTES = 16

const startsWith = (b: Uint8Array, bytes: number[], offset = 0) => bytes.every((x, i) => b[offset + i] === x)

/** The content type of an accepted file, or null (with the reason shown to the person). */
export function detectFileType(bytes: Uint8Array, fileName: string): string | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? ''
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif'
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && officeZip[ext]) return officeZip[ext]!
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && officeOle[ext]) return officeOle[ext]!
  return null
}

export const ACCEPTED_FILES = 'PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint or OpenDocument files'

/** The extensions a detected type may carry; the first is the one a file without one gets. */
const extensionsOf: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  ...Object.fromEntries(Object.entries({ ...officeZip, ...officeOle }).map(([ext, type]) => [type, [ext]])),
}

/** The longest file name stored (as before: the rest of a longer name is cut). */
const MAX_FILE_NAME = 200

/**
 * The name a file is stored and offered under: its own name with the extension of the type its
 * bytes showed. `report.html` whose bytes are a PDF becomes `report.pdf`, so nobody's computer
 * opens it as a web page; `photo.jpeg` stays. Cut to 200 characters, the extension kept.
 */
export function storedFileName(fileName: string, contentType: string): string {
  const extensions = extensionsOf[contentType]
  const name = fileName.trim() || 'file'
  if (!extensions) return name.slice(0, MAX_FILE_NAME)
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  if (extensions.includes(ext) && name.length <= MAX_FILE_NAME) return name
  // An "extension" is a short run of letters and digits after the last dot; "v2.final draft" has none.
  const base = dot > 0 && /^[a-z0-9]{1,8}$/i.test(name.slice(dot + 1)) ? name.slice(0, dot) : name
  const keep = extensions.includes(ext) ? ext : extensions[0]!
  return `${base.slice(0, MAX_FILE_NAME - keep.length - 1)}.${keep}`
}

export function uploadsDir() {
  return path.resolve(getEnv().UPLOADS_DIR)
}

const isStoredName = (name: string) => /^[0-9a-f]{64}$/.test(name)
/** Temp files of uploads, and those of the earlier store (`.<sha256>.<random>.tmp`). */
const isTempName = (name: string) => /^\.[\w.-]+\.tmp$/.test(name)

export function readStoredFile(sha256: string): Buffer | null {
  if (!isStoredName(sha256)) return null
  try {
    return fs.readFileSync(path.join(uploadsDir(), sha256))
  } catch {
    return null
  }
}

/** Deletes a stored file (true if it was there). Callers check first that no row refers to it. */
export function removeStoredFile(sha256: string): boolean {
  if (!isStoredName(sha256)) return false
  try {
    fs.unlinkSync(path.join(uploadsDir(), sha256))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

// Receiving a multipart body.

export type UploadLimits = {
  maxFiles: number
  maxFileBytes: number
  /** Bytes of all files together; by default maxFiles × maxFileBytes. */
  maxTotalFileBytes?: number
  /** Bytes of a text field, by field name (others: MAX_UPLOAD_FIELD_BYTES). */
  maxFieldBytes?: Record<string, number>
}

export type UploadLimit =
  'too-many-files' | 'file-too-large' | 'files-too-large' | 'field-too-large' | 'too-many-fields'

/** A limit passed while the body streamed: answer 413. Nothing of the request is left on disk. */
export class UploadLimitError extends Error {
  constructor(readonly limit: UploadLimit) {
    super(`upload refused: ${limit}`)
    this.name = 'UploadLimitError'
  }
}

/** Not a multipart body, or a malformed one: the client's mistake (400), not a server error. */
export class MalformedUploadError extends Error {
  constructor(cause: unknown) {
    super('malformed multipart body', { cause })
    this.name = 'MalformedUploadError'
  }
}

/** The disk failed under an upload (ENOSPC, EACCES, ...): a server error, never the client's. */
class UploadDiskError extends Error {
  constructor(readonly original: unknown) {
    super('the uploads folder failed', { cause: original })
  }
}
/** Runs a file-system step of receiving, marking its failure as the disk's. */
async function onDisk<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw new UploadDiskError(error)
  }
}

export type ReceivedFile = {
  field: string
  /** As the browser sent it (the parser keeps only the base name). */
  fileName: string
  sizeBytes: number
  sha256: string
  /** The first bytes, for `detectFileType`. */
  head: Uint8Array
  tempPath: string
}

export type ReceivedUpload = {
  /** The text fields. */
  fields: FormData
  /** Non-empty files, in the order they came (an empty file input sends an empty part: skipped). */
  files: ReceivedFile[]
  /** Removes every temp file of this request not yet kept. Call it in a `finally`. */
  discard: () => void
}

/**
 * A pass-through of the request body whose source the caller can cancel: the parser locks the
 * body it reads, and after a refusal the request must be ended without reading the rest.
 */
function cancellableBody(body: ReadableStream<Uint8Array>) {
  const source = body.getReader()
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await source.read()
        if (done) controller.close()
        else controller.enqueue(value)
      },
      cancel: (reason) => source.cancel(reason),
    },
    // Nothing read ahead: what is not asked for stays in the socket.
    { highWaterMark: 0 },
  )
  const abandon = () => setTimeout(() => void source.cancel().catch(() => {}), REFUSED_UPLOAD_LINGER_MS).unref()
  return { stream, abandon }
}

/**
 * Streams a multipart body: files to temp files under UPLOADS_DIR, text fields into memory, each
 * limit enforced while the bytes arrive. Throws UploadLimitError (413) or MalformedUploadError
 * (400), having removed its temp files; an error of the disk is rethrown as it is (500).
 */
export async function receiveUpload(request: Request, limits: UploadLimits): Promise<ReceivedUpload> {
  const maxTotal = limits.maxTotalFileBytes ?? limits.maxFiles * limits.maxFileBytes
  const temps = new Set<string>()
  const files: ReceivedFile[] = []
  let fileBytes = 0
  let fieldCount = 0
  const discard = () => {
    for (const tempPath of temps) {
      try {
        fs.unlinkSync(tempPath)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          console.error(`Could not remove the upload temp file ${tempPath}:`, error)
      }
    }
    temps.clear()
  }

  async function receiveField(part: UploadHandlerPart) {
    if (++fieldCount > MAX_UPLOAD_FIELDS) throw new UploadLimitError('too-many-fields')
    const max = limits.maxFieldBytes?.[part.name] ?? MAX_UPLOAD_FIELD_BYTES
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of part.data) {
      size += chunk.byteLength
      if (size > max) throw new UploadLimitError('field-too-large')
      chunks.push(chunk)
    }
    return new TextDecoder().decode(Buffer.concat(chunks))
  }

  async function receiveFile(part: UploadHandlerPart) {
    const hash = createHash('sha256')
    const head = new Uint8Array(HEAD_BYTES)
    let size = 0
    let handle: fs.promises.FileHandle | null = null
    let tempPath = ''
    try {
      for await (const chunk of part.data) {
        if (chunk.byteLength === 0) continue
        if (size === 0) {
          // Counted at its first byte, so a 6th file is refused before it is read.
          if (files.length + 1 > limits.maxFiles) throw new UploadLimitError('too-many-files')
          const dir = uploadsDir()
          await onDisk(() => fs.mkdirSync(dir, { recursive: true }))
          tempPath = path.join(dir, `.upload-${randomBytes(12).toString('hex')}.tmp`)
          temps.add(tempPath)
          handle = await onDisk(() => fs.promises.open(tempPath, 'wx'))
        }
        if (size < HEAD_BYTES) head.set(chunk.subarray(0, HEAD_BYTES - size), size)
        size += chunk.byteLength
        fileBytes += chunk.byteLength
        if (size > limits.maxFileBytes) throw new UploadLimitError('file-too-large')
        if (fileBytes > maxTotal) throw new UploadLimitError('files-too-large')
        hash.update(chunk)
        const open = handle!
        await onDisk(() => open.write(chunk))
      }
    } finally {
      const open = handle
      if (open) await onDisk(() => open.close())
    }
    if (size > 0) {
      files.push({
        field: part.name,
        fileName: part.filename ?? '',
        sizeBytes: size,
        sha256: hash.digest('hex'),
        head: head.slice(0, Math.min(size, HEAD_BYTES)),
        tempPath,
      })
    }
  }

  if (!request.body) throw new MalformedUploadError(new TypeError('no body'))
  const body = cancellableBody(request.body)
  try {
    const fields = await unstable_parseMultipartFormData(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: body.stream,
        duplex: 'half',
      } as RequestInit),
      async (part) => {
        if (part.filename === undefined) return receiveField(part)
        await receiveFile(part)
        // Files are not put in the FormData: the route gets them from `files`.
        return undefined
      },
    )
    return { fields, files, discard }
  } catch (error) {
    discard()
    if (error instanceof UploadLimitError) {
      body.abandon()
      throw error
    }
    if (error instanceof UploadDiskError) throw error.original
    // Anything else came from the body: malformed, cut short, or the client went away.
    throw new MalformedUploadError(error)
  }
}

/** A received file as text (UTF-8, a byte-order mark dropped, as a browser's File.text() does). */
export function readReceivedText(file: ReceivedFile): string {
  return new TextDecoder().decode(fs.readFileSync(file.tempPath))
}

/**
 * Moves a received file to its content-addressed place. Call it only after the transaction that
 * refers to it has committed. Replacing an existing copy (the same bytes) renews its mtime, so a
 * sweep running at that moment leaves it (see `sweepUploads`).
 */
export function keepFile(file: ReceivedFile) {
  fs.renameSync(file.tempPath, path.join(uploadsDir(), file.sha256))
}

export type UploadSweep = { unreferencedFiles: number; staleTempFiles: number }

/**
 * Deletes stored files no row refers to and temp files, both once older than
 * UPLOAD_SWEEP_AGE_MS. The folder is listed before the references are read, so a file moved into
 * place after its transaction committed is either referenced or too young to go.
 */
export function sweepUploads(referencedHashes: () => Set<string>, now = new Date()): UploadSweep {
  const dir = uploadsDir()
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { unreferencedFiles: 0, staleTempFiles: 0 }
    throw error
  }
  const referenced = referencedHashes()
  const cutoff = now.getTime() - UPLOAD_SWEEP_AGE_MS
  const old = (name: string) => {
    try {
      return fs.statSync(path.join(dir, name)).mtimeMs < cutoff
    } catch {
      return false
    }
  }
  let unreferencedFiles = 0
  let staleTempFiles = 0
  for (const name of names) {
    if (isStoredName(name)) {
      if (!referenced.has(name) && old(name) && removeStoredFile(name)) unreferencedFiles++
    } else if (isTempName(name) && old(name)) {
      try {
        fs.unlinkSync(path.join(dir, name))
        staleTempFiles++
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
  }
  return { unreferencedFiles, staleTempFiles }
}
