import { createHash } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { dialectOf } from '../db/connect.js';
import { countTable, DATA_TABLES, deleteAllRows, insertTableRows, readTablePage, resetIdentity } from '../store/table-copy.js';
import { InputError } from './errors.js';

const PAGE = 2_000;

export interface TableCount {
  table: string;
  from: number;
  to: number;
}

export interface MigrateDataResult {
  tables: TableCount[];
  runsChecksum: { from: string; to: string };
}

/** Rows as canonical text: numbers as numbers, everything else as strings, columns in name order. */
function canonical(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((k) => {
    const v = row[k];
    return v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'bigint' ? Number(v) : String(v);
  }));
}

/** A SHA-256 over every run (all columns, in id order): equal on both sides means the runs arrived intact. */
export async function runsChecksum(db: Db): Promise<string> {
  const hash = createHash('sha256');
  const runs = DATA_TABLES.find((t) => t.name === 'runs')!;
  let after: Record<string, unknown> | null = null;
  for (;;) {
    const rows = await readTablePage(db, runs, after, PAGE);
    for (const row of rows) hash.update(canonical(row)).update('\n');
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!;
  }
  return hash.digest('hex');
}

/**
 * Copies a whole tracker from one database to another (SQLite ↔ PostgreSQL), table by table in pages
 * so memory stays flat, keeping every id; then verifies row counts and a checksum of the runs. The
 * target must be freshly migrated and hold no runs: its seeded models and metrics are replaced.
 */
export async function migrateData(from: Db, to: Db, onProgress: (table: string, copied: number) => void = () => {}): Promise<MigrateDataResult> {
  const existing = await countTable(to, 'runs');
  if (existing > 0) {
    throw new InputError(`the target already holds ${existing} runs: migrate-data copies into an empty tracker (run 'sweetspot migrate' on a new database first)`);
  }
  await to.transaction().execute(async (trx) => {
    for (const table of [...DATA_TABLES].reverse()) await deleteAllRows(trx, table.name);
    for (const table of DATA_TABLES) {
      let after: Record<string, unknown> | null = null;
      let copied = 0;
      for (;;) {
        const rows = await readTablePage(from, table, after, PAGE);
        await insertTableRows(trx, table.name, rows);
        copied += rows.length;
        onProgress(table.name, copied);
        if (rows.length < PAGE) break;
        after = rows[rows.length - 1]!;
      }
      if (table.identity && dialectOf(to) === 'postgres') await resetIdentity(trx, table.name);
    }
  });
  const tables: TableCount[] = [];
  for (const table of DATA_TABLES) tables.push({ table: table.name, from: await countTable(from, table.name), to: await countTable(to, table.name) });
  const result = { tables, runsChecksum: { from: await runsChecksum(from), to: await runsChecksum(to) } };
  const mismatch = tables.filter((t) => t.from !== t.to);
  if (mismatch.length > 0 || result.runsChecksum.from !== result.runsChecksum.to) {
    throw new Error(
      `migrate-data verification failed: ${mismatch.map((t) => `${t.table} ${t.from} → ${t.to}`).join(', ') || 'the runs checksums differ'}`,
    );
  }
  return result;
}
