import { pooledStandardErrors, pooledVariance, type LevelStats } from '../level-stats.js';

/** The noise of the level means as the curve engine uses it (see {@link levelNoise}). */
export interface LevelNoise {
  /** Standard error of each level mean; NaN when unknown (no repeated runs). */
  standardErrors: number[];
  /** 'known' from repeated runs; 'exact' when repeated runs agree exactly; 'unknown' without any. */
  kind: 'known' | 'exact' | 'unknown';
  /** Degrees of freedom of the noise estimate (0 when unknown). */
  df: number;
  /** The scores' resolution (e.g. 1 for whole numbers) when a rounding floor was applied, else null. */
  roundingFloor: number | null;
}

/** Resolutions scores are commonly given at, coarsest first (whole numbers … three decimals). */
const RESOLUTIONS = [1, 0.5, 0.25, 0.1, 0.05, 0.01, 0.001] as const;

function isMultiple(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-6 * Math.max(1, Math.abs(ratio));
}

/**
 * The resolution the scores were given at (1 for whole numbers, then 0.5, 0.25, 0.1, 0.05, 0.01,
 * 0.001), read from
 * each level's sum n·mean and sum of squares, or null when they fit none. Paired (block-adjusted)
 * means are no longer sums of raw scores and give null, as do metrics with free decimals.
 * Cost: O(L).
 *
 * @example
 * scoreResolution([{ steps: 10, n: 3, mean: 7, variance: 0 }]); // 1
 * scoreResolution([{ steps: 10, n: 2, mean: 6.55, variance: 0.005 }]); // null
 */
export function scoreResolution(levels: readonly LevelStats[]): number | null {
  if (levels.length === 0) return null;
  for (const step of RESOLUTIONS) {
    const fits = levels.every((level) => {
      const sum = level.mean * level.n;
      const variance = Number.isFinite(level.variance) ? level.variance : 0;
      const sumSq = variance * (level.n - 1) + level.n * level.mean * level.mean;
      return isMultiple(sum, step) && isMultiple(sumSq, step * step);
    });
    if (fits) return step;
  }
  return null;
}

/**
 * Standard errors of the level means from repeated runs (pooled and moderated, see
 * `pooledStandardErrors`), with a floor from the scores' rounding: a score given to a resolution h
 * carries a rounding error of variance h²/12 (uniform), so a level whose runs agree exactly still
 * has a standard error of at least h/√12 (identical runs share one rounding error; it does not
 * average out), and any other level at least √(h²/12 / n). Three identical integers are thus not
 * an exact measurement. Without a resolution, runs that agree exactly at every level mean the
 * noise is zero ('exact').
 *
 * Reference: Sheppard's correction for grouping (Sheppard, 1898). Cost: O(L).
 *
 * @example
 * levelNoise([{ steps: 10, n: 3, mean: 7, variance: 0 }, { steps: 20, n: 3, mean: 8, variance: 0 }], 1);
 * // { standardErrors: [0.2887, 0.2887], kind: 'known', df: 4, roundingFloor: 1 }
 */
export function levelNoise(levels: readonly LevelStats[], resolution: number | null): LevelNoise {
  const pooled = pooledVariance(levels);
  if (pooled.df === 0) return { standardErrors: levels.map(() => Number.NaN), kind: 'unknown', df: 0, roundingFloor: null };
  let standardErrors = pooledStandardErrors(levels);
  if (resolution !== null) {
    const runFloor = (resolution * resolution) / 12;
    standardErrors = standardErrors.map((se, i) => {
      const level = levels[i]!;
      const floor = level.variance === 0 || level.n === 1 ? Math.sqrt(runFloor) : Math.sqrt(runFloor / level.n);
      return Math.max(se, floor);
    });
    return { standardErrors, kind: 'known', df: pooled.df, roundingFloor: resolution };
  }
  // Spread at the level of floating-point rounding (e.g. a paired design whose blocks differ by
  // exact offsets) is no noise: the runs agree exactly.
  const scale = Math.max(1, ...levels.map((level) => Math.abs(level.mean)));
  if (standardErrors.every((se) => se <= 1e-9 * scale)) {
    return { standardErrors: standardErrors.map(() => 0), kind: 'exact', df: Infinity, roundingFloor: null };
  }
  return { standardErrors, kind: 'known', df: pooled.df, roundingFloor: null };
}
