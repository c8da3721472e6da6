import type { Db } from '../db/connect.js';

/** Experiments holding runs that carry `tag` (the demo's own experiment). */
export async function experimentIdsWithTag(db: Db, tag: string): Promise<number[]> {
  const rows = await db
    .selectFrom('runs')
    .innerJoin('run_tags', 'run_tags.run_id', 'runs.id')
    .where('run_tags.tag', '=', tag)
    .where('runs.experiment_id', 'is not', null)
    .select('runs.experiment_id')
    .distinct()
    .execute();
  return rows.map((r) => Number(r.experiment_id));
}

/** The images of the runs carrying `tag`, to delete with them. */
export async function imagesOfTaggedRuns(db: Db, tag: string): Promise<{ id: number; sha256: string; mime: string }[]> {
  return db
    .selectFrom('images')
    .innerJoin('runs', 'runs.image_id', 'images.id')
    .innerJoin('run_tags', 'run_tags.run_id', 'runs.id')
    .where('run_tags.tag', '=', tag)
    .select(['images.id', 'images.sha256', 'images.mime'])
    .distinct()
    .execute();
}

/** Deletes image rows that no run refers to any more; returns the ones deleted. */
export async function deleteUnusedImages(db: Db, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const used = new Set(
    (await db.selectFrom('runs').select('image_id').where('image_id', 'in', [...ids]).execute()).map((r) => Number(r.image_id)),
  );
  const unused = ids.filter((id) => !used.has(id));
  if (unused.length > 0) await db.deleteFrom('images').where('id', 'in', unused).execute();
  return unused;
}
