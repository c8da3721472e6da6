import { argrelExtrema } from './argrel-extrema.js';
import { polynomialFit } from './polynomial-fit.js';

export type KneedleCurve = 'concave' | 'convex';
export type KneedleDirection = 'increasing' | 'decreasing';
export type KneedleInterpMethod = 'interp1d' | 'polynomial';

/** kneed's `KneeLocator` parameters, renamed: S → sensitivity, interp_method → interpMethod. */
export interface KneedleOptions {
  /** kneed's S: how far the difference curve must drop below a maximum before it counts. */
  sensitivity: number;
  curve: KneedleCurve;
  direction: KneedleDirection;
  /** 'interp1d' uses y as it is; 'polynomial' locates the knee on a least-squares polynomial. */
  interpMethod: KneedleInterpMethod;
  /** false: the first knee found; true: keep scanning and report the last one. */
  online: boolean;
  /** Degree of the 'polynomial' fit. */
  polynomialDegree: number;
}

/**
 * What kneed 0.8.6 reports, with `null` where kneed gives None.
 *
 * kneed keeps `all_knees` and `all_norm_knees` as Python sets, which have no meaningful order. Here
 * they are arrays of distinct values in first-detection order; sort them to compare with kneed.
 * `allKneesY` and `allNormKneesY` are lists in kneed too, appended together whenever a knee x is seen
 * for the first time, so they line up index for index with `allKnees` (not with `allNormKnees`).
 */
export interface KneedleResult {
  knee: number | null;
  /** Raw y at the knee; null when there is no knee and also when the knee is 0 (kneed's falsy check). */
  kneeY: number | null;
  /** Index of the knee in the transformed frame, as a normalized x (see {@link kneedle}). */
  normKnee: number | null;
  /** Transformed normalized y at normKnee; null exactly when kneeY is. */
  normKneeY: number | null;
  allKnees: number[];
  allKneesY: number[];
  allNormKnees: number[];
  allNormKneesY: number[];
}

const DEFAULT_OPTIONS: KneedleOptions = {
  sensitivity: 1,
  curve: 'concave',
  direction: 'increasing',
  interpMethod: 'interp1d',
  online: false,
  polynomialDegree: 7,
};

/**
 * Finds the knee (or elbow) of a curve with the Kneedle algorithm, reproducing the Python library
 * kneed 0.8.6 (`KneeLocator`) result for result, quirks included:
 *
 * 1. Smooth: Ds = y for 'interp1d' (kneed evaluates the interpolant at its own nodes); for
 *    'polynomial', Ds = a least-squares polynomial of `polynomialDegree` evaluated at x (see
 *    `polynomialFit`; it interpolates when degree + 1 >= distinct x count).
 * 2. Normalize x and Ds to [0, 1]. A zero range gives NaN, as in kneed, and then no knee.
 * 3. Make the shape concave increasing: concave/decreasing flips yn; convex/decreasing takes 1 − yn;
 *    convex/increasing takes 1 − yn and flips it. x is never flipped.
 * 4. Difference curve D = yn − xn; its maxima and minima use non-strict comparisons
 *    (`argrelExtrema`), so plateau points can be both.
 * 5. Each maximum m gets the threshold T = D[m] − sensitivity · |mean(diff(xn))| (the mean is summed
 *    pairwise like numpy's, so ties break as in kneed).
 * 6. Scan i from the first maximum to n − 2: at a maximum, arm its threshold; at a minimum, disarm
 *    (also for a point that is both); while armed, D[i+1] < T declares a knee at the most recent
 *    maximum. Offline returns the first knee; online records every detection and returns the last.
 * 7. A knee at index t is x[t] for concave/increasing and convex/decreasing, and x[n−1−t] for the two
 *    flipped cases; normKnee is always xn[t], the position in the flipped frame (so concave/decreasing
 *    data can report knee 7 with normKnee 2/9).
 * 8. kneeY is the raw y at the first x equal to the knee, normKneeY the transformed yn at the first xn
 *    equal to normKnee, and both are only filled in when the knee is truthy: a knee at x = 0 has
 *    kneeY = normKneeY = null (allKneesY still holds the value).
 *
 * Like kneed, x is neither sorted nor checked for order; results assume it ascends.
 *
 * Reference: V. Satopää, J. Albrecht, D. Irwin, B. Raghavan, "Finding a 'Kneedle' in a Haystack:
 * Detecting Knee Points in System Behavior", ICDCS Workshops 2011; kneed 0.8.6
 * (`kneed/knee_locator.py`).
 *
 * Cost: O(n) time and space for 'interp1d'; the 'polynomial' fit adds O(n · d²) for degree d.
 *
 * Throws an Error "kneedle requires …" when curve, direction or interpMethod is unknown (kneed raises
 * ValueError), when sensitivity is negative or not finite, when polynomialDegree is not an integer
 * >= 1, when online is not a boolean, when x and y differ in length, when there are fewer than 2
 * points, or when a value of x or y is not finite.
 *
 * @example
 * kneedle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [99, 98, 97, 96, 95, 90, 85, 80, 60, 0], {
 *   direction: 'decreasing',
 * });
 * // => { knee: 7, kneeY: 80, normKnee: 2 / 9, normKneeY: 80 / 99,
 * //      allKnees: [7], allKneesY: [80], allNormKnees: [2 / 9], allNormKneesY: [80 / 99] }
 */
