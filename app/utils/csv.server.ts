/** Reading an uploaded CSV with a real parser (csv-parse): each record with the line it ends on (its only line, unless a quoted field spans lines). */
import { CsvError, parse } from 'csv-parse/sync'

export const MAX_CSV_BYTES = 2 * 1024 * 1024

export type CsvRecords =
  { ok: true; records: Array<{ line: number; fields: string[] }> } | { ok: false; message: string }

export function readCsv(text: string): CsvRecords {
  if (text.includes('\u0000')) return { ok: false, message: 'This is not a CSV text file (it contains binary data).' }
  try {
    const rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>
    // `info.lines` is the line a record ends on; records here are single-line except for quoted newlines.
    return { ok: true, records: rows.map((r) => ({ line: r.info.lines, fields: r.record })) }
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, message: `The file is not valid CSV: ${error.message}` }
    throw error
  }
}
