import fs from 'node:fs'

/** Flushes a file (or a directory's entries) to disk, so a rename or copy survives a power cut. */
export function fsyncPath(p: string) {
  const fd = fs.openSync(p, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
