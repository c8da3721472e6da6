/**
 * Weighted isotonic (non-decreasing) regression: the values f₁ ≤ f₂ ≤ … ≤ f_L that minimise
 * Σ wᵢ(yᵢ − fᵢ)², for values already ordered by steps. Each run of violators is replaced by its
 * weighted mean.
 *
 * Method: pool-adjacent-violators (Ayer et al., "An empirical distribution function for sampling
 * with incomplete information", 1955; Barlow et al., "Statistical Inference under Order
 * Restrictions", 1972). Cost: O(L) amortised.
 *
 * Errors: "isotonicRegression requires arrays of equal length", "... requires finite values",
 * "... requires positive finite weights".
 *
 * @example
 * isotonicRegression([1, 3, 2, 4], [1, 1, 1, 1]); // [1, 2.5, 2.5, 4]
 * isotonicRegression([1, 3, 2, 4], [1, 3, 1, 1]); // [1, 2.75, 2.75, 4]
 */
export function isotonicRegression(values: readonly number[], weights: readonly number[]): number[] {
  const name = 'isotonicRegression';
  if (values.length !== weights.length) throw new Error(`${name} requires arrays of equal length`);
  if (!values.every(Number.isFinite)) throw new Error(`${name} requires finite values`);
  if (!weights.every((w) => Number.isFinite(w) && w > 0)) throw new Error(`${name} requires positive finite weights`);
  const blockMean: number[] = [];
  const blockWeight: number[] = [];
  const blockSize: number[] = [];
  for (let i = 0; i < values.length; i++) {
    blockMean.push(values[i]!);
    blockWeight.push(weights[i]!);
    blockSize.push(1);
    while (blockMean.length >= 2 && blockMean[blockMean.length - 2]! > blockMean[blockMean.length - 1]!) {
      const mean = blockMean.pop()!;
      const weight = blockWeight.pop()!;
      const size = blockSize.pop()!;
      const last = blockMean.length - 1;
      const pooledWeight = blockWeight[last]! + weight;
      blockMean[last] = (blockMean[last]! * blockWeight[last]! + mean * weight) / pooledWeight;
      blockWeight[last] = pooledWeight;
      blockSize[last]! += size;
    }
  }
  const fitted: number[] = [];
  blockMean.forEach((mean, index) => {
    for (let k = 0; k < blockSize[index]!; k++) fitted.push(mean);
  });
  return fitted;
}

/**
 * The piecewise-linear curve through (stepsᵢ, fittedᵢ), constant before the first and after the
 * last point: the isotonic fallback curve, which never extrapolates a trend beyond the tested range.
 * Steps must be increasing. Cost: O(log L) per evaluation.
 *
 * Errors: "piecewiseLinear requires at least one point", "... requires arrays of equal length",
 * "... requires increasing steps".
 *
 * @example
 * const curve = piecewiseLinear([10, 20], [4, 6]);
 * curve(15); // 5
 * curve(5); // 4
 * curve(40); // 6
 */
export function piecewiseLinear(steps: readonly number[], fitted: readonly number[]): (steps: number) => number {
  const name = 'piecewiseLinear';
  if (steps.length !== fitted.length) throw new Error(`${name} requires arrays of equal length`);
  if (steps.length === 0) throw new Error(`${name} requires at least one point`);
  for (let i = 1; i < steps.length; i++) {
    if (!(steps[i]! > steps[i - 1]!)) throw new Error(`${name} requires increasing steps`);
  }
  const xs = [...steps];
  const ys = [...fitted];
  const last = xs.length - 1;
  return (s: number) => {
    if (s <= xs[0]!) return ys[0]!;
    if (s >= xs[last]!) return ys[last]!;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= s) lo = mid;
      else hi = mid;
    }
    const t = (s - xs[lo]!) / (xs[hi]! - xs[lo]!);
    return ys[lo]! + t * (ys[hi]! - ys[lo]!);
  };
}
