/**
 * System tests: they run the built production server as a separate process (the benchmark's
 * smoke test, backups under load), so `npm test` runs them after the build.
 */
import { defineConfig } from 'vitest/config'
import tsconfigPaths from 'vite-tsconfig-paths'

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ['tests/system/**/*.test.ts'],
    pool: 'forks',
    // One at a time: each starts a server and would otherwise compete for the two cores.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
})
