import { createRandom } from './random.js';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples (default 400). 0 gives the interval [estimate, estimate] from no draws. */
  samples: number;
  /** Seed of the random draws (default 20240611): same data and seed, same interval. */
  seed: number;
  /** Coverage of the interval (default 0.9: the 5th and 95th percentiles). */
  level: number;
}

/** Result of {@link bootstrapInterval}. */
export interface BootstrapInterval {
  /** Lower end: the (1 − level)/2 percentile of the resampled estimates. */
  low: number;
  /** Upper end; Infinity when more than (1 − level)/2 of the resamples had no answer. */
  high: number;
  /** The resampled estimates, sorted (Infinity for resamples without an answer). */
  estimates: number[];
  /** Resamples whose estimate was not finite. */
  unbounded: number;
}

export const DEFAULT_BOOTSTRAP_SEED = 20240611;

/**
 * A parametric bootstrap interval for any estimate computed from level means: each resample draws
 * every level's mean from N(meanᵢ, seᵢ²) with a seeded generator, recomputes the estimate (e.g.
 * refit the curve and reapply the sweet-spot rule), and the interval is read from the percentiles
 * of the resampled estimates. `estimate` should return Infinity when a resample gives no answer
 * (e.g. no plateau); NaN is treated the same way, and such draws sort above every finite value.
 *
 * Percentiles are the linear-interpolation ("type 7") positions p·(B − 1) rounded outward to a
 * resampled value (floor for the lower end, ceiling for the upper end), so integer estimates give
 * integer ends and the interval errs on the wide side.
 *
 * Reference: Efron & Tibshirani, "An Introduction to the Bootstrap" (1993), §6.5 (parametric
 * bootstrap) and §13.3 (percentile interval); Hyndman & Fan (1996) for percentile types.
 *
 * Cost: O(B·(L + cost of estimate)) for B resamples and L levels, plus O(B log B) to sort.
 *
 * Errors: "bootstrapInterval requires arrays of equal length", "... requires finite means and
 * non-negative standard errors", "... requires a non-negative integer number of samples",
 * "... requires a level between 0 and 1".
 *
 * @example
 * // The mean of one level, 5 ± 1: the 90% interval is about 5 ± 1.645.
 * const r = bootstrapInterval([5], [1], (m) => m[0]!, { samples: 4000, seed: 1 });
 * // r.low ≈ 3.36, r.high ≈ 6.64
 */
export function bootstrapInterval(
  means: readonly number[],
  standardErrors: readonly number[],
  estimate: (resampledMeans: readonly number[]) => number,
  options: Partial<BootstrapOptions> = {},
): BootstrapInterval {
  const name = 'bootstrapInterval';
  const samples = options.samples ?? 400;
  const level = options.level ?? 0.9;
  if (means.length !== standardErrors.length) throw new Error(`${name} requires arrays of equal length`);
  if (!means.every(Number.isFinite) || !standardErrors.every((se) => Number.isFinite(se) && se >= 0)) {
    throw new Error(`${name} requires finite means and non-negative standard errors`);
  }
  if (!Number.isInteger(samples) || samples < 0) {
    throw new Error(`${name} requires a non-negative integer number of samples`);
  }
  if (!(level > 0 && level < 1)) throw new Error(`${name} requires a level between 0 and 1`);
  if (samples === 0) {
    const value = estimate(means);
    const point = Number.isNaN(value) ? Infinity : value;
    return { low: point, high: point, estimates: [point], unbounded: Number.isFinite(point) ? 0 : 1 };
  }
  const random = createRandom(options.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const resampled = new Array<number>(means.length).fill(0);
  const estimates: number[] = [];
  for (let draw = 0; draw < samples; draw++) {
    for (let i = 0; i < means.length; i++) resampled[i] = means[i]! + standardErrors[i]! * random.normal();
    const value = estimate(resampled);
    estimates.push(Number.isNaN(value) ? Infinity : value);
  }
  estimates.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  const lowIndex = Math.floor(tail * (samples - 1) + 1e-9);
  const highIndex = Math.ceil((1 - tail) * (samples - 1) - 1e-9);
  return {
    low: estimates[lowIndex]!,
    high: estimates[highIndex]!,
    estimates,
    unbounded: estimates.filter((value) => !Number.isFinite(value)).length,
  };
}
