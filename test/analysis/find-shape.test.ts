import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { findShape } from '../../src/analysis/find-shape.js';

const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('findShape', () => {
  it('classifies the doc example as concave increasing', () => {
    expect(findShape(x, [0, 60, 80, 85, 90, 95, 96, 97, 98, 99])).toEqual({
      direction: 'increasing',
      curve: 'concave',
    });
  });

  // kneed's DataGenerator shapes. Worked for convex increasing: the fitted line has slope
  // Σ(x−4.5)(y−20)/Σ(x−4.5)² = 640/82.5 ≈ 7.76 > 0; over indices [2, 8) mean y = 57/6 = 9.5 and the
  // line's mean there is 20 (it passes through (4.5, 20)), so q = −10.5 < 0: convex.
  it.each([
    ['concave increasing', [0, 60, 80, 85, 90, 95, 96, 97, 98, 99], 'increasing', 'concave'],
    ['concave decreasing', [99, 98, 97, 96, 95, 90, 85, 80, 60, 0], 'decreasing', 'concave'],
    ['convex increasing', [1, 2, 3, 4, 5, 10, 15, 20, 40, 100], 'increasing', 'convex'],
    ['convex decreasing', [100, 40, 20, 15, 10, 5, 4, 3, 2, 1], 'decreasing', 'convex'],
  ] as const)('classifies %s', (_name, y, direction, curve) => {
    expect(findShape(x, y)).toEqual({ direction, curve });
  });

  it('uses the slice [⌊0.2n⌋, ⌊0.8n⌋) even for two points', () => {
    // n = 2: slice [0, 1). Line through (0, 0) and (1, 1) is exact, q = 0 − 0 = 0: convex.
    expect(findShape([0, 1], [0, 1])).toEqual({ direction: 'increasing', curve: 'convex' });
    // A flat line has slope 0, which kneed calls decreasing.
    expect(findShape([0, 1, 2], [5, 5, 5])).toEqual({ direction: 'decreasing', curve: 'convex' });
  });

  it('finds the four shapes of smooth monotone curves at any offset and scale (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.integer({ min: 10, max: 60 }),
        (offset, xScale, yScale, n) => {
          const xs = Array.from({ length: n }, (_, i) => offset + xScale * i);
          const rise = xs.map((_, i) => yScale * Math.sqrt(i)); // concave increasing
          const cases = [
            [rise, 'increasing', 'concave'],
            [rise.map((v) => -v), 'decreasing', 'convex'],
            [[...rise].reverse().map((v) => -v), 'increasing', 'convex'],
            [[...rise].reverse(), 'decreasing', 'concave'],
          ] as const;
          return cases.every(
            ([y, direction, curve]) =>
              JSON.stringify(findShape(xs, y)) === JSON.stringify({ direction, curve }),
          );
        },
      ),
    );
  });

  it.each([
    [[0, 1], [0], 'findShape requires x and y of the same length, got 2 and 1'],
    [[1, 1, 1], [0, 1, 2], 'findShape requires at least 2 distinct x values'],
    [[], [], 'findShape requires at least 2 distinct x values'],
    [[0, Number.NaN], [0, 1], 'findShape requires finite x values, got NaN at index 1'],
    [[0, 1], [0, -Infinity], 'findShape requires finite y values, got -Infinity at index 1'],
  ])('throws for x=%j y=%j', (xs, ys, message) => {
    expect(() => findShape(xs, ys)).toThrow(message);
  });
});
