import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ExperimentRow, NewRunRow } from '../db/schema.js';
import { bumpDataVersion } from './data-version.js';
import { insertRuns } from './runs.js';

export type ExperimentWithModel = ExperimentRow & { model_slug: string; model_name: string };

/** Planned and filled cells of an experiment (a cell is filled once it has a time, a score or an image). */
export interface ExperimentProgressRow {
  experiment_id: number;
  planned: number;
  filled: number;
  timed: number;
  scored: number;
  imaged: number;
}

/** One planned run of an experiment with the image it was matched to, if any. */
export interface ExperimentRunRow {
  id: number;
  steps: number;
  seed: string | null;
  prompt: string | null;
  negative_prompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  use_case: string | null;
  phase: string | null;
  duration_ms: number | null;
  score: number | null;
  image_id: number | null;
  image_sha256: string | null;
}

/**
 * Inserts an experiment and its planned runs (one per cell, each pointing back at it); the caller
 * wraps it in a transaction. Returns the experiment id and the run ids in plan order.
 */
export async function insertExperimentWithRuns(
  db: Db,
  experiment: { name: string; model_id: number; plan: string; notes: string; created_at: string },
  runs: readonly Omit<NewRunRow, 'experiment_id'>[],
): Promise<{ id: number; runIds: number[] }> {
  const inserted = await db.insertInto('experiments').values(experiment).returning('id').executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  const runIds = await insertRuns(
    db,
    runs.map((row) => ({ row: { ...row, experiment_id: id }, tags: [] })),
  );
  return { id, runIds };
}

function withModel(db: Db) {
  return db
    .selectFrom('experiments')
    .innerJoin('models', 'models.id', 'experiments.model_id')
    .selectAll('experiments')
    .select(['models.slug as model_slug', 'models.name as model_name']);
}

export function findExperimentById(db: Db, id: number): Promise<ExperimentWithModel | undefined> {
  return withModel(db).where('experiments.id', '=', id).executeTakeFirst();
}

/** The newest experiments first; `archived` picks the archived ones instead of the current ones. */
export function listExperimentRows(db: Db, limit: number, archived = false): Promise<ExperimentWithModel[]> {
  return withModel(db)
    .where('experiments.archived_at', archived ? 'is not' : 'is', null)
    .orderBy('experiments.created_at', 'desc')
    .orderBy('experiments.id', 'desc')
    .limit(limit)
    .execute();
}

