import type { KneedleCurve, KneedleDirection } from './kneedle.js';

/** The shape {@link findShape} guesses for a curve, in the terms `kneedle` takes as options. */
export interface CurveShape {
  direction: KneedleDirection;
  curve: KneedleCurve;
}

/**
 * Guesses whether a curve rises or falls and whether it bends like a knee (concave) or an elbow
 * (convex), as kneed 0.8.6's `find_shape` does:
 *
 * 1. Fit a straight line y ≈ a·x + b by least squares (kneed's docs say degree 2; its code uses 1).
 * 2. q = mean over the index slice [⌊0.2n⌋, ⌊0.8n⌋) of (y − (a·x + b)): the middle of a concave curve
 *    lies above its chord-like fit, the middle of a convex one below.
 * 3. direction = a > 0 ? 'increasing' : 'decreasing'; curve = q > 0 ? 'concave' : 'convex'.
 *
 * The line is fitted with centred sums (a = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²), which is stable for any offset of
 * x. For an exactly straight line q is rounding noise, so the curve label is arbitrary, as in kneed.
 *
 * Reference: Satopää et al. 2011 (Kneedle works on one of these four shapes); kneed 0.8.6
 * `kneed/shape_detector.py`.
 *
 * Cost: O(n) time, O(1) extra space.
 *
 * Throws when x and y differ in length, when a value is not finite, or when there are fewer than two
 * distinct x values (no line can be fitted), e.g. "findShape requires at least 2 distinct x values".
 *
 * @example
 * findShape([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 60, 80, 85, 90, 95, 96, 97, 98, 99]);
 * // => { direction: 'increasing', curve: 'concave' }
 */
export function findShape(x: readonly number[], y: readonly number[]): CurveShape {
  validate(x, y);
  const n = x.length;

  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i] as number;
    sumY += y[i] as number;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sumXY = 0;
  let sumXX = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    sumXY += dx * ((y[i] as number) - meanY);
    sumXX += dx * dx;
  }
  const slope = sumXY / sumXX;
  const intercept = meanY - slope * meanX;

  // Python's int(n * 0.2): the same floating product, truncated.
  const from = Math.trunc(n * 0.2);
  const to = Math.trunc(n * 0.8);
  let sumMiddleY = 0;
  let sumMiddleFit = 0;
  for (let i = from; i < to; i++) {
    sumMiddleY += y[i] as number;
    sumMiddleFit += (x[i] as number) * slope + intercept;
  }
  const count = to - from;
  const q = sumMiddleY / count - sumMiddleFit / count;

  return {
    direction: slope > 0 ? 'increasing' : 'decreasing',
    curve: q > 0 ? 'concave' : 'convex',
  };
}

function validate(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new Error(`findShape requires x and y of the same length, got ${x.length} and ${y.length}`);
  }
  for (const [name, values] of [
    ['x', x],
    ['y', y],
  ] as const) {
    const bad = values.findIndex((value) => !Number.isFinite(value));
    if (bad !== -1) {
      throw new Error(
        `findShape requires finite ${name} values, got ${String(values[bad])} at index ${bad}`,
      );
    }
  }
  if (new Set(x).size < 2) {
    throw new Error('findShape requires at least 2 distinct x values');
  }
}
