import { describe, expect, it } from 'vitest';
import { coarseSteps } from '../../src/analysis/coarse-steps.js';

describe('coarseSteps', () => {
  it('spreads the count evenly over the range, both ends included (the doc example)', () => {
    expect(coarseSteps({ min: 20, max: 50 }, 4)).toEqual([20, 30, 40, 50]);
    expect(coarseSteps({ min: 10, max: 50 }, 3)).toEqual([10, 30, 50]);
    // 10 + 40/3 = 23.3 → 23, 10 + 80/3 = 36.7 → 37
    expect(coarseSteps({ min: 10, max: 50 }, 4)).toEqual([10, 23, 37, 50]);
  });

  it('drops duplicates when the range is narrower than the count', () => {
    expect(coarseSteps({ min: 1, max: 4 }, 5)).toEqual([1, 2, 3, 4]);
    expect(coarseSteps({ min: 7, max: 7 }, 3)).toEqual([7]);
  });

  it('refuses a bad range or count with the fixed message shape', () => {
    expect(() => coarseSteps({ min: 0, max: 5 }, 3)).toThrow('coarseSteps requires 1 ≤ min ≤ max (got 0–5)');
    expect(() => coarseSteps({ min: 9, max: 5 }, 3)).toThrow('coarseSteps requires 1 ≤ min ≤ max (got 9–5)');
    expect(() => coarseSteps({ min: 1, max: 5 }, 1)).toThrow('coarseSteps requires a count of at least 2 (got 1)');
  });
});
