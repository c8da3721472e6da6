import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelStatsFromSums, pooledStandardErrors, pooledVariance } from '../../src/analysis/level-stats.js';

describe('levelStatsFromSums', () => {
  it('matches the documented example (scores 5, 6, 7)', () => {
    expect(levelStatsFromSums([{ steps: 20, n: 3, sum: 18, sumSq: 110 }])).toEqual([
      { steps: 20, n: 3, mean: 6, variance: 1 },
    ]);
  });

  it('sorts by steps, gives NaN variance for one run and skips unrated levels', () => {
    const levels = levelStatsFromSums([
      { steps: 30, n: 1, sum: 7, sumSq: 49 },
      { steps: 10, n: 2, sum: 8, sumSq: 34 },
      { steps: 20, n: 0, sum: 0, sumSq: 0 },
    ]);
    expect(levels.map((l) => l.steps)).toEqual([10, 30]);
    expect(levels[0]).toEqual({ steps: 10, n: 2, mean: 4, variance: 2 });
    expect(levels[1]!.variance).toBeNaN();
  });

  it('clamps cancellation noise to a zero variance', () => {
    // Ten identical scores of 0.1: sumSq − sum²/n is a tiny rounding residue, not a variance.
    const value = 0.1;
    const [level] = levelStatsFromSums([{ steps: 5, n: 10, sum: 10 * value, sumSq: 10 * value * value * (1 - 1e-15) }]);
    expect(level!.variance).toBe(0);
    const [large] = levelStatsFromSums([{ steps: 5, n: 1_000_000, sum: 7.3e6, sumSq: 7.3 * 7.3 * 1e6 }]);
    expect(large!.variance).toBe(0);
  });

  it('agrees with the two-pass variance on random data', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 2, maxLength: 50 }), (scores) => {
        const sum = scores.reduce((t, x) => t + x, 0);
        const sumSq = scores.reduce((t, x) => t + x * x, 0);
        const mean = sum / scores.length;
        const twoPass = scores.reduce((t, x) => t + (x - mean) ** 2, 0) / (scores.length - 1);
        const [level] = levelStatsFromSums([{ steps: 1, n: scores.length, sum, sumSq }]);
        expect(level!.variance).toBeGreaterThanOrEqual(0);
        expect(Math.abs(level!.variance - twoPass)).toBeLessThan(1e-9 * (1 + sumSq));
      }),
    );
  });

  it('rejects invalid aggregates', () => {
    expect(() => levelStatsFromSums([{ steps: 0, n: 1, sum: 1, sumSq: 1 }])).toThrow('levelStatsFromSums requires positive integer steps');
    expect(() => levelStatsFromSums([{ steps: 2.5, n: 1, sum: 1, sumSq: 1 }])).toThrow('positive integer steps');
    expect(() => levelStatsFromSums([{ steps: 2, n: -1, sum: 1, sumSq: 1 }])).toThrow('requires a non-negative integer n');
    expect(() => levelStatsFromSums([{ steps: 2, n: 1, sum: Number.NaN, sumSq: 1 }])).toThrow('requires finite sums');
    expect(() =>
      levelStatsFromSums([
        { steps: 2, n: 1, sum: 1, sumSq: 1 },
        { steps: 2, n: 1, sum: 1, sumSq: 1 },
      ]),
    ).toThrow('levelStatsFromSums requires distinct step levels');
  });

  it('returns an empty list for no levels', () => {
    expect(levelStatsFromSums([])).toEqual([]);
  });
});

describe('pooledVariance', () => {
  it('matches the documented example', () => {
    expect(
      pooledVariance([
        { steps: 10, n: 3, mean: 5, variance: 1 },
        { steps: 20, n: 5, mean: 7, variance: 4 },
      ]),
    ).toEqual({ variance: 3, df: 6 });
  });

  it('is unknown without replication', () => {
    const pooled = pooledVariance([{ steps: 10, n: 1, mean: 5, variance: Number.NaN }]);
    expect(pooled.variance).toBeNaN();
    expect(pooled.df).toBe(0);
  });
});

describe('pooledStandardErrors', () => {
  it('matches the documented example', () => {
    expect(
      pooledStandardErrors([
        { steps: 10, n: 4, mean: 5, variance: 1 },
        { steps: 20, n: 1, mean: 7, variance: Number.NaN },
      ]),
    ).toEqual([0.5, 1]);
  });

  it('never gives a zero SE to a constant level when others vary', () => {
    const se = pooledStandardErrors([
      { steps: 10, n: 3, mean: 5, variance: 0 },
      { steps: 20, n: 3, mean: 6, variance: 2 },
    ]);
    // Pooled variance 1; the constant level's moderated variance is (0 + 4·1)/(2 + 4) = 2/3.
    expect(se[0]).toBeCloseTo(Math.sqrt(2 / 3 / 3), 12);
    expect(se[1]).toBeCloseTo(Math.sqrt((4 + 4) / 6 / 3), 12);
  });

  it('uses each level’s own variance with priorDf 0, and the fallback without replication', () => {
    const levels = [
      { steps: 10, n: 4, mean: 5, variance: 4 },
      { steps: 20, n: 4, mean: 6, variance: 1 },
    ];
    expect(pooledStandardErrors(levels, { priorDf: 0 })).toEqual([1, 0.5]);
    const single = [{ steps: 10, n: 4, mean: 5, variance: Number.NaN }];
    expect(pooledStandardErrors(single)[0]).toBeNaN();
    expect(pooledStandardErrors(single, { fallbackVariance: 4 })).toEqual([1]);
  });

  it('rejects invalid options', () => {
    expect(() => pooledStandardErrors([], { priorDf: -1 })).toThrow('pooledStandardErrors requires a non-negative priorDf');
    expect(() => pooledStandardErrors([], { fallbackVariance: -1 })).toThrow('requires a non-negative fallbackVariance');
  });
});
