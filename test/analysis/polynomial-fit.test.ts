import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { polynomialFit } from '../../src/analysis/polynomial-fit.js';

const maxAbs = (values: readonly number[]): number =>
  values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);

/**
 * The naive way: raw Vandermonde columns x^k, normal equations XᵀX c = Xᵀy, Gaussian elimination
 * with partial pivoting. Here only to show what the careful fit protects against.
 */
function naiveNormalEquationsFit(x: readonly number[], y: readonly number[], degree: number) {
  const p = degree + 1;
  const gram = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  x.forEach((xi, i) => {
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) (gram[r] as number[])[c]! += xi ** (r + c);
      (gram[r] as number[])[p]! += xi ** r * (y[i] as number);
    }
  });
  for (let k = 0; k < p; k++) {
    let pivot = k;
    for (let r = k + 1; r < p; r++) {
      if (Math.abs(gram[r]![k]!) > Math.abs(gram[pivot]![k]!)) pivot = r;
    }
    [gram[k], gram[pivot]] = [gram[pivot]!, gram[k]!];
    for (let r = k + 1; r < p; r++) {
      const factor = gram[r]![k]! / gram[k]![k]!;
      for (let c = k; c <= p; c++) gram[r]![c]! -= factor * gram[k]![c]!;
    }
  }
  const coefficients = new Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let sum = gram[k]![p]!;
    for (let c = k + 1; c < p; c++) sum -= gram[k]![c]! * coefficients[c]!;
    coefficients[k] = sum / gram[k]![k]!;
  }
  return x.map((xi) => coefficients.reduce((sum, c, k) => sum + c * xi ** k, 0));
}

describe('polynomialFit', () => {
  it('fits the doc example: a straight line through [1, 3, 5, 7]', () => {
    const fit = polynomialFit([0, 1, 2, 3], [1, 3, 5, 7], 1);
    fit.fitted.forEach((value, i) => expect(value).toBeCloseTo([1, 3, 5, 7][i]!, 12));
    expect(fit.predict(10)).toBeCloseTo(21, 10);
    expect(fit.interpolates).toBe(false);
    expect(fit.effectiveDegree).toBe(1);
  });

  it('finds the least-squares line through (0,0), (1,1), (2,1) worked by hand', () => {
    // x̄ = 1, ȳ = 2/3; slope = Σ(x−1)(y−2/3) / Σ(x−1)² = ((−1)(−2/3) + 0 + (1)(1/3)) / 2 = 1/2;
    // intercept = 2/3 − 1/2 = 1/6; fitted = [1/6, 2/3, 7/6].
    const fit = polynomialFit([0, 1, 2], [0, 1, 1], 1);
    expect(fit.fitted[0]).toBeCloseTo(1 / 6, 14);
    expect(fit.fitted[1]).toBeCloseTo(2 / 3, 14);
    expect(fit.fitted[2]).toBeCloseTo(7 / 6, 14);
  });

  it('degree 0 is the mean', () => {
    const fit = polynomialFit([1, 2, 3, 4], [2, 4, 6, 12], 0);
    fit.fitted.forEach((value) => expect(value).toBeCloseTo(6, 14));
    expect(fit.predict(100)).toBeCloseTo(6, 14);
  });

  it('interpolates exactly when degree + 1 >= distinct x (7 points, degree 7 and 6)', () => {
    const x = [0, 1, 2, 3, 4, 5, 6];
    const y = [3, -1, 4, 1, -5, 9, 2];
    for (const degree of [6, 7, 12]) {
      const fit = polynomialFit(x, y, degree);
      expect(fit.interpolates).toBe(true);
      expect(fit.effectiveDegree).toBe(6);
      expect(fit.fitted).toEqual(y);
      x.forEach((xi, i) => expect(fit.predict(xi)).toBeCloseTo(y[i]!, 9));
    }
  });

  it('gives repeated x the mean of their y when it interpolates', () => {
    const fit = polynomialFit([0, 0, 1], [1, 3, 5], 1);
    expect(fit.interpolates).toBe(true);
    expect(fit.fitted).toEqual([2, 2, 5]);
  });

  it('recovers a degree-9 polynomial on x in the hundreds, where naive normal equations fail', () => {
    // y = Σ c_k u^k with u = (x − 700) / 200: an exact degree-9 polynomial in x, whose monomial
    // coefficients in x span ~25 orders of magnitude. x runs 500, 504, …, 900. Measured: the careful
    // fit is off by ~4e-16 of max |y|, the naive normal equations by ~6e-3.
    const c = [3, -2, 1.5, 4, -1, 0.5, 2, -3, 1, 0.25];
    const u = (xi: number) => (xi - 700) / 200;
    const x = Array.from({ length: 101 }, (_, i) => 500 + 4 * i);
    const y = x.map((xi) => c.reduce((sum, ck, k) => sum + ck * u(xi) ** k, 0));
    const scale = maxAbs(y);

    const fit = polynomialFit(x, y, 9);
    const residual = maxAbs(fit.fitted.map((value, i) => value - y[i]!));
    expect(residual / scale).toBeLessThan(1e-12);
    expect(fit.predict(777) / scale).toBeCloseTo(
      c.reduce((sum, ck, k) => sum + ck * u(777) ** k, 0) / scale,
      12,
    );

    const naive = naiveNormalEquationsFit(x, y, 9);
    const naiveResidual = maxAbs(naive.map((value, i) => value - y[i]!));
    expect(Number.isFinite(naiveResidual) ? naiveResidual / scale : Infinity).toBeGreaterThan(1e-3);
  });

  it('recovers an exact degree-11 polynomial on 1000 points in the hundreds', () => {
    const x = Array.from({ length: 1000 }, (_, i) => 300 + i * 0.5);
    const u = (xi: number) => (xi - 550) / 250;
    const y = x.map((xi) => u(xi) ** 11 - 2 * u(xi) ** 4 + 0.5 * u(xi) - 3);
    const fit = polynomialFit(x, y, 11);
    expect(maxAbs(fit.fitted.map((value, i) => value - y[i]!))).toBeLessThan(1e-11);
  });

  it('reproduces any polynomial of degree <= d from enough distinct points (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (degree, coefficients, offset, width) => {
          const x = Array.from({ length: 30 }, (_, i) => offset + (width * i) / 29);
          const poly = (xi: number) =>
            coefficients
              .slice(0, degree + 1)
              .reduce((sum, ck, k) => sum + ck * ((xi - offset) / width) ** k, 0);
          const y = x.map(poly);
          const fit = polynomialFit(x, y, degree);
          const tolerance = 1e-9 * Math.max(1, maxAbs(y));
          return fit.fitted.every((value, i) => Math.abs(value - y[i]!) <= tolerance);
        },
      ),
    );
  });

  it.each([
    [[0, 1], [0, 1], 1.5, 'polynomialFit requires degree to be an integer >= 0, got 1.5'],
    [[0, 1], [0, 1], -1, 'polynomialFit requires degree to be an integer >= 0, got -1'],
    [[0, 1], [0], 1, 'polynomialFit requires x and y of the same length, got 2 and 1'],
    [[], [], 1, 'polynomialFit requires at least one data point'],
    [[0, Number.NaN], [0, 1], 1, 'polynomialFit requires finite x values, got NaN at index 1'],
    [[0, 1], [Infinity, 1], 1, 'polynomialFit requires finite y values, got Infinity at index 0'],
  ])('throws for x=%j y=%j degree=%s', (x, y, degree, message) => {
    expect(() => polynomialFit(x, y, degree)).toThrow(message);
  });
});
