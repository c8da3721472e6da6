import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cohensKappa,
  compareSweetSpots,
  fleissKappa,
  raterAgreement,
  type RaterJudgement,
} from '../../src/analysis/rater-agreement.js';

const WIKIPEDIA_FLEISS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

describe('cohensKappa', () => {
  it('matches the documented textbook example: pₒ = 0.7, pₑ = 0.5 → 0.4', () => {
    expect(cohensKappa([[20, 5], [10, 15]])).toBeCloseTo(0.4, 12);
  });

  it('gives 1 for perfect agreement, 0 at chance level, below 0 for systematic disagreement', () => {
    expect(cohensKappa([[10, 0, 0], [0, 5, 0], [0, 0, 3]])).toBe(1);
    // Independent raters: every cell the product of its margins.
    expect(cohensKappa([[4, 4], [6, 6]])).toBeCloseTo(0, 12);
    expect(cohensKappa([[0, 5], [5, 0]])).toBeCloseTo(-1, 12);
  });

  it('matches a hand-worked 3-category table', () => {
    // N = 9, pₒ = 6/9; rows 4, 3, 2; columns 5, 3, 1; pₑ = (20 + 9 + 2)/81 = 31/81; κ = (54 − 31)/(81 − 31) = 0.46.
    expect(cohensKappa([[3, 1, 0], [1, 2, 0], [1, 0, 1]])).toBeCloseTo(0.46, 12);
  });

  it('is undefined (null) when both raters always used one category, and rejects bad tables', () => {
    expect(cohensKappa([[7, 0], [0, 0]])).toBeNull();
    expect(() => cohensKappa([])).toThrow('cohensKappa requires a square table of non-negative finite counts');
    expect(() => cohensKappa([[1, 2]])).toThrow('cohensKappa requires a square table');
    expect(() => cohensKappa([[1, -1], [0, 1]])).toThrow('cohensKappa requires a square table');
    expect(() => cohensKappa([[0, 0], [0, 0]])).toThrow('cohensKappa requires at least one counted item');
  });
});

describe('fleissKappa', () => {
  it('matches the documented textbook example (Fleiss 1971 via Wikipedia): 0.210', () => {
    expect(fleissKappa(WIKIPEDIA_FLEISS)).toBeCloseTo(0.2099, 4);
  });

  it('gives 1 when every item is unanimous, and null when everyone used one category', () => {
    expect(fleissKappa([[3, 0], [0, 3], [3, 0]])).toBe(1);
    expect(fleissKappa([[3, 0], [3, 0]])).toBeNull();
  });

  it('equals Scott\'s pi for two raters (hand-worked)', () => {
    // Items: (A,A), (A,B), (B,B), (B,B): P̄ = (1 + 0 + 1 + 1)/4 = 0.75; p = (3/8, 5/8); Pₑ = 34/64.
    const pe = 34 / 64;
    expect(fleissKappa([[2, 0], [1, 1], [0, 2], [0, 2]])).toBeCloseTo((0.75 - pe) / (1 - pe), 12);
  });

  it('allows a different number of raters per item', () => {
    // P = (1, 1/3): P̄ = 2/3; p = (4/5, 1/5): Pₑ = 17/25.
    expect(fleissKappa([[2, 0], [2, 1]])).toBeCloseTo((2 / 3 - 17 / 25) / (1 - 17 / 25), 12);
  });

  it('rejects bad tables', () => {
    expect(() => fleissKappa([])).toThrow('fleissKappa requires at least one item');
    expect(() => fleissKappa([[1, 1], [2]])).toThrow('fleissKappa requires rows of equal length with non-negative whole counts');
    expect(() => fleissKappa([[1.5, 1]])).toThrow('fleissKappa requires rows of equal length');
    expect(() => fleissKappa([[2, 0], [1, 0]])).toThrow('fleissKappa requires at least two ratings per item (item 2 has 1)');
  });
});

