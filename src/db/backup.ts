import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupResult {
  /** The backup file written. */
  file: string;
  bytes: number;
  /** `PRAGMA integrity_check` of the backup: 'ok' or the first problem. */
  integrity: string;
  /** Rows in the main tables of the backup, to compare with what the app shows. */
  counts: { models: number; runs: number; images: number };
}

export interface BackupOptions {
  /** Replace `target` if it exists (default: refuse). */
  overwrite?: boolean;
  onProgress?: (progress: BackupProgress) => void;
}

/**
 * Pages per backup step: all of them at once. A step reads one snapshot, and in WAL mode writers carry
 * on meanwhile. In small steps the backup would start over whenever another connection (the server)
 * wrote between two steps, and under steady writes never finish.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database at `location` to `target` with SQLite's online backup API: consistent (one
 * read snapshot, copied in one step) and safe while the server runs and writes. The copy
 * is written beside `target` and renamed into place only once it passed `PRAGMA integrity_check`, so a
 * failed or interrupted backup never leaves a half-written `target`.
 */
export async function backupSqliteFile(location: string, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  const source = path.resolve(location);
  const file = path.resolve(target);
  if (file === source) throw new Error('The backup file must not be the database itself');
  if (!options.overwrite && fs.existsSync(file)) throw new Error(`${target} exists already: choose another name or pass --force`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);

  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, {
      progress(info) {
        options.onProgress?.(info);
        return ALL_PAGES;
      },
    });
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }

  const copy = new SQLite(partial, { fileMustExist: true });
  let integrity: string;
  let counts: BackupResult['counts'];
  try {
    integrity = String((copy.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check);
    const count = (table: string) => (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    counts = { models: count('models'), runs: count('runs'), images: count('images') };
    // One self-contained file: fold the copy's WAL (if any) back in.
    copy.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    copy.close();
  }
  if (integrity !== 'ok') {
    fs.rmSync(partial, { force: true });
    throw new Error(`The backup failed its integrity check (${integrity}); nothing was written to ${target}`);
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
  fs.renameSync(partial, file);
  return { file, bytes: fs.statSync(file).size, integrity, counts };
}
