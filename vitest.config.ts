import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration suites share one MariaDB database and one Redis; files run one at a time
    // so that their cleanup cannot race.
    fileParallelism: false,
  },
});
