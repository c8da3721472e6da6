import { isPostgresUrl } from './connect.js';

/** The location as it may be printed: a PostgreSQL URL without its password. */
export function printableLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * One line saying why the database at `location` cannot be used, naming the file (or the redacted
 * URL) and what to do: a file that is not SQLite or is damaged, one that is read-only, one that cannot
 * be opened, an unreachable server.
 *
 * @example describeOpenError('/data/s.db', Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))
 * // → 'The database file /data/s.db is not a SQLite database, or it is damaged: …'
 */
export function describeOpenError(location: string, err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? '');
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  const where = printableLocation(location);
  if (isPostgresUrl(location)) return `The PostgreSQL database ${where} cannot be used: ${detail}.`;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `The database file ${where} is not a SQLite database, or it is damaged: restore it from a backup or set SWEETSPOT_DB to another file.`;
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return `The database file ${where} is read-only: sweetspot must be able to write to it and to its folder. Check their permissions.`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return `The database file ${where} cannot be opened: check that its folder exists and that sweetspot may write there.`;
  }
  return `The database ${where} cannot be used: ${detail}.`;
}
