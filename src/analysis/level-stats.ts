/** SQL aggregates of one metric at one step level: `COUNT(x)`, `SUM(x)`, `SUM(x * x)`. */
export interface LevelSums {
  /** Inference steps of the level (a positive integer). */
  steps: number;
  /** Number of rated runs at this level. */
  n: number;
  /** Sum of the metric over those runs. */
  sum: number;
  /** Sum of the squared metric over those runs. */
  sumSq: number;
}

/** Mean and spread of one metric at one step level, in the metric's own units. */
export interface LevelStats {
  steps: number;
  n: number;
  mean: number;
  /** Sample variance (n − 1 denominator); NaN when n < 2 or otherwise unknown. */
  variance: number;
}

/** Options of {@link pooledStandardErrors}. */
export interface StandardErrorOptions {
  /**
   * Weight, in degrees of freedom, of the pooled variance in each level's moderated variance
   * (default 4). 0 uses each level's own variance wherever it has one.
   */
  priorDf: number;
  /** Per-run variance to use when no level has a usable variance (e.g. from a curve's residuals). */
  fallbackVariance?: number;
}

/** The pooled within-level variance and its degrees of freedom (see {@link pooledVariance}). */
export interface PooledVariance {
  variance: number;
  df: number;
}

function requireFiniteNumber(value: number, what: string, functionName: string): void {
  if (!Number.isFinite(value)) {
    throw new Error(`${functionName} requires finite ${what}`);
  }
}

/**
 * Turns per-level SQL aggregates into means and sample variances, sorted by steps, so an analysis
 * costs the same for 100 runs or 10 million.
 *
 * Variance = (sumSq − sum²/n) / (n − 1). The subtraction cancels catastrophically when the spread is
 * tiny next to the mean, which can leave a small negative number: values below zero (or below
 * 1e-12·sumSq, i.e. indistinguishable from rounding) are clamped to 0. Levels with n = 0 (only
 * planned, unrated renders) are left out.
 *
 * Reference: the textbook computational formula (Chan, Golub & LeVeque, "Algorithms for computing
 * the sample variance", 1983, discuss its cancellation).
 *
 * Cost: O(L log L) for L levels.
 *
 * Errors: "levelStatsFromSums requires positive integer steps", "... requires a non-negative integer
 * n", "... requires finite sums", "... requires distinct step levels".
 *
 * @example
 * levelStatsFromSums([{ steps: 20, n: 3, sum: 18, sumSq: 110 }]);
 * // [{ steps: 20, n: 3, mean: 6, variance: 1 }]
 */
export function levelStatsFromSums(sums: readonly LevelSums[]): LevelStats[] {
  const name = 'levelStatsFromSums';
  const seen = new Set<number>();
  const levels: LevelStats[] = [];
  for (const level of sums) {
    if (!Number.isInteger(level.steps) || level.steps < 1) {
      throw new Error(`${name} requires positive integer steps`);
    }
    if (!Number.isInteger(level.n) || level.n < 0) {
      throw new Error(`${name} requires a non-negative integer n`);
    }
    requireFiniteNumber(level.sum, 'sums', name);
    requireFiniteNumber(level.sumSq, 'sums', name);
    if (seen.has(level.steps)) {
      throw new Error(`${name} requires distinct step levels`);
    }
    seen.add(level.steps);
    if (level.n === 0) continue;
    const mean = level.sum / level.n;
    let variance = Number.NaN;
    if (level.n >= 2) {
      const sumOfSquaredDeviations = level.sumSq - (level.sum * level.sum) / level.n;
      const roundingFloor = 1e-12 * Math.abs(level.sumSq);
      variance = sumOfSquaredDeviations <= roundingFloor ? 0 : sumOfSquaredDeviations / (level.n - 1);
    }
    levels.push({ steps: level.steps, n: level.n, mean, variance });
  }
  return levels.sort((x, y) => x.steps - y.steps);
}

/**
 * The pooled within-level variance Σ(nᵢ − 1)·sᵢ² / Σ(nᵢ − 1) over levels with a known variance
 * (n ≥ 2 and a finite variance), with its degrees of freedom Σ(nᵢ − 1).
 * Returns `{ variance: NaN, df: 0 }` when no level has a known variance.
 *
 * Reference: the pooled variance of one-way ANOVA (e.g. Montgomery, "Design and Analysis of
 * Experiments", §3.3). Cost: O(L).
 *
 * @example
 * pooledVariance([
 *   { steps: 10, n: 3, mean: 5, variance: 1 },
 *   { steps: 20, n: 5, mean: 7, variance: 4 },
 * ]); // { variance: 3, df: 6 }   ((2·1 + 4·4) / 6)
 */
export function pooledVariance(levels: readonly LevelStats[]): PooledVariance {
  let sum = 0;
  let df = 0;
  for (const level of levels) {
    if (level.n >= 2 && Number.isFinite(level.variance)) {
      sum += (level.n - 1) * level.variance;
      df += level.n - 1;
    }
  }
  return df > 0 ? { variance: sum / df, df } : { variance: Number.NaN, df: 0 };
}

/**
 * Standard errors of the level means, √(vᵢ / nᵢ), with a moderated variance vᵢ that never makes a
 * curve-fit weight infinite: each level's own variance is shrunk toward the pooled variance,
 * vᵢ = ((nᵢ − 1)·sᵢ² + ν₀·s²pooled) / ((nᵢ − 1) + ν₀), with ν₀ = `priorDf` (default 4). A level with
 * one run or identical scores (sᵢ² = 0, common with 0–10 ratings) thus borrows the pooled variance.
 * When no level has a usable variance, `fallbackVariance` is used for every level, and without it
 * the standard errors are NaN (unknown) — callers must then estimate the noise elsewhere.
 * The standard errors are 0 only when every replicated level is exactly constant.
 *
 * Reference: moderated variances as in limma (Smyth, "Linear models and empirical Bayes methods for
 * assessing differential expression", 2004), with a fixed prior weight. Cost: O(L).
 *
 * Errors: "pooledStandardErrors requires a non-negative priorDf" and "... requires a non-negative
 * fallbackVariance".
 *
 * @example
 * pooledStandardErrors([
 *   { steps: 10, n: 4, mean: 5, variance: 1 },
 *   { steps: 20, n: 1, mean: 7, variance: NaN },
 * ]); // [0.5, 1]   (pooled variance 1; the single run borrows it: √(1/1))
 */
export function pooledStandardErrors(
  levels: readonly LevelStats[],
  options: Partial<StandardErrorOptions> = {},
): number[] {
  const priorDf = options.priorDf ?? 4;
  if (!(priorDf >= 0) || !Number.isFinite(priorDf)) {
    throw new Error('pooledStandardErrors requires a non-negative priorDf');
  }
  const fallback = options.fallbackVariance;
  if (fallback !== undefined && !(fallback >= 0 && Number.isFinite(fallback))) {
    throw new Error('pooledStandardErrors requires a non-negative fallbackVariance');
  }
  const pooled = pooledVariance(levels);
  return levels.map((level) => {
    if (pooled.df === 0) {
      return fallback === undefined ? Number.NaN : Math.sqrt(fallback / level.n);
    }
    const ownDf = level.n >= 2 && Number.isFinite(level.variance) ? level.n - 1 : 0;
    const ownSum = ownDf > 0 ? ownDf * level.variance : 0;
    const moderated = ownDf + priorDf > 0 ? (ownSum + priorDf * pooled.variance) / (ownDf + priorDf) : pooled.variance;
    return Math.sqrt(moderated / level.n);
  });
}
