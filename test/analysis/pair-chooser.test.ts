import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePair, type CandidateRender, type RenderJudgement } from '../../src/analysis/pair-chooser.js';

const grid = (block: string, steps: readonly number[]): CandidateRender[] =>
  steps.map((s) => ({ id: `${block}@${s}`, block, steps: s }));
const repeat = (count: number, judgement: RenderJudgement): RenderJudgement[] => Array.from({ length: count }, () => judgement);

describe('choosePair', () => {
  it('matches the documented example', () => {
    const renders = [10, 20, 30, 40, 50].map((steps) => ({ id: `r${steps}`, block: 'fox#1', steps }));
    const pair = choosePair({ renders, judgements: [], sweetSpot: 30, seed: 0 })!;
    expect([pair.a, pair.b]).toEqual(['r30', 'r40']);
    expect([pair.left, pair.right]).toEqual(['r40', 'r30']);
    expect(pair).toMatchObject({ block: 'fox#1', steps: [30, 40], judgements: 0 });
    // closeness 1 / (1 + ln(4/3)/ln 2), uncertainty 1, freshness 1
    expect(pair.score).toBeCloseTo(1 / (1 + Math.log(4 / 3) / Math.LN2), 12);
  });

  it('picks the pair around the sweet spot', () => {
    const renders = grid('b', [10, 20, 30, 40, 50]);
    expect(choosePair({ renders, judgements: [], sweetSpot: 45 })!.steps).toEqual([40, 50]);
    expect(choosePair({ renders, judgements: [], sweetSpot: 12 })!.steps).toEqual([10, 20]);
    expect(choosePair({ renders, judgements: [], sweetSpot: 25 })!.steps).toEqual([20, 30]);
    // Beyond the tested range: the pair at the top.
    expect(choosePair({ renders, judgements: [], sweetSpot: 200 })!.steps).toEqual([40, 50]);
  });

  it('prefers neighbouring step counts without a sweet spot', () => {
    const pair = choosePair({ renders: grid('b', [8, 16, 32, 64]), judgements: [], sweetSpot: null })!;
    expect(pair.steps[1]! / pair.steps[0]!).toBe(2);
    expect(pair.score).toBe(1);
  });

  it('moves on to fresh pairs and blocks once a pair has been judged', () => {
    const renders = [...grid('A', [10, 20, 30, 40, 50]), ...grid('B', [10, 20, 30, 40, 50])];
    const first = choosePair({ renders, judgements: [], sweetSpot: 30 })!;
    expect(first).toMatchObject({ a: 'A@30', b: 'A@40' });
    const second = choosePair({ renders, judgements: [{ a: 'A@40', b: 'A@30', outcome: 'tie' }], sweetSpot: 30 })!;
    expect(second).toMatchObject({ a: 'B@30', b: 'B@40' });
  });

  it('never repeats a pair judged maxJudgements times while another pair is left', () => {
    const renders = grid('b', [20, 30, 40]);
    const judged = [
      ...repeat(2, { a: 'b@30', b: 'b@40', outcome: 'tie' }),
      ...repeat(2, { a: 'b@20', b: 'b@30', outcome: 'b' }),
    ];
    // Only 20 vs 40 is left, far from the sweet spot as it is.
    expect(choosePair({ renders, judgements: judged, sweetSpot: 30 })!.steps).toEqual([20, 40]);
    // With every pair at the limit, the best of them is still offered.
    const all = [...judged, ...repeat(2, { a: 'b@20', b: 'b@40', outcome: 'b' })];
    const pair = choosePair({ renders, judgements: all, sweetSpot: 30 })!;
    expect(pair.judgements).toBe(2);
    expect(choosePair({ renders, judgements: all, sweetSpot: 30, maxJudgements: 3 })!.judgements).toBe(2);
  });

  it('prefers pairs whose outcome is uncertain under the pooled Bradley–Terry fit', () => {
    const renders = [...grid('A', [10, 20, 30]), ...grid('B', [10, 20, 30])];
    // In block A, 20 steps clearly beat 10 steps; 20 vs 30 has not been asked yet.
    const judgements = repeat(6, { a: 'A@10', b: 'A@20', outcome: 'b' });
    const pair = choosePair({ renders, judgements, sweetSpot: null })!;
    expect(pair.steps).toEqual([20, 30]);
    // Without that evidence the tie is broken toward the lower steps.
    expect(choosePair({ renders, judgements: [], sweetSpot: null })!.steps).toEqual([10, 20]);
  });

  it('randomises left and right evenly over seeds', () => {
    const renders = grid('b', [10, 20]);
    let lowOnLeft = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const pair = choosePair({ renders, judgements: [], sweetSpot: 15, seed })!;
      if (pair.left === pair.a) lowOnLeft++;
    }
    expect(lowOnLeft / 2000).toBeGreaterThan(0.46);
    expect(lowOnLeft / 2000).toBeLessThan(0.54);
    // The default seed is the number of judgements, so the order changes as judging goes on.
    const sides = new Set(
      [0, 1, 2, 3, 4, 5, 6, 7].map((n) => choosePair({ renders, judgements: repeat(n, { a: 'x', b: 'y', outcome: 'a' }), sweetSpot: 15 })!.left),
    );
    expect(sides.size).toBe(2);
  });

  it('returns null when no pair exists', () => {
    expect(choosePair({ renders: [], judgements: [], sweetSpot: null })).toBeNull();
    expect(choosePair({ renders: grid('b', [20]), judgements: [], sweetSpot: 20 })).toBeNull();
    expect(choosePair({ renders: [...grid('A', [20]), ...grid('B', [30])], judgements: [], sweetSpot: 20 })).toBeNull();
    expect(
      choosePair({ renders: [{ id: 'x', block: 'b', steps: 20 }, { id: 'y', block: 'b', steps: 20 }], judgements: [], sweetSpot: 20 }),
    ).toBeNull();
  });

  it('rejects bad input', () => {
    const renders = grid('b', [10, 20]);
    expect(() => choosePair({ renders: [{ id: '', block: 'b', steps: 10 }], judgements: [], sweetSpot: null })).toThrow(
      'choosePair requires renders with a non-empty id, a block and whole steps ≥ 1 (render 1 is not)',
    );
    expect(() => choosePair({ renders: [...renders, { id: 'b@10', block: 'c', steps: 5 }], judgements: [], sweetSpot: null })).toThrow(
      'choosePair requires distinct render ids ("b@10" appears twice)',
    );
    expect(() =>
      choosePair({ renders, judgements: [{ a: 'b@10', b: 'b@20', outcome: 'left' as 'a' }], sweetSpot: null }),
    ).toThrow("choosePair requires judgements with ids a and b and an outcome of 'a', 'b' or 'tie' (judgement 1 is not)");
    expect(() => choosePair({ renders, judgements: [], sweetSpot: 0 })).toThrow('choosePair requires a sweet spot that is null or a positive number');
    expect(() => choosePair({ renders, judgements: [], sweetSpot: null, maxJudgements: 0 })).toThrow('choosePair requires a whole maxJudgements ≥ 1');
    expect(() => choosePair({ renders, judgements: [], sweetSpot: null, seed: Number.NaN })).toThrow('choosePair requires a finite seed');
  });

  it('always offers two renders of one block at different steps, a with fewer, in either order (property)', () => {
    const render = fc.record({ block: fc.constantFrom('A', 'B', 'C'), steps: fc.integer({ min: 1, max: 60 }) });
    fc.assert(
      fc.property(
        fc.array(render, { maxLength: 15 }),
        fc.option(fc.integer({ min: 1, max: 80 }), { nil: null }),
        fc.array(fc.tuple(fc.nat(20), fc.nat(20), fc.constantFrom('a' as const, 'b' as const, 'tie' as const)), { maxLength: 20 }),
        fc.integer(),
        (raw, sweetSpot, rawJudgements, seed) => {
          const renders = raw.map((r, i) => ({ id: `r${i}`, ...r }));
          const judgements = rawJudgements.map(([x, y, outcome]) => ({ a: `r${x}`, b: `r${y}`, outcome }));
          const pair = choosePair({ renders, judgements, sweetSpot, seed });
          const possible = renders.some((x) => renders.some((y) => x.block === y.block && x.steps !== y.steps));
          if (!possible) {
            expect(pair).toBeNull();
            return;
          }
          expect(pair).not.toBeNull();
          const a = renders.find((r) => r.id === pair!.a)!;
          const b = renders.find((r) => r.id === pair!.b)!;
          expect(a.block).toBe(b.block);
          expect(pair!.block).toBe(a.block);
          expect(a.steps).toBeLessThan(b.steps);
          expect(pair!.steps).toEqual([a.steps, b.steps]);
          expect([pair!.left, pair!.right].sort()).toEqual([pair!.a, pair!.b].sort());
          expect(pair!.score).toBeGreaterThan(0);
          expect(pair!.score).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('choosePair: recent pairs wait their turn', () => {
  const renders = [10, 20, 30, 40, 50].map((steps) => ({ id: `r${steps}`, block: 'fox#1', steps }));

  it('sets a just-judged pair aside while another is open, and falls back to it when none is', () => {
    // The order choosePair itself gives near 30 steps, every later render winning: after five
    // judgements it returns to r30–r40, the first pair.
    const pairs: [string, string][] = [['r30', 'r40'], ['r20', 'r30'], ['r30', 'r50'], ['r40', 'r50'], ['r10', 'r30']];
    const judged = pairs.map(([a, b]) => ({ a, b, outcome: 'b' as const }));
    const again = choosePair({ renders, judgements: judged, sweetSpot: 30, seed: 5 })!;
    expect([again.a, again.b]).toEqual(['r30', 'r40']);
    const next = choosePair({ renders, judgements: judged, sweetSpot: 30, seed: 5, recent: pairs })!;
    expect(pairs.map((p) => p.join())).not.toContain([next.a, next.b].join());
    const two = [{ id: 'x10', block: 'b', steps: 10 }, { id: 'x20', block: 'b', steps: 20 }];
    const only = choosePair({ renders: two, judgements: [], sweetSpot: null, seed: 0, recent: [['x20', 'x10']] })!;
    expect([only.a, only.b]).toEqual(['x10', 'x20']);
  });
});

