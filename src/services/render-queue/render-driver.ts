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
 * Renders a job's pending tasks, fanned out over its renderers (one render at a time on each): each
 * is rendered, stored through the upload path into its planned run, and marked done with its time. A
 * fault is recorded on the task and retried up to the job's `max_attempts` when it may pass; a
 * renderer that cannot be reached stops taking work, and when no renderer is left the job stops as
 * failed with the reason, its remaining renders still pending (resume picks them up). A planned run
 * that already has an image (rendered before a restart) is marked done without rendering it again.
 * Returns when the job is done, failed, or stopped by pause or cancel (which set the state themselves).
 */
export async function driveRenderJob(db: Db, config: Pick<Config, 'dataDir'>, job: RenderJobRow, options: DriveOptions): Promise<void> {
  const experiment = await findExperimentById(db, job.experiment_id);
  if (!experiment) return;
  const workers: Worker[] = [];
  for (const rendererId of JSON.parse(job.renderer_ids) as number[]) {
    const row = await findRendererById(db, rendererId);
    if (!row) {
      await setRenderJobState(db, job.id, 'failed', `Renderer ${rendererId} was removed; start the run again with the renderers you have`, new Date().toISOString(), ['running']);
      return;
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

  await Promise.all(
    workers.map(async (worker) => {
      while (!options.signal.aborted) {
        const task = queue.shift();
        if (!task) return;
        if ((await renderOne(worker, task)) === 'retire') return;
      }
    }),
  );
  if (options.signal.aborted) return;
  const totals = await renderTaskTotals(db, job.id);
  const count = (state: string) => totals.find((t) => t.state === state)?.tasks ?? 0;
  const now = new Date().toISOString();
  if (count('pending') > 0) {
    await setRenderJobState(db, job.id, 'failed', `No renderer left to render ${count('pending')} planned renders: ${lastUnreachable ?? 'every renderer stopped'}. Start it again and resume.`, now, ['running']);
  } else if (count('failed') > 0) {
    await setRenderJobState(db, job.id, 'failed', `${count('failed')} of ${count('failed') + count('done')} renders failed after retries; the others are stored. Resume to try the failed ones again.`, now, ['running']);
  } else {
    await setRenderJobState(db, job.id, 'done', `All ${count('done')} planned renders are rendered and stored`, now, ['running']);
  }
}
