/// <reference types="vitest/config" />
/**
 * Vitest config for mutation testing (stryker.config.mjs, `npm run test:mutation`): only the
 * pure unit tests. Integration tests need the database and would make each of the thousands of
 * mutant runs far too slow; every file under app/domain/ is covered by tests/unit.
 */
import { defineConfig } from 'vite'
import tsconfigPaths from 'vite-tsconfig-paths'

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    // Same environment as `vitest run` (vite.config.ts), so a unit test behaves the same in both.
    setupFiles: ['tests/setup/env.ts'],
    globalSetup: ['tests/setup/global.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
})
