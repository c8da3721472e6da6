import { describe, expect, it } from 'vitest';
import { resampleGrey } from '../../src/analysis/resample-grey.js';

describe('resampleGrey', () => {
  it('matches the documented examples', () => {
    expect([...resampleGrey([0, 100, 200, 100], 2, 2, 1, 1)]).toEqual([100]);
    const up = [...resampleGrey([0, 90], 2, 1, 3, 1)];
    expect(up[0]).toBeCloseTo(0, 10);
    expect(up[1]).toBeCloseTo(45, 10);
    expect(up[2]).toBeCloseTo(90, 10);
  });

  it('averages 2×2 blocks when halving, copies at the same size, keeps the mean', () => {
    const pixels = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
    expect([...resampleGrey(pixels, 4, 4, 2, 2)]).toEqual([2.5, 10.5, 4.5, 12.5]);
    expect([...resampleGrey(pixels, 4, 4, 4, 4)]).toEqual(pixels);
    const odd = resampleGrey(pixels, 4, 4, 3, 5);
    const mean = odd.reduce((s, v) => s + v, 0) / odd.length;
    expect(mean).toBeCloseTo(7.5, 10);
  });

  it('rejects bad sizes and a wrong pixel count', () => {
    expect(() => resampleGrey([1], 1, 1, 0, 1)).toThrow('resampleGrey requires positive whole-number sizes');
    expect(() => resampleGrey([1, 2], 1, 1, 1, 1)).toThrow('resampleGrey requires width × height pixel values');
  });
});
