import { describe, expect, it } from 'vitest';
import { analyzeSteps } from '../../src/analysis/analyze-steps.js';
import { summarizePoints, type StepPoint } from '../../src/analysis/summarize-points.js';

/** Exact q(s) = 10 − 5·exp(−s/10) and 0.670 s/step + 0.38 s, three renders per level with ±0.1 spread. */
function exactPoints(steps: readonly number[]): StepPoint[] {
  return steps.flatMap((s) =>
    [-0.1, 0, 0.1].map((e, i) => ({
      steps: s,
      value: 9.8 - 5 * Math.exp(-s / 10) + e,
      durationMs: 380 + 670 * s,
      seed: String(i),
      prompt: 'p',
    })),
  );
}

describe('summarizePoints', () => {
  it('groups points into the SQL aggregate shapes', () => {
    const sums = summarizePoints([
      { steps: 10, value: 6, durationMs: 1000, seed: 1 },
      { steps: 10, value: 8, durationMs: 3000, seed: 2 },
      { steps: 20, value: null, durationMs: 5000 },
    ]);
    expect(sums.levels).toEqual([{ steps: 10, n: 2, sum: 14, sumSq: 100 }]);
    expect(sums.durations).toEqual([
      { steps: 10, n: 2, sum: 4000, sumSq: 10_000_000 },
      { steps: 20, n: 1, sum: 5000, sumSq: 25_000_000 },
    ]);
    expect(sums.blocks).toHaveLength(2);
  });

  it('names the first bad point', () => {
    expect(() => summarizePoints([{ steps: 10, value: 5 }, { steps: 0, value: 5 }])).toThrow('summarizePoints requires steps to be whole numbers of at least 1 (point 2 has 0)');
    expect(() => summarizePoints([{ steps: 10, value: Number.NaN }])).toThrow(/finite values/);
    expect(() => summarizePoints([{ steps: 10, value: 1, durationMs: -1 }])).toThrow(/durations of at least 0/);
  });
});

describe('analyzeSteps', () => {
  it('finds the hand-checkable sweet spot, times the recommendations and measures waste', () => {
    const sums = summarizePoints(exactPoints([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]));
    const a = analyzeSteps({ ...sums, guide: null, modelName: 'test' });
    expect(a.status).toBe('ok');
    expect(a.paired).toBe(true);
    // τ·ln(b/δ) = 10·ln 20 = 29.96 → 30 steps
    expect(a.sweetSpot?.steps).toBe(30);
    expect(a.duration?.perStepMs).toBeCloseTo(670, 6);
    expect(a.duration?.overheadMs).toBeCloseTo(380, 6);
    expect(a.recommendations?.standard).toMatchObject({ steps: 30, durationMs: 380 + 670 * 30 });
    // draft within 4δ = 1 point: 10·ln 5 = 16.1 → 17; final within δ/4: 10·ln 80 = 43.8 → 44
    expect(a.recommendations?.draft.steps).toBe(17);
    expect(a.recommendations?.final.steps).toBe(44);
    // runs past 30 steps: 3 runs each at 35…50 → extra steps 5+10+15+20 = 50, × 3 runs × 670 ms
    expect(a.waste?.wastedMs).toBeCloseTo(50 * 3 * 670, 6);
    expect(a.qualityPerSecond).toHaveLength(10);
  });

  it('adds the guide warnings for the model', () => {
    const sums = summarizePoints(exactPoints([5, 10, 20, 30, 40, 60, 80]));
    const a = analyzeSteps({ ...sums, guide: { minSteps: 1, recommendedLow: 2, recommendedHigh: 3, maxSteps: 4, sweetSpot: 3 }, modelName: 'FLUX.1 Schnell' });
    expect(a.warnings.map((w) => w.code)).toContain('time-past-sweet-spot');
  });

  it('says why there is no duration fit', () => {
    const none = analyzeSteps({ ...summarizePoints([{ steps: 10, value: 5 }, { steps: 20, value: 6 }, { steps: 30, value: 6.2 }]), guide: null, modelName: 'x' });
    expect(none.duration).toBeNull();
    expect(none.durationMessage).toMatch(/No render times/);
    const one = analyzeSteps({ ...summarizePoints([{ steps: 10, value: 5, durationMs: 100 }, { steps: 20, value: 6 }]), guide: null, modelName: 'x' });
    expect(one.durationMessage).toMatch(/one step count only/);
  });

  it('measures waste without the fit when render time spans several machines', () => {
    const sums = summarizePoints(exactPoints([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]));
    const spent = [{ steps: 60, n: 1, sum: 6000, sumSq: 36e6 }];
    const a = analyzeSteps({ ...sums, timeSpent: spent, guide: null, modelName: 'x' });
    // proportional: 6000 × (60 − 30)/60 = 3000
    expect(a.waste?.wastedMs).toBeCloseTo(3000, 6);
  });
});

describe('every rated run counts', () => {
  it('joins runs without prompt + seed to a paired design as their own block, counting all of them', () => {
    const paired = exactPoints([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    // Eight unseeded runs, 1 point better than the paired prompt (a different prompt), incl. a level
    // (60 steps) that only they tested.
    const loose = [20, 20, 40, 40, 60, 60, 60, 60].map((steps, i) => ({ steps, value: 9.8 - 5 * Math.exp(-steps / 10) + 1 + (i % 2 ? 0.1 : -0.1) }));
    const a = analyzeSteps({ ...summarizePoints([...paired, ...loose]), guide: null, modelName: 'mixed' });
    expect(a.paired).toBe(true);
    expect(a.runs).toBe(30 + 8);
    expect(a.runUse).toEqual({ pairedRuns: 30, unpairedRuns: 8 });
    expect(a.pairedReason).toContain('8 unpaired runs (no prompt + seed, or a seed at one step level) joined as their own block');
    const at60 = a.levels.find((level) => level.steps === 60)!;
    expect(at60.n).toBe(4);
    // Their 1-point offset is removed: 60 steps sits on the paired curve (9.8 − 5·e^(−6) ≈ 9.79), not at 10.79.
    expect(at60.mean).toBeCloseTo(9.8 - 5 * Math.exp(-6), 1);
    expect(a.levels.find((level) => level.steps === 20)!.n).toBe(5);
  });

  it('refuses more step levels than an analysis takes, naming the limit', () => {
    const points = Array.from({ length: 2001 }, (_, i) => ({ steps: i + 1, value: 5 }));
    expect(() => analyzeSteps({ ...summarizePoints(points), guide: null, modelName: 'x' })).toThrow(
      'analyzeSteps requires at most 2,000 distinct step levels (these runs have 2,001)',
    );
  });
});
