import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import type { RenderJobState } from '../../db/render-queue-tables.js';
import type { ClientOptions } from '../../renderers/index.js';
import { experimentRuns, findExperimentById } from '../../store/experiments.js';
import { findRendererById } from '../../store/renderers.js';
import { findRenderJob, insertRenderJob, latestRenderJob, renderJobsInStates, renderTaskRuns, renderTasksOf, renderTaskTotals, resetFailedRenderTasks, setRenderJobState } from '../../store/render-jobs.js';
import { ConflictError, InputError, NotFoundError } from '../errors.js';
import { driveAdaptiveJob } from './adaptive-driver.js';
import { queueAdaptiveRound, unratedRenders, usableRange, type AdaptiveMetric, type AdaptiveTarget } from './adaptive-rounds.js';
import { driveRenderJob } from './render-driver.js';

/** Attempts per render before it is marked failed (the first try and two retries). */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** How often an adaptive job waiting for human scores looks for them (ms). */
export const DEFAULT_RATING_POLL_MS = 2000;

/** What `GET /api/v1/experiments/:id` carries as `render` (the fixed names, then additions). */
export interface RenderStatus {
  /** An adaptive job waiting for human scores shows as `paused` (see `waitingForRatings`). */
  state: 'idle' | Exclude<RenderJobState, 'waiting'>;
  done: number;
  total: number;
  failed: number;
  secondsSpent: number;
  /** Estimated from the seconds per step so far and the steps still to render; null before the first render. */
  secondsLeft: number | null;
  stopReason: string | null;
  mode: 'grid' | 'adaptive' | null;
  /** The latest round queued (1 for a grid job). */
  round: number;
  /** Adaptive jobs on human scores: rendered runs still waiting for a score (null: not waiting). */
  waitingForRatings: number | null;
}

/** What a run is asked to do: every planned render (grid), or rounds chosen by the analysis (adaptive). */
export type RenderRunRequest =
  | { renderers: readonly number[]; mode: 'grid' }
  | { renderers: readonly number[]; mode: 'adaptive'; target: AdaptiveTarget; metric?: AdaptiveMetric | undefined };

export interface RenderRunOptions {
  /** Client limits (tests shorten them). */
  clientOptions?: Partial<ClientOptions>;
  maxAttempts?: number;
  /** Where an unexpected error of a background job goes (it also fails the job). */
  logError?: (err: unknown) => void;
  /** How often an adaptive job on human scores looks for new scores (tests shorten it). */
  ratingPollMs?: number;
}

/**
 * The jobs this process is driving. The database holds their state; this holds only what cannot be
 * stored (the abort controller of the render in flight and the promise that settles when it stops).
 */
const driving = new Map<number, { controller: AbortController; settled: Promise<void> }>();

function drive(db: Db, config: Pick<Config, 'dataDir'>, jobId: number, options: RenderRunOptions): void {
  if (driving.has(jobId)) return;
  const controller = new AbortController();
  const settled = (async () => {
    const job = await findRenderJob(db, jobId);
    if (!job || (job.state !== 'running' && job.state !== 'waiting')) return;
    const drive = { signal: controller.signal, ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}) };
    if (job.mode === 'adaptive') await driveAdaptiveJob(db, config, job, { ...drive, ratingPollMs: options.ratingPollMs ?? DEFAULT_RATING_POLL_MS });
    else await driveRenderJob(db, config, job, drive);
  })()
    .catch(async (err: unknown) => {
      (options.logError ?? ((e: unknown) => console.error(e)))(err);
      await setRenderJobState(db, jobId, 'failed', `The render job stopped on an unexpected error: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`, new Date().toISOString(), ['running', 'waiting']).catch(() => undefined);
    })
    .finally(() => driving.delete(jobId));
  driving.set(jobId, { controller, settled });
}

/** Resolves when this process stops driving the job (done, failed, paused or cancelled); at once when it is not driving it. */
export function renderJobSettled(jobId: number): Promise<void> {
  return driving.get(jobId)?.settled ?? Promise.resolve();
}

