/** A least-squares polynomial fitted by {@link polynomialFit}. */
export interface PolynomialFit {
  /** The degree that was asked for. */
  readonly degree: number;
  /** The degree actually used: min(degree, distinct x count - 1). */
  readonly effectiveDegree: number;
  /** True when degree + 1 >= the number of distinct x, so the fit passes through the data. */
  readonly interpolates: boolean;
  /** The fitted value at each input x, in input order. */
  readonly fitted: number[];
  /** Evaluates the fitted polynomial at any x. */
  predict(at: number): number;
}

/**
 * Least-squares polynomial fit of y on x, the model behind `numpy.polyfit(x, y, degree)` that
 * kneed 0.8.6 uses for `interp_method='polynomial'`, computed the numerically careful way.
 *
 * Method:
 * 1. x is centred and scaled onto t in [-1, 1] (t = (x - mid) / halfRange).
 * 2. The basis is the Chebyshev polynomials T0..Td of t, not the monomials x^k: on [-1, 1] they stay
 *    bounded by 1 and nearly orthogonal, so the design matrix is well conditioned even for degree 11
 *    with x in the hundreds, where a raw Vandermonde matrix (and worse, its normal equations) loses
 *    every significant digit.
 * 3. The least-squares problem is solved by Householder QR (never by normal equations). A column whose
 *    R diagonal falls below n * eps * the largest one is treated as rank deficient and its coefficient
 *    set to 0.
 * The polynomial space is the same as numpy's, so the fitted values agree with a well-conditioned
 * polyfit to rounding.
 *
 * When degree + 1 >= the number of distinct x values, a polynomial of that degree can pass through
 * every distinct point, and the fit interpolates: `fitted` is then exactly y (or, where x values repeat,
 * exactly the mean of the y values at that x, which is what least squares gives). `predict` uses the
 * unique interpolant of degree (distinct count - 1); numpy would instead return the minimum-norm
 * solution of an underdetermined system, which agrees at the data but not between them.
 *
 * Reference: Golub & Van Loan, Matrix Computations, §5.3 (QR least squares); Trefethen, Approximation
 * Theory and Approximation Practice, ch. 3 (Chebyshev bases); used as step 1 of Kneedle (Satopää et al.
 * 2011) as in kneed 0.8.6.
 *
 * Cost: O(n · p²) time and O(n · p) space for n points and p = effectiveDegree + 1 coefficients;
 * `predict` is O(p).
 *
 * Throws when x and y differ in length, when there are no points, when a value is not finite, or when
 * the degree is not an integer >= 0
 * (e.g. "polynomialFit requires degree to be an integer >= 0, got 1.5").
 *
 * @example
 * const fit = polynomialFit([0, 1, 2, 3], [1, 3, 5, 7], 1);
 * fit.fitted; // => [1, 3, 5, 7] (to rounding)
 * fit.predict(10); // => 21 (to rounding)
 */
export function polynomialFit(
  x: readonly number[],
  y: readonly number[],
  degree: number,
): PolynomialFit {
  validate(x, y, degree);
  const n = x.length;

  let minX = Infinity;
  let maxX = -Infinity;
  for (const value of x) {
    minX = Math.min(minX, value);
    maxX = Math.max(maxX, value);
  }
  const distinct = countDistinct(x);
  const interpolates = degree + 1 >= distinct;
  const effectiveDegree = Math.min(degree, distinct - 1);

  // A single distinct x: the fit is the constant mean of y.
  const mid = (minX + maxX) / 2;
  const halfRange = (maxX - minX) / 2;
  const toT = (value: number): number => (halfRange === 0 ? 0 : (value - mid) / halfRange);

  const columns = effectiveDegree + 1;
  const t = x.map(toT);
  const design = chebyshevDesign(t, columns);
  const coefficients = solveLeastSquares(design, n, columns, y);

  const predict = (at: number): number => clenshaw(coefficients, toT(at));
  const fitted = interpolates ? meanYPerX(x, y) : multiply(design, n, columns, coefficients);

  return { degree, effectiveDegree, interpolates, fitted, predict };
}

function validate(x: readonly number[], y: readonly number[], degree: number): void {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new Error(`polynomialFit requires degree to be an integer >= 0, got ${String(degree)}`);
  }
  if (x.length !== y.length) {
    throw new Error(
      `polynomialFit requires x and y of the same length, got ${x.length} and ${y.length}`,
    );
  }
  if (x.length === 0) {
    throw new Error('polynomialFit requires at least one data point');
  }
  for (const [name, values] of [
    ['x', x],
    ['y', y],
  ] as const) {
    const bad = values.findIndex((value) => !Number.isFinite(value));
    if (bad !== -1) {
      throw new Error(
        `polynomialFit requires finite ${name} values, got ${String(values[bad])} at index ${bad}`,
      );
    }
  }
}

