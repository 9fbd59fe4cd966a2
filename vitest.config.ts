import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Kills ZooKeeper servers of test workers that died without cleaning up (see the file).
    globalSetup: ['test/support/global-setup.ts'],
    // Files run in parallel (2 cores in CI); each integration file owns one ZooKeeper.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Child taskd processes run the sources under test, never a stale dist/.
    env: { TASKD_FROM_SOURCE: '1' },
  },
});
