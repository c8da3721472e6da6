import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import type { RenderJobRow } from '../../db/render-queue-tables.js';
import { findExperimentById } from '../../store/experiments.js';
import { dropPendingRenderTasks, renderTaskRuns, renderTaskTotals, setRenderJobState } from '../../store/render-jobs.js';
import { analyzeModel } from '../analysis.js';
import type { ExperimentPlan } from '../experiments.js';
import { decideNextRound, estimateInWords, MAX_ROUNDS, queueAdaptiveRound, unratedRenders, usableRange, type AdaptiveTarget } from './adaptive-rounds.js';
import { passFailure, renderPendingTasks, type DriveOptions } from './render-driver.js';

export interface AdaptiveDriveOptions extends DriveOptions {
  /** How often a job waiting for human scores looks for them, in ms. */
  ratingPollMs: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Drives an adaptive job round by round: queues the coarse first round when the job has none, renders
 * the pending renders, waits for human scores when it drives on `score`, analyses the experiment's
 * runs on its metric and either stops (done, with the reason in words; renders not yet taken are
 * dropped) or queues the next round at the step counts "what to test next" names. Every decision is
 * taken from what the database holds, so a job picked up after a restart goes on where it was.
 * Returns when the job stops, fails, or is paused or cancelled (which set the state themselves).
 */
export async function driveAdaptiveJob(db: Db, config: Pick<Config, 'dataDir'>, job: RenderJobRow, options: AdaptiveDriveOptions): Promise<void> {
  const experiment = await findExperimentById(db, job.experiment_id);
  if (!experiment) return;
  const target = JSON.parse(job.target ?? '{}') as AdaptiveTarget;
  const metric = job.metric ?? 'ssim_to_reference';
  const { usable, coarse } = await usableRange(db, experiment);
  const plan = JSON.parse(experiment.plan) as ExperimentPlan;
  const pairs = plan.seeds.length * plan.prompts.length;
  const limitLeft = (queued: number) => (target.maxRenders === undefined ? Number.MAX_SAFE_INTEGER : Math.max(0, target.maxRenders - queued));
  const secondsSpent = async () => (await renderTaskTotals(db, job.id)).reduce((sum, t) => sum + t.durationMs, 0) / 1000;
  const stop = async (reason: string) => {
    await dropPendingRenderTasks(db, job.id);
    await setRenderJobState(db, job.id, 'done', reason.slice(0, 1000), new Date().toISOString(), ['running']);
  };

  for (let pass = 0; pass <= MAX_ROUNDS + 1 && !options.signal.aborted; pass++) {
    let tasks = await renderTaskRuns(db, job.id);
    if (tasks.length === 0) {
      const queued = await queueAdaptiveRound(db, experiment, { jobId: job.id, round: 1, steps: coarse, runsPerStep: pairs, limit: limitLeft(0) });
      if (queued === 0) return void (await stop(`Nothing to render: every cell of the coarse round (${coarse.join(', ')} steps) already has its image`));
      continue;
    }
    const rendered = await renderPendingTasks(db, config, job, {
      ...options,
      ...(target.maxMinutes !== undefined ? { stopBefore: async () => (await secondsSpent()) >= target.maxMinutes! * 60 } : {}),
    });
    if (rendered.aborted || rendered.rendererRemoved) return;
    const failure = rendered.stoppedEarly ? null : passFailure(rendered);
    if (failure) return void (await setRenderJobState(db, job.id, 'failed', failure, new Date().toISOString(), ['running']));
    tasks = await renderTaskRuns(db, job.id);
    const round = Math.max(...tasks.map((t) => t.round));
    if (metric === 'score' && !(await ratingsIn(db, job.id, round, options))) return;
    const analysis = await analyzeModel(db, experiment.model_slug, { metric, experiment: experiment.id });
    const decision = decideNextRound(analysis, { target, renders: rendered.done, secondsSpent: await secondsSpent(), rounds: round, usable, metric });
    if ('stop' in decision) return void (await stop(decision.stop));
    const queued = await queueAdaptiveRound(db, experiment, { jobId: job.id, round: round + 1, steps: decision.steps, runsPerStep: Math.min(decision.runsPerStep, pairs), limit: limitLeft(tasks.length) });
    if (queued === 0) {
      return void (await stop(
        `Nothing more to learn within the plan: the analysis asks for ${decision.steps.join(', ')} steps, which this job has rendered for every seed and prompt of the plan; ${estimateInWords(analysis)}`,
      ));
    }
  }
}

/**
 * Waits until every render of the job has a score (rated on the experiment page or through the API),
 * the job in the `waiting` state meanwhile. Returns false when it was paused or cancelled instead.
 */
async function ratingsIn(db: Db, jobId: number, round: number, options: AdaptiveDriveOptions): Promise<boolean> {
  let unrated = unratedRenders(await renderTaskRuns(db, jobId));
  if (unrated.length === 0) return true;
  const reason = `Waiting for ratings: ${unrated.length} render${unrated.length === 1 ? '' : 's'} of round ${round} have no score yet; score them on the experiment page (or PATCH /api/v1/runs/:id) and the job goes on`;
  if (!(await setRenderJobState(db, jobId, 'waiting', reason, new Date().toISOString(), ['running']))) return false;
  while (!options.signal.aborted) {
    await sleep(options.ratingPollMs, options.signal);
    if (options.signal.aborted) return false;
    unrated = unratedRenders(await renderTaskRuns(db, jobId));
    if (unrated.length === 0) return setRenderJobState(db, jobId, 'running', null, new Date().toISOString(), ['waiting']);
  }
  return false;
}
