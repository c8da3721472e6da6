/** How far a sweet spot can be trusted. */
export type ConfidenceLabel = 'high' | 'medium' | 'low' | 'insufficient';

/** What {@link confidenceLabel} weighs. */
export interface ConfidenceInput {
  /** The sweet spot, in steps. */
  estimate: number;
  /** Its interval in steps; null when it could not be bounded (unknown noise, no upper end). */
  interval: readonly [number, number] | null;
  /** Coverage of the interval (default 0.9), for the wording. */
  intervalLevel?: number;
  /** Rated runs behind the analysis. */
  runs: number;
  /** Distinct step levels tested. */
  levels: number;
  /** Fewest runs at any one step level. */
  minRunsPerLevel: number;
  /** R² of the fitted curve on the level means. */
  r2: number;
  /** Whether the sweet spot lies outside the tested steps (an extrapolation). */
  extrapolated: boolean;
}

/** Result of {@link confidenceLabel}. */
export interface Confidence {
  label: ConfidenceLabel;
  /** The evidence and what kept the label from the next one up, in words. */
  reason: string;
}

/** Thresholds of the labels (documented in {@link confidenceLabel}). */
export const CONFIDENCE_THRESHOLDS = {
  high: { relativeWidth: 0.25, minWidth: 2, levels: 5, runsPerLevel: 3, r2: 0.9 },
  medium: { relativeWidth: 0.5, minWidth: 3, levels: 4, runsPerLevel: 2, r2: 0.75 },
} as const;

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/**
 * Labels how far a sweet spot can be trusted, with the reason in words, e.g. "90% interval 27–34
 * steps spans 7 steps (23% of the estimate) from 240 runs over 9 step levels".
 *
 * - insufficient: fewer than 3 step levels, or no bounded interval.
 * - high: the interval spans at most 25% of the estimate (or 2 steps, the resolution of small
 *   step counts), at least 5 levels, at least 3 runs at every level, fit R² ≥ 0.9, and the sweet
 *   spot lies inside the tested range (an extrapolation is never 'high').
 * - medium: at most 50% (or 3 steps), at least 4 levels, at least 2 runs per level, R² ≥ 0.75.
 * - low: anything else.
 *
 * Reference: the width-relative-to-estimate criterion mirrors the coefficient of variation used in
 * precision-based sample-size planning (Kelley & Maxwell, "Sample size for multiple regression:
 * obtaining regression coefficients that are accurate, not simply significant", 2003); the level
 * and run minimums follow from the three-parameter curve. Cost: O(1).
 *
 * Errors: "confidenceLabel requires a finite estimate".
 *
 * @example
 * confidenceLabel({ estimate: 30, interval: [27, 34], runs: 240, levels: 9, minRunsPerLevel: 20,
 *   r2: 0.97, extrapolated: false });
 * // { label: 'high', reason: '90% interval 27–34 steps spans 7 steps (23% of the estimate) from 240
 * //   runs over 9 step levels' }
 */
export function confidenceLabel(input: ConfidenceInput): Confidence {
  if (!Number.isFinite(input.estimate)) throw new Error('confidenceLabel requires a finite estimate');
  const levelPercent = percent(input.intervalLevel ?? 0.9);
  const evidence = `${input.runs} run${input.runs === 1 ? '' : 's'} over ${input.levels} step level${input.levels === 1 ? '' : 's'}`;
  if (input.levels < 3) {
    return { label: 'insufficient', reason: `only ${evidence}; a curve needs at least 3 step levels` };
  }
  const interval = input.interval;
  if (interval === null || !Number.isFinite(interval[0]) || !Number.isFinite(interval[1])) {
    const lower = interval !== null && Number.isFinite(interval[0]) ? ` from ${interval[0]} steps` : '';
    return {
      label: 'insufficient',
      reason:
        interval === null
          ? `the noise could not be estimated from ${evidence} (no repeated runs and no spare levels), so the sweet spot has no interval`
          : `the ${levelPercent} interval${lower} has no upper end: too many resamples show no plateau (${evidence})`,
    };
  }
  const [low, high] = interval;
  const width = high - low;
  const relativeWidth = width / Math.max(input.estimate, 1);
  const base = `${levelPercent} interval ${low}–${high} steps spans ${width} step${width === 1 ? '' : 's'} (${percent(relativeWidth)} of the estimate) from ${evidence}`;

  const shortfalls = (thresholds: (typeof CONFIDENCE_THRESHOLDS)['high' | 'medium']): string[] => {
    const found: string[] = [];
    if (width > Math.max(thresholds.minWidth, thresholds.relativeWidth * input.estimate)) {
      found.push(`the interval is wider than ${percent(thresholds.relativeWidth)} of the estimate`);
    }
    if (input.levels < thresholds.levels) found.push(`fewer than ${thresholds.levels} step levels`);
    if (input.minRunsPerLevel < thresholds.runsPerLevel) {
      found.push(`fewer than ${thresholds.runsPerLevel} runs at some step level`);
    }
    if (!(input.r2 >= thresholds.r2)) found.push(`fit R² ${input.r2.toFixed(2)} is below ${thresholds.r2}`);
    return found;
  };
  const forHigh = shortfalls(CONFIDENCE_THRESHOLDS.high);
  if (input.extrapolated) forHigh.push('the sweet spot lies outside the tested steps (an extrapolation)');
  if (forHigh.length === 0) return { label: 'high', reason: base };
  const forMedium = shortfalls(CONFIDENCE_THRESHOLDS.medium);
  if (forMedium.length === 0) return { label: 'medium', reason: `${base}; not high: ${forHigh.join(', ')}` };
  return { label: 'low', reason: `${base}; not medium: ${forMedium.join(', ')}` };
}
