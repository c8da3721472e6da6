import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

/**
 * Raises the data version of the given models (or of every model): called by each store function that
 * writes runs or their metrics, in the same transaction, so cached analyses never outlive their inputs.
 */
export async function bumpDataVersion(db: Db, modelIds: readonly number[] | 'all'): Promise<void> {
  let q = db.updateTable('models').set({ data_version: sql`data_version + 1` });
  if (modelIds !== 'all') {
    if (modelIds.length === 0) return;
    q = q.where('id', 'in', [...new Set(modelIds)]);
  }
  await q.execute();
}

/** Raises the data version of the models that own the given runs. */
export async function bumpDataVersionOfRuns(db: Db, runIds: readonly number[]): Promise<void> {
  if (runIds.length === 0) return;
  await db
    .updateTable('models')
    .set({ data_version: sql`data_version + 1` })
    .where('id', 'in', (eb) => eb.selectFrom('runs').select('model_id').where('id', 'in', [...runIds]))
    .execute();
}

/**
 * One value that changes whenever any model's runs change (the models' data versions, their number
 * and their last edit): a key for caching answers about all runs, such as list counts.
 */
export async function runsVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('models')
    .select((eb) => [eb.fn.countAll().as('models'), eb.fn.sum('data_version').as('versions'), eb.fn.max('updated_at').as('edited')])
    .executeTakeFirstOrThrow();
  return `${Number(row.models)}:${Number(row.versions ?? 0)}:${row.edited ?? ''}`;
}
