import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isotonicRegression, piecewiseLinear } from '../../src/analysis/isotonic-regression.js';

describe('isotonicRegression', () => {
  it('matches the documented examples (hand-worked pooling)', () => {
    // 3 > 2 violates the order: pool them to (3 + 2)/2 = 2.5; with weights 3 and 1, (9 + 2)/4 = 2.75.
    expect(isotonicRegression([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonicRegression([1, 3, 2, 4], [1, 3, 1, 1])).toEqual([1, 2.75, 2.75, 4]);
  });

  it('pools backwards across several blocks', () => {
    // 5, 1 → 3; then 3 > 0 → (5 + 1 + 0)/3 = 2; then 4 > 2 → (4 + 5 + 1 + 0)/4 = 2.5.
    expect(isotonicRegression([4, 5, 1, 0, 6], [1, 1, 1, 1, 1])).toEqual([2.5, 2.5, 2.5, 2.5, 6]);
    expect(isotonicRegression([], [])).toEqual([]);
    expect(isotonicRegression([3], [2])).toEqual([3]);
  });

  it('is non-decreasing, keeps the weighted mean, and leaves sorted input unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (pairs) => {
          const values = pairs.map(([v]) => v);
          const weights = pairs.map(([, w]) => w);
          const fitted = isotonicRegression(values, weights);
          for (let i = 1; i < fitted.length; i++) expect(fitted[i]!).toBeGreaterThanOrEqual(fitted[i - 1]! - 1e-12);
          const mean = (xs: number[]) => xs.reduce((t, x, i) => t + x * weights[i]!, 0) / weights.reduce((t, w) => t + w, 0);
          expect(mean(fitted)).toBeCloseTo(mean(values), 8);
          const sorted = [...values].sort((x, y) => x - y);
          expect(isotonicRegression(sorted, weights)).toEqual(sorted);
        },
      ),
    );
  });

  it('rejects invalid input', () => {
    expect(() => isotonicRegression([1, 2], [1])).toThrow('isotonicRegression requires arrays of equal length');
    expect(() => isotonicRegression([1, Number.NaN], [1, 1])).toThrow('isotonicRegression requires finite values');
    expect(() => isotonicRegression([1, 2], [1, -1])).toThrow('isotonicRegression requires positive finite weights');
  });
});

describe('piecewiseLinear', () => {
  it('matches the documented example', () => {
    const curve = piecewiseLinear([10, 20], [4, 6]);
    expect(curve(15)).toBe(5);
    expect(curve(5)).toBe(4);
    expect(curve(40)).toBe(6);
  });

  it('passes through every point and interpolates between them', () => {
    const curve = piecewiseLinear([1, 3, 7, 8], [0, 2, 2, 5]);
    expect([1, 3, 7, 8].map(curve)).toEqual([0, 2, 2, 5]);
    expect(curve(2)).toBe(1);
    expect(curve(7.5)).toBe(3.5);
  });

  it('rejects invalid input', () => {
    expect(() => piecewiseLinear([], [])).toThrow('piecewiseLinear requires at least one point');
    expect(() => piecewiseLinear([1], [])).toThrow('piecewiseLinear requires arrays of equal length');
    expect(() => piecewiseLinear([2, 1], [0, 0])).toThrow('piecewiseLinear requires increasing steps');
  });
});
