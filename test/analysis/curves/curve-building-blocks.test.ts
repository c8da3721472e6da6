import { describe, expect, it } from 'vitest';
import { fitFamily, predictFamily, riseFallPeak } from '../../../src/analysis/curves/curve-families.js';
import { changeTestP, detectableRise, topRisingP } from '../../../src/analysis/curves/curve-states.js';
import { chiSquareUpperTail, fUpperTail } from '../../../src/analysis/curves/distributions.js';
import { levelNoise, scoreResolution } from '../../../src/analysis/curves/level-noise.js';
import { chooseCurve } from '../../../src/analysis/curves/model-choice.js';
import { noiseAwareBootstrap } from '../../../src/analysis/curves/noise-aware-bootstrap.js';
import { unimodalRegression } from '../../../src/analysis/curves/unimodal-regression.js';
import { weightedLinearFit } from '../../../src/analysis/curves/weighted-linear.js';

describe('distributions', () => {
  it('matches textbook critical values', () => {
    expect(chiSquareUpperTail(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquareUpperTail(18.307038053275146, 10)).toBeCloseTo(0.05, 8);
    expect(fUpperTail(4.964602743730711, 1, 10)).toBeCloseTo(0.05, 8);
    expect(fUpperTail(2.4377, 5, 30)).toBeCloseTo(0.0574, 3);
    expect(fUpperTail(3.0, 4, Infinity)).toBeCloseTo(chiSquareUpperTail(12, 4), 12);
    expect(fUpperTail(0, 3, 3)).toBe(1);
    expect(() => fUpperTail(1, 0, 3)).toThrow('fUpperTail requires positive degrees of freedom');
  });
});

describe('weightedLinearFit', () => {
  it('matches the documented example and holds a negative coefficient at 0', () => {
    expect(weightedLinearFit([[1, 1, 1], [0, 1, 2]], [1, 3, 5], [1, 1, 1], [false, true])).toEqual({ coefficients: [1, 2], rss: 0 });
    // A falling line cannot have a non-negative slope: the bounded optimum is the mean.
    const bounded = weightedLinearFit([[1, 1, 1], [0, 1, 2]], [5, 3, 1], [1, 1, 1], [false, true]);
    expect(bounded.coefficients).toEqual([3, 0]);
    expect(bounded.rss).toBeCloseTo(8, 12);
  });
});

describe('fitFamily', () => {
  const steps = [5, 10, 20, 30, 50];
  const ones = [1, 1, 1, 1, 1];
  it('recovers each family from its own exact values', () => {
    expect(fitFamily('exponential', steps, steps.map((s) => 10 - 5 * Math.exp(-s / 10)), ones).params).toEqual({
      a: expect.closeTo(10, 5),
      b: expect.closeTo(5, 4),
      tau: expect.closeTo(10, 4),
    });
    expect(fitFamily('power', steps, steps.map((s) => 10 - 5 / s), ones).params).toEqual({ a: expect.closeTo(10, 5), b: expect.closeTo(5, 4), c: expect.closeTo(1, 5) });
    const many = [2, 4, 6, 8, 10, 12, 14, 16, 20, 25, 30];
    const logistic = fitFamily('logistic', many, many.map((s) => 3 + 5 / (1 + Math.exp(-(s - 12) / 3))), many.map(() => 1));
    expect(logistic.weightedRss).toBeLessThan(1e-3);
    expect(logistic.params.mid).toBeCloseTo(12, 0);
    const riseFall = fitFamily('rise-fall', many, many.map((s) => 8 - 5 * Math.exp(-s / 5) - 0.05 * s), many.map(() => 1));
    expect(riseFall.params.d).toBeCloseTo(0.05, 4);
    // Peak where 5/5·e^(−s/5) = 0.05: s = 5·ln 20 = 14.98.
    expect(riseFall.peakSteps).toBeCloseTo(5 * Math.log(20), 2);
    expect(riseFallPeak({ a: 8, b: 5, tau: 5, d: 0 })).toBeNull();
    expect(predictFamily('power', { a: 10, b: 5, c: 1 }, 5)).toBe(9);
  });
});

describe('unimodalRegression', () => {
  it('matches the documented example and fits a rise-then-fall with violators', () => {
    expect(unimodalRegression([1, 3, 5, 4, 2], [1, 1, 1, 1, 1])).toEqual({ fitted: [1, 3, 5, 4, 2], peakIndex: 2, weightedRss: 0 });
    const result = unimodalRegression([1, 4, 3, 6, 2, 3], [1, 1, 1, 1, 1, 1]);
    expect(result.fitted).toEqual([1, 3.5, 3.5, 6, 2.5, 2.5]);
    expect(result.weightedRss).toBeCloseTo(0.5 + 0.5, 12);
    expect(unimodalRegression([], [])).toEqual({ fitted: [], peakIndex: 0, weightedRss: 0 });
  });
});

describe('levelNoise and scoreResolution', () => {
  it('gives three identical whole numbers a rounding floor of 1/√12 instead of zero noise', () => {
    const levels = [
      { steps: 10, n: 3, mean: 7, variance: 0 },
      { steps: 20, n: 3, mean: 8, variance: 0 },
    ];
    expect(scoreResolution(levels)).toBe(1);
    const noise = levelNoise(levels, 1);
    expect(noise.kind).toBe('known');
    expect(noise.df).toBe(4);
    for (const se of noise.standardErrors) expect(se).toBeCloseTo(1 / Math.sqrt(12), 12);
    // Without a resolution the same runs are an exact measurement.
    expect(levelNoise(levels, null).kind).toBe('exact');
    expect(scoreResolution([{ steps: 10, n: 2, mean: 6.5371, variance: 0.005 }])).toBeNull();
    expect(scoreResolution([{ steps: 10, n: 2, mean: 6.75, variance: 0.125 }])).toBe(0.5); // 6.5 and 7
    expect(levelNoise([{ steps: 10, n: 1, mean: 7, variance: Number.NaN }], 1).kind).toBe('unknown');
  });
});

describe('states', () => {
  it('tests a change, the smallest detectable rise and a rise at the top', () => {
    expect(changeTestP([5, 5.1, 4.9], [1, 1, 1], { kind: 'known', df: 30 }, null)).toBeGreaterThan(0.9);
    expect(changeTestP([5, 7, 9], [100, 100, 100], { kind: 'known', df: 30 }, null)).toBeLessThan(1e-6);
    // (t₀.₉₅,₃₀ + z₀.₈)·√(0.1²/2 + 0.1²/2) = (1.697 + 0.842)·0.1.
    expect(detectableRise([0.1, 0.1, 0.1, 0.1], 30)).toBeCloseTo((1.6973 + 0.8416) * 0.1, 3);
    expect(topRisingP([5, 6, 8], [0.2, 0.2, 0.2], 30)).toBeLessThan(0.001);
    expect(topRisingP([5, 6, 6], [0.2, 0.2, 0.2], 30)).toBeCloseTo(0.5, 9);
  });
});

describe('chooseCurve', () => {
  it('keeps the exponential on exponential data and always reports the lack-of-fit test', () => {
    const steps = [5, 10, 15, 20, 25, 30, 40, 50];
    const values = steps.map((s) => 8 - 5 * Math.exp(-s / 10));
    const choice = chooseCurve(steps, values, steps.map(() => 100), { kind: 'known', df: 24 }, { delta: 0.25, bestLevelSe: 0.1 });
    expect(choice.fit?.family).toBe('exponential');
    expect(choice.lackOfFit).toMatchObject({ df: 5 });
    expect(choice.lackOfFit!.p).toBeGreaterThan(0.99);
    expect(choice.candidates.map((c) => c.model)).toEqual(['exponential', 'power', 'logistic', 'rise-fall']);
  });

  it('takes the rise-then-fall curve only when the decline passes its test', () => {
    const steps = [4, 8, 12, 16, 20, 25, 30, 40, 50, 60];
    const values = steps.map((s) => 8 - 5 * Math.exp(-s / 5) - 0.03 * s);
    const choice = chooseCurve(steps, values, steps.map(() => 100), { kind: 'known', df: 20 }, { delta: 0.25, bestLevelSe: 0.1 });
    expect(choice.fit?.family).toBe('rise-fall');
    expect(choice.declineP!).toBeLessThan(1e-6);
  });

  it('rejects a plateau worse than the best tested level by more than δ', () => {
    // A rise to 7.6, then one late level at 9.5 that an exponential plateau cannot reach.
    const steps = [5, 10, 15, 20, 25, 30, 35];
    const values = [5, 7, 7.5, 7.6, 7.6, 7.6, 9.5];
    const choice = chooseCurve(steps, values, steps.map(() => 1), { kind: 'unknown', df: 0 }, { delta: 0.25, bestLevelSe: 0 });
    expect(choice.candidates.find((c) => c.model === 'exponential')?.rejected).toBe('its plateau is worse than the best tested level by more than δ');
    expect(choice.fit?.family).not.toBe('exponential');
  });
});

describe('noiseAwareBootstrap', () => {
  it('widens with few noise degrees of freedom like a Student t', () => {
    const wide = noiseAwareBootstrap([5], [1], 4, (m) => m[0]!, { samples: 4000, seed: 1 });
    const plain = noiseAwareBootstrap([5], [1], Infinity, (m) => m[0]!, { samples: 4000, seed: 1 });
    expect(plain.high - 5).toBeCloseTo(1.645, 1);
    // t(4) at 95% is 2.13: the noise-aware interval is that of a Student t, not the normal one.
    expect(wide.high - 5).toBeGreaterThan(1.95);
    expect(wide.high - 5).toBeLessThan(2.35);
    expect(wide.unbounded).toBe(0);
  });
});
