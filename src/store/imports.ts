import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ImportFormat, ImportRow, NewImportStagingRow, Source } from '../db/schema.js';
import { bumpDataVersion } from './data-version.js';

/** Rows per INSERT statement: 21 columns × 400 rows stays well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 400;

export async function insertImport(
  db: Db,
  values: { filename: string | null; format: ImportFormat; host: string; processId: number; createdAt: string },
): Promise<number> {
  const row = await db
    .insertInto('imports')
    .values({
      filename: values.filename,
      format: values.format,
      status: 'staging',
      sha256: null,
      message: null,
      host: values.host,
      process_id: values.processId,
      created_at: values.createdAt,
      finished_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findImportById(db: Db, id: number): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The earliest finished import of a file with these bytes, if any. */
export function findDoneImportBySha256(db: Db, sha256: string): Promise<ImportRow | undefined> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('sha256', '=', sha256)
    .where('status', '=', 'done')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export function listImportsInStatus(db: Db, status: ImportRow['status']): Promise<ImportRow[]> {
  return db.selectFrom('imports').selectAll().where('status', '=', status).orderBy('id').execute();
}

/** Writes validated rows (and their tags) to the staging tables; the caller wraps it in a transaction. */
export async function insertStagedRows(
  db: Db,
  rows: readonly NewImportStagingRow[],
  tags: readonly { import_id: number; line: number; tag: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await db.insertInto('import_staging').values(rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
  }
  for (let i = 0; i < tags.length; i += ROWS_PER_STATEMENT * 5) {
    await db.insertInto('import_staging_tags').values(tags.slice(i, i + ROWS_PER_STATEMENT * 5)).execute();
  }
}

/** Deletes an import's staged rows; returns how many rows went. */
export async function deleteStagedRows(db: Db, importId: number, rows?: { fromRow: number; toRow: number }): Promise<number> {
  let tags = db.deleteFrom('import_staging_tags').where('import_id', '=', importId);
  let staged = db.deleteFrom('import_staging').where('import_id', '=', importId);
  if (rows) {
    tags = tags.where('line', '>=', rows.fromRow).where('line', '<', rows.toRow);
    staged = staged.where('line', '>=', rows.fromRow).where('line', '<', rows.toRow);
  }
  await tags.execute();
  const result = await staged.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The highest staged row number of an import (0 when none is staged): the end of the slices to move. */
export async function lastStagedRow(db: Db, importId: number): Promise<number> {
  const row = await db
    .selectFrom('import_staging')
    .select((eb) => eb.fn.max('line').as('last'))
    .where('import_id', '=', importId)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

/**
 * Moves the staged rows numbered `fromRow` ≤ row < `toRow` of an import into `runs` with their tags;
 * returns how many runs it inserted. Call it slice after slice inside one transaction (a big import
 * stays all or nothing), then `bumpImportedModels` once.
 */
export async function moveStagedRowSlice(db: Db, importId: number, source: Source, now: string, fromRow: number, toRow: number): Promise<number> {
  const result = await db
    .insertInto('runs')
    .columns([
      'model_id', 'steps', 'duration_ms', 'score', 'seed', 'prompt', 'negative_prompt', 'sampler', 'guidance',
      'width', 'height', 'hardware', 'use_case', 'phase', 'notes', 'experiment_id', 'source', 'created_at',
      'updated_at', 'import_id', 'import_line',
    ])
    .expression((eb) =>
      eb
        .selectFrom('import_staging as s')
        .select((s) => [
          's.model_id', 's.steps', 's.duration_ms', 's.score', 's.seed', 's.prompt', 's.negative_prompt', 's.sampler',
          's.guidance', 's.width', 's.height', 's.hardware', 's.use_case', 's.phase', 's.notes',
          s.val<number | null>(null).as('experiment_id'),
          s.val(source).as('source'),
          's.created_at',
          s.val(now).as('updated_at'),
          's.import_id',
          's.line',
        ])
        .where('s.import_id', '=', importId)
        .where('s.line', '>=', fromRow)
        .where('s.line', '<', toRow)
        .orderBy('s.line'),
    )
    .executeTakeFirst();
  await db
    .insertInto('run_tags')
    .columns(['run_id', 'tag'])
    .expression((eb) =>
      eb
        .selectFrom('import_staging_tags as t')
        .innerJoin('runs', (join) => join.onRef('runs.import_id', '=', 't.import_id').onRef('runs.import_line', '=', 't.line'))
        .select(['runs.id', 't.tag'])
        .where('t.import_id', '=', importId)
        .where('t.line', '>=', fromRow)
        .where('t.line', '<', toRow),
    )
    .execute();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Raises the data version of every model an import's staged rows belong to (their analyses are stale). */
export async function bumpImportedModels(db: Db, importId: number): Promise<void> {
  await db
    .updateTable('models')
    .set({ data_version: sql`data_version + 1` })
    .where('id', 'in', (eb) => eb.selectFrom('import_staging').select('model_id').where('import_id', '=', importId))
    .execute();
  const models = await db.selectFrom('import_staging').select('model_id').distinct().where('import_id', '=', importId).execute();
  await bumpDataVersion(db, models.map((m) => m.model_id));
}

/** Marks a staging import done; false when it is no longer 'staging' (a clean-up took it). */
export async function markImportDone(db: Db, id: number, values: { sha256: string; rows: number; finishedAt: string }): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status: 'done', sha256: values.sha256, rows: values.rows, finished_at: values.finishedAt, message: null })
    .where('id', '=', id)
    .where('status', '=', 'staging')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markImportFailed(
  db: Db,
  id: number,
  values: { sha256: string | null; rows: number | null; message: string; finishedAt: string },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      status: 'failed',
      message: values.message,
      finished_at: values.finishedAt,
      ...(values.sha256 !== null ? { sha256: values.sha256 } : {}),
      ...(values.rows !== null ? { rows: values.rows } : {}),
    })
    .where('id', '=', id)
    .execute();
}
