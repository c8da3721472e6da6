import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitBradleyTerry, winProbability, type PairwiseJudgement } from '../../src/analysis/bradley-terry.js';
import { createRandom } from '../../src/analysis/random.js';

const win = (winner: string, loser: string): PairwiseJudgement => ({ winner, loser });
const tie = (a: string, b: string): PairwiseJudgement => ({ a, b, tie: true });
const threeToOne = [win('a', 'b'), win('a', 'b'), win('a', 'b'), win('b', 'a')];

function strengths(fit: ReturnType<typeof fitBradleyTerry>): Record<string, number> {
  return Object.fromEntries(fit.items.map((item) => [item.id, item.logStrength]));
}

describe('fitBradleyTerry', () => {
  it('matches the documented example without a prior: ratio 3, log 1.0986', () => {
    const fit = fitBradleyTerry(threeToOne, { prior: 0 });
    expect(fit.items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(fit.items[0]!.logStrength).toBeCloseTo(Math.log(3) / 2, 10);
    expect(fit.items[1]!.logStrength).toBeCloseTo(-Math.log(3) / 2, 10);
    expect(fit.items[0]!.logStrength - fit.items[1]!.logStrength).toBeCloseTo(1.0986, 4);
    // Information of the difference: 4 · 0.75 · 0.25 = 0.75; each centred half has variance 1/(4 · 0.75) = 1/3.
    expect(fit.items[0]!.standardError).toBeCloseTo(Math.sqrt(1 / 3), 10);
    expect(fit.converged).toBe(true);
    expect(fit.components).toBe(1);
    expect(fit.items[0]).toMatchObject({ wins: 3, losses: 1, ties: 0, component: 0 });
    expect(winProbability(fit, 'a', 'b')).toBeCloseTo(0.75, 10);
  });

  it('matches the documented example with the default prior and satisfies its score equations', () => {
    const fit = fitBradleyTerry(threeToOne);
    const { a, b } = strengths(fit);
    expect(a).toBeCloseTo(0.4744, 4);
    expect(b).toBeCloseTo(-0.4744, 4);
    expect(a! - b!).toBeCloseTo(0.9489, 4);
    // By symmetry the centred values are the fitted ones; check Wᵢ = Σ nᵢⱼ πᵢ/(πᵢ+πⱼ) + prior·πᵢ/(πᵢ+1)
    // with Wₐ = 3 + ½ (the virtual tie) and W_b = 1 + ½.
    const pa = Math.exp(a!);
    const pb = Math.exp(b!);
    expect((4 * pa) / (pa + pb) + pa / (pa + 1)).toBeCloseTo(3.5, 8);
    expect((4 * pb) / (pa + pb) + pb / (pb + 1)).toBeCloseTo(1.5, 8);
    // The prior shrinks toward 0 and narrows the interval.
    expect(fit.items[0]!.standardError!).toBeLessThan(Math.sqrt(1 / 3));
  });

  it('keeps items that always win, or were never compared, finite with the prior', () => {
    const fit = fitBradleyTerry([win('a', 'b'), win('a', 'b'), win('a', 'c'), win('b', 'c')], { items: ['lonely'] });
    const s = strengths(fit);
    expect(Number.isFinite(s.a)).toBe(true);
    expect(s.a).toBeGreaterThan(s.b!);
    expect(s.b).toBeGreaterThan(s.c!);
    expect(s.lonely).toBe(0);
    expect(fit.items.find((item) => item.id === 'lonely')!.standardError).toBeNull();
    expect(fit.components).toBe(2);
    expect(fit.converged).toBe(true);
  });

  it('refuses the plain model when an item never loses, and names it', () => {
    expect(() => fitBradleyTerry([win('a', 'b'), win('a', 'b')], { prior: 0 })).toThrow(
      'fitBradleyTerry requires a positive prior when some items never lose or never win against the rest of their component',
    );
    expect(() => fitBradleyTerry([win('a', 'b'), win('b', 'a'), win('c', 'a'), win('c', 'b')], { prior: 0 })).toThrow('"c"');
    // A tie links both ways, so it makes the plain model exist.
    expect(() => fitBradleyTerry([win('a', 'b'), tie('a', 'b')], { prior: 0 })).not.toThrow();
  });

  it('counts a tie as half a win: 1 win and 2 ties give a strength ratio of 2 : 1', () => {
    // a: 1 win + 2 half wins = 2; b: 0 wins + 2 half wins = 1 → strength ratio 2.
    const fit = fitBradleyTerry([win('a', 'b'), tie('a', 'b'), tie('b', 'a')], { prior: 0 });
    const { a, b } = strengths(fit);
    expect(a! - b!).toBeCloseTo(Math.log(2), 10);
    expect(fit.items[0]).toMatchObject({ wins: 1, losses: 0, ties: 2 });
  });

  it('pulls strengths together as ties are added', () => {
    const base = [win('a', 'b'), win('a', 'b'), win('a', 'b'), win('b', 'a')];
    let gap = Number.POSITIVE_INFINITY;
    for (let extraTies = 0; extraTies <= 8; extraTies += 2) {
      const fit = fitBradleyTerry([...base, ...Array.from({ length: extraTies }, () => tie('a', 'b'))]);
      const s = strengths(fit);
      const next = s.a! - s.b!;
      expect(next).toBeGreaterThan(0);
      expect(next).toBeLessThan(gap);
      gap = next;
    }
  });

  it('handles disconnected comparisons: each component centred on its own, no cross probability', () => {
    const fit = fitBradleyTerry([...threeToOne, win('x', 'y'), win('y', 'x'), win('x', 'y')], { prior: 0 });
    expect(fit.components).toBe(2);
    const s = strengths(fit);
    expect(s.a! + s.b!).toBeCloseTo(0, 12);
    expect(s.x! + s.y!).toBeCloseTo(0, 12);
    expect(s.x! - s.y!).toBeCloseTo(Math.log(2), 10);
    expect(fit.items.find((item) => item.id === 'x')!.component).not.toBe(fit.items.find((item) => item.id === 'a')!.component);
    expect(winProbability(fit, 'a', 'x')).toBeNull();
    expect(winProbability(fit, 'a', 'missing')).toBeNull();
    // The two components fit as if alone.
    const alone = strengths(fitBradleyTerry(threeToOne, { prior: 0 }));
    expect(s.a).toBeCloseTo(alone.a!, 10);
  });

  function simulate(tieShare: number, seed: number): { truth: { id: string; theta: number }[]; judgements: PairwiseJudgement[] } {
    const truth = [-2, -1.4, -0.8, -0.3, 0.2, 0.7, 1.3, 2].map((theta, i) => ({ id: `item${i}`, theta }));
    const random = createRandom(seed);
    const judgements: PairwiseJudgement[] = [];
    for (let i = 0; i < truth.length; i++) {
      for (let j = i + 1; j < truth.length; j++) {
        const p = 1 / (1 + Math.exp(truth[j]!.theta - truth[i]!.theta));
        for (let k = 0; k < 60; k++) {
          if (random.next() < tieShare) judgements.push(tie(truth[i]!.id, truth[j]!.id));
          else if (random.next() < p) judgements.push(win(truth[i]!.id, truth[j]!.id));
          else judgements.push(win(truth[j]!.id, truth[i]!.id));
        }
      }
    }
    return { truth, judgements };
  }

  it('recovers known strengths from simulated judgements within their standard errors (seeded)', () => {
    const { truth, judgements } = simulate(0, 2024);
    const fit = fitBradleyTerry(judgements);
    expect(fit.converged).toBe(true);
    const mean = truth.reduce((sum, t) => sum + t.theta, 0) / truth.length;
    for (const item of fit.items) {
      const t = truth.find((x) => x.id === item.id)!.theta - mean;
      expect(Math.abs(item.logStrength - t)).toBeLessThan(3.5 * item.standardError!);
      expect(item.standardError!).toBeGreaterThan(0.05);
      expect(item.standardError!).toBeLessThan(0.3);
    }
  });

  it('recovers the order of known strengths with 15% "can\'t tell" answers, for several seeds', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { truth, judgements } = simulate(0.15, seed);
      const fit = fitBradleyTerry(judgements);
      expect(fit.converged).toBe(true);
      const order = [...fit.items].sort((x, y) => x.logStrength - y.logStrength).map((item) => item.id);
      expect(order).toEqual(truth.map((t) => t.id));
    }
  });

  it('is deterministic and independent of the judgement order', () => {
    const judgements = [win('a', 'b'), win('b', 'c'), win('c', 'a'), win('a', 'c'), tie('b', 'a')];
    const fit = fitBradleyTerry(judgements);
    expect(fitBradleyTerry(judgements)).toEqual(fit);
    const reversed = fitBradleyTerry([...judgements].reverse());
    reversed.items.forEach((item, i) => expect(item.logStrength).toBeCloseTo(fit.items[i]!.logStrength, 9));
  });

  it('answers empty input and reports non-convergence', () => {
    expect(fitBradleyTerry([])).toEqual({ items: [], components: 0, iterations: 1, converged: true, prior: 1 });
    const fit = fitBradleyTerry(threeToOne, { maxIterations: 2 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(2);
  });

  it('rejects malformed judgements and options', () => {
    expect(() => fitBradleyTerry([win('a', 'a')])).toThrow(
      'fitBradleyTerry requires judgements between two different items (judgement 1 compares "a" with itself)',
    );
    expect(() => fitBradleyTerry([win('a', 'b'), { a: 'a', b: 'b' } as unknown as PairwiseJudgement])).toThrow(
      'fitBradleyTerry requires judgements of the form { winner, loser } or { a, b, tie: true } with non-empty ids (judgement 2 is not)',
    );
    expect(() => fitBradleyTerry([win('', 'b')])).toThrow('(judgement 1 is not)');
    expect(() => fitBradleyTerry([], { prior: -1 })).toThrow('fitBradleyTerry requires a finite prior ≥ 0');
    expect(() => fitBradleyTerry([], { maxIterations: 0 })).toThrow('fitBradleyTerry requires a whole number of maxIterations ≥ 1');
    expect(() => fitBradleyTerry([], { tolerance: 0 })).toThrow('fitBradleyTerry requires a positive tolerance');
    expect(() => fitBradleyTerry([], { items: [''] })).toThrow('fitBradleyTerry requires items to be non-empty strings');
  });

  it('centres each component, keeps everything finite and orders by win share in a 2-item design (property)', () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const judgement = fc
      .tuple(fc.constantFrom(...ids), fc.constantFrom(...ids), fc.integer({ min: 0, max: 2 }))
      .filter(([x, y]) => x !== y)
      .map(([x, y, kind]) => (kind === 2 ? tie(x, y) : kind === 1 ? win(x, y) : win(y, x)));
    fc.assert(
      fc.property(fc.array(judgement, { maxLength: 40 }), (judgements) => {
        const fit = fitBradleyTerry(judgements);
        for (let c = 0; c < fit.components; c++) {
          const group = fit.items.filter((item) => item.component === c);
          expect(Math.abs(group.reduce((sum, item) => sum + item.logStrength, 0))).toBeLessThan(1e-9);
        }
        for (const item of fit.items) {
          expect(Number.isFinite(item.logStrength)).toBe(true);
          if (item.standardError !== null) expect(item.standardError).toBeGreaterThan(0);
        }
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }), (x, y, t) => {
        const judgements = [
          ...Array.from({ length: x }, () => win('a', 'b')),
          ...Array.from({ length: y }, () => win('b', 'a')),
          ...Array.from({ length: t }, () => tie('a', 'b')),
        ];
        if (judgements.length === 0) return;
        const s = strengths(fitBradleyTerry(judgements));
        expect(Math.sign(Math.round((s.a! - s.b!) * 1e9))).toBe(Math.sign(x - y));
      }),
    );
  });
});

describe('winProbability', () => {
  it('matches the documented example', () => {
    expect(winProbability(fitBradleyTerry(threeToOne, { prior: 0 }), 'a', 'b')).toBeCloseTo(0.75, 10);
    expect(winProbability(fitBradleyTerry(threeToOne, { prior: 0 }), 'b', 'a')).toBeCloseTo(0.25, 10);
  });
});
