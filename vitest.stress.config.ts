import { defineConfig } from 'vitest/config';

// `npm run test:stress`: the long fault and load tests (SIGKILL during imports, concurrent writer
// processes and HTTP clients, backups under load). SQLite only; one file at a time, since each already
// keeps both cores busy. `.ci/run` runs it after `npm test`.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The stress tests start bin/sweetspot.js, which runs dist/: build it from the source under test first.
    globalSetup: ['test/helpers/build-global-setup.ts'],
    fileParallelism: false,
  },
});
