import { describe, expect, it } from 'vitest';
import { laplacianVariance } from '../../src/analysis/laplacian-variance.js';

describe('laplacianVariance', () => {
  it('matches the documented examples', () => {
    const board = [0, 255, 0, 255, 255, 0, 255, 0, 0, 255, 0, 255, 255, 0, 255, 0];
    expect(laplacianVariance(board, 4, 4)).toBeCloseTo(1040400, 6);
    expect(laplacianVariance(new Array(9).fill(7), 3, 3)).toBe(0);
  });

  it('is zero on a linear ramp (its Laplacian vanishes) and positive with an edge', () => {
    const ramp = Array.from({ length: 25 }, (_, i) => (i % 5) * 10);
    expect(laplacianVariance(ramp, 5, 5)).toBeCloseTo(0, 12);
    // A 5×5 step edge between columns 1 and 2: interior Laplacians are +100 (col 1), −100 (col 2), 0 (col 3).
    const edge = Array.from({ length: 25 }, (_, i) => (i % 5 >= 2 ? 100 : 0));
    expect(laplacianVariance(edge, 5, 5)).toBeCloseTo((100 ** 2 + 100 ** 2) / 3, 8);
  });

  it('rejects images under 3×3 and wrong or non-finite pixels', () => {
    expect(() => laplacianVariance([1, 2, 3, 4], 2, 2)).toThrow('laplacianVariance requires an image of at least 3×3 pixels');
    expect(() => laplacianVariance([1, 2, 3], 3, 3)).toThrow('laplacianVariance requires width × height finite pixel values');
    expect(() => laplacianVariance([0, 0, 0, 0, Number.NaN, 0, 0, 0, 0], 3, 3)).toThrow('finite pixel values');
  });
});
