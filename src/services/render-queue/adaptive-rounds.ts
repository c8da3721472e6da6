import { coarseSteps } from '../../analysis/coarse-steps.js';
import type { Db } from '../../db/connect.js';
import type { NewRunRow } from '../../db/schema.js';
import { experimentRuns, type ExperimentWithModel } from '../../store/experiments.js';
import { findModelBySlug } from '../../store/models.js';
import { queueRenderRound, renderTaskRuns, type RenderTaskRun } from '../../store/render-jobs.js';
import type { ModelAnalysis } from '../analysis.js';
import type { ExperimentPlan } from '../experiments.js';
import { modelRowToModel } from '../models.js';

/** The metrics an adaptive job can drive on: the convergence metric, sharpness, or human scores. */
export const ADAPTIVE_METRICS = ['ssim_to_reference', 'sharpness', 'score'] as const;
export type AdaptiveMetric = (typeof ADAPTIVE_METRICS)[number];

/** When an adaptive job stops: a bounded interval at most ±halfWidth steps, or a render or time budget. */
export interface AdaptiveTarget {
  halfWidth?: number;
  maxRenders?: number;
  maxMinutes?: number;
}

/** Step counts of the coarse first round (3 levels is the least a curve can bend on). */
export const COARSE_LEVELS = 3;
/** Rounds after which a job stops whatever the analysis says (each round is at least one render). */
export const MAX_ROUNDS = 12;

/**
 * The step range an adaptive job renders in: the model's usable range from the guide (its min and
 * max) where it has one, else the plan's own span (at least 1). The coarse round spans the plan's
 * step range clipped to it, so a plan of 10–50 on FLUX.1 Dev (usable 20–50) starts at 20, 35, 50.
 */
export async function usableRange(db: Db, experiment: ExperimentWithModel): Promise<{ usable: { min: number; max: number }; coarse: number[] }> {
  const plan = JSON.parse(experiment.plan) as ExperimentPlan;
  const planMin = Math.max(1, Math.min(...plan.steps));
  const planMax = Math.max(planMin, ...plan.steps);
  const model = await findModelBySlug(db, experiment.model_slug);
  const guide = model ? modelRowToModel(model).guide : null;
  const usable = { min: guide?.minSteps ?? planMin, max: guide?.maxSteps ?? planMax };
  if (usable.max < usable.min) usable.max = usable.min;
  let from = Math.max(planMin, usable.min);
  let to = Math.min(planMax, usable.max);
  // A plan outside the usable range (or a single step count) starts on the usable range itself.
  if (to - from < 2) [from, to] = [usable.min, usable.max];
  return { usable, coarse: coarseSteps({ min: from, max: to }, COARSE_LEVELS) };
}

const cellKey = (steps: number, seed: string | null, prompt: string | null) => `${steps}\u0000${seed ?? ''}\u0000${prompt ?? ''}`;

/**
 * Queues round `round` of an adaptive job: at each step count, up to `runsPerStep` of the plan's
 * seed × prompt pairs that the job has not rendered there yet, taking the experiment's own planned
 * run of that cell when it has one without an image, else adding a planned run to the experiment.
 * Cells that already have an image (an earlier run) are left out: they are in the analysis already.
 * At most `limit` renders are queued. Returns the number queued (0: nothing new to render there).
 */
export async function queueAdaptiveRound(
  db: Db,
  experiment: ExperimentWithModel,
  round: { jobId: number; round: number; steps: readonly number[]; runsPerStep: number; limit: number },
): Promise<number> {
  const plan = JSON.parse(experiment.plan) as ExperimentPlan;
  const inJob = new Set((await renderTaskRuns(db, round.jobId)).map((t) => cellKey(t.steps, t.seed, t.prompt)));
  const runs = await experimentRuns(db, experiment.id);
  const byCell = new Map<string, (typeof runs)[number]>();
  for (const run of runs) {
    const key = cellKey(run.steps, run.seed, run.prompt);
    const seen = byCell.get(key);
    if (!seen || (seen.image_id === null && run.image_id !== null)) byCell.set(key, run);
  }
  const pairs = plan.prompts.flatMap((prompt) => plan.seeds.map((seed) => ({ seed, prompt })));
  const now = new Date().toISOString();
  const runIds: number[] = [];
  const newRuns: NewRunRow[] = [];
  for (const steps of round.steps) {
    let taken = 0;
    for (const { seed, prompt } of pairs) {
      if (taken >= round.runsPerStep || runIds.length + newRuns.length >= round.limit) break;
      const key = cellKey(steps, seed, prompt);
      if (inJob.has(key)) continue;
      const existing = byCell.get(key);
      if (existing?.image_id != null) continue;
      taken++;
      if (existing) runIds.push(existing.id);
      else newRuns.push(plannedRun(experiment, plan, steps, seed, prompt, now));
    }
  }
  if (runIds.length + newRuns.length === 0) return 0;
  await queueRenderRound(db, { jobId: round.jobId, round: round.round, runIds, newRuns, now });
  return runIds.length + newRuns.length;
}

