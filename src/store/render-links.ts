import type { Db } from '../db/connect.js';
import { bumpDataVersion } from './data-version.js';

/** A planned run (in an experiment, no image yet) with the same model, steps, seed and prompt. */
export async function findOpenPlannedRun(
  db: Db,
  match: { modelId: number; steps: number; seed: string; prompt: string },
): Promise<{ id: number; experiment_id: number } | undefined> {
  const row = await db
    .selectFrom('runs')
    .select(['id', 'experiment_id'])
    .where('model_id', '=', match.modelId)
    .where('steps', '=', match.steps)
    .where('seed', '=', match.seed)
    .where('prompt', '=', match.prompt)
    .where('experiment_id', 'is not', null)
    .where('image_id', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row && row.experiment_id !== null ? { id: row.id, experiment_id: row.experiment_id } : undefined;
}

/**
 * Moves a render from the run an upload made for it to a planned run: the image, the time and score
 * where the planned run has none, and the image metrics; then the upload's run, now empty of
 * anything the planned run lacks, is deleted. The caller wraps it in a transaction.
 */
export async function moveRenderToPlannedRun(db: Db, fromRunId: number, toRunId: number, now: string): Promise<void> {
  const from = await db.selectFrom('runs').select(['image_id', 'duration_ms', 'score', 'model_id']).where('id', '=', fromRunId).executeTakeFirstOrThrow();
  const to = await db.selectFrom('runs').select(['duration_ms', 'score', 'model_id']).where('id', '=', toRunId).executeTakeFirstOrThrow();
  await db.updateTable('runs').set({ image_id: null }).where('id', '=', fromRunId).execute();
  await db
    .updateTable('runs')
    .set({ image_id: from.image_id, duration_ms: to.duration_ms ?? from.duration_ms, score: to.score ?? from.score, updated_at: now })
    .where('id', '=', toRunId)
    .execute();
  const existing = new Set((await db.selectFrom('run_metrics').select('name').where('run_id', '=', toRunId).execute()).map((r) => r.name));
  let move = db.updateTable('run_metrics').set({ run_id: toRunId }).where('run_id', '=', fromRunId);
  if (existing.size > 0) move = move.where('name', 'not in', [...existing]);
  await move.execute();
  await db.deleteFrom('runs').where('id', '=', fromRunId).execute();
  await bumpDataVersion(db, [from.model_id, to.model_id]);
}
