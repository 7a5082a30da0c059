/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH (the server also does this at start). */
import { closeDb, getDb, runMigrations } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

runMigrations(getDb())
closeDb()
console.log(`Migrations applied to ${getEnv().DATABASE_PATH}.`)