function plannedRun(experiment: ExperimentWithModel, plan: ExperimentPlan, steps: number, seed: string, prompt: string, now: string): NewRunRow {
  return {
    model_id: experiment.model_id,
    experiment_id: experiment.id,
    steps,
    duration_ms: null,
    score: null,
    seed,
    prompt,
    negative_prompt: plan.negativePrompt,
    sampler: plan.sampler,
    guidance: plan.guidance,
    width: plan.width,
    height: plan.height,
    hardware: plan.hardware,
    use_case: plan.useCase,
    phase: plan.phase,
    notes: null,
    source: 'plan',
    created_at: now,
    updated_at: now,
    import_id: null,
    import_line: null,
  } as NewRunRow;
}

/** What the analysis of the rounds so far says to do next. */
export type AdaptiveDecision = { stop: string } | { steps: number[]; runsPerStep: number };

/** The sweet spot as it stands, in words, for a stop reason. */
export function estimateInWords(analysis: ModelAnalysis): string {
  const spot = analysis.sweetSpot;
  if (!spot) return analysis.message;
  if (spot.interval) return `the sweet spot is ${spot.steps} steps, 90% interval ${spot.interval[0]}–${spot.interval[1]} (${spot.confidence} confidence)`;
  return `the sweet spot is ${spot.steps} steps, its interval still open${spot.lowerBound !== null ? ` (at least ${spot.lowerBound})` : ''}`;
}

/**
 * Decides, after a round's analysis, whether an adaptive job stops (and why, in words) or which step
 * counts it renders next: the target interval reached, the render or time budget spent, the rounds
 * cap, or nothing more to learn (the analysis asks for nothing, or only for step counts outside the
 * usable range) end it; else the step counts "what to test next" names, inside the usable range.
 */
export function decideNextRound(
  analysis: ModelAnalysis,
  context: { target: AdaptiveTarget; renders: number; secondsSpent: number; rounds: number; usable: { min: number; max: number }; metric: string },
): AdaptiveDecision {
  const { target } = context;
  const spot = analysis.sweetSpot;
  const estimate = estimateInWords(analysis);
  const after = `after ${context.renders} renders in ${context.rounds} round${context.rounds === 1 ? '' : 's'}`;
  if (target.halfWidth !== undefined && spot?.interval && !spot.extrapolated) {
    const halfWidth = (spot.interval[1] - spot.interval[0]) / 2;
    if (halfWidth <= target.halfWidth) {
      return { stop: `Target met: the sweet spot is ${spot.steps} steps, 90% interval ${spot.interval[0]}–${spot.interval[1]} (±${halfWidth} ≤ ±${target.halfWidth} steps) on ${context.metric}, ${after}` };
    }
  }
  if (target.maxRenders !== undefined && context.renders >= target.maxRenders) {
    return { stop: `Render budget spent: ${context.renders} of ${target.maxRenders} renders; ${estimate}` };
  }
  if (target.maxMinutes !== undefined && context.secondsSpent >= target.maxMinutes * 60) {
    return { stop: `Time budget spent: ${(context.secondsSpent / 60).toFixed(1)} of ${target.maxMinutes} minutes of render time; ${estimate}` };
  }
  if (context.rounds >= MAX_ROUNDS) return { stop: `Stopped after ${MAX_ROUNDS} rounds without reaching the target; ${estimate}` };
  const next = analysis.nextSteps;
  if (next.kind === 'done' || next.steps.length === 0) return { stop: `Nothing more to learn: ${next.kind === 'done' ? next.message : analysis.message} ${capitalise(estimate)}, ${after}.` };
  const steps = next.steps.filter((s) => s >= context.usable.min && s <= context.usable.max);
  if (steps.length === 0) {
    return { stop: `Nothing more to learn inside the model's usable range (${context.usable.min}–${context.usable.max} steps): the analysis asks for ${next.steps.join(', ')} steps. ${capitalise(estimate)}, ${after}.` };
  }
  return { steps, runsPerStep: Math.max(1, next.suggestions[0]?.runs ?? 1) };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The job's rendered runs that still have no score (an adaptive job on human scores waits for them). */
export function unratedRenders(tasks: readonly RenderTaskRun[]): RenderTaskRun[] {
  return tasks.filter((t) => t.state === 'done' && t.score === null);
}
