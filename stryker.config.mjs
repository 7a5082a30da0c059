// @ts-check
/**
 * Mutation testing of the pure domain rules (`npm run test:mutation`, docs/mutation.md).
 * Stryker changes app/domain/ one small edit at a time and runs the unit tests that cover the
 * edit; a mutant that no test notices marks a rule without a test. Incremental mode reuses the
 * committed result (reports/stryker-incremental.json) for every mutant whose code and tests did
 * not change, so a re-run only tests what changed.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Kept out of the sandbox copy: they are large and no unit test reads them.
  ignorePatterns: [
    '/build',
    '/data',
    '/test-results',
    '/playwright-report',
    '/tests/.tmp',
    '/reports',
    '*.db',
    '*.db-wal',
    '*.db-shm',
  ],
  mutate: ['app/domain/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and schemas, run once when a file loads) each need a fresh
  // load and every related test: 16% of the mutants, but about two thirds of the run time, far past
  // the ~10 minutes `npm test` allows. They are reported as ignored; docs/mutation.md says how to
  // test them on purpose (--ignoreStatic false) and what they cover.
  ignoreStatic: true,
  thresholds: { high: 90, low: 85, break: 80 },
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Two cores on the reference machine.
  concurrency: 2,
  tempDirName: '.stryker-tmp',
}
