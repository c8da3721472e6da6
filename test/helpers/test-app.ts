import type { Express } from 'express';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestContext {
  app: Express;
  db: Db;
  config: Config;
  errors: unknown[];
}

/** Which engine this test run uses: SQLite always; PostgreSQL in the run that vitest.config.ts adds when TEST_DATABASE_URL is set. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.SWEETSPOT_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Where a fresh test database lives: `:memory:` for SQLite; for PostgreSQL a new schema of its own
 * in TEST_DATABASE_URL (selected through the connection's search_path), dropped after the run.
 */
export async function freshDatabaseLocation(): Promise<string> {
  if (TEST_BACKEND === 'sqlite') return ':memory:';
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('SWEETSPOT_TEST_BACKEND=postgres needs TEST_DATABASE_URL');
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A freshly migrated database (see freshDatabaseLocation) with small, quickly idle pools. */
export async function openTestDatabase(): Promise<{ db: Db; location: string }> {
  const location = await freshDatabaseLocation();
  const db = connectDatabase(location, { poolSize: 3, idleTimeoutMs: 200 });
  await migrateToLatest(db);
  return { db, location };
}

/** A freshly migrated database and an app on it; unexpected errors are collected, not printed. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const location = await freshDatabaseLocation();
  const config = loadConfig({ SWEETSPOT_DB: location, SWEETSPOT_DATA_DIR: '/tmp/sweetspot-test-data', ...env });
  const db = connectDatabase(config.database, { poolSize: 3, idleTimeoutMs: 200 });
  await migrateToLatest(db);
  const errors: unknown[] = [];
  const app = createApp({ db, config, logError: (err) => errors.push(err) });
  return { app, db, config, errors };
}

export async function countRows(db: Db, table: 'runs' | 'models' | 'run_tags'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
