import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCurve, stepsWithinGap, type CurveAnalysis } from '../../src/analysis/analyze-curve.js';
import { kneedle } from '../../src/analysis/kneedle.js';
import { levelStatsFromSums, type LevelStats } from '../../src/analysis/level-stats.js';
import { createRandom } from '../../src/analysis/random.js';
import { paramsInFrame } from '../../src/analysis/curves/fitted-curve.js';

const STEPS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
const exactLevels = (steps: readonly number[], a = 10, b = 5, tau = 10, variance = 0): LevelStats[] =>
  steps.map((s) => ({ steps: s, n: 4, mean: a - b * Math.exp(-s / tau), variance }));

/** Level statistics of n noisy runs per level drawn from a − b·exp(−s/τ) + N(0, σ²). */
function simulate(steps: readonly number[], a: number, b: number, tau: number, sigma: number, n: number, seed: number): LevelStats[] {
  const random = createRandom(seed);
  return levelStatsFromSums(
    steps.map((s) => {
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        const y = a - b * Math.exp(-s / tau) + sigma * random.normal();
        sum += y;
        sumSq += y * y;
      }
      return { steps: s, n, sum, sumSq };
    }),
  );
}

function expectJsonSafe(result: CurveAnalysis): void {
  const text = JSON.stringify(result);
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(JSON.parse(text)).toEqual(result);
}

