import { defineConfig } from 'vitest/config';

// Every test runs on SQLite. When TEST_DATABASE_URL names a PostgreSQL database, the store, service and
// HTTP tests run a second time against it (project "postgres"), each test in a fresh schema.
const postgres = process.env.TEST_DATABASE_URL
  ? [
      {
        extends: true as const,
        test: {
          name: 'postgres',
          include: ['test/web/**/*.test.ts', 'test/services/**/*.test.ts', 'test/store/**/*.test.ts', 'test/db/**/*.test.ts', 'test/postgres/**/*.test.ts'],
          env: { SWEETSPOT_TEST_BACKEND: 'postgres' },
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
        },
      },
    ]
  : [];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The CLI tests start bin/sweetspot.js, which runs dist/: build it from the source under test first.
    // The browser tests' Chromium is found (and unpacked, when it is the bundled one) once, before them.
    globalSetup: ['test/helpers/build-global-setup.ts', 'test/helpers/browser-global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/stress/**', 'test/postgres/**', 'node_modules/**'] },
      },
      ...postgres,
    ],
  },
});
