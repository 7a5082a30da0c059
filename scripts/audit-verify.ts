/**
 * `npm run audit:verify`: recomputes the audit log's hash chain (DATABASE_PATH, default data/sto.db)
 * and prints "chain intact (N entries)" or the first entry where it breaks (exit code 1).
 */
import { verifyAuditLog } from '~/models/audit.server'
import { closeDb, getDb } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

const verdict = verifyAuditLog(getDb())
closeDb()
if (verdict.intact) {
  console.log(`${getEnv().DATABASE_PATH}: chain intact (${verdict.entries} entries)`)
} else {
  console.error(`${getEnv().DATABASE_PATH}: chain broken at entry ${verdict.brokenAtId}: ${verdict.reason}`)
  process.exit(1)
}
