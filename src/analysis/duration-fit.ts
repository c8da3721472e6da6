import { formatDuration } from './waste.js';

/**
 * SQL aggregates of render duration for one step level (runs without a duration are not counted).
 * `sum` is the sum of the durations in ms, `sumSq` the sum of their squares (ms²).
 */
export interface DurationSums {
  steps: number;
  n: number;
  sum: number;
  sumSq: number;
}

/** A straight-line duration model, plain JSON (use {@link predictDurationMs} to predict). */
export interface DurationFit {
  /** Fixed time per render (loading, text encoding, VAE decode, network), in ms. */
  overheadMs: number;
  /** Time each extra step adds, in ms. */
  perStepMs: number;
  /** Share of the variance of the individual durations that the line explains (1 when all are equal). */
  r2: number;
  /** Runs the fit is based on. */
  runs: number;
  /** Distinct step levels the fit is based on. */
  levels: number;
  /** False when the durations are clearly not a straight line in the step count (see {@link fitDuration}). */
  linear: boolean;
  /**
   * p-value of the lack-of-fit F test (level means against the line, relative to the spread of
   * repeated runs at a level); null when it cannot be computed (2 levels, or no level repeated).
   */
  lackOfFitP: number | null;
  /** What is wrong with the fit in words, or null. */
  warning: string | null;
}

/** Significance level of the lack-of-fit test. */
export const LACK_OF_FIT_ALPHA = 0.01;
/** A departure from the line smaller than this share of the measured time is not worth a warning. */
export const MATERIAL_GAP = 0.05;
/** Nor is one smaller than 10 ms, whatever its share (timer resolution, near-zero durations). */
export const MATERIAL_GAP_MS = 10;
/** Without repeated runs noise and curvature cannot be told apart, so only a large gap counts. */
export const MATERIAL_GAP_UNREPLICATED = 0.15;

/**
 * Fits `duration = overheadMs + perStepMs · steps` by ordinary least squares over all the runs,
 * computed from the per-level sums alone, so the cost does not grow with the number of runs.
 *
 * Method: the OLS line through the raw points equals the weighted least-squares line through the
 * level means with weights n (the within-level scatter does not depend on the line). The total sum
 * of squares splits into pure error Σ(sumSq − sum²/n) plus the between-level part, and the residual
 * sum of squares into pure error plus lack of fit Σ n·(mean − line)², which gives R² over the raw
 * points. Draper & Smith, *Applied Regression Analysis*, 3rd ed., §2.1 and §2.6 (lack of fit).
 *
 * Linearity: with ≥ 3 levels, `linear` is false when the line misses a level mean by at least
 * {@link MATERIAL_GAP} (5%) of the measured time (and at least {@link MATERIAL_GAP_MS} ms) AND the
 * lack-of-fit F test (level means against the line, relative to run-to-run spread) rejects at
 * {@link LACK_OF_FIT_ALPHA}. Both are needed:
 * GPU timings repeat so tightly that the test alone flags curvature of a fraction of a percent that
 * changes no prediction, and a gap alone can be noise. When no level was repeated there is no
 * run-to-run spread to compare with, so only a gap of {@link MATERIAL_GAP_UNREPLICATED} (15%)
 * counts. With 2 levels the line passes through both means and linearity cannot be checked.
 *
 * Levels with n = 0 are ignored and levels with the same step count are merged.
 *
 * Cost: O(k) for k levels.
 *
 * @throws Error "fitDuration requires at least 2 step levels" (distinct step counts with runs).
 * @throws Error "fitDuration requires finite, non-negative steps, n, sum and sumSq" (also for a
 *   fractional n).
 * @throws Error "fitDuration requires sumSq ≥ sum²/n at every level" (the sums cannot come from real
 *   durations).
 *
 * @example
 * // The published FLUX.1-dev timing: 0.670 s per step + 0.38 s overhead, one run per level.
 * fitDuration([
 *   { steps: 10, n: 1, sum: 7080, sumSq: 7080 ** 2 },
 *   { steps: 20, n: 1, sum: 13780, sumSq: 13780 ** 2 },
 *   { steps: 30, n: 1, sum: 20480, sumSq: 20480 ** 2 },
 * ]);
 * // → { overheadMs: 380, perStepMs: 670, r2: 1, runs: 3, levels: 3, linear: true,
 * //     lackOfFitP: null, warning: null }
 */
