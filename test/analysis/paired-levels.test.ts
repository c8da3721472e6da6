import { describe, expect, it } from 'vitest';
import { pairedLevels, type BlockCell } from '../../src/analysis/paired-levels.js';
import { createRandom } from '../../src/analysis/random.js';

function cell(block: string, steps: number, ...scores: number[]): BlockCell {
  return {
    block,
    steps,
    n: scores.length,
    sum: scores.reduce((t, x) => t + x, 0),
    sumSq: scores.reduce((t, x) => t + x * x, 0),
  };
}

describe('pairedLevels', () => {
  it('matches the documented example', () => {
    const result = pairedLevels([cell('p1', 10, 5), cell('p1', 20, 7), cell('p2', 10, 3), cell('p2', 20, 5)]);
    expect(result.paired).toBe(true);
    expect(result.blocks).toBe(2);
    expect(result.levels.map((l) => [l.steps, l.n, l.mean])).toEqual([
      [10, 2, 4],
      [20, 2, 6],
    ]);
    expect(result.levels[0]!.variance).toBeCloseTo(0, 12);
    expect(result.reason).toMatch(/^paired on 2 prompt\+seed blocks across 2 step levels/);
  });

  it('removes block offsets in a hand-worked unbalanced design', () => {
    // True model: μ10 = 4, μ20 = 6, μ30 = 7; blocks offset by 0, +2, −1; block c lacks 30 steps.
    const result = pairedLevels([
      cell('a', 10, 4), cell('a', 20, 6), cell('a', 30, 7),
      cell('b', 10, 6), cell('b', 20, 8), cell('b', 30, 9),
      cell('c', 10, 3), cell('c', 20, 5),
    ]);
    expect(result.paired).toBe(true);
    const means = result.levels.map((l) => l.mean);
    // Differences are exact; the level is re-centred so that Σ nⱼ·μⱼ / N is the grand mean (48/8 = 6).
    expect(means[1]! - means[0]!).toBeCloseTo(2, 12);
    expect(means[2]! - means[1]!).toBeCloseTo(1, 12);
    expect((3 * means[0]! + 3 * means[1]! + 2 * means[2]!) / 8).toBeCloseTo(6, 12);
    // The raw level means would be biased by block c's offset: (4 + 6 + 3)/3 = 4.33 at 10 steps.
    for (const level of result.levels) expect(level.variance).toBeCloseTo(0, 12);
  });

  it('equals raw level means in a complete balanced grid and apportions residual df', () => {
    const random = createRandom(5);
    const cells: BlockCell[] = [];
    const steps = [10, 20, 30, 40];
    for (let b = 0; b < 30; b++) {
      const offset = 3 * random.normal();
      for (const s of steps) cells.push(cell(`b${b}`, s, 8 - 5 * Math.exp(-s / 10) + offset + 0.5 * random.normal()));
    }
    const result = pairedLevels(cells);
    expect(result.paired).toBe(true);
    for (const level of result.levels) {
      const raw = cells.filter((c) => c.steps === level.steps).reduce((t, c) => t + c.sum, 0) / 30;
      expect(level.mean).toBeCloseTo(raw, 10);
    }
    // Residual variance near σ² = 0.25 (not the block variance 9).
    const pooled = result.levels.reduce((t, l) => t + l.variance, 0) / steps.length;
    expect(pooled).toBeGreaterThan(0.15);
    expect(pooled).toBeLessThan(0.35);
  });

  it('counts replicate spread inside a cell as residual', () => {
    const result = pairedLevels([cell('a', 10, 4, 6), cell('a', 20, 7), cell('b', 10, 5), cell('b', 20, 8)]);
    expect(result.paired).toBe(true);
    expect(result.levels[0]!.n).toBe(3);
    expect(result.levels[0]!.variance).toBeGreaterThan(0);
  });

  it('is unpaired, with the reason, when pairing is impossible', () => {
    const single = pairedLevels([cell('a', 10, 4), cell('a', 20, 6), cell('b', 10, 5), cell('c', 20, 7)]);
    expect(single.paired).toBe(false);
    expect(single.reason).toBe('unpaired: 1 prompt+seed block appear at two or more step levels; pairing needs at least 2');
    expect(single.levels.map((l) => l.mean)).toEqual([4.5, 6.5]);

    const none = pairedLevels([cell('a', 10, 4), cell('b', 20, 6)]);
    expect(none.paired).toBe(false);
    expect(none.reason).toContain('0 prompt+seed blocks');

    const uncovered = pairedLevels([
      cell('a', 10, 4), cell('a', 20, 6), cell('b', 10, 5), cell('b', 20, 7), cell('c', 30, 8),
    ]);
    expect(uncovered.paired).toBe(false);
    expect(uncovered.reason).toBe('unpaired: step level 30 shares no prompt+seed with another level');

    const split = pairedLevels([
      cell('a', 10, 4), cell('a', 20, 6), cell('b', 30, 5), cell('b', 40, 7),
    ]);
    expect(split.paired).toBe(false);
    expect(split.reason).toBe('unpaired: the step levels split into 2 groups that share no prompt+seed');
  });

  it('leaves out blocks seen at one level and says so', () => {
    const result = pairedLevels([
      cell('a', 10, 4), cell('a', 20, 6), cell('b', 10, 5), cell('b', 20, 7), cell('lone', 20, 9),
    ]);
    expect(result.paired).toBe(true);
    expect(result.unpairedRuns).toBe(1);
    expect(result.reason).toContain('1 run from blocks seen at one step level left out');
    expect(result.levels.map((l) => l.mean)).toEqual([4.5, 6.5]);
  });

  it('handles empty input and rejects invalid cells', () => {
    expect(pairedLevels([]).levels).toEqual([]);
    expect(() => pairedLevels([{ block: 'a', steps: 0, n: 1, sum: 1, sumSq: 1 }])).toThrow('pairedLevels requires positive integer steps');
    expect(() => pairedLevels([{ block: 'a', steps: 1, n: 1.5, sum: 1, sumSq: 1 }])).toThrow('pairedLevels requires a non-negative integer n');
    expect(() => pairedLevels([{ block: 'a', steps: 1, n: 1, sum: Number.NaN, sumSq: 1 }])).toThrow('pairedLevels requires finite sums');
  });
});
