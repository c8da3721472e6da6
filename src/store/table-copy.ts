import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

/**
 * Every table a tracker's data lives in, parents before children, each with the columns that order
 * it (its key). Staging tables of unfinished imports are not data and are not copied.
 */
export const DATA_TABLES: readonly { name: string; key: readonly string[]; identity: boolean }[] = [
  { name: 'models', key: ['id'], identity: true },
  { name: 'metrics', key: ['name'], identity: false },
  { name: 'model_aliases', key: ['alias'], identity: false },
  { name: 'experiments', key: ['id'], identity: true },
  { name: 'imports', key: ['id'], identity: true },
  { name: 'images', key: ['id'], identity: true },
  { name: 'runs', key: ['id'], identity: true },
  { name: 'run_tags', key: ['run_id', 'tag'], identity: false },
  { name: 'run_metrics', key: ['run_id', 'name'], identity: false },
  { name: 'judgements', key: ['id'], identity: true },
  { name: 'sweet_spot_snapshots', key: ['id'], identity: true },
  { name: 'renderers', key: ['id'], identity: true },
  { name: 'render_jobs', key: ['id'], identity: true },
  { name: 'render_tasks', key: ['id'], identity: true },
];

/** Tables that hold no lasting data (session_state: the sign-in generation, seeded by its migration). */
export const NON_DATA_TABLES = ['import_staging', 'import_staging_tags', 'session_state'];

type Row = Record<string, unknown>;
// Table names come from DATA_TABLES only (never from input), so the dynamic names are safe.
type AnyDb = import('kysely').Kysely<any>;

/** One page of a table in key order, strictly after `after` (keyset: every page costs the same). */
export async function readTablePage(db: Db, table: (typeof DATA_TABLES)[number], after: Row | null, limit: number): Promise<Row[]> {
  const any = db as unknown as AnyDb;
  let q = any.selectFrom(table.name).selectAll();
  if (after) {
    const [k1, k2] = table.key as [string, string?];
    q = k2 === undefined
      ? q.where(k1, '>', after[k1])
      : q.where((eb) => eb.or([eb(k1, '>', after[k1]), eb.and([eb(k1, '=', after[k1]), eb(k2, '>', after[k2])])]));
  }
  for (const k of table.key) q = q.orderBy(k);
  return q.limit(limit).execute() as Promise<Row[]>;
}

export async function insertTableRows(db: Db, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await (db as unknown as AnyDb).insertInto(table).values(rows as Row[]).execute();
}

export async function countTable(db: Db, table: string): Promise<number> {
  const row = await (db as unknown as AnyDb).selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteAllRows(db: Db, table: string): Promise<void> {
  await (db as unknown as AnyDb).deleteFrom(table).execute();
}

/** After copying rows with their ids, PostgreSQL's identity sequence must continue past the largest. */
export async function resetIdentity(db: Db, table: string): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
}
