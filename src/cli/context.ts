import { loadConfig, type Config } from '../config.js';
import { connectDatabase, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { listImportsInStatus } from '../store/imports.js';
import { cleanUpTempFiles } from '../services/temp-files.js';
import type { CliIo } from './io.js';

/** Opens the configured database, migrated to the latest schema, for the length of one command. */
export async function withDatabase<T>(io: CliIo, work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const db = connectDatabase(config.database);
  try {
    await migrateToLatest(db);
    // An import left half-staged is rare: the import service (and its parsers) is loaded only when
    // there is one to clean up, so that `sweetspot log` starts without it.
    if ((await listImportsInStatus(db, 'staging')).length > 0) {
      const { cleanUpInterruptedImports } = await import('../services/import-runs.js');
      const cleaned = await cleanUpInterruptedImports(db);
      if (cleaned > 0) io.err(`Cleaned up ${cleaned} interrupted import${cleaned === 1 ? '' : 's'} (nothing of them was kept).\n`);
    }
    const temps = await cleanUpTempFiles(config.dataDir);
    if (temps > 0) io.err(`Removed ${temps} temporary file${temps === 1 ? '' : 's'} left by interrupted uploads.\n`);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}
