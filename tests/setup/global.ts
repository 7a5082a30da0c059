/**
 * Once per `vitest run`: a migrated template database that each test file copies
 * (tests/setup/env.ts), so every file starts from a fresh, fully migrated database.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'

export const tmpDir = path.resolve('tests/.tmp')
export const templatePath = path.join(tmpDir, 'template.db')

export default function setup() {
  fs.rmSync(tmpDir, { recursive: true, force: true })
  fs.mkdirSync(tmpDir, { recursive: true })
  const sqlite = new Database(templatePath)
  sqlite.pragma('journal_mode = DELETE')
  migrate(drizzle(sqlite), { migrationsFolder: path.resolve('db/migrations') })
  sqlite.close()
  return () => fs.rmSync(tmpDir, { recursive: true, force: true })
}
