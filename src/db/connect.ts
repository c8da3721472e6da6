import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** How long a writer waits for another writer's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database named by `SWEETSPOT_DB`: a file path (or `:memory:`) opens SQLite.
 * SQLite runs in WAL mode with a busy timeout and foreign keys on.
 */
export function connectDatabase(location: string): Db {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    throw new Error('PostgreSQL support is not available yet: set SWEETSPOT_DB to a SQLite file path');
  }
  if (location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const sqlite = new SQLite(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
