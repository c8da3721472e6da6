import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { piecewiseLinear } from '../../src/analysis/isotonic-regression.js';
import {
  applySweetSpotRule,
  continuousSweetSpot,
  gainShareSteps,
  marginalGainSteps,
  plateauGapSteps,
  type RuleCurve,
} from '../../src/analysis/sweet-spot-rules.js';

const saturating = (a: number, b: number, tau: number): RuleCurve => ({
  predict: (s) => a - b * Math.exp(-s / tau),
  plateau: a,
  atZero: a - b,
});
const parameters = { delta: 0.25, share: 0.95, marginal: 0.025 };

describe('plateauGapSteps', () => {
  it('matches the documented example: ⌈10·ln 20⌉ = 30', () => {
    expect(plateauGapSteps(saturating(10, 5, 10), 0.25)).toBe(30);
  });

  it('equals ⌈τ·ln(b/δ)⌉ (at least 1) for saturating curves', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (tau, b, delta) => {
          const exact = tau * Math.log(b / delta);
          fc.pre(Math.abs(exact - Math.round(exact)) > 1e-6);
          expect(plateauGapSteps(saturating(7, b, tau), delta)).toBe(Math.max(1, Math.ceil(exact)));
        },
      ),
    );
  });

  it('gives the guide’s sweet spots for b = 5, δ = 0.25', () => {
    expect(plateauGapSteps(saturating(9, 5, 1), 0.25)).toBe(3); // FLUX.1 Schnell
    expect(plateauGapSteps(saturating(9, 5, 13), 0.25)).toBe(39); // FLUX.1 Pro (≈ 40)
  });

  it('stays within the tested range on the isotonic fallback', () => {
    const curve: RuleCurve = { predict: piecewiseLinear([10, 20, 30], [5, 8, 8.5]), plateau: 8.5, atZero: 5, flatBeyond: 30 };
    // 8.5 − 0.25 = 8.25 is reached a quarter of the way from 20 (8) to 30 (8.5): at 25 steps.
    expect(plateauGapSteps(curve, 0.25)).toBe(25);
    expect(plateauGapSteps(curve, 10)).toBe(1);
  });

  it('returns Infinity when the gap is never closed, and rejects a bad δ', () => {
    const never: RuleCurve = { predict: () => 0, plateau: 1, atZero: 0 };
    expect(plateauGapSteps(never, 0.5)).toBe(Infinity);
    expect(() => plateauGapSteps(never, 0)).toThrow('plateauGapSteps requires a positive finite delta');
  });
});

describe('gainShareSteps', () => {
  it('matches the documented example, equal to the plateau gap for b = 5, δ = 0.25', () => {
    expect(gainShareSteps(saturating(10, 5, 10), 0.95)).toBe(30);
  });

  it('equals ⌈τ·ln(1/(1 − p))⌉ whatever a and b', () => {
    expect(gainShareSteps(saturating(3, 100, 4), 0.5)).toBe(Math.ceil(4 * Math.log(2)));
    expect(gainShareSteps(saturating(3, 0.1, 4), 0.5)).toBe(3);
  });

  it('gives 1 for a curve without gain and rejects a bad share', () => {
    expect(gainShareSteps({ predict: () => 2, plateau: 2, atZero: 2 }, 0.9)).toBe(1);
    expect(() => gainShareSteps(saturating(1, 1, 1), 1)).toThrow('gainShareSteps requires a share between 0 and 1');
  });
});

describe('marginalGainSteps', () => {
  it('matches the documented example', () => {
    // 5·e^(−s/10)·(1 − e^(−0.1)) < 0.025 ⇔ s > 10·ln(200·(1 − e^(−0.1))) = 29.46.
    expect(marginalGainSteps(saturating(10, 5, 10), 0.025)).toBe(30);
  });

  it('reads the last steep segment of a piecewise curve', () => {
    const curve: RuleCurve = { predict: piecewiseLinear([10, 20, 30], [5, 8, 8.5]), plateau: 8.5, atZero: 5, flatBeyond: 30 };
    // Slopes 0.3 then 0.05 per step: with m = 0.1 the steep part ends at 20.
    expect(marginalGainSteps(curve, 0.1)).toBe(20);
    expect(marginalGainSteps(curve, 0.01)).toBe(30);
    expect(marginalGainSteps(curve, 1)).toBe(1);
    expect(() => marginalGainSteps(curve, -1)).toThrow('marginalGainSteps requires a positive finite marginal');
  });
});

describe('applySweetSpotRule and continuousSweetSpot', () => {
  it('match the documented examples', () => {
    expect(applySweetSpotRule(saturating(10, 5, 10), 'plateau-gap', parameters)).toBe(30);
    expect(applySweetSpotRule(saturating(10, 5, 10), 'gain-share', parameters)).toBe(30);
    expect(applySweetSpotRule(saturating(10, 5, 10), 'marginal-gain', parameters)).toBe(30);
    expect(continuousSweetSpot('plateau-gap', { b: 5, tau: 10 }, parameters)).toBeCloseTo(29.957322735539908, 12);
    expect(continuousSweetSpot('gain-share', { b: 5, tau: 10 }, parameters)).toBeCloseTo(10 * Math.log(20), 12);
    expect(continuousSweetSpot('marginal-gain', { b: 5, tau: 10 }, parameters)).toBeCloseTo(
      10 * Math.log((5 * (1 - Math.exp(-0.1))) / 0.025),
      12,
    );
  });

  it('the rounded rule is the ceiling of the continuous one', () => {
    for (const rule of ['plateau-gap', 'gain-share', 'marginal-gain'] as const) {
      for (const tau of [1, 3, 7.5, 13]) {
        const continuous = continuousSweetSpot(rule, { b: 5, tau }, parameters);
        expect(applySweetSpotRule(saturating(9, 5, tau), rule, parameters)).toBe(Math.max(1, Math.ceil(continuous)));
      }
    }
  });

  it('reject unknown rules and bad parameters', () => {
    expect(() => applySweetSpotRule(saturating(1, 1, 1), 'knee' as never, parameters)).toThrow('applySweetSpotRule requires a known rule');
    expect(() => continuousSweetSpot('plateau-gap', { b: 0, tau: 1 }, parameters)).toThrow('continuousSweetSpot requires b > 0 and tau > 0');
  });
});
