import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_BASE, generateSeeds, planSweep } from '../../src/analysis/sweep-plan.js';

describe('generateSeeds', () => {
  it('matches the documented example and is deterministic', () => {
    expect(generateSeeds(2, 1)).toEqual(['2693262067', '11749833']);
    expect(generateSeeds(5, 99)).toEqual(generateSeeds(5, 99));
    expect(generateSeeds(5, 99)).not.toEqual(generateSeeds(5, 100));
    expect(generateSeeds(3)).toEqual(generateSeeds(3, DEFAULT_SEED_BASE));
  });

  it('extends the same sequence when more seeds are asked for', () => {
    expect(generateSeeds(10, 7).slice(0, 4)).toEqual(generateSeeds(4, 7));
  });

  it('draws distinct 32-bit unsigned seeds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer(), (count, base) => {
        const seeds = generateSeeds(count, base);
        expect(seeds).toHaveLength(count);
        expect(new Set(seeds).size).toBe(count);
        for (const seed of seeds) {
          expect(seed).toMatch(/^(0|[1-9]\d*)$/);
          expect(Number(seed)).toBeLessThan(2 ** 32);
        }
      }),
    );
  });

  it('rejects bad counts and seed bases', () => {
    expect(() => generateSeeds(0)).toThrow('generateSeeds requires a whole number of seeds from 1 to 1000');
    expect(() => generateSeeds(1001)).toThrow('generateSeeds requires a whole number of seeds');
    expect(() => generateSeeds(1.5)).toThrow('generateSeeds requires a whole number of seeds');
    expect(() => generateSeeds(2, Number.NaN)).toThrow('generateSeeds requires a finite seedBase');
  });
});

