import { studentTQuantile } from '../student-t-quantile.js';
import { fUpperTail } from './distributions.js';
import type { NoiseModel } from './model-choice.js';

/** Significance of the "does quality change at all" and "still rising at the top" tests. */
export const STATE_ALPHA = 0.05;
/** z of 80% power, for the smallest change the data could have shown. */
const Z_POWER_80 = 0.8416212335729143;

function tQuantile95(df: number): number {
  return studentTQuantile(0.95, Number.isFinite(df) ? Math.max(1, df) : Infinity);
}

/**
 * p of "quality changes somewhere in the tested range": the level means against one constant, by
 * χ²/(L − 1) on F(L − 1, ν) with known noise, and by the chosen curve's explained χ² on k − 1
 * degrees of freedom (Bonferroni over the two). With unknown noise the chosen curve's improvement over
 * the constant is tested against its own residuals (F on k − 1 and L − k degrees of freedom).
 * Cost: O(L).
 *
 * @example
 * changeTestP([5, 5.1, 4.9], [1, 1, 1], { kind: 'known', df: 30 }, null); // ≈ 0.99 (no change)
 */
export function changeTestP(
  values: readonly number[],
  weights: readonly number[],
  noise: NoiseModel,
  fitted: { rss: number; parameters: number } | null,
): number {
  const levels = values.length;
  const weightSum = weights.reduce((t, w) => t + w, 0);
  const mean = values.reduce((t, y, i) => t + weights[i]! * y, 0) / weightSum;
  const totalSs = values.reduce((t, y, i) => t + weights[i]! * (y - mean) ** 2, 0);
  if (noise.kind === 'exact') return totalSs > 1e-20 * Math.max(1, weightSum * mean * mean) ? 0 : 1;
  if (noise.kind === 'known') {
    const omnibus = fUpperTail(totalSs / (levels - 1), levels - 1, noise.df);
    if (fitted === null || fitted.parameters <= 1) return omnibus;
    // The chosen curve concentrates the change on k − 1 degrees of freedom (far more power against a
    // rise, or a rise and fall, than the omnibus test on L − 1); Bonferroni over the two tests.
    const explained = Math.max(0, totalSs - fitted.rss);
    const alongCurve = fUpperTail(explained / (fitted.parameters - 1), fitted.parameters - 1, noise.df);
    return Math.min(1, 2 * Math.min(omnibus, alongCurve));
  }
  if (fitted === null || levels - fitted.parameters <= 0 || fitted.parameters <= 1) return 1;
  if (!(fitted.rss > 0)) return totalSs > 0 ? 0 : 1;
  const explained = Math.max(0, totalSs - fitted.rss) / (fitted.parameters - 1);
  return fUpperTail(explained / (fitted.rss / (levels - fitted.parameters)), fitted.parameters - 1, levels - fitted.parameters);
}

/**
 * The smallest rise between the lower and the upper half of the tested levels that a one-sided 5%
 * test would detect with 80% power: (t₀.₉₅,ν + z₀.₈)·√(var(lower half) + var(upper half)), with
 * each half's mean weighted by 1/se². A curve is called flat only when this is at most δ: "no
 * change seen, and a change that matters would have shown". Cost: O(L).
 *
 * @example
 * detectableRise([0.1, 0.1, 0.1, 0.1], 30); // ≈ 0.24
 */
export function detectableRise(standardErrors: readonly number[], noiseDf: number): number {
  const half = Math.floor(standardErrors.length / 2);
  const variance = (part: readonly number[]) => 1 / part.reduce((t, se) => t + 1 / Math.max(se * se, 1e-300), 0);
  const lower = standardErrors.slice(0, half);
  const upper = standardErrors.slice(standardErrors.length - half);
  return (tQuantile95(noiseDf) + Z_POWER_80) * Math.sqrt(variance(lower) + variance(upper));
}

/**
 * One-sided p of "the highest tested level is better than the one before it" (a t test on the two
 * level means with ν noise degrees of freedom): the data's own evidence that quality still rises
 * at the top, independent of any curve. Cost: O(1).
 */
export function topRisingP(values: readonly number[], standardErrors: readonly number[], noiseDf: number): number {
  const last = values.length - 1;
  if (last < 1) return 1;
  const difference = values[last]! - values[last - 1]!;
  const se = Math.sqrt(standardErrors[last]! ** 2 + standardErrors[last - 1]! ** 2);
  if (!(se > 0)) return difference > 0 ? 0 : 1;
  if (!(noiseDf > 0)) return 1;
  const t = difference / se;
  // P(T > t) for T ~ t(ν) = ½·P(F(1, ν) > t²) on the positive side.
  return t > 0 ? 0.5 * fUpperTail(t * t, 1, noiseDf) : 1 - 0.5 * fUpperTail(t * t, 1, noiseDf);
}

/**
 * The upper 90% confidence bound of the gain from the second-highest to the highest tested level,
 * for "the top tested levels no longer improve by more than δ". Cost: O(1).
 */
export function topGainUpperBound(values: readonly number[], standardErrors: readonly number[], noiseDf: number): number {
  const last = values.length - 1;
  const se = Math.sqrt(standardErrors[last]! ** 2 + standardErrors[last - 1]! ** 2);
  const t = Number.isFinite(noiseDf) ? studentTQuantile(0.9, Math.max(1, noiseDf)) : studentTQuantile(0.9, Infinity);
  return values[last]! - values[last - 1]! + t * (Number.isFinite(se) ? se : Infinity);
}
