import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/** Kysely's SQLite driver, but transactions begin with `BEGIN IMMEDIATE` (and a rollback SQLite already did is no error). */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL on a full disk, SQLITE_IOERR):
   * Kysely's own ROLLBACK then fails with "no transaction is active", and that error would hide the
   * real one. There is nothing left to roll back, so it is not an error.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      if (!/no transaction is active/.test((err as Error).message)) throw err;
    }
  }
}

/**
 * The SQLite dialect with write transactions that take the write lock when they begin.
 *
 * Kysely's driver begins transactions with a plain (deferred) `BEGIN`: the transaction reads first and
 * asks for the write lock at its first write. When another process (the CLI beside the server, a
 * second server) committed in between, SQLite cannot upgrade the stale read snapshot and answers
 * SQLITE_BUSY at once — the busy timeout does not help, the write is lost. `BEGIN IMMEDIATE` waits
 * (up to the busy timeout) for the lock before the first read instead, so concurrent writers queue.
 * Every `db.transaction()` in this app writes, and each is short, so taking the lock up front costs
 * nothing; plain reads outside transactions never wait (WAL).
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
