import { analyzeCurve, type CurveAnalysis, type CurveOptions, type Recommendation } from './analyze-curve.js';
import { fitDuration, predictDurationMs, type DurationFit, type DurationSums } from './duration-fit.js';
import { analysisWarnings, type ModelReference, type Warning } from './guide-warnings.js';
import { scoreResolution } from './curves/level-noise.js';
import { levelStatsFromSums, type LevelSums } from './level-stats.js';
import { pairedLevels, type BlockCell } from './paired-levels.js';
import { joinUnpairedRuns } from './pairing/unpaired-runs.js';
import { computeWaste, describeWaste, type Waste } from './waste.js';

/**
 * The most distinct step levels one analysis takes: it keeps an analysis (curve fits and their
 * bootstrap grow with the levels) around a second, and no real sweep comes near it. Beyond it the
 * input is refused with a message naming the limit.
 */
export const MAX_ANALYSIS_LEVELS = 2000;

/** Everything one model's analysis needs: SQL-aggregate shapes plus the guide's numbers. */
export interface StepAnalysisInput {
  levels: readonly LevelSums[];
  /** Per prompt + seed × step cells; empty when the design is not paired. */
  blocks: readonly BlockCell[];
  /** Render-time sums for the duration fit (one hardware: time per step differs between machines). */
  durations: readonly DurationSums[];
  /**
   * All render time spent, when it spans several hardware types (then waste is measured on it without
   * the fit, in proportion to the steps past the sweet spot). Defaults to `durations`.
   */
  timeSpent?: readonly DurationSums[];
  guide: ModelReference | null;
  modelName: string;
}

export interface TimedRecommendation extends Recommendation {
  /** Predicted render time at these steps from the duration fit; null without durations. */
  durationMs: number | null;
}

/** The full analysis of one model (plain JSON). */
export interface StepAnalysis extends Omit<CurveAnalysis, 'recommendations'> {
  paired: boolean;
  pairedReason: string;
  /** How the rated runs were used: in paired prompt + seed blocks, or as unpaired runs. */
  runUse: { pairedRuns: number; unpairedRuns: number };
  recommendations: { draft: TimedRecommendation; standard: TimedRecommendation; final: TimedRecommendation } | null;
  duration: DurationFit | null;
  /** Why there is no duration fit, when there is none. */
  durationMessage: string | null;
  /** Fitted quality per second of predicted render time, per tested level (needs durations). */
  qualityPerSecond: { steps: number; value: number }[];
  waste: (Waste & { summary: string }) | null;
  warnings: Warning[];
}

/**
 * Composes the whole analysis of one model from its aggregates: block-adjusts a paired design
 * (prompt + seed rendered at several step counts), fits the curve and finds the sweet spot
 * ({@link analyzeCurve}), fits overhead + per-step time ({@link fitDuration}), times the
 * recommendations, measures the time spent past the sweet spot ({@link computeWaste}) and lists the
 * guide's warnings that apply.
 *
 * Cost: O(levels + blocks·iterations) plus the bootstrap; independent of the number of runs.
 * Errors: as {@link analyzeCurve} for invalid levels; "analyzeSteps requires at most 2,000 distinct
 * step levels (…)"; degenerate data gives a status, not an error.
 *
 * @example
 * // exact q(s) = 10 − 5·exp(−s/10) at 10…50 steps, 0.670 s/step + 0.38 s overhead
 * analyzeSteps({ levels, blocks: [], durations, guide: null, modelName: 'FLUX.1 Dev' }).sweetSpot?.steps // → 30
 */
