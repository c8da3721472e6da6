import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import type { RenderJobRow } from '../../db/render-queue-tables.js';
import { RendererError, type ClientOptions, type PlannedRender, type RendererClient } from '../../renderers/index.js';
import { findExperimentById } from '../../store/experiments.js';
import { findRendererById } from '../../store/renderers.js';
import { pendingRenderTasks, renderTaskTotals, setRenderJobState, updateRenderTask, type PendingRenderTask } from '../../store/render-jobs.js';
import { clientForRenderer } from '../renderers.js';
import { RenderStoreError, storeRender } from './store-render.js';

export interface DriveOptions {
  /** Aborted by pause and cancel: the render in flight is cancelled on its renderer and stays pending. */
  signal: AbortSignal;
  clientOptions?: Partial<ClientOptions>;
  /** Asked before each render; true stops taking renders (an adaptive job's time budget is spent). */
  stopBefore?: () => Promise<boolean>;
}

/** How a pass over a job's pending renders ended (see {@link renderPendingTasks}). */
export interface PassOutcome {
  /** Stopped by pause or cancel (which set the state themselves), or the job has gone. */
  aborted: boolean;
  /** A renderer of the job was removed: the job is already marked failed. */
  rendererRemoved: boolean;
  /** Stopped by `stopBefore`, renders still pending. */
  stoppedEarly: boolean;
  done: number;
  pending: number;
  failed: number;
  lastUnreachable: string | null;
}

interface Worker {
  rendererId: number;
  client: RendererClient;
  hardware: string | null;
}

const MAX_ERROR = 1000;

function planned(task: PendingRenderTask): PlannedRender {
  return {
    steps: task.steps,
    seed: task.seed ?? '0',
    prompt: task.prompt,
    negativePrompt: task.negative_prompt,
    sampler: task.sampler,
    guidance: task.guidance,
    width: task.width,
    height: task.height,
    // The plan names a sweetspot model, not a checkpoint file: the renderer keeps the one it has loaded.
    checkpoint: null,
  };
}

/**
 * Renders a grid job's pending tasks ({@link renderPendingTasks}) and sets its final state: done, or
 * failed with the reason when renders are left or failed.
 */
export async function driveRenderJob(db: Db, config: Pick<Config, 'dataDir'>, job: RenderJobRow, options: DriveOptions): Promise<void> {
  const pass = await renderPendingTasks(db, config, job, options);
  if (pass.aborted || pass.rendererRemoved) return;
  const reason = passFailure(pass);
  const now = new Date().toISOString();
  if (reason) await setRenderJobState(db, job.id, 'failed', reason, now, ['running']);
  else await setRenderJobState(db, job.id, 'done', `All ${pass.done} planned renders are rendered and stored`, now, ['running']);
}

/** Why a pass left the job failed (renders left with no renderer, or failed after retries); null when it did not. */
export function passFailure(pass: PassOutcome): string | null {
  if (pass.pending > 0) return `No renderer left to render ${pass.pending} planned renders: ${pass.lastUnreachable ?? 'every renderer stopped'}. Start it again and resume.`;
  if (pass.failed > 0) return `${pass.failed} of ${pass.failed + pass.done} renders failed after retries; the others are stored. Resume to try the failed ones again.`;
  return null;
}

/**
 * Renders a job's pending tasks, fanned out over its renderers (one render at a time on each): each
 * is rendered, stored through the upload path into its planned run, and marked done with its time. A
 * fault is recorded on the task and retried up to the job's `max_attempts` when it may pass; a
 * renderer that cannot be reached stops taking work, and when no renderer is left the job stops as
 * failed with the reason, its remaining renders still pending (resume picks them up). A planned run
 * that already has an image (rendered before a restart) is marked done without rendering it again.
 * Returns the counts when no render is left to take, or when stopped by pause or cancel.
 */
export async function renderPendingTasks(db: Db, config: Pick<Config, 'dataDir'>, job: RenderJobRow, options: DriveOptions): Promise<PassOutcome> {
  const outcome: PassOutcome = { aborted: false, rendererRemoved: false, stoppedEarly: false, done: 0, pending: 0, failed: 0, lastUnreachable: null };
  const experiment = await findExperimentById(db, job.experiment_id);
  if (!experiment) return { ...outcome, aborted: true };
  const workers: Worker[] = [];
  for (const rendererId of JSON.parse(job.renderer_ids) as number[]) {
    const row = await findRendererById(db, rendererId);
    if (!row) {
      await setRenderJobState(db, job.id, 'failed', `Renderer ${rendererId} was removed; start the run again with the renderers you have`, new Date().toISOString(), ['running']);
      return { ...outcome, rendererRemoved: true };
    }
    workers.push({ rendererId, client: await clientForRenderer(db, rendererId, options.clientOptions), hardware: row.hardware });
  }
  const queue = await pendingRenderTasks(db, job.id);
  let lastUnreachable: string | null = null;

  async function renderOne(worker: Worker, task: PendingRenderTask): Promise<'next' | 'retire'> {
    const now = () => new Date().toISOString();
    if (task.image_id !== null) {
      await updateRenderTask(db, task.task_id, { state: 'done', updated_at: now() });
      return 'next';
    }
    const attempts = task.attempts + 1;
    try {
      const result = await worker.client.render(planned(task), { signal: options.signal });
      await storeRender(db, config, { result, runId: task.run_id, modelId: experiment!.model_id, modelSlug: experiment!.model_slug, hardware: worker.hardware, fileName: `render-${job.id}-${task.run_id}` });
      await updateRenderTask(db, task.task_id, { state: 'done', attempts, renderer_id: worker.rendererId, duration_ms: Math.round(result.durationMs), timing_source: result.timingSource, error_code: null, error_message: null, updated_at: now() });
      return 'next';
    } catch (err) {
      if (options.signal.aborted) return 'retire';
      if (!(err instanceof RendererError) && !(err instanceof RenderStoreError)) throw err;
      const message = err.message.slice(0, MAX_ERROR);
      const retry = err.retryable && attempts < job.max_attempts;
      await updateRenderTask(db, task.task_id, { state: retry ? 'pending' : 'failed', attempts, renderer_id: worker.rendererId, error_code: err.code, error_message: message, updated_at: now() });
      if (retry) queue.push({ ...task, attempts });
      if (err instanceof RendererError && err.code === 'unreachable') {
        lastUnreachable = message;
        return 'retire';
      }
      return 'next';
    }
  }

  let stoppedEarly = false;
  await Promise.all(
    workers.map(async (worker) => {
      while (!options.signal.aborted) {
        if (options.stopBefore && (await options.stopBefore())) {
          stoppedEarly = true;
          return;
        }
        const task = queue.shift();
        if (!task) return;
        if ((await renderOne(worker, task)) === 'retire') return;
      }
    }),
  );
  if (options.signal.aborted) return { ...outcome, aborted: true };
  const totals = await renderTaskTotals(db, job.id);
  const count = (state: string) => totals.find((t) => t.state === state)?.tasks ?? 0;
  return { ...outcome, stoppedEarly, done: count('done'), pending: count('pending'), failed: count('failed'), lastUnreachable };
}