describe('analyzeCurve: hand-checkable results', () => {
  it('matches the documented example: 10 − 5·exp(−s/10) at 5..50 steps gives ⌈10·ln 20⌉ = 30', () => {
    const result = analyzeCurve(exactLevels(STEPS));
    expect(result.status).toBe('ok');
    expect(result.sweetSpot).toMatchObject({ steps: 30, interval: [30, 30], extrapolated: false, rule: 'plateau-gap', delta: 0.25 });
    expect(result.rules).toEqual({ plateauGap: 30, gainShare: 30, marginalGain: 30 });
    expect(result.fit?.model).toBe('exponential');
    expect(result.fit?.r2).toBeCloseTo(1, 10);
    expect(result.fit?.params?.a).toBeCloseTo(10, 6);
    expect(result.fit?.params?.b).toBeCloseTo(5, 6);
    expect(result.fit?.params?.tau).toBeCloseTo(10, 5);
    expect(result.plateau).toBeCloseTo(10, 6);
    expect(result.message).toBe(
      'Sweet spot: 30 steps (90% interval 30–30, confidence high): at 30 steps the fitted quality is within 0.25 of the plateau (10).',
    );
    expectJsonSafe(result);
  });

  it('gives draft (4δ), standard (δ) and final (δ/4) recommendations, and the documented stepsWithinGap example', () => {
    const result = analyzeCurve(exactLevels(STEPS));
    // ⌈10·ln(5/1)⌉ = 17, ⌈10·ln 20⌉ = 30, ⌈10·ln 80⌉ = 44.
    expect(stepsWithinGap(result, 1)).toBe(17);
    expect(result.recommendations?.draft.steps).toBe(17);
    expect(result.recommendations?.standard.steps).toBe(30);
    expect(result.recommendations?.final.steps).toBe(44);
    expect(result.recommendations?.standard.quality).toBeCloseTo(10 - 5 * Math.exp(-3), 6);
    expect(result.recommendations?.final.extrapolated).toBe(false);
  });

  it('reports the curve, marginal gains and level summaries', () => {
    const result = analyzeCurve(exactLevels(STEPS, 10, 5, 10, 0.36));
    expect(result.curve[0]).toEqual({ steps: 1, quality: expect.closeTo(10 - 5 * Math.exp(-0.1), 4) });
    expect(result.curve.length).toBeLessThanOrEqual(200);
    expect(result.curve[result.curve.length - 1]!.steps).toBeGreaterThanOrEqual(50);
    const gain30 = result.marginalGain.find((point) => point.steps === 30)!.gain;
    expect(gain30).toBeCloseTo(5 * Math.exp(-3) * (1 - Math.exp(-0.1)), 3);
    const level = result.levels[0]!;
    expect(level.se).toBeCloseTo(0.3, 12);
    // t(0.95, 30 pooled df) = 1.6973.
    expect(level.ci90![1] - level.mean).toBeCloseTo(1.6973 * 0.3, 3);
    expect(result.kneedle.steps).toBe(kneedle(STEPS, result.levels.map((l) => l.mean)).knee);
  });

  it('keeps the curve to at most about 200 points for large step counts', () => {
    const steps = [50, 100, 200, 400, 600, 800, 1000];
    const result = analyzeCurve(exactLevels(steps, 10, 5, 200, 0.01));
    expect(result.status).toBe('ok');
    expect(result.curve.length).toBeLessThanOrEqual(201);
  });

  it('falls back to the isotonic fit for a staircase no curve family fits, keeping its interval within the tested segment', () => {
    // Two steps (2 → 5 → 8): one S-shaped rise fits a single step, not two, so every family misfits.
    const means = [2, 2, 5, 5, 8, 8, 8];
    const levels = [5, 10, 15, 20, 25, 30, 40].map((steps, i) => ({ steps, n: 5, mean: means[i]!, variance: 0.04 }));
    const result = analyzeCurve(levels);
    expect(result.status).toBe('ok');
    expect(result.fit?.model).toBe('isotonic');
    expect(result.fit?.lackOfFit).toBeNull();
    expect(result.fit?.candidates.filter((c) => c.model !== 'rise-fall').every((c) => c.rejected?.startsWith('misfits'))).toBe(true);
    expect(result.fit?.isotonic?.map((p) => p.quality)).toEqual(means);
    // 8 − 0.25 is crossed on the segment 20–25 (at 24.6): 25, and anywhere in 21–25 under monotonicity.
    expect(result.sweetSpot).toMatchObject({ steps: 25, interval: [21, 25], extrapolated: false });
    // Within 3 of 8: 2 + 0.6·(s − 10) ≥ 5 ⇔ s ≥ 15.
    expect(stepsWithinGap(result, 3)).toBe(15);
    expectJsonSafe(result);
  });

  it('reports a sweet spot beyond the highest tested step as an extrapolation, never clipped', () => {
    const result = analyzeCurve(exactLevels([5, 10, 15, 20, 25], 10, 5, 10, 0.0001));
    expect(result.status).toBe('ok');
    expect(result.sweetSpot?.steps).toBe(30);
    expect(result.sweetSpot?.extrapolated).toBe(true);
    expect(result.sweetSpot?.confidence).not.toBe('high');
    expect(result.message).toContain('beyond the highest tested step (25): an extrapolation');
    expect(result.nextSteps.kind).toBe('test-higher');
    expect(result.nextSteps.steps).toContain(30);
  });

  it('applies the chosen rule and its parameters', () => {
    const levels = exactLevels(STEPS);
    expect(analyzeCurve(levels, { rule: 'gain-share', share: 0.5 }).sweetSpot?.steps).toBe(Math.ceil(10 * Math.log(2)));
    expect(analyzeCurve(levels, { delta: 0.5 }).sweetSpot?.steps).toBe(Math.ceil(10 * Math.log(10)));
    const marginal = analyzeCurve(levels, { rule: 'marginal-gain', marginal: 0.05 });
    expect(marginal.sweetSpot?.steps).toBe(Math.ceil(10 * Math.log((5 * (1 - Math.exp(-0.1))) / 0.05)));
    expect(marginal.message).toContain('one more step improves quality by less than 0.05');
  });

  it('is deterministic for the same data and seed', () => {
    const levels = simulate(STEPS, 8, 5, 10, 0.8, 4, 11);
    expect(analyzeCurve(levels)).toEqual(analyzeCurve(levels));
    expect(analyzeCurve(levels, { seed: 1 })).toEqual(analyzeCurve(levels, { seed: 1 }));
  });
});