export function kneedle(
  x: readonly number[],
  y: readonly number[],
  options: Partial<KneedleOptions> = {},
): KneedleResult {
  const { sensitivity, curve, direction, interpMethod, online, polynomialDegree } =
    validateOptions(options);
  validateData(x, y);
  const n = x.length;

  const smoothed = interpMethod === 'interp1d' ? y : polynomialFit(x, y, polynomialDegree).fitted;
  const xNormalized = normalize(x);
  const yNormalized = toConcaveIncreasing(normalize(smoothed), curve, direction);
  const difference = yNormalized.map((value, i) => value - (xNormalized[i] as number));

  const maxima = argrelExtrema(difference, 'maxima');
  const minima = new Set(argrelExtrema(difference, 'minima'));
  const step = Math.abs(numpyMean(diff(xNormalized)));
  const thresholds = new Map(
    maxima.map((index) => [index, (difference[index] as number) - sensitivity * step]),
  );

  const flipped = (curve === 'concave') === (direction === 'decreasing');
  const result: KneedleResult = {
    knee: null,
    kneeY: null,
    normKnee: null,
    normKneeY: null,
    allKnees: [],
    allKneesY: [],
    allNormKnees: [],
    allNormKneesY: [],
  };

  // numpy's y[x == v][0]: the first index holding each value.
  const firstIndexOfX = firstIndices(x);
  const firstIndexOfXn = firstIndices(xNormalized);
  const seenKnees = new Set<number>();
  const seenNormKnees = new Set<number>();

  const firstMaximum = maxima[0];
  if (firstMaximum !== undefined) {
    let threshold = 0;
    let thresholdIndex = firstMaximum;
    let active = true;
    for (let i = firstMaximum; i < n - 1; i++) {
      const maximumThreshold = thresholds.get(i);
      if (maximumThreshold !== undefined) {
        threshold = maximumThreshold;
        thresholdIndex = i;
        active = true;
      }
      // The spec's rule: a minimum switches detection off until the next maximum. kneed's source
      // (as far back as it can be read) instead sets threshold = 0 and keeps testing, which differs
      // only when D goes negative after a minimum (e.g. y = x² read as concave increasing).
      if (minima.has(i)) active = false;
      if (!active || !((difference[i + 1] as number) < threshold)) continue;

      const knee = x[flipped ? n - 1 - thresholdIndex : thresholdIndex] as number;
      const normKnee = xNormalized[thresholdIndex] as number;
      // Python's `knee not in set` is == equality, as is SameValueZero for finite numbers.
      if (!seenKnees.has(knee)) {
        seenKnees.add(knee);
        result.allKnees.push(knee);
        result.allKneesY.push(y[firstIndexOfX.get(knee) as number] as number);
        result.allNormKneesY.push(yNormalized[firstIndexOfXn.get(normKnee) as number] as number);
      }
      if (!seenNormKnees.has(normKnee)) {
        seenNormKnees.add(normKnee);
        result.allNormKnees.push(normKnee);
      }
      result.knee = knee;
      result.normKnee = normKnee;
      if (!online) break;
    }
  }

  // kneed fills these in under `if self.knee:`, so a knee at 0 reports no y.
  if (result.knee !== null && result.knee !== 0 && result.normKnee !== null) {
    result.kneeY = y[firstIndexOfX.get(result.knee) as number] as number;
    result.normKneeY = yNormalized[firstIndexOfXn.get(result.normKnee) as number] as number;
  }
  return result;
}

