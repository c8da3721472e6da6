/**
 * Seeded sweeps drawn from known quality curves, for the honesty simulations: each trial renders
 * `runs` times per step level with rater noise, summed the way SQL sums them.
 */
import { analyzeCurve, type CurveAnalysis } from '../../../src/analysis/analyze-curve.js';
import { levelStatsFromSums, type LevelSums } from '../../../src/analysis/level-stats.js';
import { createRandom } from '../../../src/analysis/random.js';

export interface SweepScenario {
  name: string;
  truth: (steps: number) => number;
  steps: number[];
  runs: number;
  sigma: number;
  /** Scores rounded to whole numbers, every run of a level identical (one rating copied). */
  identicalIntegers?: boolean;
}

export const DELTA = 0.25;

/**
 * The true sweet spot: the smallest integer steps within δ of the best the curve does (its limit,
 * or its peak when it falls after one); for a flat curve, 1.
 */
export function trueSweetSpot(truth: (s: number) => number, maxSteps = 5000): number {
  let best = -Infinity;
  for (let s = 1; s <= maxSteps; s++) best = Math.max(best, truth(s));
  // The limit for curves still creeping up at maxSteps.
  best = Math.max(best, truth(1e7));
  for (let s = 1; s <= maxSteps; s++) if (best - truth(s) <= DELTA + 1e-12) return s;
  return Infinity;
}

export function drawLevels(scenario: SweepScenario, seed: number): LevelSums[] {
  const random = createRandom(seed);
  return scenario.steps.map((steps) => {
    let sum = 0;
    let sumSq = 0;
    const identical = scenario.identicalIntegers ? Math.round(scenario.truth(steps) + scenario.sigma * random.normal()) : 0;
    for (let r = 0; r < scenario.runs; r++) {
      const y = scenario.identicalIntegers ? identical : scenario.truth(steps) + scenario.sigma * random.normal();
      sum += y;
      sumSq += y * y;
    }
    return { steps, n: scenario.runs, sum, sumSq };
  });
}

export interface Tally {
  trials: number;
  confidentlyWrong: number;
  covered: number;
  statuses: Record<string, number>;
  declines: number;
  relativeErrors: number[];
}

/** Confidently wrong: status ok, confidence medium or high, a bounded interval, the truth outside it. */
export function isConfidentlyWrong(result: CurveAnalysis, truth: number): boolean {
  const spot = result.sweetSpot;
  if (result.status !== 'ok' || spot === null || spot.interval === null) return false;
  if (spot.confidence !== 'medium' && spot.confidence !== 'high') return false;
  return truth < spot.interval[0] || truth > spot.interval[1];
}

export function runScenario(scenario: SweepScenario, trials: number, seedBase: number): Tally {
  const truth = trueSweetSpot(scenario.truth);
  const tally: Tally = { trials, confidentlyWrong: 0, covered: 0, statuses: {}, declines: 0, relativeErrors: [] };
  for (let k = 0; k < trials; k++) {
    const levels = levelStatsFromSums(drawLevels(scenario, seedBase + k));
    const result = analyzeCurve(levels, { delta: DELTA, bootstrapSamples: 200, seed: k + 1, range: { min: 0, max: 10 } });
    tally.statuses[result.status] = (tally.statuses[result.status] ?? 0) + 1;
    if (isConfidentlyWrong(result, truth)) tally.confidentlyWrong++;
    if (result.decline !== null) tally.declines++;
    const spot = result.sweetSpot;
    if (result.status === 'ok' && spot?.interval && spot.interval[0] <= truth && truth <= spot.interval[1]) tally.covered++;
    if (result.status === 'ok' && spot) tally.relativeErrors.push(Math.abs(spot.steps - truth) / truth);
  }
  return tally;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Infinity;
}