export async function countArchivedExperiments(db: Db): Promise<number> {
  const row = await db
    .selectFrom('experiments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('archived_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Archives an experiment (`at` = the time) or brings it back (`at` = null); false when there is no such experiment. */
export async function setExperimentArchived(db: Db, id: number, at: string | null): Promise<boolean> {
  const result = await db.updateTable('experiments').set({ archived_at: at }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A run counts as rendered once it has a time, a score or an image (the same test as "filled"). */
const NEVER_RENDERED = sql<boolean>`runs.duration_ms is null and runs.score is null and runs.image_id is null`;

/** How many of an experiment's runs were never rendered, and how many were (rendered, timed, rated or given an image). */
export async function experimentRunCounts(db: Db, experimentId: number): Promise<{ unrendered: number; rendered: number }> {
  const row = await db
    .selectFrom('runs')
    .where('runs.experiment_id', '=', experimentId)
    .select((eb) => [eb.fn.countAll().as('total'), sql<number>`sum(case when ${NEVER_RENDERED} then 1 else 0 end)`.as('unrendered')])
    .executeTakeFirstOrThrow();
  const unrendered = Number(row.unrendered ?? 0);
  return { unrendered, rendered: Number(row.total) - unrendered };
}

/**
 * Deletes an experiment: its never-rendered runs go with it; its rendered runs are kept as runs of
 * their own (detached) or, with `keepRendered` false, deleted too. Raises the model's data version;
 * the caller wraps it in a transaction. Returns how many runs were deleted and how many detached.
 */
export async function deleteExperimentRows(
  db: Db,
  experimentId: number,
  modelId: number,
  keepRendered: boolean,
): Promise<{ deleted: number; detached: number }> {
  let deleteQuery = db.deleteFrom('runs').where('experiment_id', '=', experimentId);
  if (keepRendered) deleteQuery = deleteQuery.where(NEVER_RENDERED);
  const deleted = Number((await deleteQuery.executeTakeFirst()).numDeletedRows);
  const detached = Number(
    (await db.updateTable('runs').set({ experiment_id: null }).where('experiment_id', '=', experimentId).executeTakeFirst()).numUpdatedRows,
  );
  await db.deleteFrom('experiments').where('id', '=', experimentId).execute();
  await bumpDataVersion(db, [modelId]);
  return { deleted, detached };
}

export async function experimentProgress(db: Db, ids: readonly number[]): Promise<ExperimentProgressRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('runs')
    .where('runs.experiment_id', 'in', [...ids])
    .select((eb) => [
      'runs.experiment_id as experiment_id',
      eb.fn.countAll().as('planned'),
      sql<number>`sum(case when runs.score is not null or runs.duration_ms is not null or runs.image_id is not null then 1 else 0 end)`.as('filled'),
      eb.fn.count('runs.duration_ms').as('timed'),
      eb.fn.count('runs.score').as('scored'),
      eb.fn.count('runs.image_id').as('imaged'),
    ])
    .groupBy('runs.experiment_id')
    .execute();
  return rows.map((r) => ({
    experiment_id: Number(r.experiment_id),
    planned: Number(r.planned),
    filled: Number(r.filled ?? 0),
    timed: Number(r.timed),
    scored: Number(r.scored),
    imaged: Number(r.imaged),
  }));
}

/** Every run of an experiment, in plan order (ids were assigned in plan order). */
export function experimentRuns(db: Db, experimentId: number): Promise<ExperimentRunRow[]> {
  return db
    .selectFrom('runs')
    .leftJoin('images', 'images.id', 'runs.image_id')
    .where('runs.experiment_id', '=', experimentId)
    .select([
      'runs.id',
      'runs.steps',
      'runs.seed',
      'runs.prompt',
      'runs.negative_prompt',
      'runs.sampler',
      'runs.guidance',
      'runs.width',
      'runs.height',
      'runs.hardware',
      'runs.use_case',
      'runs.phase',
      'runs.duration_ms',
      'runs.score',
      'runs.image_id',
      'images.sha256 as image_sha256',
    ])
    .orderBy('runs.id')
    .execute();
}

/** How many of an experiment's runs carry each named metric. */
export async function experimentMetricCounts(db: Db, experimentId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('run_metrics')
    .innerJoin('runs', 'runs.id', 'run_metrics.run_id')
    .where('runs.experiment_id', '=', experimentId)
    .select((eb) => ['run_metrics.name as name', eb.fn.countAll().as('n')])
    .groupBy('run_metrics.name')
    .execute();
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}

/**
 * Sets the time and score of some runs of one model (the grid's changed cells) and raises the
 * model's data version; the caller wraps it in a transaction.
 */
export async function updateRunCells(
  db: Db,
  modelId: number,
  cells: readonly { runId: number; durationMs: number | null; score: number | null }[],
  now: string,
): Promise<void> {
  if (cells.length === 0) return;
  for (const cell of cells) {
    await db
      .updateTable('runs')
      .set({ duration_ms: cell.durationMs, score: cell.score, updated_at: now })
      .where('id', '=', cell.runId)
      .execute();
  }
  await bumpDataVersion(db, [modelId]);
}

/**
 * Attaches an image to the oldest planned run that matches it (same model, steps, seed and prompt,
 * in an experiment, without an image yet) and raises the model's data version; the caller wraps it
 * in a transaction. Returns the run and its experiment, or undefined when no planned run matches.
 */
export async function attachImageToPlannedRun(
  db: Db,
  match: { modelId: number; steps: number; seed: string; prompt: string },
  imageId: number,
  now: string,
): Promise<{ id: number; experiment_id: number } | undefined> {
  const candidate = await db
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
  if (!candidate || candidate.experiment_id === null) return undefined;
  const updated = await db
    .updateTable('runs')
    .set({ image_id: imageId, updated_at: now })
    .where('id', '=', candidate.id)
    .where('image_id', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return undefined;
  await bumpDataVersion(db, [match.modelId]);
  return { id: candidate.id, experiment_id: candidate.experiment_id };
}