export function fitDuration(levels: readonly DurationSums[]): DurationFit {
  const merged = mergeLevels(levels);
  const k = merged.length;
  if (k < 2) throw new Error('fitDuration requires at least 2 step levels');

  let runs = 0;
  let sumX = 0;
  let sumY = 0;
  for (const level of merged) {
    runs += level.n;
    sumX += level.n * level.steps;
    sumY += level.sum;
  }
  const meanX = sumX / runs;
  const meanY = sumY / runs;

  // Centred sums: exact for the round numbers of the example and stable for large step counts.
  let sumXX = 0;
  let sumXY = 0;
  let ssPureError = 0;
  let ssBetween = 0;
  for (const level of merged) {
    const dx = level.steps - meanX;
    const levelMean = level.sum / level.n;
    sumXX += level.n * dx * dx;
    sumXY += dx * (level.sum - level.n * meanY);
    ssPureError += withinLevelSumOfSquares(level);
    ssBetween += level.n * (levelMean - meanY) ** 2;
  }
  const perStepMs = sumXY / sumXX;
  const overheadMs = meanY - perStepMs * meanX;

  let ssLackOfFit = 0;
  let worst = { steps: 0, measured: 0, predicted: 0, gap: 0 };
  for (const level of merged) {
    const measured = level.sum / level.n;
    const predicted = overheadMs + perStepMs * level.steps;
    ssLackOfFit += level.n * (measured - predicted) ** 2;
    const gap = relativeGap(measured, predicted);
    if (gap > worst.gap) worst = { steps: level.steps, measured, predicted, gap };
  }

  const ssTotal = ssPureError + ssBetween;
  const ssResidual = ssPureError + ssLackOfFit;
  const r2 = ssTotal > 0 ? clamp01(1 - ssResidual / ssTotal) : 1;

  const dfPureError = runs - k;
  let lackOfFitP: number | null = null;
  let linear = true;
  if (k >= 3 && dfPureError > 0) {
    lackOfFitP = lackOfFitPValue(ssLackOfFit, k - 2, ssPureError, dfPureError, ssTotal);
    linear = !(lackOfFitP < LACK_OF_FIT_ALPHA && worst.gap >= MATERIAL_GAP);
  } else if (k >= 3) {
    linear = worst.gap < MATERIAL_GAP_UNREPLICATED;
  }

  let warning: string | null = null;
  if (!linear) {
    const why =
      lackOfFitP === null
        ? 'with one run per level this may be noise; repeat a few renders per level to tell'
        : `more than the run-to-run spread explains (lack-of-fit p = ${formatP(lackOfFitP)})`;
    const off = Number.isFinite(worst.gap) ? `${Math.round(worst.gap * 100)}% off` : 'far off';
    warning =
      `Durations are not linear in steps: at ${worst.steps} ${worst.steps === 1 ? 'step' : 'steps'} the measured mean ` +
      `(${signedDuration(worst.measured)}) is ${off} the fitted line ` +
      `(${signedDuration(worst.predicted)}), ${why}. Predicted times may be off; check for mixed ` +
      'hardware, memory swapping or a changed resolution.';
  } else if (perStepMs <= 0) {
    warning =
      'Durations do not grow with steps: check that the runs come from one hardware type and ' +
      'that each duration was measured for one render.';
  }

  return { overheadMs, perStepMs, r2, runs, levels: k, linear, lackOfFitP, warning };
}

/**
 * Predicted time of one render at `steps`, in ms: overheadMs + perStepMs · steps, floored at 0
 * (a line fitted to noisy data can dip below zero far outside the tested range).
 *
 * Cost: O(1).
 *
 * @throws Error "predictDurationMs requires a finite, non-negative step count".
 *
 * @example
 * predictDurationMs({ overheadMs: 380, perStepMs: 670 }, 30); // → 20480
 */
export function predictDurationMs(
  fit: Pick<DurationFit, 'overheadMs' | 'perStepMs'>,
  steps: number,
): number {
  if (!Number.isFinite(steps) || steps < 0) {
    throw new Error('predictDurationMs requires a finite, non-negative step count');
  }
  return Math.max(0, fit.overheadMs + fit.perStepMs * steps);
}

function mergeLevels(levels: readonly DurationSums[]): DurationSums[] {
  const bySteps = new Map<number, DurationSums>();
  for (const level of levels) {
    const { steps, n, sum, sumSq } = level;
    const valid =
      [steps, n, sum, sumSq].every((v) => Number.isFinite(v) && v >= 0) && Number.isInteger(n);
    if (!valid) throw new Error('fitDuration requires finite, non-negative steps, n, sum and sumSq');
    if (n === 0) continue;
    const seen = bySteps.get(steps);
    bySteps.set(
      steps,
      seen
        ? { steps, n: seen.n + n, sum: seen.sum + sum, sumSq: seen.sumSq + sumSq }
        : { steps, n, sum, sumSq },
    );
  }
  for (const level of bySteps.values()) {
    const within = level.sumSq - (level.sum * level.sum) / level.n;
    // Rounding in the database or here can leave a tiny negative; a large one is a bug upstream.
    if (within < -1e-9 * Math.max(level.sumSq, 1)) {
      throw new Error('fitDuration requires sumSq ≥ sum²/n at every level');
    }
  }
  return [...bySteps.values()];
}

function withinLevelSumOfSquares(level: DurationSums): number {
  return Math.max(0, level.sumSq - (level.sum * level.sum) / level.n);
}

function relativeGap(measured: number, predicted: number): number {
  const gap = Math.abs(measured - predicted);
  if (gap < MATERIAL_GAP_MS) return 0;
  if (measured > 0) return gap / measured;
  return gap > 0 ? Number.POSITIVE_INFINITY : 0;
}

function lackOfFitPValue(
  ssLackOfFit: number,
  dfLackOfFit: number,
  ssPureError: number,
  dfPureError: number,
  ssTotal: number,
): number {
  // Identical repeats (simulated data): any real departure is then infinitely significant; a
  // departure at rounding level is not one.
  const negligible = 1e-12 * Math.max(ssTotal, 1);
  if (ssPureError <= negligible) return ssLackOfFit <= negligible ? 1 : 0;
  const f = ssLackOfFit / dfLackOfFit / (ssPureError / dfPureError);
  return fUpperTail(f, dfLackOfFit, dfPureError);
}

/** A fitted line can dip below zero; say so rather than fail. */
function signedDuration(ms: number): string {
  return ms < 0 ? `−${formatDuration(-ms)}` : formatDuration(ms);
}

function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toPrecision(2);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** P(F > f) for an F(d1, d2) variable: I_{d2/(d2 + d1·f)}(d2/2, d1/2). */
function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (!Number.isFinite(f)) return 0;
  return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Regularised incomplete beta I_x(a, b) (Numerical Recipes, 3rd ed., §6.4). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Continued fraction for the incomplete beta by the modified Lentz method. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 3e-16) break;
  }
  return h;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms; ~15 significant digits). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let series = 0;
  for (const [i, coefficient] of LANCZOS.entries()) series += i === 0 ? coefficient : coefficient / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}
