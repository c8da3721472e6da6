import type { Command } from 'commander';
import { connectDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { migrateData } from '../../services/migrate-data.js';
import type { CliIo } from '../io.js';

export function registerMigrateData(program: Command, io: CliIo): void {
  program
    .command('migrate-data')
    .description('copy a whole tracker to another database (SQLite file ↔ postgres:// URL), verified by counts and a checksum of the runs')
    .requiredOption('--from <db>', 'the source: a SQLite file or a postgres:// URL')
    .requiredOption('--to <db>', 'the target: a new SQLite file or an empty postgres:// database')
    .action(async (options: { from: string; to: string }) => {
      const from = connectDatabase(options.from);
      const to = connectDatabase(options.to);
      try {
        await migrateToLatest(from);
        await migrateToLatest(to);
        let last = '';
        const result = await migrateData(from, to, (table, copied) => {
          if (io.isTty) io.err(`\r${table}: ${copied.toLocaleString('en-US')} rows`.padEnd(40));
          else if (table !== last) io.err(`copying ${table}\n`);
          last = table;
        });
        if (io.isTty) io.err('\n');
        for (const t of result.tables) io.out(`${t.table.padEnd(22)} ${String(t.to).padStart(10)} rows\n`);
        io.out(`runs checksum ${result.runsChecksum.to} (identical on both sides)\n`);
      } finally {
        await from.destroy();
        await to.destroy();
      }
    });
}
