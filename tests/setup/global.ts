/**
 * Once per `vitest run`: a migrated template database that each test file copies
 * (tests/setup/env.ts), so every file starts from a fresh, fully migrated database.
 * Each run has its own folder, so two runs at once never touch each other's files.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'

export default function setup() {
  const runDir = path.resolve('tests/.tmp', `run-${process.pid}-${Date.now()}`)
  fs.mkdirSync(runDir, { recursive: true })
  const sqlite = new Database(path.join(runDir, 'template.db'))
  sqlite.pragma('journal_mode = DELETE')
  migrate(drizzle(sqlite), { migrationsFolder: path.resolve('db/migrations') })
  sqlite.close()
  // Workers are started after this and inherit the variable.
  process.env.STO_TEST_RUN_DIR = runDir
  return () => fs.rmSync(runDir, { recursive: true, force: true })
}