/**
 * Starts rendering an experiment's plan, fanned out over the given renderers; returns at once (the job
 * runs in the background, its state in the database). Grid mode renders every planned run without an
 * image; adaptive mode renders a coarse first round and then the rounds the analysis asks for, until
 * its target (`halfWidth`, `maxRenders` or `maxMinutes`, at least one) is met. Refused when a job of
 * the experiment is already running, waiting or paused, when a renderer does not exist, or when
 * nothing is left to render.
 */
export async function startRenderJob(
  db: Db,
  config: Pick<Config, 'dataDir'>,
  experimentId: number,
  request: RenderRunRequest,
  options: RenderRunOptions = {},
): Promise<{ jobId: number; status: RenderStatus }> {
  const experiment = await findExperimentById(db, experimentId);
  if (!experiment) throw new NotFoundError(`There is no experiment ${experimentId}`);
  const rendererIds = [...new Set(request.renderers)];
  if (rendererIds.length === 0) throw new InputError('Name at least one renderer', [{ field: 'renderers', message: 'renderers must list at least one renderer id' }]);
  for (const id of rendererIds) {
    if (!(await findRendererById(db, id))) throw new InputError(`There is no renderer ${id}`, [{ field: 'renderers', message: `renderer ${id} does not exist (see GET /api/v1/renderers)` }]);
  }
  const latest = await latestRenderJob(db, experimentId);
  if (request.mode === 'adaptive' && request.target.halfWidth === undefined && request.target.maxRenders === undefined && request.target.maxMinutes === undefined) {
    throw new InputError('An adaptive run needs a target: target.halfWidth (steps), target.maxRenders or target.maxMinutes', [
      { field: 'target', message: 'give at least one of halfWidth, maxRenders, maxMinutes' },
    ]);
  }
  if (latest && (latest.state === 'running' || latest.state === 'waiting' || latest.state === 'paused')) {
    throw new ConflictError(`Experiment ${experimentId} is already being rendered (job ${latest.id} is ${latest.state}); resume or cancel it first`);
  }
  const now = new Date().toISOString();
  const job = { experiment_id: experimentId, mode: request.mode, renderer_ids: JSON.stringify(rendererIds), max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, now };
  let jobId: number;
  if (request.mode === 'adaptive') {
    const metric = request.metric ?? 'ssim_to_reference';
    jobId = await insertRenderJob(db, { ...job, target: JSON.stringify(request.target), metric }, []);
    const { coarse } = await usableRange(db, experiment);
    const plan = JSON.parse(experiment.plan) as { seeds: string[]; prompts: string[] };
    // The driver queues the first round itself when the job has none (a crash right here), and stops when nothing is new.
    await queueAdaptiveRound(db, experiment, { jobId, round: 1, steps: coarse, runsPerStep: plan.seeds.length * plan.prompts.length, limit: request.target.maxRenders ?? Number.MAX_SAFE_INTEGER });
  } else {
    const toRender = (await experimentRuns(db, experimentId)).filter((r) => r.image_id === null).map((r) => r.id);
    if (toRender.length === 0) throw new ConflictError(`Every planned run of experiment ${experimentId} already has its image; there is nothing to render`);
    jobId = await insertRenderJob(db, job, toRender);
  }
  drive(db, config, jobId, options);
  return { jobId, status: await renderStatus(db, experimentId) };
}

async function jobOf(db: Db, experimentId: number) {
  const job = await latestRenderJob(db, experimentId);
  if (!job) throw new ConflictError(`Experiment ${experimentId} has never been rendered; start a run first`);
  return job;
}

/** Stops taking renders; the one in flight is cancelled on its renderer and stays to render. */
export async function pauseRenderJob(db: Db, experimentId: number): Promise<RenderStatus> {
  const job = await jobOf(db, experimentId);
  if (!(await setRenderJobState(db, job.id, 'paused', 'Paused', new Date().toISOString(), ['running', 'waiting']))) throw new ConflictError(`The render job of experiment ${experimentId} is ${job.state}, not running`);
  driving.get(job.id)?.controller.abort();
  await renderJobSettled(job.id);
  return renderStatus(db, experimentId);
}