describe('planSweep', () => {
  it('matches the documented example', () => {
    expect(planSweep({ steps: [20, 10], seeds: ['7', '42'], prompts: ['a fox'] }).map((c) => `${c.seed}@${c.steps}`)).toEqual([
      '7@10',
      '7@20',
      '42@10',
      '42@20',
    ]);
  });

  it('orders cells prompt → seed → steps with their positions', () => {
    const plan = planSweep({ steps: [10, 30], seeds: ['1', '2'], prompts: ['fox', 'owl'] });
    expect(plan.map((c) => [c.index, c.prompt, c.seed, c.steps, c.promptIndex, c.seedIndex])).toEqual([
      [0, 'fox', '1', 10, 0, 0],
      [1, 'fox', '1', 30, 0, 0],
      [2, 'fox', '2', 10, 0, 1],
      [3, 'fox', '2', 30, 0, 1],
      [4, 'owl', '1', 10, 1, 0],
      [5, 'owl', '1', 30, 1, 0],
      [6, 'owl', '2', 10, 1, 1],
      [7, 'owl', '2', 30, 1, 1],
    ]);
  });

  it('keeps seeds beyond 2^53 exact and normalises their writing', () => {
    const plan = planSweep({ steps: [4], seeds: ['18446744073709551615', ' 0009007199254740993 ', '0'], prompts: ['p'] });
    expect(plan.map((c) => c.seed)).toEqual(['18446744073709551615', '9007199254740993', '0']);
  });

  it('generates seeds from seedBase when given a count', () => {
    const plan = planSweep({ steps: [10, 20], seeds: 3, prompts: ['p'], seedBase: 5 });
    expect(plan).toHaveLength(6);
    expect([...new Set(plan.map((c) => c.seed))]).toEqual(generateSeeds(3, 5));
    expect(planSweep({ steps: [10], seeds: 2, prompts: ['p'] }).map((c) => c.seed)).toEqual(generateSeeds(2));
  });

  it('plans a single cell', () => {
    expect(planSweep({ steps: [28], seeds: ['1'], prompts: ['p'] })).toEqual([
      { index: 0, promptIndex: 0, seedIndex: 0, prompt: 'p', seed: '1', steps: 28 },
    ]);
  });

  it('rejects empty lists, bad and duplicate values, and oversized plans', () => {
    expect(() => planSweep({ steps: [], seeds: 1, prompts: ['p'] })).toThrow('planSweep requires at least one step count');
    expect(() => planSweep({ steps: [10], seeds: [], prompts: ['p'] })).toThrow('planSweep requires at least one seed');
    expect(() => planSweep({ steps: [10], seeds: 1, prompts: [] })).toThrow('planSweep requires at least one prompt');
    expect(() => planSweep({ steps: [0], seeds: 1, prompts: ['p'] })).toThrow(
      'planSweep requires step counts that are whole numbers from 1 to 10000 (got 0)',
    );
    expect(() => planSweep({ steps: [20, 10, 20], seeds: 1, prompts: ['p'] })).toThrow(
      'planSweep requires distinct step counts (20 appears twice)',
    );
    expect(() => planSweep({ steps: [10], seeds: ['42', '042'], prompts: ['p'] })).toThrow(
      'planSweep requires distinct seeds ("42" appears twice)',
    );
    expect(() => planSweep({ steps: [10], seeds: ['1', '-1'], prompts: ['p'] })).toThrow(
      'planSweep requires seeds that are whole numbers from 0 to 18446744073709551615 written in decimal (seed 2 is "-1")',
    );
    expect(() => planSweep({ steps: [10], seeds: ['18446744073709551616'], prompts: ['p'] })).toThrow('(seed 1 is');
    expect(() => planSweep({ steps: [10], seeds: ['1e5'], prompts: ['p'] })).toThrow('planSweep requires seeds that are whole numbers');
    expect(() => planSweep({ steps: [10], seeds: [7 as unknown as string], prompts: ['p'] })).toThrow('(seed 1 is 7)');
    expect(() => planSweep({ steps: [10], seeds: 1, prompts: ['p', '  '] })).toThrow(
      'planSweep requires prompts that are not blank (prompt 2 is)',
    );
    expect(() => planSweep({ steps: [10], seeds: 1, prompts: ['a', 'b', 'a'] })).toThrow(
      'planSweep requires distinct prompts (prompt 3 repeats prompt 1)',
    );
    expect(() => planSweep({ steps: [10], seeds: 0, prompts: ['p'] })).toThrow(
      'planSweep requires a whole number of seeds from 1 to 1000 (got 0)',
    );
    expect(() => planSweep({ steps: [10], seeds: 2, prompts: ['p'], seedBase: Number.NaN })).toThrow(
      'planSweep requires a finite seedBase',
    );
    const steps = Array.from({ length: 41 }, (_, i) => 10 + i);
    const prompts = Array.from({ length: 60 }, (_, i) => `prompt ${i}`);
    expect(() => planSweep({ steps, seeds: 5, prompts })).toThrow(
      'planSweep requires at most 10000 cells (got 41 step counts × 5 seeds × 60 prompts = 12300)',
    );
    expect(planSweep({ steps: Array.from({ length: 100 }, (_, i) => i + 1), seeds: 10, prompts: Array.from({ length: 10 }, (_, i) => `p${i}`) })).toHaveLength(10_000);
  });

  it('holds every steps × seed × prompt cell exactly once, each block contiguous and ascending (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }).filter((p) => p.trim() !== ''), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (steps, seedCount, prompts, seedBase) => {
          const plan = planSweep({ steps, seeds: seedCount, prompts, seedBase });
          expect(plan).toHaveLength(steps.length * seedCount * prompts.length);
          expect(new Set(plan.map((c) => `${c.promptIndex}|${c.seed}|${c.steps}`)).size).toBe(plan.length);
          const sorted = [...steps].sort((x, y) => x - y);
          for (let start = 0; start < plan.length; start += steps.length) {
            const block = plan.slice(start, start + steps.length);
            expect(block.map((c) => c.steps)).toEqual(sorted);
            expect(new Set(block.map((c) => `${c.prompt}|${c.seed}`)).size).toBe(1);
          }
          plan.forEach((cell, i) => expect(cell.index).toBe(i));
        },
      ),
    );
  });
});
