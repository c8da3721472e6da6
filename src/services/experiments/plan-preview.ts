import { fitDuration, predictDurationMs, type DurationFit } from '../../analysis/duration-fit.js';
import { formatDuration } from '../../analysis/waste.js';
import type { Db } from '../../db/connect.js';
import { durationLevelSums } from '../../store/analysis-sums.js';
import { findModelBySlug } from '../../store/models.js';
import type { ExperimentInput } from '../../validation/experiment-input.js';
import { InputError } from '../errors.js';
import { unknownModelMessageFrom } from '../unknown-model.js';

/** What a plan would make, shown before it is created. */
export interface PlanPreview {
  model: string;
  modelName: string;
  renders: number;
  stepCounts: number;
  seeds: number;
  /** True when the seeds will be drawn at random (randomSeeds), false when they were typed. */
  randomSeeds: boolean;
  prompts: number;
  /** Sum of the step counts over every render (what the GPU has to compute). */
  totalSteps: number;
  /** Predicted time of the whole plan, or null when no timed runs of the model exist yet. */
  time: {
    totalMs: number;
    /** e.g. "2.4 h" */
    total: string;
    /** The hardware the prediction is for; null when the runs behind it record none or several kinds. */
    hardware: string | null;
    /** Where the prediction comes from, in words. */
    basis: string;
  } | null;
  /** Why there is no time, when there is none. */
  timeMissing: string | null;
}

async function fitFor(db: Db, modelId: number, hardware: string | undefined): Promise<{ fit: DurationFit; hardware: string | null } | null> {
  const attempts: (string | undefined)[] = hardware !== undefined ? [hardware, undefined] : [undefined];
  for (const hw of attempts) {
    const levels = await durationLevelSums(db, modelId, hw !== undefined ? { hardware: hw } : {});
    if (levels.length < 2) continue;
    try {
      return { fit: fitDuration(levels), hardware: hw ?? null };
    } catch {
      continue;
    }
  }
  return null;
}

/**
 * The number of renders a plan makes and its predicted time, from the model's duration fit (on the
 * plan's hardware when runs on it were timed, else on all of the model's timed runs). Nothing is
 * written.
 */
export async function previewPlan(db: Db, input: ExperimentInput): Promise<PlanPreview> {
  const model = await findModelBySlug(db, input.model);
  if (!model) {
    const message = await unknownModelMessageFrom(db, input.model);
    throw new InputError(`model: ${message}`, [{ field: 'model', message }]);
  }
  const seeds = input.seeds?.length ?? input.randomSeeds ?? 0;
  const blocks = seeds * input.prompts.length;
  const renders = input.steps.length * blocks;
  const stepSum = input.steps.reduce((a, b) => a + b, 0);
  const totalSteps = stepSum * blocks;
  const hardware = input.hardware ?? undefined;
  const found = await fitFor(db, model.id, hardware);
  let time: PlanPreview['time'] = null;
  let timeMissing: string | null = null;
  if (found) {
    const totalMs = input.steps.reduce((sum, s) => sum + predictDurationMs(found.fit, s), 0) * blocks;
    const where = found.hardware !== null ? ` on ${found.hardware}` : hardware !== undefined ? ` (none timed on ${hardware} yet: all hardware)` : '';
    time = {
      totalMs,
      total: formatDuration(totalMs),
      hardware: found.hardware,
      basis: `the time fit of ${found.fit.runs} timed ${model.name} run${found.fit.runs === 1 ? '' : 's'}${where}: ` +
        `${formatDuration(found.fit.overheadMs)} + ${formatDuration(found.fit.perStepMs)} per step`,
    };
  } else {
    timeMissing = `no ${model.name} runs with a time at two or more step counts yet, so the time cannot be predicted`;
  }
  return {
    model: model.slug,
    modelName: model.name,
    renders,
    stepCounts: input.steps.length,
    seeds,
    randomSeeds: input.seeds === undefined,
    prompts: input.prompts.length,
    totalSteps,
    time,
    timeMissing,
  };
}
