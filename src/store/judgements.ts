import type { Db } from '../db/connect.js';
import type { Outcome } from '../db/schema.js';
import { bumpDataVersion } from './data-version.js';

/** Which runs a query of judgements or rateable renders covers; each field becomes one `where` clause. */
export interface JudgementScope {
  experimentId?: number;
  modelId?: number;
}

/** A judgement with the two runs' steps and block (model, prompt, seed). */
export interface JudgementWithRuns {
  id: number;
  run_a: number;
  run_b: number;
  outcome: Outcome;
  rater: string;
  created_at: string;
  steps_a: number;
  steps_b: number;
  model_id: number;
}

/** A run that can be shown in a blind comparison: it has an image, a prompt and a seed. */
export interface RateableRun {
  id: number;
  model_id: number;
  steps: number;
  prompt: string;
  seed: string;
  sha256: string;
}

export async function insertJudgement(
  db: Db,
  row: { run_a: number; run_b: number; outcome: Outcome; rater: string; created_at: string },
): Promise<number> {
  const inserted = await db.insertInto('judgements').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The judgements whose first run lies in the scope (both runs of a judgement share a block), oldest first. */
export function listJudgements(db: Db, scope: JudgementScope): Promise<JudgementWithRuns[]> {
  let q = db
    .selectFrom('judgements as j')
    .innerJoin('runs as ra', 'ra.id', 'j.run_a')
    .innerJoin('runs as rb', 'rb.id', 'j.run_b')
    .select(['j.id', 'j.run_a', 'j.run_b', 'j.outcome', 'j.rater', 'j.created_at', 'ra.steps as steps_a', 'rb.steps as steps_b', 'ra.model_id as model_id']);
  if (scope.experimentId !== undefined) {
    const experimentId = scope.experimentId;
    q = q.where((eb) => eb.or([eb('ra.experiment_id', '=', experimentId), eb('rb.experiment_id', '=', experimentId)]));
  }
  if (scope.modelId !== undefined) q = q.where('ra.model_id', '=', scope.modelId);
  return q.orderBy('j.id').execute();
}

/** The judgements between runs of one block (model, prompt and seed), for a Bradley–Terry refit. */
export function blockJudgements(db: Db, block: { modelId: number; prompt: string; seed: string }) {
  return db
    .selectFrom('judgements as j')
    .innerJoin('runs as ra', 'ra.id', 'j.run_a')
    .where('ra.model_id', '=', block.modelId)
    .where('ra.prompt', '=', block.prompt)
    .where('ra.seed', '=', block.seed)
    .select(['j.run_a', 'j.run_b', 'j.outcome'])
    .orderBy('j.id')
    .execute();
}

/** Runs with an image, a prompt and a seed in the scope: the renders the rating page can show. */
export async function rateableRuns(db: Db, scope: JudgementScope, limit: number): Promise<RateableRun[]> {
  let q = db
    .selectFrom('runs')
    .innerJoin('images', 'images.id', 'runs.image_id')
    .where('runs.prompt', 'is not', null)
    .where('runs.seed', 'is not', null)
    .select(['runs.id', 'runs.model_id', 'runs.steps', 'runs.prompt', 'runs.seed', 'images.sha256 as sha256']);
  if (scope.experimentId !== undefined) q = q.where('runs.experiment_id', '=', scope.experimentId);
  if (scope.modelId !== undefined) q = q.where('runs.model_id', '=', scope.modelId);
  const rows = await q.orderBy('runs.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, prompt: r.prompt!, seed: r.seed! }));
}

/**
 * Replaces one metric's values for a set of runs of one model (deletes them for `clearRunIds`, then
 * writes `values`) and raises the model's data version; the caller wraps it in a transaction.
 */
export async function replaceRunMetric(
  db: Db,
  modelId: number,
  name: string,
  clearRunIds: readonly number[],
  values: readonly { runId: number; value: number }[],
): Promise<void> {
  if (clearRunIds.length > 0) {
    await db.deleteFrom('run_metrics').where('name', '=', name).where('run_id', 'in', [...clearRunIds]).execute();
  }
  if (values.length > 0) {
    await db
      .insertInto('run_metrics')
      .values(values.map((v) => ({ run_id: v.runId, name, value: v.value })))
      .execute();
  }
  await bumpDataVersion(db, [modelId]);
}

/** The ids of every run in one block (model, prompt and seed). */
export async function blockRunIds(db: Db, block: { modelId: number; prompt: string; seed: string }): Promise<number[]> {
  const rows = await db
    .selectFrom('runs')
    .select('id')
    .where('model_id', '=', block.modelId)
    .where('prompt', '=', block.prompt)
    .where('seed', '=', block.seed)
    .execute();
  return rows.map((r) => r.id);
}

/** The runs with the given ids, with what a judgement needs to check (model, steps, block). */
export function runsForJudgement(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('runs')
    .select(['id', 'model_id', 'steps', 'prompt', 'seed', 'experiment_id'])
    .where('id', 'in', [...ids])
    .execute();
}

/** The given runs when they can be shown in a blind comparison (an image, a prompt and a seed). */
export async function rateableRunsByIds(db: Db, ids: readonly number[]): Promise<RateableRun[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('runs')
    .innerJoin('images', 'images.id', 'runs.image_id')
    .where('runs.id', 'in', [...ids])
    .where('runs.prompt', 'is not', null)
    .where('runs.seed', 'is not', null)
    .select(['runs.id', 'runs.model_id', 'runs.steps', 'runs.prompt', 'runs.seed', 'images.sha256 as sha256'])
    .execute();
  return rows.map((r) => ({ ...r, prompt: r.prompt!, seed: r.seed! }));
}
