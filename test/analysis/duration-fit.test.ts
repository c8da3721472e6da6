import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitDuration, predictDurationMs, type DurationSums } from '../../src/analysis/duration-fit.js';

/** Per-level sums of raw (steps, durationMs) points, as the SQL aggregate would return them. */
function sums(points: readonly (readonly [number, number])[]): DurationSums[] {
  const byStep = new Map<number, DurationSums>();
  for (const [steps, y] of points) {
    const level = byStep.get(steps) ?? { steps, n: 0, sum: 0, sumSq: 0 };
    byStep.set(steps, { steps, n: level.n + 1, sum: level.sum + y, sumSq: level.sumSq + y * y });
  }
  return [...byStep.values()];
}

/** Textbook OLS on the raw points. */
function rawOls(points: readonly (readonly [number, number])[]) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const sse = points.reduce((s, [x, y]) => s + (y - intercept - slope * x) ** 2, 0);
  return { slope, intercept, r2: syy > 0 ? 1 - sse / syy : 1, sse };
}

const flux = (steps: number) => 380 + 670 * steps;

describe('fitDuration', () => {
  it('recovers the published FLUX.1-dev timing (0.670 s/step + 0.38 s) exactly: the doc example', () => {
    const fit = fitDuration([
      { steps: 10, n: 1, sum: 7080, sumSq: 7080 ** 2 },
      { steps: 20, n: 1, sum: 13780, sumSq: 13780 ** 2 },
      { steps: 30, n: 1, sum: 20480, sumSq: 20480 ** 2 },
    ]);
    expect(fit).toEqual({
      overheadMs: 380,
      perStepMs: 670,
      r2: 1,
      runs: 3,
      levels: 3,
      linear: true,
      lackOfFitP: null,
      warning: null,
    });
  });

  it('recovers it exactly with repeated runs at uneven counts too', () => {
    const points = [
      ...Array.from({ length: 3 }, () => [20, flux(20)] as const),
      ...Array.from({ length: 5 }, () => [28, flux(28)] as const),
      [50, flux(50)] as const,
    ];
    const fit = fitDuration(sums(points));
    expect(fit.perStepMs).toBeCloseTo(670, 9);
    expect(fit.overheadMs).toBeCloseTo(380, 7);
    expect(fit.r2).toBe(1);
    expect(fit.runs).toBe(9);
    expect(fit.levels).toBe(3);
    expect(fit.linear).toBe(true);
    expect(fit.warning).toBeNull();
  });

  it('fits two levels by hand: (10, 1 s) and (20, 2 s) → 100 ms/step, no overhead', () => {
    const fit = fitDuration([
      { steps: 10, n: 2, sum: 2000, sumSq: 2 * 1000 ** 2 },
      { steps: 20, n: 2, sum: 4000, sumSq: 2 * 2000 ** 2 },
    ]);
    expect(fit.perStepMs).toBe(100);
    expect(fit.overheadMs).toBe(0);
    expect(fit.r2).toBe(1);
    // Two level means always lie on their line: linearity cannot be checked.
    expect(fit.linear).toBe(true);
    expect(fit.lackOfFitP).toBeNull();
  });

  it('computes R² over the raw points, not the level means', () => {
    // Level means 1000 and 2000 lie on the line, but runs scatter ±100 ms around them.
    const points = [
      [10, 900],
      [10, 1100],
      [20, 1900],
      [20, 2100],
    ] as const;
    const fit = fitDuration(sums(points));
    // SS total = 4·100² + 4·500² = 1,040,000; SS residual = 40,000 → R² = 1 − 1/26.
    expect(fit.r2).toBeCloseTo(1 - 1 / 26, 12);
    expect(fit.r2).toBeCloseTo(rawOls(points).r2, 12);
  });

  it('computes the lack-of-fit p-value of the F test (F(1, 1) has a closed form)', () => {
    const points = [
      [10, 10_000],
      [10, 12_000],
      [20, 15_000],
      [30, 30_000],
    ] as const;
    const { sse } = rawOls(points);
    const ssPureError = 2 * 1000 ** 2;
    const f = (sse - ssPureError) / 1 / (ssPureError / 1);
    const expected = 1 - (2 / Math.PI) * Math.atan(Math.sqrt(f));
    expect(fitDuration(sums(points)).lackOfFitP).toBeCloseTo(expected, 10);
  });

  it('flags durations that clearly curve (significant and material)', () => {
    const points = [10, 20, 30, 40].flatMap((steps) => {
      const mean = 2500 * 2 ** (steps / 10);
      return [[steps, mean - 50], [steps, mean], [steps, mean + 50]] as const;
    });
    const fit = fitDuration(sums(points));
    expect(fit.linear).toBe(false);
    expect(fit.lackOfFitP).toBeLessThan(0.01);
    expect(fit.warning).toMatch(/^Durations are not linear in steps: at \d+ steps the measured mean/);
    expect(fit.warning).toContain('lack-of-fit p = < 0.0001');
  });

  it('keeps a statistically significant but immaterial curvature as linear', () => {
    // 1% bend with 2 ms of run-to-run noise: the F test rejects, but no prediction is 5% off.
    const points = [10, 20, 30, 40].flatMap((steps) => {
      const mean = flux(steps) * (1 + 0.0001 * (steps - 25) ** 2 / 2.25);
      return [[steps, mean - 2], [steps, mean + 2]] as const;
    });
    const fit = fitDuration(sums(points));
    expect(fit.lackOfFitP).toBeLessThan(0.01);
    expect(fit.linear).toBe(true);
    expect(fit.warning).toBeNull();
  });

  it('keeps noisy but straight durations as linear', () => {
    const noise = [-300, 250, 50, -120, 180, -60];
    const points = [10, 20, 30, 40, 50].flatMap((steps) =>
      noise.map((e, i) => [steps, flux(steps) + e * ((steps / 10 + i) % 2 === 0 ? 1 : -1)] as const),
    );
    const fit = fitDuration(sums(points));
    expect(fit.linear).toBe(true);
    expect(fit.perStepMs).toBeCloseTo(670, -1);
    expect(fit.r2).toBeGreaterThan(0.99);
  });

  it('without repeated runs, flags only a large gap and says it may be noise', () => {
    const curved = fitDuration(sums([[10, 5000], [20, 10_000], [30, 20_000], [40, 40_000]]));
    expect(curved.linear).toBe(false);
    expect(curved.lackOfFitP).toBeNull();
    expect(curved.warning).toContain('with one run per level this may be noise');
    const wobbly = fitDuration(sums([[10, 7080 * 1.05], [20, 13_780], [30, 20_480 * 0.97], [40, 27_180]]));
    expect(wobbly.linear).toBe(true);
  });

  it('words the warning even when the line dips below zero and ignores gaps under 10 ms', () => {
    const fit = fitDuration(sums([[1, 0], [2, 0], [3, 0], [10, 30_000]]));
    expect(fit.overheadMs).toBeLessThan(0);
    expect(fit.linear).toBe(false);
    expect(fit.warning).toMatch(/^Durations are not linear in steps: at 1 step the measured mean \(0 s\) is far off the fitted line \(−/);
    expect(fitDuration(sums([[3, 1], [1, 0], [2, 0]])).linear).toBe(true);
  });

  it('answers a flat set of durations with slope 0, R² 1 and a warning', () => {
    const fit = fitDuration([
      { steps: 10, n: 2, sum: 6000, sumSq: 2 * 3000 ** 2 },
      { steps: 20, n: 1, sum: 3000, sumSq: 3000 ** 2 },
      { steps: 30, n: 3, sum: 9000, sumSq: 3 * 3000 ** 2 },
    ]);
    expect(fit.perStepMs).toBe(0);
    expect(fit.overheadMs).toBe(3000);
    expect(fit.r2).toBe(1);
    expect(fit.linear).toBe(true);
    expect(fit.warning).toMatch(/^Durations do not grow with steps/);
  });

  it('merges levels with the same step count and ignores empty ones', () => {
    const fit = fitDuration([
      { steps: 10, n: 1, sum: 7080, sumSq: 7080 ** 2 },
      { steps: 30, n: 0, sum: 0, sumSq: 0 },
      { steps: 20, n: 1, sum: 13780, sumSq: 13780 ** 2 },
      { steps: 10, n: 1, sum: 7080, sumSq: 7080 ** 2 },
    ]);
    expect(fit.levels).toBe(2);
    expect(fit.runs).toBe(3);
    expect(fit.perStepMs).toBeCloseTo(670, 9);
  });

  it('throws for fewer than 2 step levels', () => {
    const message = 'fitDuration requires at least 2 step levels';
    expect(() => fitDuration([])).toThrow(message);
    expect(() => fitDuration([{ steps: 20, n: 3, sum: 30, sumSq: 300 }])).toThrow(message);
    expect(() =>
      fitDuration([
        { steps: 20, n: 1, sum: 10, sumSq: 100 },
        { steps: 20, n: 1, sum: 10, sumSq: 100 },
        { steps: 30, n: 0, sum: 0, sumSq: 0 },
      ]),
    ).toThrow(message);
  });

  it('throws for non-finite, negative or fractional input and impossible sums', () => {
    const ok = { steps: 10, n: 1, sum: 10, sumSq: 100 };
    const message = 'fitDuration requires finite, non-negative steps, n, sum and sumSq';
    for (const bad of [
      { steps: Number.NaN },
      { steps: -1 },
      { n: 1.5 },
      { n: -1 },
      { sum: Number.POSITIVE_INFINITY },
      { sum: -10 },
      { sumSq: -1 },
    ]) {
      expect(() => fitDuration([ok, { ...ok, steps: 20, ...bad }])).toThrow(message);
    }
    expect(() => fitDuration([ok, { steps: 20, n: 2, sum: 20, sumSq: 150 }])).toThrow(
      'fitDuration requires sumSq ≥ sum²/n at every level',
    );
  });

  it('equals OLS on the raw points, for any data (property)', () => {
    const point = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 120_000 }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 60 }), (points) => {
        fc.pre(new Set(points.map(([s]) => s)).size >= 2);
        const fit = fitDuration(sums(points));
        const ols = rawOls(points);
        const scale = Math.max(1, ...points.map(([, y]) => y));
        expect(Math.abs(fit.perStepMs - ols.slope)).toBeLessThan(1e-9 * scale);
        expect(Math.abs(fit.overheadMs - ols.intercept)).toBeLessThan(1e-7 * scale);
        expect(fit.r2).toBeGreaterThanOrEqual(0);
        expect(fit.r2).toBeLessThanOrEqual(1);
        expect(Math.abs(fit.r2 - ols.r2)).toBeLessThan(1e-6);
        expect(fit.runs).toBe(points.length);
      }),
    );
  });

  it('recovers any noiseless line and does not depend on level order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 12 }),
        (overhead, perStep, steps) => {
          const levels = steps.map((s) => {
            const y = overhead + perStep * s;
            return { steps: s, n: 2, sum: 2 * y, sumSq: 2 * y * y };
          });
          const fit = fitDuration(levels);
          expect(fit.perStepMs).toBeCloseTo(perStep, 6);
          expect(fit.overheadMs).toBeCloseTo(overhead, 4);
          expect(fit.r2).toBeCloseTo(1, 9);
          expect(fit.linear).toBe(true);
          const reversed = fitDuration([...levels].reverse());
          expect(reversed.perStepMs).toBeCloseTo(fit.perStepMs, 9);
          expect(reversed.linear).toBe(fit.linear);
        },
      ),
    );
  });
});

describe('predictDurationMs', () => {
  it('predicts the doc example: 30 steps → 20,480 ms', () => {
    expect(predictDurationMs({ overheadMs: 380, perStepMs: 670 }, 30)).toBe(20480);
  });

  it('floors a negative line at 0 and accepts 0 steps', () => {
    expect(predictDurationMs({ overheadMs: -500, perStepMs: 100 }, 2)).toBe(0);
    expect(predictDurationMs({ overheadMs: 380, perStepMs: 670 }, 0)).toBe(380);
  });

  it('throws for a negative or non-finite step count', () => {
    const fit = { overheadMs: 380, perStepMs: 670 };
    for (const steps of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => predictDurationMs(fit, steps)).toThrow(
        'predictDurationMs requires a finite, non-negative step count',
      );
    }
  });
});
