import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Probes the Python yardsticks once per run and prints the loud skip lines (test/support/python.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // 2 cores on CI: more forks than that only adds contention.
    maxWorkers: 2,
  },
});
