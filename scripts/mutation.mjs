// @ts-check
/**
 * `npm run test:mutation`: StrykerJS over app/domain/ (stryker.config.mjs, docs/mutation.md).
 *
 * Stryker 10's command line refuses Node 20 (its package says node >=22), while this project
 * supports Node 20.11+ and runs on Node 20 in production and on the reference machine. The check is
 * a version test only: Stryker 10 uses no API that Node 20 lacks, and the full run passes on Node 20
 * (docs/mutation.md). So on Node 22+ this hands over to the real command line, and on Node 20 it
 * starts the same Stryker class directly, reading the same config file. Options given on the
 * command line are passed on: --concurrency N, --force, --logLevel L, --dryRunOnly, --ignoreStatic true|false.
 */
import process from 'node:process'

const args = process.argv.slice(2)
const major = Number(process.versions.node.split('.')[0])

if (major >= 22) {
  const { StrykerCli } = await import('@stryker-mutator/core')
  new StrykerCli(['node', 'stryker', 'run', ...args]).run()
} else {
  /** @type {Record<string, unknown>} */
  const cli = {}
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--concurrency') cli.concurrency = Number(args[++i])
    else if (a === '--force') cli.force = true
    else if (a === '--dryRunOnly') cli.dryRunOnly = true
    else if (a === '--ignoreStatic') cli.ignoreStatic = args[++i] !== 'false'
    else if (a === '--logLevel') cli.logLevel = args[++i]
    else throw new Error(`scripts/mutation.mjs: unsupported option ${a} on Node ${process.versions.node}`)
  }
  // index.js loads the command line module, whose first statement is the version check; the
  // Stryker class next to it is the whole run without that check.
  const strykerUrl = new URL('./stryker.js', import.meta.resolve('@stryker-mutator/core'))
  const { Stryker } = await import(strykerUrl.href)
  try {
    await new Stryker(cli).runMutationTest()
  } catch (error) {
    // The same exit the command line gives: below the break threshold, or an error in the run.
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  }
}
