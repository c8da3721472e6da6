import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { backupSqliteFile } from '../../db/backup.js';
import { isPostgresUrl } from '../../db/connect.js';
import { CliError, type CliIo } from '../io.js';

/** The URL without its password, to print. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function registerBackup(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description("copy the database to FILE with SQLite's online backup (safe while the server runs)")
    .argument('<file>', 'where to write the backup')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const config = loadConfig(io.env);
      if (isPostgresUrl(config.database)) {
        throw new CliError(
          `The database is PostgreSQL (${redacted(config.database)}): back it up with its own tools, e.g.\n` +
            `  pg_dump --format=custom --file ${file} "$SWEETSPOT_DB"\n` +
            `and restore with\n  pg_restore --clean --if-exists --no-owner --dbname "$SWEETSPOT_DB" ${file}`,
        );
      }
      if (config.database === ':memory:') throw new CliError('An in-memory database has nothing to back up');
      let drawn = false;
      let result;
      try {
        result = await backupSqliteFile(config.database, file, {
          overwrite: options.force ?? false,
          onProgress: ({ totalPages, remainingPages }) => {
            if (!io.isTty || totalPages === 0) return;
            io.err(`\r\x1b[Kbackup ${Math.floor(((totalPages - remainingPages) / totalPages) * 100)}% of ${totalPages} pages`);
            drawn = true;
          },
        });
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      } finally {
        if (drawn) io.err('\r\x1b[K');
      }
      const { counts } = result;
      io.out(
        `Backed up ${config.database} to ${result.file} (${(result.bytes / 1048576).toFixed(1)} MB; integrity ok; ` +
          `${counts.runs} runs, ${counts.models} models, ${counts.images} images).\n` +
          `Images live in ${config.dataDir}/images: copy that folder too. To restore, stop the server and copy the file back (see the README).\n`,
      );
    });
}
