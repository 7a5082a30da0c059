/**
 * What the production server does before it listens: validate the environment, open the
 * database and apply pending migrations, load and check the framework content.
 * Each step throws an error whose message names the problem; server.mjs prints it and exits.
 */
import { closeDb, getDb, runMigrations } from './db.server'
import { getFramework } from './content.server'
import { getEnv } from './env.server'

export function startup() {
  const env = getEnv()
  runMigrations(getDb())
  const framework = getFramework()
  return { host: env.HOST, port: env.PORT, frameworkVersion: `${framework.id}@${framework.version}`, databasePath: env.DATABASE_PATH }
}

export function shutdown() {
  closeDb()
}
