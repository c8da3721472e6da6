import { describe, expect, it } from 'vitest';
import { suggestNextSteps, type SensitivityModel } from '../../src/analysis/next-steps.js';

const tested = [10, 20, 30].map((steps) => ({ steps, n: 5, se: 0.2 }));

/** Sensitivities of q(s) = a − b·exp(−s/τ) at b = 5, τ = 10 for the plateau gap s* = τ·ln(b/δ). */
function saturatingModel(b: number, tau: number, delta: number): SensitivityModel {
  return {
    jacobian: (s) => [1, -Math.exp(-s / tau), (-b * s * Math.exp(-s / tau)) / (tau * tau)],
    gradient: [0, tau / b, Math.log(b / delta)],
  };
}

describe('suggestNextSteps', () => {
  it('matches the documented example: a sweet spot beyond the tested range', () => {
    const result = suggestNextSteps({ tested, sweetSpot: 45, interval: [38, 60], plateauReached: true });
    expect(result).toMatchObject({
      kind: 'test-higher',
      steps: [45, 60],
      message: 'The sweet spot (45 steps) lies beyond the highest tested step (30): test higher steps, e.g. 45 and 60.',
    });
    // Each suggestion says why and what it costs: 5 runs (the median per level) = 5 renders.
    expect(result.suggestions).toEqual([45, 60].map((steps) => ({ steps, runs: 5, renders: 5, narrowing: null, minutes: null, why: expect.stringContaining('not been seen to flatten by 30 steps') })));
  });

  it('says "test higher steps" when the curve has not flattened or the interval has no upper end', () => {
    const none = suggestNextSteps({ tested, sweetSpot: null, interval: null, plateauReached: false });
    expect(none.kind).toBe('test-higher');
    expect(none.steps).toEqual([45, 60]);
    expect(none.message).toContain('has not flattened');
    expect(suggestNextSteps({ tested, sweetSpot: 25, interval: [20, Infinity], plateauReached: true }).kind).toBe('test-higher');
  });

  it('says "test lower steps" below the tested range and "done" for a one-step interval', () => {
    const lower = suggestNextSteps({ tested, sweetSpot: 6, interval: [4, 9], plateauReached: true });
    expect(lower.kind).toBe('test-lower');
    // Changed from [5, 6]: one step apart they are one test, not two.
    expect(lower.steps).toEqual([5]);
    expect(suggestNextSteps({ tested, sweetSpot: 3, interval: [2, 9], plateauReached: true }).steps).toEqual([3, 5]);
    expect(suggestNextSteps({ tested, sweetSpot: 20, interval: [20, 21], plateauReached: true }).kind).toBe('done');
  });

  it('with a saturating model, picks 1–3 informative steps that beat re-testing the ends', () => {
    const levels = [5, 10, 15, 20, 25, 30, 40, 50].map((steps) => ({ steps, n: 4, se: 0.3 }));
    const result = suggestNextSteps({
      tested: levels,
      sweetSpot: 30,
      interval: [25, 36],
      plateauReached: true,
      model: saturatingModel(5, 10, 0.25),
      runVariance: 0.36,
    });
    expect(result.kind).toBe('narrow-interval');
    expect(result.steps.length).toBeGreaterThanOrEqual(1);
    expect(result.steps.length).toBeLessThanOrEqual(3);
    expect([...result.steps].sort((x, y) => x - y)).toEqual(result.steps);
    // Inside the ad-hoc usable range 1–100 (twice the highest tested), and distinct enough to matter.
    for (const s of result.steps) {
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(100);
    }
    for (let i = 1; i < result.steps.length; i++) {
      expect(result.steps[i]! - result.steps[i - 1]!).toBeGreaterThanOrEqual(Math.max(2, 0.15 * result.steps[i]!));
    }
    expect(result.suggestions.every((s) => s.narrowing !== null && s.narrowing > 0 && s.narrowing < 1)).toBe(true);
    const inGuide = suggestNextSteps({
      tested: levels,
      sweetSpot: 30,
      interval: [25, 36],
      plateauReached: true,
      model: saturatingModel(5, 10, 0.25),
      runVariance: 0.36,
      range: { min: 20, max: 50 },
    });
    for (const s of inGuide.steps) expect(s >= 20 && s <= 50).toBe(true);
    expect(result.message).toMatch(/^Add 4 runs at each of .* steps: this narrows the interval \(25–36\) most, by about \d+%\.$/);
  });

  it('without a model, suggests the middle of the widest gaps inside the interval', () => {
    const levels = [10, 20, 40, 50].map((steps) => ({ steps, n: 3, se: 0.3 }));
    const result = suggestNextSteps({ tested: levels, sweetSpot: 30, interval: [22, 38], plateauReached: true });
    expect(result).toMatchObject({ kind: 'narrow-interval', steps: [30] });
    const dense = [1, 2, 3, 4].map((steps) => ({ steps, n: 3, se: steps === 3 ? 0.5 : 0.2 }));
    // No untested gap: more runs where the level means are least certain.
    expect(suggestNextSteps({ tested: dense, sweetSpot: 3, interval: [2, 4], plateauReached: true }).steps).toEqual([2, 3, 4]);
    expect(suggestNextSteps({ tested: dense, sweetSpot: 3, interval: [3, 5], plateauReached: true }).steps).toEqual([3, 4]);
  });

  it('rejects an empty list of tested levels', () => {
    expect(() => suggestNextSteps({ tested: [], sweetSpot: 3, interval: null, plateauReached: true })).toThrow(
      'suggestNextSteps requires at least one tested level',
    );
  });
});
