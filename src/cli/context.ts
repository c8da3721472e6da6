import { loadConfig, type Config } from '../config.js';
import { connectDatabase, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { cleanUpInterruptedImports } from '../services/import-runs.js';
import { cleanUpTempFiles } from '../services/temp-files.js';
import type { CliIo } from './io.js';

/** Opens the configured database, migrated to the latest schema, for the length of one command. */
export async function withDatabase<T>(io: CliIo, work: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const db = connectDatabase(config.database);
  try {
    await migrateToLatest(db);
    const cleaned = await cleanUpInterruptedImports(db);
    if (cleaned > 0) io.err(`Cleaned up ${cleaned} interrupted import${cleaned === 1 ? '' : 's'} (nothing of them was kept).\n`);
    const temps = await cleanUpTempFiles(config.dataDir);
    if (temps > 0) io.err(`Removed ${temps} temporary file${temps === 1 ? '' : 's'} left by interrupted uploads.\n`);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}
