import type { Express } from 'express';
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

/** A freshly migrated in-memory database and an app on it; unexpected errors are collected, not printed. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const config = loadConfig({ SWEETSPOT_DB: ':memory:', SWEETSPOT_DATA_DIR: '/tmp/sweetspot-test-data', ...env });
  const db = connectDatabase(config.database);
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
