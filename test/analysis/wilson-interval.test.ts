import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/analysis/wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches the documented example: 17 of 25 → 52–81% at 90%', () => {
    const [low, high] = wilsonInterval(17, 25);
    expect(low).toBeCloseTo(0.5156, 4);
    expect(high).toBeCloseTo(0.8093, 4);
  });

  it('matches hand-worked values', () => {
    // 1 of 2 at 95%: centre ½, half-width (1.96 / 2.9207) · √(0.125 + 0.2401) = 0.4055.
    const [low, high] = wilsonInterval(1, 2, 0.95);
    expect(low).toBeCloseTo(0.0945, 4);
    expect(high).toBeCloseTo(0.9055, 4);
    // 0 of 10 at 90%: upper end z²/(n + z²) = 2.7055 / 12.7055.
    expect(wilsonInterval(0, 10)).toEqual([0, expect.closeTo(2.7055 / 12.7055, 4)]);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
  });

  it('rejects impossible counts and levels', () => {
    expect(() => wilsonInterval(3, 2)).toThrow('wilsonInterval requires whole numbers with 0 ≤ successes ≤ trials and trials ≥ 1');
    expect(() => wilsonInterval(0, 0)).toThrow('wilsonInterval requires whole numbers');
    expect(() => wilsonInterval(1.5, 4)).toThrow('wilsonInterval requires whole numbers');
    expect(() => wilsonInterval(1, 4, 1)).toThrow('wilsonInterval requires a confidence between 0 and 1');
  });

  it('contains the observed share, stays in [0, 1], is symmetric and narrows with n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (trials, fraction) => {
        const successes = Math.round(fraction * trials);
        const [low, high] = wilsonInterval(successes, trials);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(successes / trials + 1e-12);
        expect(high).toBeGreaterThanOrEqual(successes / trials - 1e-12);
        const [mirrorLow, mirrorHigh] = wilsonInterval(trials - successes, trials);
        expect(mirrorLow).toBeCloseTo(1 - high, 12);
        expect(mirrorHigh).toBeCloseTo(1 - low, 12);
        const [wideLow, wideHigh] = wilsonInterval(successes * 4, trials * 4);
        expect(wideHigh - wideLow).toBeLessThan(high - low);
      }),
    );
  });
});
