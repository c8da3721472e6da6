import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import type { Database } from './schema.js';
import { BACKSTOP_CHECKPOINT_PAGES, startWalCheckpointer } from './wal-checkpointer.js';

export type Db = Kysely<Database>;

export type Dialect = 'sqlite' | 'postgres';

/** How long a writer waits for another writer's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * SQLite's page cache per connection, in KiB (the default is 2 MiB). Logged runs land all over the
 * score, duration and per-model indexes; with the small default cache each batch read those index
 * pages back from the file. 16 MiB holds most of that gain; a larger cache bought little more and
 * showed as memory that grows with the database (a streamed export of 10⁶ runs fills any cache).
 */
export const SQLITE_CACHE_KIB = 16 * 1024;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}


export interface ConnectOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Close idle PostgreSQL connections after this long (default 10 s). */
  idleTimeoutMs?: number;
  /** SQLite file: checkpoint the WAL in a worker thread instead of inside commits (the server does). */
  checkpointInBackground?: boolean;
}

const sqliteHandles = new WeakMap<Db, SQLite.Database>();

/**
 * The better-sqlite3 connection behind a SQLite Kysely instance (not a transaction), for the few
 * hot paths that run many statements synchronously; undefined on PostgreSQL. Use it only inside
 * `db.connection().execute(...)`, which holds Kysely's lock on that connection.
 */
export function sqliteHandleOf(db: Db): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/**
 * Opens the database named by `SWEETSPOT_DB`: a `postgres://` URL opens PostgreSQL through a pool;
 * anything else is a SQLite file path (or `:memory:`), run in WAL mode with a busy timeout and
 * foreign keys on. This is the one place that knows which engine is behind the Kysely instance.
 */
export function connectDatabase(location: string, options: ConnectOptions = {}): Db {
  if (isPostgresUrl(location)) {
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: () => openPostgresPool(location, options) }) });
  }
  if (location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const sqlite = new SQLite(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  let stopCheckpointer = () => {};
  if (options.checkpointInBackground && location !== ':memory:') {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    stopCheckpointer = startWalCheckpointer(location);
  }
  const close = () => {
    stopCheckpointer();
    sqlite.close();
  };
  // Write transactions begin IMMEDIATE: see ImmediateSqliteDialect for why.
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite, close) }) });
  sqliteHandles.set(db, sqlite);
  return db;
}

/**
 * The PostgreSQL pool, made when Kysely first needs a connection. pg is imported only then, so that
 * a SQLite tracker (and every CLI command on one) never loads it.
 */
async function openPostgresPool(location: string, options: ConnectOptions): Promise<Pool> {
  const { default: pg } = await import('pg');
  // PostgreSQL sends 64-bit integers (count(*), sums of integers) and numerics as strings; the app
  // works in JavaScript numbers, which hold every count and sum it produces exactly.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
  return new pg.Pool({
    connectionString: location,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    allowExitOnIdle: true,
  });
}

/** Prepared statements kept per SQL text (the same query is prepared once, not on every call). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 with a cache of prepared statements: Kysely prepares every query it runs, and
 * preparing costs as much as running a small one. Safe because each statement runs to completion
 * synchronously (`all`/`run`); nothing here keeps one open with `iterate`.
 */
function withStatementCache(sqlite: SQLite.Database, close: () => void): { close(): void; prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close,
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}

/** Which engine a Kysely instance talks to. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter' ? 'postgres' : 'sqlite';
}
