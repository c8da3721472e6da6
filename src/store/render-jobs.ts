import type { Db } from '../db/connect.js';
import type { Updateable } from 'kysely';
import type { NewRunRow } from '../db/schema.js';
import { insertRuns } from './runs.js';
import type { RenderJobRow, RenderJobState, RenderQueueSchema, RenderTaskRow, RenderTaskTable } from '../db/render-queue-tables.js';

function queueDb(db: Db) {
  return db.withTables<RenderQueueSchema>();
}

/** Inserts a job and one pending task per run, in one transaction; returns the job id. */
export async function insertRenderJob(
  db: Db,
  job: { experiment_id: number; mode: 'grid' | 'adaptive'; renderer_ids: string; max_attempts: number; target?: string | null; metric?: string | null; now: string },
  runIds: readonly number[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await queueDb(trx)
      .insertInto('render_jobs')
      .values({
        experiment_id: job.experiment_id,
        mode: job.mode,
        state: 'running',
        renderer_ids: job.renderer_ids,
        max_attempts: job.max_attempts,
        stop_reason: null,
        target: job.target ?? null,
        metric: job.metric ?? null,
        created_at: job.now,
        updated_at: job.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const jobId = Number(inserted.id);
    await insertTasks(trx, jobId, runIds, 1, job.now);
    return jobId;
  });
}

async function insertTasks(db: Db, jobId: number, runIds: readonly number[], round: number, now: string): Promise<void> {
  for (let i = 0; i < runIds.length; i += 500) {
    const rows = runIds.slice(i, i + 500).map((runId) => ({ job_id: jobId, run_id: runId, round, state: 'pending' as const, updated_at: now }));
    await queueDb(db).insertInto('render_tasks').values(rows).execute();
  }
}

/**
 * Queues an adaptive job's next round in one transaction: new planned runs are added to the
 * experiment (the step counts its plan did not have), and one pending task per run, old and new.
 */
export async function queueRenderRound(
  db: Db,
  round: { jobId: number; round: number; runIds: readonly number[]; newRuns: readonly NewRunRow[]; now: string },
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const added = round.newRuns.length > 0 ? await insertRuns(trx, round.newRuns.map((row) => ({ row, tags: [] }))) : [];
    await insertTasks(trx, round.jobId, [...round.runIds, ...added], round.round, round.now);
    return added;
  });
}

/** Every render of a job with its run's steps, seed, prompt and score, in queue order. */
export function renderTaskRuns(db: Db, jobId: number) {
  return queueDb(db)
    .selectFrom('render_tasks')
    .innerJoin('runs', 'runs.id', 'render_tasks.run_id')
    .where('render_tasks.job_id', '=', jobId)
    .select(['render_tasks.id as task_id', 'render_tasks.round', 'render_tasks.state', 'runs.id as run_id', 'runs.steps', 'runs.seed', 'runs.prompt', 'runs.score', 'runs.image_id'])
    .orderBy('render_tasks.id')
    .execute();
}

export type RenderTaskRun = Awaited<ReturnType<typeof renderTaskRuns>>[number];

export function findRenderJob(db: Db, id: number): Promise<RenderJobRow | undefined> {
  return queueDb(db).selectFrom('render_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest job of an experiment. */
export function latestRenderJob(db: Db, experimentId: number): Promise<RenderJobRow | undefined> {
  return queueDb(db).selectFrom('render_jobs').selectAll().where('experiment_id', '=', experimentId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function renderJobsInState(db: Db, state: RenderJobState): Promise<RenderJobRow[]> {
  return queueDb(db).selectFrom('render_jobs').selectAll().where('state', '=', state).orderBy('id').execute();
}

/** Sets a job's state; with `from`, only when it is in one of those states (returns whether it changed). */
export async function setRenderJobState(db: Db, id: number, state: RenderJobState, stopReason: string | null, now: string, from?: readonly RenderJobState[]): Promise<boolean> {
  let query = queueDb(db).updateTable('render_jobs').set({ state, stop_reason: stopReason, updated_at: now }).where('id', '=', id);
  if (from) query = query.where('state', 'in', [...from]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The job's pending tasks with their run's planned settings, in plan order. */
export function pendingRenderTasks(db: Db, jobId: number) {
  return queueDb(db)
    .selectFrom('render_tasks')
    .innerJoin('runs', 'runs.id', 'render_tasks.run_id')
    .where('render_tasks.job_id', '=', jobId)
    .where('render_tasks.state', '=', 'pending')
    .select([
      'render_tasks.id as task_id',
      'render_tasks.attempts',
      'runs.id as run_id',
      'runs.steps',
      'runs.seed',
      'runs.prompt',
      'runs.negative_prompt',
      'runs.sampler',
      'runs.guidance',
      'runs.width',
      'runs.height',
      'runs.image_id',
    ])
    .orderBy('render_tasks.id')
    .execute();
}

export type PendingRenderTask = Awaited<ReturnType<typeof pendingRenderTasks>>[number];

export async function updateRenderTask(db: Db, id: number, changes: Omit<Updateable<RenderTaskTable>, 'id' | 'job_id' | 'run_id'>): Promise<void> {
  await queueDb(db).updateTable('render_tasks').set(changes).where('id', '=', id).execute();
}

export function renderTasksOf(db: Db, jobId: number): Promise<RenderTaskRow[]> {
  return queueDb(db).selectFrom('render_tasks').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
}

/** Counts, time spent and steps per state of a job's tasks (for progress and the time left). */
export async function renderTaskTotals(db: Db, jobId: number): Promise<{ state: string; tasks: number; steps: number; durationMs: number }[]> {
  const rows = await queueDb(db)
    .selectFrom('render_tasks')
    .innerJoin('runs', 'runs.id', 'render_tasks.run_id')
    .where('render_tasks.job_id', '=', jobId)
    .groupBy('render_tasks.state')
    .select((eb) => [
      'render_tasks.state',
      eb.fn.countAll<number>().as('tasks'),
      eb.fn.sum<number>('runs.steps').as('steps'),
      eb.fn.sum<number | null>('render_tasks.duration_ms').as('duration_ms'),
    ])
    .execute();
  return rows.map((r) => ({ state: r.state, tasks: Number(r.tasks), steps: Number(r.steps ?? 0), durationMs: Number(r.duration_ms ?? 0) }));
}

/** Gives a job's failed tasks another round of attempts (resume after the renderer came back). */
export async function resetFailedRenderTasks(db: Db, jobId: number, now: string): Promise<number> {
  const result = await queueDb(db)
    .updateTable('render_tasks')
    .set({ state: 'pending', attempts: 0, updated_at: now })
    .where('job_id', '=', jobId)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Drops a job's renders still waiting to be taken (an adaptive job that stopped; their planned runs stay). */
export async function dropPendingRenderTasks(db: Db, jobId: number): Promise<number> {
  const result = await queueDb(db).deleteFrom('render_tasks').where('job_id', '=', jobId).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The jobs in any of these states, oldest first. */
export function renderJobsInStates(db: Db, states: readonly RenderJobState[]): Promise<RenderJobRow[]> {
  return queueDb(db).selectFrom('render_jobs').selectAll().where('state', 'in', [...states]).orderBy('id').execute();
}
