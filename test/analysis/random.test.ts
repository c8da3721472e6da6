import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/analysis/random.js';

describe('createRandom', () => {
  it('matches the documented example', () => {
    expect(createRandom(42).next()).toBe(0.6011037519201636);
    expect(createRandom(42).int(1, 6)).toBe(4);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('draws uniforms in [0, 1) and integers within bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, min, span) => {
        const random = createRandom(seed);
        for (let i = 0; i < 20; i++) {
          const u = random.next();
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThan(1);
          const k = random.int(min, min + span);
          expect(Number.isInteger(k)).toBe(true);
          expect(k).toBeGreaterThanOrEqual(min);
          expect(k).toBeLessThanOrEqual(min + span);
        }
      }),
    );
  });

  it('draws standard normals (mean 0, variance 1, 5% beyond ±1.96)', () => {
    const random = createRandom(123);
    const count = 40_000;
    let sum = 0;
    let sumSq = 0;
    let tails = 0;
    for (let i = 0; i < count; i++) {
      const z = random.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 1.96) tails++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / count - 1)).toBeLessThan(0.03);
    expect(Math.abs(tails / count - 0.05)).toBeLessThan(0.005);
  });

  it('rejects a non-finite seed and bad integer bounds', () => {
    expect(() => createRandom(Number.NaN)).toThrow('createRandom requires a finite seed');
    expect(() => createRandom(1).int(3, 2)).toThrow('int requires integer bounds with min <= maxInclusive');
    expect(() => createRandom(1).int(0.5, 2)).toThrow('int requires integer bounds');
  });
});