describe('analyzeCurve: degenerate input gives a status, never a made-up number', () => {
  const level = (steps: number, mean: number, n = 3, variance = 0.36): LevelStats => ({ steps, n, mean, variance });

  it('no levels, one level and two levels are insufficient', () => {
    const none = analyzeCurve([]);
    expect(none.status).toBe('insufficient-data');
    expect(none.message).toBe('No rated runs yet: log runs at 3 or more step levels to find a sweet spot.');
    const one = analyzeCurve([level(30, 7)]);
    expect(one).toMatchObject({ status: 'insufficient-data', sweetSpot: null, fit: null, recommendations: null });
    expect(one.message).toBe('Only one step level (30 steps, 3 runs): a curve needs at least 3 step levels.');
    expect(one.nextSteps).toMatchObject({ kind: 'more-levels', steps: [15, 60], message: 'Test more step levels, e.g. 15 and 60.' });
    expect(one.nextSteps.suggestions.map((s) => s.steps)).toEqual([15, 60]);
    const two = analyzeCurve([level(20, 6), level(30, 7)]);
    expect(two.status).toBe('insufficient-data');
    expect(two.sweetSpot).toBeNull();
    expect(two.message).toContain('quality improves from 6 to 7, but two points cannot show where the curve bends');
    for (const result of [none, one, two]) expectJsonSafe(result);
  });

  it('all means equal is flat when the noise could show a rise of δ: the lowest tested step, with the reason', () => {
    // 30 runs per level with SD 0.2: a rise of 0.25 between the halves would have shown.
    const result = analyzeCurve([level(10, 6, 30, 0.04), level(20, 6, 30, 0.04), level(30, 6, 30, 0.04), level(40, 6, 30, 0.04)]);
    expect(result.status).toBe('flat');
    expect(result.sweetSpot).toMatchObject({ steps: 10, interval: null, confidence: 'low' });
    expect(result.sweetSpot?.reason).toContain('no difference that matters');
    expect(result.tests.change).toBeCloseTo(1, 6);
    expect(result.tests.detectableRise!).toBeLessThan(0.25);
    expect(result.message).toBe(
      'Flat: quality does not change by more than δ = 0.25 between 10 and 40 steps, so the lowest tested step count (10) is as good as any.',
    );
    expect(result.nextSteps.kind).toBe('test-lower');
    expect(result.recommendations?.final.steps).toBe(10);
    expectJsonSafe(result);
  });

  it('all means equal with noisy ratings is inconclusive: the noise could hide a rise that matters', () => {
    // Changed: with 3 runs of SD 0.6 per level the old engine called this flat; only a rise of about
    // 0.9 points could have shown, so "flat" was a confident claim the data cannot carry.
    const result = analyzeCurve([level(10, 6), level(20, 6), level(30, 6), level(40, 6)]);
    expect(result.status).toBe('inconclusive');
    expect(result.sweetSpot).toBeNull();
    expect(result.tests.detectableRise!).toBeGreaterThan(0.9);
    expect(result.message).toMatch(/^Inconclusive: the level means differ by no more than their noise/);
    expect(result.message).toContain('cannot tell a flat curve from one still rising');
    expect(result.nextSteps.kind).toBe('test-higher');
    expectJsonSafe(result);
  });

  it('a rising line is no-plateau: "test higher steps", no sweet spot', () => {
    for (const n of [1, 3]) {
      const result = analyzeCurve([10, 20, 30, 40, 50].map((s) => level(s, 4 + 0.1 * s, n, n > 1 ? 0.36 : Number.NaN)));
      // Changed for single runs: five whole-number ratings leave 2 residual degrees of freedom and a
      // rounding error each, too little to show the top still rising beyond noise: 'inconclusive'.
      expect(result.status).toBe(n > 1 ? 'no-plateau' : 'inconclusive');
      expect(result.sweetSpot).toBeNull();
      expect(result.rules).toBeNull();
      expect(result.recommendations).toBeNull();
      expect(result.nextSteps).toMatchObject({ kind: 'test-higher', steps: [75, 100] });
      expect(result.message).toContain('test higher steps');
      expectJsonSafe(result);
    }
  });

  it('three single runs fit a curve but give no interval (the noise is unknown)', () => {
    const result = analyzeCurve([level(10, 5, 1, Number.NaN), level(20, 8, 1, Number.NaN), level(30, 8.2, 1, Number.NaN)]);
    expect(result.status).toBe('ok');
    expect(result.sweetSpot?.interval).toBeNull();
    // Changed from 'insufficient': the issue asks for confidence low whenever the noise has < 3 df.
    expect(result.sweetSpot?.confidence).toBe('low');
    expect(result.sweetSpot?.reason).toContain('noise could not be estimated');
    expect(result.levels[0]!.se).toBeNull();
    expectJsonSafe(result);
  });

  it('without repeated runs, takes the noise from the residuals (≥ 4 levels)', () => {
    const levels = simulate(STEPS, 8, 5, 10, 0.3, 1, 4);
    const result = analyzeCurve(levels);
    expect(result.status).toBe('ok');
    expect(result.fit?.noise).toBe('residuals');
    expect(result.sweetSpot?.interval).not.toBeNull();
  });

  it('quality falling from the lowest tested step is a decline there, with a low-confidence sweet spot at that step', () => {
    // Changed from 'flat': quality that falls by 2 points beyond noise is not flat; it is the
    // guide's "too many steps" starting at (or below) the lowest tested step.
    const result = analyzeCurve([level(10, 8), level(20, 7), level(30, 6)]);
    expect(result.status).toBe('ok');
    expect(result.fit?.model).toBe('unimodal');
    expect(result.decline).toEqual({ peakSteps: 10, drop: expect.closeTo(2, 9) });
    expect(result.sweetSpot).toMatchObject({ steps: 10, confidence: 'low', extrapolated: true });
    expect(result.nextSteps.kind).toBe('test-lower');
    expect(result.message).toContain('Quality falls past 10 steps');
    expectJsonSafe(result);
  });

  it('throws the documented messages for invalid input', () => {
    const good = exactLevels(STEPS);
    expect(() => analyzeCurve([...good.slice(1), { ...good[0]!, mean: Number.NaN }])).toThrow(
      'analyzeCurve requires a finite mean at every step level',
    );
    expect(() => analyzeCurve([{ steps: 10, n: 1 } as LevelStats])).toThrow('analyzeCurve requires a finite mean at every step level');
    expect(() => analyzeCurve([{ ...good[0]!, mean: Infinity }])).toThrow('analyzeCurve requires a finite mean');
    expect(() => analyzeCurve([...good, good[0]!])).toThrow('analyzeCurve requires distinct step levels');
    expect(() => analyzeCurve([{ ...good[0]!, steps: 2.5 }])).toThrow('analyzeCurve requires positive integer steps at every level');
    expect(() => analyzeCurve([{ ...good[0]!, steps: 0 }])).toThrow('analyzeCurve requires positive integer steps');
    expect(() => analyzeCurve([{ ...good[0]!, n: 0 }])).toThrow('analyzeCurve requires a positive integer n at every level');
    expect(() => analyzeCurve([{ ...good[0]!, variance: -1 }])).toThrow('analyzeCurve requires variances that are non-negative or NaN');
    expect(() => analyzeCurve(good, { delta: 0 })).toThrow('analyzeCurve requires a positive finite delta');
    expect(() => analyzeCurve(good, { delta: Number.NaN })).toThrow('analyzeCurve requires a positive finite delta');
    expect(() => analyzeCurve(good, { share: 1 })).toThrow('analyzeCurve requires a share between 0 and 1');
    expect(() => analyzeCurve(good, { marginal: -1 })).toThrow('analyzeCurve requires a positive finite marginal');
    expect(() => analyzeCurve(good, { bootstrapSamples: -1 })).toThrow('analyzeCurve requires a non-negative integer bootstrapSamples');
    expect(() => analyzeCurve(good, { rule: 'knee' as never })).toThrow('analyzeCurve requires rule to be one of');
    expect(() => analyzeCurve(good, { resolution: -1 })).toThrow('analyzeCurve requires a positive resolution');
  });
});

