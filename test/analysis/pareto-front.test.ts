import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paretoFront, type TradeoffPoint } from '../../src/analysis/pareto-front.js';

const p = (model: string, steps: number, timeMs: number, quality: number): TradeoffPoint => ({
  model,
  steps,
  timeMs,
  quality,
});

const dominates = (a: TradeoffPoint, b: TradeoffPoint) =>
  a.timeMs <= b.timeMs && a.quality >= b.quality && (a.timeMs < b.timeMs || a.quality > b.quality);

describe('paretoFront', () => {
  it('keeps the doc example front and drops the slower, worse Recraft point', () => {
    const front = paretoFront([
      p('flux-schnell', 4, 2_000, 6.5),
      p('flux-dev', 20, 13_780, 7.9),
      p('flux-dev', 30, 20_480, 8.6),
      p('recraft-v3', 30, 24_000, 8.4),
    ]);
    expect(front.map((q) => `${q.model}@${q.steps}`)).toEqual(['flux-schnell@4', 'flux-dev@20', 'flux-dev@30']);
  });

  it('answers empty input with an empty front and one point with itself', () => {
    expect(paretoFront([])).toEqual([]);
    const only = p('flux-dev', 30, 20_480, 8.6);
    expect(paretoFront([only])).toEqual([only]);
  });

  it('keeps only the fastest point of a flat curve', () => {
    const flat = [p('m', 30, 300, 5), p('m', 10, 100, 5), p('m', 20, 200, 5)];
    expect(paretoFront(flat)).toEqual([flat[1]]);
  });

  it('drops the worse of two points at the same time and the slower of two at the same quality', () => {
    expect(paretoFront([p('a', 10, 100, 6), p('b', 10, 100, 7)]).map((q) => q.model)).toEqual(['b']);
    expect(paretoFront([p('a', 20, 200, 7), p('b', 10, 100, 7)]).map((q) => q.model)).toEqual(['b']);
  });

  it('keeps identical points, ordered by model then steps, whatever the input order', () => {
    const twins = [p('zeta', 5, 100, 7), p('alpha', 9, 100, 7), p('alpha', 3, 100, 7)];
    const expected = ['alpha@3', 'alpha@9', 'zeta@5'];
    expect(paretoFront(twins).map((q) => `${q.model}@${q.steps}`)).toEqual(expected);
    expect(paretoFront([...twins].reverse()).map((q) => `${q.model}@${q.steps}`)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = [p('a', 30, 300, 9), p('a', 10, 100, 5)];
    const copy = structuredClone(input);
    paretoFront(input);
    expect(input).toEqual(copy);
  });

  it('throws for non-finite time or quality', () => {
    for (const bad of [p('a', 1, Number.NaN, 1), p('a', 1, 1, Number.POSITIVE_INFINITY)]) {
      expect(() => paretoFront([p('b', 1, 1, 1), bad])).toThrow('paretoFront requires finite timeMs and quality');
    }
  });

  const point = fc.record({
    model: fc.constantFrom('flux-dev', 'flux-pro', 'flux-schnell', 'recraft-v3'),
    steps: fc.integer({ min: 1, max: 60 }),
    timeMs: fc.integer({ min: 0, max: 40 }),
    quality: fc.integer({ min: 0, max: 20 }).map((q) => q / 2),
  });

  it('returns exactly the non-dominated points, by time, with quality rising (property)', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (points) => {
        const front = paretoFront(points);
        const expected = points.filter((a) => !points.some((b) => dominates(b, a)));
        expect(front.length).toBe(expected.length);
        expect(new Set(front)).toEqual(new Set(expected));
        for (let i = 1; i < front.length; i++) {
          const [prev, cur] = [front[i - 1]!, front[i]!];
          expect(cur.timeMs).toBeGreaterThanOrEqual(prev.timeMs);
          const twin = cur.timeMs === prev.timeMs && cur.quality === prev.quality;
          expect(twin || cur.quality > prev.quality).toBe(true);
        }
      }),
    );
  });

  it('does not depend on the input order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 40 }).chain((points) =>
          fc.tuple(fc.constant(points), fc.shuffledSubarray(points, { minLength: points.length })),
        ),
        ([points, shuffled]) => {
          expect(paretoFront(shuffled)).toEqual(paretoFront(points));
        },
      ),
    );
  });
});
