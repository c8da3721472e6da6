import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analysisWarnings, stepWarnings, type ModelReference } from '../../src/analysis/guide-warnings.js';

const schnell: ModelReference = { minSteps: 1, recommendedLow: 2, recommendedHigh: 3, maxSteps: 4, sweetSpot: 3 };
const dev: ModelReference = { minSteps: 20, recommendedLow: 28, recommendedHigh: 35, maxSteps: 50, sweetSpot: 30 };
const unknown: ModelReference = {
  minSteps: null,
  recommendedLow: null,
  recommendedHigh: null,
  maxSteps: null,
  sweetSpot: null,
};
const codes = (ws: readonly { code: string }[]) => ws.map((w) => w.code);

describe('stepWarnings', () => {
  it('warns about Schnell at 8 steps: the doc example', () => {
    expect(stepWarnings(8, null, schnell, 'FLUX.1 Schnell')).toEqual([
      {
        code: 'steps-above-max',
        severity: 'warning',
        message:
          'FLUX.1 Schnell is made for 1–4 steps; 8 steps is above its maximum of 4: expect excessive time for ' +
          "minimal improvement. Reduce steps (the guide's sweet spot is 3).",
      },
    ]);
  });

  it('warns below the minimum with the "too few steps" symptoms', () => {
    const [w, ...rest] = stepWarnings(12, 'final', dev, 'FLUX.1 Dev');
    expect(rest).toEqual([]);
    expect(w).toEqual({
      code: 'steps-below-min',
      severity: 'warning',
      message:
        'FLUX.1 Dev needs at least 20 steps; at 12 steps expect rough details, inconsistent elements, poor ' +
        'coherence and missing features. Increase the step count (the guide recommends 28–35).',
    });
  });

  it('warns about a final render below the recommended range', () => {
    const ws = stepWarnings(24, 'final', dev, 'FLUX.1 Dev');
    expect(codes(ws)).toEqual(['final-below-recommended']);
    expect(ws[0]?.message).toBe(
      "A final render at 24 steps is below FLUX.1 Dev's recommended 28–35 steps: expect rougher details and " +
        'weaker coherence than the model can give. Use at least 28 steps for finals.',
    );
    // The same steps are fine for a draft.
    expect(stepWarnings(24, 'draft', dev, 'FLUX.1 Dev')).toEqual([]);
  });

  it('notes a draft above the recommended range', () => {
    const ws = stepWarnings(45, 'draft', dev, 'FLUX.1 Dev');
    expect(ws).toEqual([
      {
        code: 'draft-above-recommended',
        severity: 'info',
        message:
          "A draft at 45 steps is above FLUX.1 Dev's recommended 28–35 steps: drafts are for quick iterations, " +
          'and the extra steps cost time before the idea is settled. Try 20 steps for drafts.',
      },
    ]);
    expect(stepWarnings(45, 'final', dev, 'FLUX.1 Dev')).toEqual([]);
  });

  it('gives a render above the maximum only the limit warning, even as a draft', () => {
    expect(codes(stepWarnings(60, 'draft', dev, 'FLUX.1 Dev'))).toEqual(['steps-above-max']);
  });

  it('says "up to" when only the maximum is known and is silent when nothing is known', () => {
    const onlyMax = { ...unknown, maxSteps: 4 };
    expect(stepWarnings(5, null, onlyMax, 'X')[0]?.message).toBe(
      'X is made for up to 4 steps; 5 steps is above its maximum of 4: expect excessive time for minimal ' +
        'improvement. Reduce steps.',
    );
    expect(stepWarnings(1000, 'final', unknown, 'X')).toEqual([]);
    expect(stepWarnings(1, 'final', unknown, 'X')).toEqual([]);
  });

  it('throws for a step count that is not positive and finite', () => {
    for (const steps of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => stepWarnings(steps, null, dev, 'FLUX.1 Dev')).toThrow(
        'stepWarnings requires a positive, finite step count',
      );
    }
  });

  it('is silent inside the recommended range and always warns above the maximum (property)', () => {
    const phase = fc.constantFrom('draft' as const, 'refine' as const, 'final' as const, null);
    const ref = fc
      .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))
      .map(([min, a, b, c]): ModelReference => ({
        minSteps: min,
        recommendedLow: min + a,
        recommendedHigh: min + a + b,
        maxSteps: min + a + b + c,
        sweetSpot: min + a,
      }));
    fc.assert(
      fc.property(ref, phase, fc.integer({ min: 0, max: 100 }), (r, ph, t) => {
        const low = r.recommendedLow as number;
        const high = r.recommendedHigh as number;
        expect(stepWarnings(low + (t % (high - low + 1)), ph, r, 'M')).toEqual([]);
        expect(codes(stepWarnings((r.maxSteps as number) + 1 + t, ph, r, 'M'))).toEqual(['steps-above-max']);
      }),
    );
  });
});

