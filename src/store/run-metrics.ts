import type { Db } from '../db/connect.js';
import { bumpDataVersionOfRuns } from './data-version.js';

/**
 * Sets one metric for the given runs (replacing earlier values) and raises their models' data
 * version; the caller wraps it in a transaction together with its other writes.
 */
export async function setRunMetric(db: Db, name: string, values: readonly { runId: number; value: number }[]): Promise<void> {
  if (values.length === 0) return;
  const runIds = values.map((v) => v.runId);
  await db.deleteFrom('run_metrics').where('name', '=', name).where('run_id', 'in', runIds).execute();
  await db
    .insertInto('run_metrics')
    .values(values.map((v) => ({ run_id: v.runId, name, value: v.value })))
    .execute();
  await bumpDataVersionOfRuns(db, runIds);
}

/** Removes one metric from the given runs (e.g. a group left with a single render) and raises the data version. */
export async function clearRunMetric(db: Db, name: string, runIds: readonly number[]): Promise<void> {
  if (runIds.length === 0) return;
  await db.deleteFrom('run_metrics').where('name', '=', name).where('run_id', 'in', [...runIds]).execute();
  await bumpDataVersionOfRuns(db, runIds);
}