describe('analyzeCurve: properties', () => {
  const scenario = fc.record({
    tau: fc.double({ min: 2, max: 15, noNaN: true }),
    a: fc.double({ min: 4, max: 9, noNaN: true }),
    b: fc.double({ min: 2, max: 6, noNaN: true }),
    sigma: fc.double({ min: 0.1, max: 0.8, noNaN: true }),
    n: fc.integer({ min: 3, max: 8 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  });
  const stepsFor = (tau: number) => [...new Set([0.5, 1, 1.5, 2, 3, 4, 5, 6].map((k) => Math.max(1, Math.round(k * tau))))];
  const levelsOf = (s: { tau: number; a: number; b: number; sigma: number; n: number; seed: number }) =>
    simulate(stepsFor(s.tau), s.a, s.b, s.tau, s.sigma, s.n, s.seed);
  const options = { bootstrapSamples: 60 };
  const core = (result: CurveAnalysis) => ({
    status: result.status,
    sweetSpot: result.sweetSpot && { steps: result.sweetSpot.steps, interval: result.sweetSpot.interval, confidence: result.sweetSpot.confidence },
    rules: result.rules,
    model: result.fit?.model,
  });

  it('does not change when scores are shifted by a constant', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: -50, max: 50, noNaN: true }), (s, shift) => {
        const levels = levelsOf(s);
        const shifted = levels.map((level) => ({ ...level, mean: level.mean + shift }));
        expect(core(analyzeCurve(shifted, options))).toEqual(core(analyzeCurve(levels, options)));
      }),
      { numRuns: 40 },
    );
  });

  it('does not change when scores and δ are scaled by the same positive factor', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0.01, max: 100, noNaN: true }), (s, factor) => {
        const levels = levelsOf(s);
        const scaled = levels.map((level) => ({ ...level, mean: level.mean * factor, variance: level.variance * factor * factor }));
        expect(core(analyzeCurve(scaled, { ...options, delta: 0.25 * factor }))).toEqual(core(analyzeCurve(levels, options)));
      }),
      { numRuns: 40 },
    );
  });

  it('does not change when the levels (or the runs behind them) are reordered', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, shuffleSeed) => {
        const levels = levelsOf(s);
        const random = createRandom(shuffleSeed);
        const shuffled = [...levels];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = random.int(0, i);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(analyzeCurve(shuffled, options)).toEqual(analyzeCurve(levels, options));
      }),
      { numRuns: 30 },
    );
  });

  it('mirrors: a lower-is-better metric gives the same sweet spot as its negation', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const levels = levelsOf(s);
        const higher = analyzeCurve(levels, options);
        const lower = analyzeCurve(levels.map((level) => ({ ...level, mean: -level.mean })), { ...options, lowerIsBetter: true });
        expect(lower.lowerIsBetter).toBe(true);
        expect(core(lower)).toEqual(core(higher));
        expect(lower.kneedle).toEqual(higher.kneedle);
        expect(lower.curve.map((p) => p.steps)).toEqual(higher.curve.map((p) => p.steps));
        lower.curve.forEach((point, i) => expect(point.quality).toBe(-higher.curve[i]!.quality));
        expect(lower.marginalGain).toEqual(higher.marginalGain);
        if (higher.plateau !== null) expect(lower.plateau).toBe(-higher.plateau);
        if (higher.fit?.params) {
          expect(lower.fit?.params).toEqual(paramsInFrame(higher.fit.params, -1));
        }
        if (higher.recommendations) {
          expect(lower.recommendations?.final.steps).toBe(higher.recommendations.final.steps);
          expect(lower.recommendations?.final.quality).toBe(-higher.recommendations.final.quality);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('moves by at most one step when the tested range is extended along a flat plateau', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2, max: 15, noNaN: true }),
        fc.double({ min: 2, max: 6, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        (tau, b, extra) => {
          const steps = stepsFor(tau);
          const base = exactLevels(steps, 8, b, tau, 0.09);
          const highest = steps[steps.length - 1]!;
          const plateau = Array.from({ length: extra }, (_, k) => ({ steps: Math.round(highest + (k + 1) * tau), n: 4, mean: 8, variance: 0.09 }));
          const before = analyzeCurve(base, options);
          const after = analyzeCurve([...base, ...plateau], options);
          expect(before.status).toBe('ok');
          expect(after.status).toBe('ok');
          expect(Math.abs(after.sweetSpot!.steps - before.sweetSpot!.steps)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('unlike Kneedle, whose knee moves with the tested range', () => {
    const extend = (max: number) => exactLevels([5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160].filter((s) => s <= max), 10, 5, 10, 0.04);
    const short = analyzeCurve(extend(40));
    const long = analyzeCurve(extend(160));
    expect(short.sweetSpot?.steps).toBe(30);
    expect(long.sweetSpot?.steps).toBe(30);
    expect(short.kneedle.steps).toBe(20);
    expect(long.kneedle.steps).toBe(30);
  });
});
