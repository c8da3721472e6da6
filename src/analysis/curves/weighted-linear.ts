/** Result of {@link weightedLinearFit}. */
export interface LinearFit {
  /** One coefficient per column (0 for a non-negative column held at its bound). */
  coefficients: number[];
  /** Weighted residual sum of squares Σ wᵢ(yᵢ − Σⱼ cⱼ·xᵢⱼ)². */
  rss: number;
}

function solve(matrix: number[][], rhs: number[]): number[] | null {
  const size = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    const scale = Math.max(1e-300, ...a.map((row) => Math.abs(row[col]!)));
    if (!(Math.abs(a[pivot]![col]!) > 1e-12 * scale)) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < size; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= size; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let value = a[row]![size]!;
    for (let k = row + 1; k < size; k++) value -= a[row]![k]! * x[k]!;
    x[row] = value / a[row]![row]!;
  }
  return x;
}

/**
 * Weighted least squares of y on a few columns (at most about 4), where some coefficients must be
 * non-negative: every way of holding the constrained coefficients at 0 or leaving them free is
 * tried, and the best feasible one is kept (an exact active-set search; 2^c small systems for c
 * constrained columns). The first column is usually the constant.
 *
 * Reference: Lawson & Hanson, "Solving Least Squares Problems" (1974), ch. 23 (NNLS), done here by
 * enumeration because c ≤ 2. Cost: O(2^c·L·p²) for L points and p columns.
 *
 * Errors: none (a singular system leaves its columns at 0).
 *
 * @example
 * weightedLinearFit([[1, 1, 1], [0, 1, 2]], [1, 3, 5], [1, 1, 1], [false, true]);
 * // { coefficients: [1, 2], rss: 0 }
 */
export function weightedLinearFit(
  columns: readonly (readonly number[] | Float64Array)[],
  y: readonly number[],
  w: readonly number[],
  nonNegative: readonly boolean[],
): LinearFit {
  const p = columns.length;
  const count = y.length;
  const gram = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  let yty = 0;
  for (let i = 0; i < count; i++) {
    const wi = w[i]!;
    const yi = y[i]!;
    yty += wi * yi * yi;
    for (let r = 0; r < p; r++) {
      const xr = columns[r]![i]! * wi;
      xty[r]! += xr * yi;
      for (let c = r; c < p; c++) gram[r]![c]! += xr * columns[c]![i]!;
    }
  }
  for (let r = 0; r < p; r++) for (let c = 0; c < r; c++) gram[r]![c] = gram[c]![r]!;
  const constrained = nonNegative.map((flag, index) => (flag ? index : -1)).filter((index) => index >= 0);
  // Each way of holding constrained coefficients at 0 is compared by its RSS from the normal
  // equations (yᵀWy − 2cᵀXᵀWy + cᵀGc, no pass over the data); only the winner's RSS is then
  // computed directly, for accuracy when the fit is (nearly) exact.
  let bestCoefficients: number[] | null = null;
  let bestQuadratic = Infinity;
  for (let mask = 0; mask < 1 << constrained.length; mask++) {
    const held = new Set(constrained.filter((_, k) => (mask >> k) & 1));
    const free = Array.from({ length: p }, (_, index) => index).filter((index) => !held.has(index));
    const solution = free.length === 0 ? [] : solve(free.map((r) => free.map((c) => gram[r]![c]!)), free.map((r) => xty[r]!));
    if (solution === null) continue;
    const coefficients = new Array<number>(p).fill(0);
    free.forEach((index, k) => (coefficients[index] = solution[k]!));
    if (constrained.some((index) => coefficients[index]! < 0)) continue;
    let quadratic = yty;
    for (let r = 0; r < p; r++) {
      quadratic -= 2 * coefficients[r]! * xty[r]!;
      for (let c = 0; c < p; c++) quadratic += coefficients[r]! * gram[r]![c]! * coefficients[c]!;
    }
    if (quadratic < bestQuadratic - 1e-12 * Math.abs(yty)) {
      bestQuadratic = quadratic;
      bestCoefficients = coefficients;
    }
  }
  if (bestCoefficients !== null) {
    let rss = 0;
    for (let i = 0; i < count; i++) {
      let fitted = 0;
      for (let r = 0; r < p; r++) fitted += bestCoefficients[r]! * columns[r]![i]!;
      rss += w[i]! * (y[i]! - fitted) ** 2;
    }
    return { coefficients: bestCoefficients, rss };
  }
  return { coefficients: new Array<number>(p).fill(0), rss: yty };
}
