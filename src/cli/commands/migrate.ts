import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { connectDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import type { CliIo } from '../io.js';

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const config = loadConfig(io.env);
      const db = connectDatabase(config.database);
      try {
        const results = await migrateToLatest(db);
        io.out(results.length === 0 ? 'The database is up to date.\n' : results.map((r) => `applied ${r.migrationName}\n`).join(''));
      } finally {
        await db.destroy();
      }
    });
}