describe('raterAgreement', () => {
  it('matches the documented example', () => {
    const result = raterAgreement([
      { rater: 'ann', a: 'r10', b: 'r30', outcome: 'b' },
      { rater: 'bob', a: 'r30', b: 'r10', outcome: 'a' },
      { rater: 'ann', a: 'r30', b: 'r40', outcome: 'tie' },
      { rater: 'bob', a: 'r30', b: 'r40', outcome: 'b' },
    ]);
    expect(result).toMatchObject({ raters: ['ann', 'bob'], sharedPairs: 2, agreementShare: 0.5, cohensKappa: 0 });
    expect(result.fleissKappa).toBeCloseTo(-1 / 3, 12);
    expect(result.pairwise).toEqual([{ raters: ['ann', 'bob'], sharedPairs: 2, agreementShare: 0.5, cohensKappa: 0 }]);
  });

  it('reproduces the textbook Cohen table from pairwise judgements', () => {
    // 50 pairs; "yes" = the first render wins, "no" = the second wins: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    const judgements: RaterJudgement[] = [];
    const cells: [number, 'a' | 'b', 'a' | 'b'][] = [[20, 'a', 'a'], [5, 'a', 'b'], [10, 'b', 'a'], [15, 'b', 'b']];
    let pair = 0;
    for (const [count, ann, bob] of cells) {
      for (let k = 0; k < count; k++, pair++) {
        judgements.push({ rater: 'ann', a: `x${pair}`, b: `y${pair}`, outcome: ann });
        // Bob sees the pair in the other order: his answer is flipped to mean the same render.
        judgements.push({ rater: 'bob', a: `y${pair}`, b: `x${pair}`, outcome: bob === 'a' ? 'b' : 'a' });
      }
    }
    const result = raterAgreement(judgements);
    expect(result.sharedPairs).toBe(50);
    expect(result.agreementShare).toBeCloseTo(0.7, 12);
    expect(result.cohensKappa).toBeCloseTo(0.4, 12);
  });

  it('handles three raters: Fleiss over all, Cohen per pair of raters, none overall', () => {
    const judgements: RaterJudgement[] = [
      { rater: 'c', a: 'p', b: 'q', outcome: 'a' },
      { rater: 'a', a: 'p', b: 'q', outcome: 'a' },
      { rater: 'b', a: 'p', b: 'q', outcome: 'a' },
      { rater: 'a', a: 'p', b: 'r', outcome: 'tie' },
      { rater: 'b', a: 'p', b: 'r', outcome: 'b' },
      { rater: 'a', a: 'q', b: 'r', outcome: 'b' }, // judged by one rater only: not shared
    ];
    const result = raterAgreement(judgements);
    expect(result.raters).toEqual(['a', 'b', 'c']);
    expect(result.sharedPairs).toBe(2);
    expect(result.cohensKappa).toBeNull();
    // Items: p/q: 3 × first → P = 1; p/r: tie + second → P = 0. P̄ = 0.5.
    // Totals: first 3, second 1, tie 1 of 5 → Pₑ = (9 + 1 + 1)/25 = 0.44.
    expect(result.agreementShare).toBeCloseTo(0.5, 12);
    expect(result.fleissKappa).toBeCloseTo((0.5 - 0.44) / 0.56, 12);
    expect(result.pairwise.map((p) => [p.raters, p.sharedPairs, p.agreementShare])).toEqual([
      [['a', 'b'], 2, 0.5],
      [['a', 'c'], 1, 1],
      [['b', 'c'], 1, 1],
    ]);
    // a and c agree on their single pair, but always in one category: kappa is undefined.
    expect(result.pairwise[1]!.cohensKappa).toBeNull();
  });

  it("counts a rater's last judgement of a pair", () => {
    const result = raterAgreement([
      { rater: 'ann', a: 'x', b: 'y', outcome: 'a' },
      { rater: 'bob', a: 'x', b: 'y', outcome: 'b' },
      { rater: 'bob', a: 'y', b: 'x', outcome: 'b' },
    ]);
    expect(result.agreementShare).toBe(1);
  });

  it('answers empty input and raters without shared pairs with nulls', () => {
    expect(raterAgreement([])).toEqual({
      raters: [],
      sharedPairs: 0,
      agreementShare: null,
      cohensKappa: null,
      fleissKappa: null,
      pairwise: [],
    });
    const apart = raterAgreement([
      { rater: 'ann', a: 'x', b: 'y', outcome: 'a' },
      { rater: 'bob', a: 'x', b: 'z', outcome: 'a' },
    ]);
    expect(apart).toMatchObject({ raters: ['ann', 'bob'], sharedPairs: 0, agreementShare: null, cohensKappa: null, pairwise: [] });
  });

  it('rejects malformed judgements', () => {
    expect(() => raterAgreement([{ rater: '', a: 'x', b: 'y', outcome: 'a' }])).toThrow(
      "raterAgreement requires judgements with a rater, ids a and b that differ, and an outcome of 'a', 'b' or 'tie' (judgement 1 is not)",
    );
    expect(() => raterAgreement([{ rater: 'r', a: 'x', b: 'x', outcome: 'a' }])).toThrow('(judgement 1 is not)');
    expect(() => raterAgreement([{ rater: 'r', a: 'x', b: 'y', outcome: 'left' as 'a' }])).toThrow('(judgement 1 is not)');
  });

  it('keeps kappas at most 1 and agreement in [0, 1], unchanged by the order of judgements (property)', () => {
    const judgement = fc.record({
      rater: fc.constantFrom('r1', 'r2', 'r3'),
      a: fc.constantFrom('w', 'x', 'y', 'z'),
      b: fc.constantFrom('w', 'x', 'y', 'z'),
      outcome: fc.constantFrom('a' as const, 'b' as const, 'tie' as const),
    }).filter((j) => j.a !== j.b);
    // One judgement per rater and pair, so the order cannot change which one is the last.
    const unique = fc.uniqueArray(judgement, { selector: (j) => `${j.rater}|${[j.a, j.b].sort().join()}`, maxLength: 18 });
    fc.assert(
      fc.property(unique, (judgements) => {
        const result = raterAgreement(judgements);
        const reversed = raterAgreement([...judgements].reverse());
        expect(reversed).toEqual(result);
        if (result.agreementShare !== null) {
          expect(result.agreementShare).toBeGreaterThanOrEqual(0);
          expect(result.agreementShare).toBeLessThanOrEqual(1);
        }
        for (const kappa of [result.cohensKappa, result.fleissKappa, ...result.pairwise.map((p) => p.cohensKappa)]) {
          if (kappa !== null) expect(kappa).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });
});

describe('compareSweetSpots', () => {
  it('matches the documented example', () => {
    expect(
      compareSweetSpots({ steps: 30, interval: [26, 36], label: 'Score' }, { steps: 35, interval: [30, 45], label: 'preference' }),
    ).toEqual({
      difference: 5,
      intervalsOverlap: true,
      overlap: { from: 30, to: 36 },
      sentence: 'Score (30 steps) and preference (35 steps) agree: 5 steps apart, their 90% intervals overlap at 30–36 steps',
    });
  });

  it('reports disjoint intervals as disagreement', () => {
    const result = compareSweetSpots({ steps: 30, interval: [25, 35], label: 'Score' }, { steps: 60, interval: [50, 70], label: 'preference' });
    expect(result).toMatchObject({ difference: 30, intervalsOverlap: false, overlap: null });
    expect(result.sentence).toBe(
      'Score (30 steps) and preference (60 steps) disagree: 30 steps apart, their 90% intervals (25–35 steps and 50–70 steps) do not overlap',
    );
  });

  it('treats intervals that touch as overlapping and open-ended intervals as reaching up', () => {
    expect(compareSweetSpots({ steps: 30, interval: [25, 35] }, { steps: 40, interval: [35, 45] }).overlap).toEqual({ from: 35, to: 35 });
    const open = compareSweetSpots({ steps: 40, interval: null, lowerBound: 32 }, { steps: 30, interval: [25, 35] });
    expect(open).toMatchObject({ difference: -10, intervalsOverlap: true, overlap: { from: 32, to: 35 } });
    const bothOpen = compareSweetSpots({ steps: 40, interval: null, lowerBound: 32 }, { steps: 50, interval: null, lowerBound: 45, label: 'b' });
    expect(bothOpen.overlap).toEqual({ from: 45, to: null });
    expect(bothOpen.sentence).toContain('overlap at 45 steps or more');
  });

  it('cannot judge agreement without both intervals, and names equal sweet spots', () => {
    const result = compareSweetSpots({ steps: 30, interval: null }, { steps: 30, interval: [25, 35] });
    expect(result).toEqual({
      difference: 0,
      intervalsOverlap: null,
      overlap: null,
      sentence: 'The first estimate (30 steps) and the second (30 steps) are at the same step count; without both intervals their agreement cannot be judged',
    });
  });

  it('rejects bad sweet spots and intervals', () => {
    expect(() => compareSweetSpots({ steps: 0, interval: null }, { steps: 30, interval: null })).toThrow(
      'compareSweetSpots requires two sweet spots with positive finite steps',
    );
    expect(() => compareSweetSpots({ steps: 30, interval: [40, 20] }, { steps: 30, interval: null })).toThrow(
      'compareSweetSpots requires intervals [low, high] of finite numbers with low ≤ high',
    );
  });

  it('is symmetric in overlap and antisymmetric in difference (property)', () => {
    const estimate = fc
      .tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.boolean())
      .map(([steps, below, above, known]) => ({
        steps,
        interval: known ? ([Math.max(1, steps - below), steps + above] as [number, number]) : null,
      }));
    fc.assert(
      fc.property(estimate, estimate, (a, b) => {
        const ab = compareSweetSpots(a, b);
        const ba = compareSweetSpots(b, a);
        expect(ab.difference + ba.difference).toBe(0);
        expect(ab.intervalsOverlap).toBe(ba.intervalsOverlap);
        expect(ab.overlap).toEqual(ba.overlap);
        if (ab.intervalsOverlap === true) expect(ab.overlap!.from).toBeLessThanOrEqual(ab.overlap!.to!);
      }),
    );
  });
});