describe('analysisWarnings', () => {
  const base = { sweetSpot: 30, testedMax: 50, waste: null, ref: dev, modelName: 'FLUX.1 Dev' };

  it('warns about time past the sweet spot: the doc example', () => {
    const ws = analysisWarnings({ ...base, waste: { share: 0.18 } });
    expect(codes(ws)).toEqual(['time-past-sweet-spot']);
    expect(ws[0]).toEqual({
      code: 'time-past-sweet-spot',
      severity: 'warning',
      message:
        '18% of FLUX.1 Dev render time went past the sweet spot of 30 steps: excessive generation time for ' +
        'minimal improvement. Reduce steps, or keep the higher counts for final renders.',
    });
  });

  it('stays quiet below the waste threshold and for the guide-like case', () => {
    expect(analysisWarnings({ ...base, waste: { share: 0.09 } })).toEqual([]);
    expect(codes(analysisWarnings({ ...base, waste: { share: 0.1 } }))).toEqual(['time-past-sweet-spot']);
    expect(analysisWarnings(base)).toEqual([]);
  });

  it("reports, neutrally, a sweet spot far outside the guide's range", () => {
    const low = analysisWarnings({ ...base, sweetSpot: 18 });
    expect(low).toEqual([
      {
        code: 'sweet-spot-outside-guide',
        severity: 'info',
        message:
          "On your data FLUX.1 Dev reaches its sweet spot at 18 steps, well below the guide's 28–35 steps. " +
          'Your measurements reflect your prompts, sampler, resolution and scoring, so the recommendations ' +
          "follow your data; the guide's range is shown for reference.",
      },
    ]);
    expect(low[0]?.message).not.toMatch(/wrong|error|should/i);
    // 28 − 25% = 21 and 35 + 25% = 43.75 are the edges.
    expect(analysisWarnings({ ...base, sweetSpot: 21 })).toEqual([]);
    expect(analysisWarnings({ ...base, sweetSpot: 43 })).toEqual([]);
    expect(analysisWarnings({ ...base, sweetSpot: 44 })[0]?.message).toContain('well above');
    // Schnell: at least one step of tolerance, so 4 is fine and 5 is not.
    const schnellBase = { ...base, ref: schnell, modelName: 'FLUX.1 Schnell', testedMax: 8 };
    expect(analysisWarnings({ ...schnellBase, sweetSpot: 4 })).toEqual([]);
    expect(codes(analysisWarnings({ ...schnellBase, sweetSpot: 5 }))).toEqual(['sweet-spot-outside-guide']);
  });

  it("notes a tested range that does not reach the guide's range", () => {
    expect(analysisWarnings({ ...base, sweetSpot: 22, testedMax: 24 })).toEqual([
      {
        code: 'tested-below-guide-range',
        severity: 'info',
        message:
          "The most steps tested for FLUX.1 Dev is 24, below the guide's 28–35 steps: the curve may still be " +
          'rising there. Test up to at least 35 steps before relying on the sweet spot.',
      },
    ]);
    expect(analysisWarnings({ ...base, sweetSpot: null, testedMax: 28 })).toEqual([]);
  });

  it('produces nothing from unknown references, a null sweet spot or no data', () => {
    expect(analysisWarnings({ ...base, ref: unknown, sweetSpot: 3, testedMax: 4 })).toEqual([]);
    expect(analysisWarnings({ ...base, sweetSpot: null, testedMax: 0 })).toEqual([]);
  });

  it('falls back on the reference sweet spot when there is no recommended range', () => {
    const onlySweet = { ...unknown, sweetSpot: 30 };
    expect(codes(analysisWarnings({ ...base, ref: onlySweet, sweetSpot: 60 }))).toEqual(['sweet-spot-outside-guide']);
  });

  it('throws on bad input', () => {
    expect(() => analysisWarnings({ ...base, testedMax: -1 })).toThrow(
      'analysisWarnings requires a finite, non-negative testedMax',
    );
    expect(() => analysisWarnings({ ...base, sweetSpot: Number.NaN })).toThrow(
      'analysisWarnings requires a finite sweet spot or null',
    );
    expect(() => analysisWarnings({ ...base, waste: { share: 1.5 } })).toThrow(
      'analysisWarnings requires a waste share between 0 and 1',
    );
  });

  it('warns about waste exactly when the share reaches 10% (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (share) => {
        const has = codes(analysisWarnings({ ...base, waste: { share } })).includes('time-past-sweet-spot');
        expect(has).toBe(share >= 0.1);
      }),
    );
  });
});
