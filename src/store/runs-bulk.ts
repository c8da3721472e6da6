import type { Db } from '../db/connect.js';
import { bumpDataVersion, bumpDataVersionOfRuns } from './data-version.js';

// Actions on several runs at once (the runs table's multi-select). Each raises the data version of
// the models involved; the caller wraps it in a transaction.

/** Deletes the runs with these ids; returns how many went. */
export async function deleteRunsByIds(db: Db, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  await bumpDataVersionOfRuns(db, ids);
  const result = await db.deleteFrom('runs').where('id', 'in', [...ids]).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Adds `tag` to the runs that lack it; returns the ids that got it (so an undo removes only those). */
export async function addTagToRuns(db: Db, ids: readonly number[], tag: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const existing = await db.selectFrom('runs').select('id').where('id', 'in', [...ids]).execute();
  const tagged = new Set(
    (await db.selectFrom('run_tags').select('run_id').where('tag', '=', tag).where('run_id', 'in', [...ids]).execute()).map((r) => r.run_id),
  );
  const added = existing.map((r) => r.id).filter((id) => !tagged.has(id));
  if (added.length > 0) await db.insertInto('run_tags').values(added.map((run_id) => ({ run_id, tag }))).execute();
  await bumpDataVersionOfRuns(db, added);
  return added;
}

/** Removes `tag` from these runs; returns how many lost it. */
export async function removeTagFromRuns(db: Db, ids: readonly number[], tag: string): Promise<number> {
  if (ids.length === 0) return 0;
  await bumpDataVersionOfRuns(db, ids);
  const result = await db.deleteFrom('run_tags').where('tag', '=', tag).where('run_id', 'in', [...ids]).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The model of each of these runs. */
export async function modelsOfRuns(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('runs').select(['id', 'model_id']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.model_id]));
}

/** Moves runs to another model; returns how many moved. */
export async function setRunsModel(db: Db, ids: readonly number[], modelId: number, now: string): Promise<number> {
  if (ids.length === 0) return 0;
  await bumpDataVersionOfRuns(db, ids);
  const result = await db.updateTable('runs').set({ model_id: modelId, updated_at: now }).where('id', 'in', [...ids]).executeTakeFirst();
  await bumpDataVersion(db, [modelId]);
  return Number(result.numUpdatedRows);
}

/** The image and metrics of one run, for its detail page. */
export async function runExtras(db: Db, runId: number): Promise<{
  image: { sha256: string; width: number; height: number; original_name: string | null } | undefined;
  metrics: { name: string; value: number }[];
}> {
  const image = await db
    .selectFrom('runs')
    .innerJoin('images', 'images.id', 'runs.image_id')
    .select(['images.sha256', 'images.width', 'images.height', 'images.original_name'])
    .where('runs.id', '=', runId)
    .executeTakeFirst();
  const metrics = await db.selectFrom('run_metrics').select(['name', 'value']).where('run_id', '=', runId).orderBy('name').execute();
  return { image, metrics };
}
