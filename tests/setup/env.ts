/**
 * Before each test file (in its own worker module registry): test environment variables and a
 * private copy of the migrated template database. Nothing is shared between files or workers.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const runDir = process.env.STO_TEST_RUN_DIR
if (!runDir) throw new Error('STO_TEST_RUN_DIR is not set: run the tests through vitest (tests/setup/global.ts).')
const file = path.join(
  runDir,
  `db-${process.env.VITEST_POOL_ID ?? '0'}-${process.pid}-${randomBytes(4).toString('hex')}.db`,
)
fs.copyFileSync(path.join(runDir, 'template.db'), file)

process.env.NODE_ENV = 'test'
process.env.DATABASE_PATH = file
// Cheap hashes in tests; one test proves the production parameters explicitly.
process.env.SCRYPT_LOG_N = '10'
process.env.CONTENT_DIR = path.resolve('content')
