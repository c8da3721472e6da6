import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeWaste, describeWaste, formatDuration, type WasteLevel } from '../../src/analysis/waste.js';

const levels: WasteLevel[] = [
  { steps: 20, n: 10, totalDurationMs: 100_000 },
  { steps: 40, n: 10, totalDurationMs: 200_000 },
];

describe('computeWaste', () => {
  it('splits a run evenly over its steps without a fit: the doc example', () => {
    expect(computeWaste(levels, 30)).toEqual({
      wastedMs: 50_000,
      totalMs: 300_000,
      share: 1 / 6,
      runsPastSweetSpot: 10,
    });
  });

  it('charges the fitted time per step with a fit', () => {
    // 40-step runs at 380 + 670·40 = 27,180 ms each: 10 extra steps cost 6,700 ms per run.
    const w = computeWaste(
      [
        { steps: 30, n: 4, totalDurationMs: 4 * 20_480 },
        { steps: 40, n: 3, totalDurationMs: 3 * 27_180 },
      ],
      30,
      { overheadMs: 380, perStepMs: 670 },
    );
    expect(w.wastedMs).toBe(3 * 6_700);
    expect(w.totalMs).toBe(4 * 20_480 + 3 * 27_180);
    expect(w.runsPastSweetSpot).toBe(3);
  });

  it("caps the fitted waste by the runs' actual duration", () => {
    const w = computeWaste([{ steps: 50, n: 2, totalDurationMs: 1_000 }], 10, { overheadMs: 0, perStepMs: 100 });
    expect(w.wastedMs).toBe(1_000);
    expect(w.share).toBe(1);
  });

  it('counts a negative fitted per-step time as no waste', () => {
    const w = computeWaste(levels, 30, { overheadMs: 30_000, perStepMs: -5 });
    expect(w.wastedMs).toBe(0);
    expect(w.runsPastSweetSpot).toBe(10);
  });

  it('answers empty input, one level and runs at the sweet spot with no waste', () => {
    expect(computeWaste([], 30)).toEqual({ wastedMs: 0, totalMs: 0, share: 0, runsPastSweetSpot: 0 });
    expect(computeWaste([{ steps: 30, n: 5, totalDurationMs: 9_000 }], 30)).toEqual({
      wastedMs: 0,
      totalMs: 9_000,
      share: 0,
      runsPastSweetSpot: 0,
    });
    expect(computeWaste([{ steps: 40, n: 0, totalDurationMs: 0 }], 30).runsPastSweetSpot).toBe(0);
  });

  it('throws for a bad sweet spot, bad levels or a bad fit', () => {
    expect(() => computeWaste(levels, -1)).toThrow('computeWaste requires a finite, non-negative sweet spot');
    expect(() => computeWaste(levels, Number.NaN)).toThrow('computeWaste requires a finite, non-negative sweet spot');
    expect(() => computeWaste([{ steps: 40, n: 1, totalDurationMs: -5 }], 30)).toThrow(
      'computeWaste requires finite, non-negative steps, n and totalDurationMs',
    );
    expect(() => computeWaste([{ steps: Number.POSITIVE_INFINITY, n: 1, totalDurationMs: 5 }], 30)).toThrow(
      'computeWaste requires finite, non-negative steps, n and totalDurationMs',
    );
    expect(() => computeWaste(levels, 30, { overheadMs: 0, perStepMs: Number.NaN })).toThrow(
      'computeWaste requires a finite perStepMs',
    );
  });

  const level = fc.record({
    steps: fc.integer({ min: 1, max: 80 }),
    n: fc.integer({ min: 0, max: 50 }),
    totalDurationMs: fc.integer({ min: 0, max: 10_000_000 }),
  });
  const fit = fc.option(
    fc.record({ overheadMs: fc.integer({ min: 0, max: 2_000 }), perStepMs: fc.integer({ min: 0, max: 2_000 }) }),
    { nil: undefined },
  );

  it('keeps the waste between 0 and the total, and the share between 0 and 1 (property)', () => {
    fc.assert(
      fc.property(fc.array(level, { maxLength: 20 }), fc.integer({ min: 0, max: 100 }), fit, (ls, s, f) => {
        const w = computeWaste(ls, s, f);
        expect(w.wastedMs).toBeGreaterThanOrEqual(0);
        expect(w.wastedMs).toBeLessThanOrEqual(w.totalMs + 1e-6);
        expect(w.share).toBeGreaterThanOrEqual(0);
        expect(w.share).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });

  it('never grows as the sweet spot moves up, and is 0 past the highest level (property)', () => {
    fc.assert(
      fc.property(
        fc.array(level, { maxLength: 20 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fit,
        (ls, a, b, f) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(computeWaste(ls, high, f).wastedMs).toBeLessThanOrEqual(computeWaste(ls, low, f).wastedMs + 1e-6);
          expect(computeWaste(ls, 80, f).wastedMs).toBe(0);
        },
      ),
    );
  });
});

describe('describeWaste', () => {
  it('says the doc example: "3.1 h, 18% of render time, went past the sweet spot"', () => {
    expect(describeWaste({ wastedMs: 11_160_000, totalMs: 62_000_000, share: 0.18, runsPastSweetSpot: 120 })).toBe(
      '3.1 h, 18% of render time, went past the sweet spot',
    );
  });

  it('describes the computeWaste example, a tiny share and no waste', () => {
    expect(describeWaste(computeWaste(levels, 30))).toBe('50 s, 17% of render time, went past the sweet spot');
    expect(describeWaste({ wastedMs: 2_000, totalMs: 1_000_000, share: 0.002, runsPastSweetSpot: 1 })).toBe(
      '2 s, <1% of render time, went past the sweet spot',
    );
    expect(describeWaste(computeWaste([], 30))).toBe('No render time went past the sweet spot');
  });
});

describe('formatDuration', () => {
  it('formats the doc example: 11,160,000 ms → "3.1 h"', () => {
    expect(formatDuration(11_160_000)).toBe('3.1 h');
  });

  it('picks s / min / h with one decimal below 10 and none from 10 on', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(670)).toBe('0.7 s');
    expect(formatDuration(20_480)).toBe('20 s');
    expect(formatDuration(59_970)).toBe('1 min');
    expect(formatDuration(150_000)).toBe('2.5 min');
    expect(formatDuration(18 * 60_000)).toBe('18 min');
    expect(formatDuration(3_599_000)).toBe('1 h');
    expect(formatDuration(36 * 3_600_000)).toBe('36 h');
  });

  it('throws for a negative or non-finite duration', () => {
    expect(() => formatDuration(-1)).toThrow('formatDuration requires a finite, non-negative duration');
    expect(() => formatDuration(Number.NaN)).toThrow('formatDuration requires a finite, non-negative duration');
  });

  it('always reads as a number and a unit, never "60 s" or "60 min" (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e10, noNaN: true }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^\d+(\.\d)? (s|min|h)$/);
        expect(text).not.toMatch(/^60 (s|min)$/);
      }),
    );
  });
});
