import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../src/analysis/bootstrap-interval.js';

describe('bootstrapInterval', () => {
  it('matches the documented example: a mean 5 ± 1 gives about 5 ± 1.645', () => {
    const result = bootstrapInterval([5], [1], (m) => m[0]!, { samples: 4000, seed: 1 });
    expect(result.low).toBeGreaterThan(3.25);
    expect(result.low).toBeLessThan(3.47);
    expect(result.high).toBeGreaterThan(6.53);
    expect(result.high).toBeLessThan(6.75);
    expect(result.estimates).toHaveLength(4000);
    expect(result.unbounded).toBe(0);
  });

  it('is deterministic for the same seed and changes with the seed', () => {
    const run = (seed: number) => bootstrapInterval([1, 2, 3], [0.5, 0.5, 0.5], (m) => m[0]! + m[1]! + m[2]!, { seed });
    expect(run(9)).toEqual(run(9));
    expect(run(9).low).not.toBe(run(10).low);
  });

  it('reads the percentiles rounded outward (hand-checked with an ordered estimate)', () => {
    // With 11 draws the 5%/95% positions are 0.5 and 9.5: floor → index 0, ceil → index 10.
    let counter = 0;
    const result = bootstrapInterval([0], [1], () => counter++, { samples: 11 });
    expect(result.low).toBe(0);
    expect(result.high).toBe(10);
  });

  it('reports unbounded (Infinity or NaN) draws and an infinite upper end when they exceed the tail', () => {
    let draw = 0;
    const result = bootstrapInterval([0], [1], () => (draw++ % 5 === 0 ? (draw % 2 === 0 ? Infinity : Number.NaN) : 3), {
      samples: 100,
    });
    expect(result.unbounded).toBe(20);
    expect(result.high).toBe(Infinity);
    expect(result.low).toBe(3);
  });

  it('with zero noise or zero samples gives the point estimate', () => {
    expect(bootstrapInterval([2, 4], [0, 0], (m) => m[0]! + m[1]!)).toMatchObject({ low: 6, high: 6 });
    expect(bootstrapInterval([2, 4], [1, 1], (m) => m[0]! + m[1]!, { samples: 0 })).toMatchObject({ low: 6, high: 6 });
  });

  it('rejects invalid input', () => {
    expect(() => bootstrapInterval([1], [1, 2], () => 0)).toThrow('bootstrapInterval requires arrays of equal length');
    expect(() => bootstrapInterval([1], [-1], () => 0)).toThrow('requires finite means and non-negative standard errors');
    expect(() => bootstrapInterval([1], [1], () => 0, { samples: 1.5 })).toThrow('requires a non-negative integer number of samples');
    expect(() => bootstrapInterval([1], [1], () => 0, { level: 1 })).toThrow('requires a level between 0 and 1');
  });
});