function countDistinct(values: readonly number[]): number {
  // Set equality is SameValueZero, so 0 and -0 count once, as they compare equal in numpy.
  return new Set(values).size;
}

/** Least squares with several points on one x gives that x the mean of their y. */
function meanYPerX(x: readonly number[], y: readonly number[]): number[] {
  const sums = new Map<number, { sumY: number; count: number }>();
  x.forEach((value, i) => {
    const entry = sums.get(value) ?? { sumY: 0, count: 0 };
    entry.sumY += y[i] as number;
    entry.count += 1;
    sums.set(value, entry);
  });
  return x.map((value, i) => {
    const entry = sums.get(value) as { sumY: number; count: number };
    // A lone point keeps its own y bit for bit.
    return entry.count === 1 ? (y[i] as number) : entry.sumY / entry.count;
  });
}

/** Row-major n × columns matrix with entry (i, k) = T_k(t_i), by the three-term recurrence. */
function chebyshevDesign(t: readonly number[], columns: number): Float64Array {
  const n = t.length;
  const design = new Float64Array(n * columns);
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number;
    const row = i * columns;
    design[row] = 1;
    if (columns > 1) design[row + 1] = ti;
    for (let k = 2; k < columns; k++) {
      design[row + k] = 2 * ti * (design[row + k - 1] as number) - (design[row + k - 2] as number);
    }
  }
  return design;
}

/**
 * Minimises ||A c - y||₂ by Householder QR on a copy of A (row-major n × p): reduce A to R while
 * applying the same reflections to y, then back-substitute R c = (Qᵀ y)[0..p).
 */
function solveLeastSquares(
  design: Float64Array,
  n: number,
  p: number,
  y: readonly number[],
): Float64Array {
  const a = Float64Array.from(design);
  const rhs = Float64Array.from(y);
  const at = (i: number, k: number): number => a[i * p + k] as number;

  for (let k = 0; k < Math.min(p, n); k++) {
    // Norm of column k below the diagonal, scaled to avoid overflow.
    let scale = 0;
    for (let i = k; i < n; i++) scale = Math.max(scale, Math.abs(at(i, k)));
    if (scale === 0) continue;
    let sumSquares = 0;
    for (let i = k; i < n; i++) sumSquares += (at(i, k) / scale) ** 2;
    const alpha = -Math.sign(at(k, k) || 1) * scale * Math.sqrt(sumSquares);

    // Householder vector v = column - alpha e_k, stored in place; H = I - 2 v vᵀ / (vᵀ v).
    a[k * p + k] = at(k, k) - alpha;
    let vNormSquared = 0;
    for (let i = k; i < n; i++) vNormSquared += at(i, k) ** 2;

    for (let j = k + 1; j < p; j++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += at(i, k) * at(i, j);
      const factor = (2 * dot) / vNormSquared;
      for (let i = k; i < n; i++) a[i * p + j] = at(i, j) - factor * at(i, k);
    }
    let dot = 0;
    for (let i = k; i < n; i++) dot += at(i, k) * (rhs[i] as number);
    const factor = (2 * dot) / vNormSquared;
    for (let i = k; i < n; i++) rhs[i] = (rhs[i] as number) - factor * at(i, k);

    a[k * p + k] = alpha;
  }

  let largestDiagonal = 0;
  for (let k = 0; k < Math.min(p, n); k++) {
    largestDiagonal = Math.max(largestDiagonal, Math.abs(at(k, k)));
  }
  const negligible = n * Number.EPSILON * largestDiagonal;

  const coefficients = new Float64Array(p);
  for (let k = Math.min(p, n) - 1; k >= 0; k--) {
    const diagonal = at(k, k);
    if (Math.abs(diagonal) <= negligible) {
      coefficients[k] = 0;
      continue;
    }
    let sum = rhs[k] as number;
    for (let j = k + 1; j < p; j++) sum -= at(k, j) * (coefficients[j] as number);
    coefficients[k] = sum / diagonal;
  }
  return coefficients;
}

function multiply(design: Float64Array, n: number, p: number, c: Float64Array): number[] {
  const result: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += (design[i * p + k] as number) * (c[k] as number);
    result[i] = sum;
  }
  return result;
}

/** Σ c_k T_k(t) by Clenshaw's recurrence. */
function clenshaw(c: Float64Array, t: number): number {
  let next = 0;
  let nextNext = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const current = 2 * t * next - nextNext + (c[k] as number);
    nextNext = next;
    next = current;
  }
  return t * next - nextNext + (c[0] as number);
}
