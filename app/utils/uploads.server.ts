/**
 * Evidence files: checked by their first bytes (not by the name or the browser's claim), at most
 * 10 MB each, stored once under UPLOADS_DIR by SHA-256 (the same file twice is stored once).
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { getEnv } from './env.server'

export const MAX_FILE_BYTES = 10 * 1024 * 1024
export const MAX_FILES_PER_SUBMISSION = 5

const officeZip: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
}
const officeOle: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' }

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

export function uploadsDir() {
  return path.resolve(getEnv().UPLOADS_DIR)
}

/** Stores the bytes (once per content) and returns their SHA-256. Written to a temp name, then renamed. */
export function storeFile(bytes: Uint8Array): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const dir = uploadsDir()
  const target = path.join(dir, sha256)
  if (!fs.existsSync(target)) {
    fs.mkdirSync(dir, { recursive: true })
    const tmp = path.join(dir, `.${sha256}.${randomBytes(4).toString('hex')}.tmp`)
    fs.writeFileSync(tmp, bytes, { flag: 'wx' })
    fs.renameSync(tmp, target)
  }
  return sha256
}

export function readStoredFile(sha256: string): Buffer | null {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null
  try {
    return fs.readFileSync(path.join(uploadsDir(), sha256))
  } catch {
    return null
  }
}