/** Goes on with a paused, failed or interrupted job: failed renders get a new round of attempts; done ones are never rendered again. */
export async function resumeRenderJob(db: Db, config: Pick<Config, 'dataDir'>, experimentId: number, options: RenderRunOptions = {}): Promise<RenderStatus> {
  const job = await jobOf(db, experimentId);
  if (job.state === 'done' || job.state === 'cancelled') throw new ConflictError(`The render job of experiment ${experimentId} is ${job.state}; start a new run instead`);
  const now = new Date().toISOString();
  await resetFailedRenderTasks(db, job.id, now);
  await setRenderJobState(db, job.id, 'running', null, now);
  drive(db, config, job.id, options);
  return renderStatus(db, experimentId);
}

/** Stops for good: the render in flight is cancelled; what was stored stays. */
export async function cancelRenderJob(db: Db, experimentId: number): Promise<RenderStatus> {
  const job = await jobOf(db, experimentId);
  if (!(await setRenderJobState(db, job.id, 'cancelled', 'Cancelled', new Date().toISOString(), ['running', 'waiting', 'paused', 'failed']))) {
    throw new ConflictError(`The render job of experiment ${experimentId} is ${job.state}; there is nothing to cancel`);
  }
  driving.get(job.id)?.controller.abort();
  await renderJobSettled(job.id);
  return renderStatus(db, experimentId);
}

/** Picks up the jobs that were running when sweetspot stopped (call once at start-up). */
export async function resumeInterruptedRenderJobs(db: Db, config: Pick<Config, 'dataDir'>, options: RenderRunOptions = {}): Promise<number[]> {
  const jobs = await renderJobsInStates(db, ['running', 'waiting']);
  for (const job of jobs) drive(db, config, job.id, options);
  return jobs.map((j) => j.id);
}

/** The render progress of an experiment's latest job, or `idle` when it has none. */
export async function renderStatus(db: Db, experimentId: number): Promise<RenderStatus> {
  const job = await latestRenderJob(db, experimentId);
  if (!job) return { state: 'idle', done: 0, total: 0, failed: 0, secondsSpent: 0, secondsLeft: null, stopReason: null, mode: null, round: 0, waitingForRatings: null };
  const totals = await renderTaskTotals(db, job.id);
  const of = (state: string) => totals.find((t) => t.state === state) ?? { tasks: 0, steps: 0, durationMs: 0 };
  const done = of('done');
  const pending = of('pending');
  const renderers = (JSON.parse(job.renderer_ids) as number[]).length;
  const spentMs = totals.reduce((sum, t) => sum + t.durationMs, 0);
  // Render time is linear in steps: seconds per step so far × steps still to render, shared by the renderers.
  const msPerStep = done.steps > 0 ? done.durationMs / done.steps : null;
  const tasks = job.mode === 'adaptive' ? await renderTaskRuns(db, job.id) : null;
  return {
    state: job.state === 'waiting' ? 'paused' : job.state,
    done: done.tasks,
    total: totals.reduce((sum, t) => sum + t.tasks, 0),
    failed: of('failed').tasks,
    secondsSpent: Math.round(spentMs / 100) / 10,
    secondsLeft: msPerStep === null ? null : Math.round((msPerStep * pending.steps) / Math.max(1, renderers) / 100) / 10,
    stopReason: job.stop_reason,
    mode: job.mode,
    round: tasks ? Math.max(1, ...tasks.map((t) => t.round)) : 1,
    waitingForRatings: job.state === 'waiting' && tasks ? unratedRenders(tasks).length : null,
  };
}

/** A render of the latest job that failed or is waiting after a fault, with the fault in words. */
export interface RenderFault {
  runId: number;
  state: 'pending' | 'failed';
  attempts: number;
  code: string;
  message: string;
}

/** The faults of an experiment's latest job (failed renders, and pending ones whose last try failed), oldest first. */
export async function renderFaults(db: Db, experimentId: number): Promise<RenderFault[]> {
  const job = await latestRenderJob(db, experimentId);
  if (!job) return [];
  return (await renderTasksOf(db, job.id))
    .filter((t) => t.state !== 'done' && t.error_code !== null)
    .map((t) => ({ runId: t.run_id, state: t.state as 'pending' | 'failed', attempts: t.attempts, code: t.error_code!, message: t.error_message ?? '' }));
}

/** The id of an experiment's latest render job, or null when it was never rendered. */
export async function latestRenderJobId(db: Db, experimentId: number): Promise<number | null> {
  return (await latestRenderJob(db, experimentId))?.id ?? null;
}