function validateOptions(options: Partial<KneedleOptions>): KneedleOptions {
  const merged: KneedleOptions = { ...DEFAULT_OPTIONS };
  for (const key of Object.keys(DEFAULT_OPTIONS) as (keyof KneedleOptions)[]) {
    if (options[key] !== undefined) Object.assign(merged, { [key]: options[key] });
  }
  const { sensitivity, curve, direction, interpMethod, online, polynomialDegree } = merged;
  requireOneOf('curve', curve, ['concave', 'convex']);
  requireOneOf('direction', direction, ['increasing', 'decreasing']);
  requireOneOf('interpMethod', interpMethod, ['interp1d', 'polynomial']);
  if (typeof sensitivity !== 'number' || !Number.isFinite(sensitivity) || sensitivity < 0) {
    throw new Error(
      `kneedle requires sensitivity to be a finite number >= 0, got ${describe(sensitivity)}`,
    );
  }
  if (!Number.isInteger(polynomialDegree) || polynomialDegree < 1) {
    throw new Error(
      `kneedle requires polynomialDegree to be an integer >= 1, got ${describe(polynomialDegree)}`,
    );
  }
  if (typeof online !== 'boolean') {
    throw new Error(`kneedle requires online to be a boolean, got ${describe(online)}`);
  }
  return merged;
}

function requireOneOf(name: string, value: unknown, allowed: readonly [string, string]): void {
  if (!allowed.includes(value as string)) {
    throw new Error(
      `kneedle requires ${name} to be '${allowed[0]}' or '${allowed[1]}', got ${describe(value)}`,
    );
  }
}

function validateData(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new Error(`kneedle requires x and y of the same length, got ${x.length} and ${y.length}`);
  }
  if (x.length < 2) {
    throw new Error(`kneedle requires at least 2 data points, got ${x.length}`);
  }
  for (const [name, values] of [
    ['x', x],
    ['y', y],
  ] as const) {
    const bad = values.findIndex((value) => typeof value !== 'number' || !Number.isFinite(value));
    if (bad !== -1) {
      throw new Error(
        `kneedle requires finite ${name} values, got ${describe(values[bad])} at index ${bad}`,
      );
    }
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** (a − min a) / (max a − min a), with no guard: a zero range gives NaN, as in kneed. */
function normalize(values: readonly number[]): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return values.map((value) => (value - min) / (max - min));
}

/** kneed's `transform_y`: flip and/or mirror yn so that every shape becomes concave increasing. */
function toConcaveIncreasing(
  yNormalized: number[],
  curve: KneedleCurve,
  direction: KneedleDirection,
): number[] {
  // numpy's max propagates NaN, and so does Math.max.
  const max = yNormalized.reduce((a, b) => Math.max(a, b), -Infinity);
  if (direction === 'decreasing') {
    return curve === 'concave' ? [...yNormalized].reverse() : yNormalized.map((v) => max - v);
  }
  return curve === 'convex' ? yNormalized.map((v) => max - v).reverse() : yNormalized;
}

function firstIndices(values: readonly number[]): Map<number, number> {
  const first = new Map<number, number>();
  values.forEach((value, i) => {
    if (!first.has(value)) first.set(value, i);
  });
  return first;
}

function diff(values: readonly number[]): number[] {
  return values.slice(1).map((value, i) => value - (values[i] as number));
}

/** numpy's mean: the pairwise sum numpy uses for float64, divided by the count. */
function numpyMean(values: readonly number[]): number {
  return pairwiseSum(values, 0, values.length) / values.length;
}

/**
 * numpy's pairwise summation (`pairwise_sum_DOUBLE`): below 8 terms a plain loop; up to 128 terms
 * eight interleaved partial sums; beyond that, split in two (at a multiple of 8) and recurse. Matching
 * it keeps the threshold bit-identical to kneed's, so exact ties fall the same way.
 */
function pairwiseSum(values: readonly number[], start: number, count: number): number {
  const at = (i: number): number => values[start + i] as number;
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += at(i);
    return sum;
  }
  if (count <= 128) {
    const partial = [at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)];
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      for (let j = 0; j < 8; j++) partial[j] = (partial[j] as number) + at(i + j);
    }
    const [p0, p1, p2, p3, p4, p5, p6, p7] = partial as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    let sum = (p0 + p1 + (p2 + p3)) + (p4 + p5 + (p6 + p7));
    for (; i < count; i++) sum += at(i);
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}
