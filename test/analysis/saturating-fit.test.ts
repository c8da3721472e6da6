import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/analysis/random.js';
import { fitSaturating } from '../../src/analysis/saturating-fit.js';

const curve = (a: number, b: number, tau: number) => (s: number) => a - b * Math.exp(-s / tau);

describe('fitSaturating', () => {
  it('matches the documented example (exact curve 10 − 5·exp(−s/10))', () => {
    const steps = [5, 10, 20, 30, 50];
    const fit = fitSaturating(steps, steps.map(curve(10, 5, 10)), [1, 1, 1, 1, 1]);
    expect(fit.a).toBeCloseTo(10, 6);
    expect(fit.b).toBeCloseTo(5, 6);
    expect(fit.tau).toBeCloseTo(10, 5);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(fit.predict(30)).toBeCloseTo(10 - 5 * Math.exp(-3), 6);
    expect(fit.tauAtBound).toBeNull();
  });

  it('recovers exact curves over a wide range of parameters', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.double({ min: -5, max: 10, noNaN: true }),
        (tau, b, a) => {
          const steps = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64].filter((s) => s <= Math.max(8, 6 * tau));
          const fit = fitSaturating(steps, steps.map(curve(a, b, tau)), steps.map(() => 1));
          expect(fit.tau).toBeCloseTo(tau, 3);
          expect(fit.b).toBeCloseTo(b, 3);
          expect(fit.a).toBeCloseTo(a, 4);
        },
      ),
    );
  });

  it('gives b = 0 (a flat curve at the weighted mean) for falling means', () => {
    const fit = fitSaturating([10, 20, 30], [8, 7, 6], [1, 1, 2]);
    expect(fit.b).toBe(0);
    expect(fit.a).toBeCloseTo(6.75, 12);
    expect(fit.predict(100)).toBeCloseTo(6.75, 12);
  });

  it('puts τ on the upper bound for a straight rising line', () => {
    const steps = [10, 20, 30, 40, 50];
    const fit = fitSaturating(steps, steps.map((s) => 5 + 0.1 * s), steps.map(() => 1));
    expect(fit.tauAtBound).toBe('upper');
    expect(fit.tau).toBeCloseTo(500, 3);
  });

  it('weights the levels (a heavy level is fitted more closely)', () => {
    const steps = [5, 10, 20, 40, 80];
    const values = [6, 7.5, 8.8, 9.4, 9.9];
    const light = fitSaturating(steps, values, [1, 1, 1, 1, 1]);
    const heavy = fitSaturating(steps, values, [1, 1, 1000, 1, 1]);
    expect(Math.abs(heavy.predict(20) - 8.8)).toBeLessThan(Math.abs(light.predict(20) - 8.8));
  });

  it('fits noisy data close to the truth', () => {
    const random = createRandom(3);
    const steps = [5, 10, 15, 20, 30, 40, 50, 60];
    const truth = curve(8, 5, 10);
    const values = steps.map((s) => truth(s) + 0.05 * random.normal());
    const fit = fitSaturating(steps, values, steps.map(() => 1));
    expect(fit.tau).toBeGreaterThan(8.5);
    expect(fit.tau).toBeLessThan(11.5);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it('handles small τ next to large steps without overflow', () => {
    const steps = [50, 51, 52, 53, 55];
    const fit = fitSaturating(steps, steps.map(curve(9, 1e22, 1)), steps.map(() => 1));
    expect(Number.isFinite(fit.b)).toBe(true);
    expect(fit.tau).toBeCloseTo(1, 4);
    expect(fit.predict(53)).toBeCloseTo(curve(9, 1e22, 1)(53), 6);
  });

  it('rejects invalid input', () => {
    expect(() => fitSaturating([1, 2], [1, 2], [1, 1])).toThrow('fitSaturating requires at least 3 step levels');
    expect(() => fitSaturating([1, 2, 3], [1, 2], [1, 1, 1])).toThrow('requires arrays of equal length');
    expect(() => fitSaturating([1, 2, 3], [1, Number.NaN, 3], [1, 1, 1])).toThrow('requires finite steps and values');
    expect(() => fitSaturating([1, 2, 3], [1, 2, 3], [1, 0, 1])).toThrow('requires positive finite weights');
    expect(() => fitSaturating([1, 2, 2], [1, 2, 3], [1, 1, 1])).toThrow('requires distinct step levels');
    expect(() => fitSaturating([1, 2, 3], [1, 2, 3], [1, 1, 1], { tauMin: 5, tauMax: 1 })).toThrow('requires 0 < tauMin < tauMax');
  });
});