export function analyzeSteps(input: StepAnalysisInput, options: Partial<CurveOptions> = {}): StepAnalysis {
  const levelCount = input.levels.filter((level) => level.n > 0).length;
  if (levelCount > MAX_ANALYSIS_LEVELS) {
    throw new Error(`analyzeSteps requires at most ${MAX_ANALYSIS_LEVELS.toLocaleString('en-US')} distinct step levels (these runs have ${levelCount.toLocaleString('en-US')})`);
  }
  const unpaired = levelStatsFromSums(input.levels);
  const pairing = input.blocks.length > 0 ? pairedLevels(input.blocks) : null;
  const paired = pairing !== null && pairing.paired;
  // The scores' resolution is read from the raw sums: block-adjusted means no longer show it.
  const resolution = options.resolution === undefined ? scoreResolution(unpaired) : options.resolution;
  const usableRange = input.guide && (input.guide.minSteps !== null || input.guide.maxSteps !== null) ? { min: input.guide.minSteps, max: input.guide.maxSteps } : null;
  // Every rated run counts: runs outside the paired blocks join as a block of their own.
  const joined = paired ? joinUnpairedRuns(pairing, input.levels, input.blocks) : null;
  const curve = analyzeCurve(joined ? joined.levels : unpaired, { usableRange, ...options, resolution });

  let duration: DurationFit | null = null;
  let durationMessage: string | null = null;
  const timedLevels = input.durations.filter((d) => d.n > 0);
  if (timedLevels.length >= 2) {
    duration = fitDuration(timedLevels);
  } else {
    durationMessage =
      timedLevels.length === 0
        ? 'No render times logged yet: log durations to predict the time of each setting.'
        : 'Render times at one step count only: log times at a second step count to fit overhead and time per step.';
  }

  const timed = (r: Recommendation): TimedRecommendation => ({
    ...r,
    durationMs: duration ? Math.round(predictDurationMs(duration, r.steps)) : null,
  });
  const recommendations = curve.recommendations
    ? {
        draft: timed(curve.recommendations.draft),
        standard: timed(curve.recommendations.standard),
        final: timed(curve.recommendations.final),
      }
    : null;

  const qualityPerSecond =
    duration && curve.fit
      ? curve.levels
          .map((l) => {
            const fitted = curve.curve.find((c) => c.steps === l.steps)?.quality ?? l.mean;
            const seconds = predictDurationMs(duration!, l.steps) / 1000;
            return { steps: l.steps, value: seconds > 0 ? fitted / seconds : 0 };
          })
          .filter((q) => Number.isFinite(q.value))
      : [];

  let waste: StepAnalysis['waste'] = null;
  const spent = (input.timeSpent ?? input.durations).filter((d) => d.n > 0);
  if (curve.sweetSpot && spent.length > 0) {
    const w = computeWaste(
      spent.map((d) => ({ steps: d.steps, n: d.n, totalDurationMs: d.sum })),
      curve.sweetSpot.steps,
      input.timeSpent ? null : duration,
    );
    waste = { ...w, summary: describeWaste(w) };
  }

  const testedMax = Math.max(0, ...input.levels.map((l) => l.steps));
  const warnings: Warning[] = duration?.warning ? [{ code: 'duration-not-linear', severity: 'warning', message: duration.warning }] : [];
  if (input.guide) {
    warnings.push(
      ...analysisWarnings({
        sweetSpot: curve.sweetSpot?.steps ?? null,
        testedMax,
        waste,
        ref: input.guide,
        modelName: input.modelName,
      }),
    );
  }

  // What each suggested test costs in render time, from the duration model.
  const nextSteps = {
    ...curve.nextSteps,
    suggestions: curve.nextSteps.suggestions.map((suggestion) => ({
      ...suggestion,
      minutes: duration ? Number(((suggestion.renders * predictDurationMs(duration, suggestion.steps)) / 60_000).toFixed(2)) : null,
    })),
  };

  return {
    ...curve,
    nextSteps,
    paired,
    pairedReason: joined ? joined.reason : pairing ? pairing.reason : 'No prompt + seed was rendered at several step counts, so each run counts on its own.',
    runUse: joined
      ? { pairedRuns: joined.pairedRuns, unpairedRuns: joined.unpairedRuns }
      : { pairedRuns: 0, unpairedRuns: curve.runs },
    recommendations,
    duration,
    durationMessage,
    qualityPerSecond,
    waste,
    warnings,
  };
}
