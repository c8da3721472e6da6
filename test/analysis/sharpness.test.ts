import { describe, expect, it } from 'vitest';
import { sharpness } from '../../src/analysis/sharpness.js';

function checkerboard(size: number): number[] {
  return Array.from({ length: size * size }, (_, i) => ((i % size) + Math.floor(i / size)) % 2 === 0 ? 0 : 255);
}

/** A box blur of radius r (edges clamped), to make softer copies of one picture. */
function boxBlur(pixels: number[], size: number, r: number): number[] {
  const out = new Array<number>(pixels.length).fill(0);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = Math.min(size - 1, Math.max(0, y + dy));
          const xx = Math.min(size - 1, Math.max(0, x + dx));
          sum += pixels[yy * size + xx]!;
          n++;
        }
      }
      out[y * size + x] = sum / n;
    }
  }
  return out;
}

describe('sharpness', () => {
  it('matches the documented examples', () => {
    expect(sharpness(new Array(64 * 64).fill(128), 64, 64)).toBe(0);
    expect(sharpness(checkerboard(256), 256, 256)).toBeCloseTo(Math.log10(1040401), 10);
    expect(sharpness(checkerboard(256), 256, 256)).toBeCloseTo(6.0172, 4);
  });

  it('falls as the same picture gets blurrier', () => {
    const size = 128;
    const squares = Array.from({ length: size * size }, (_, i) => ((Math.floor((i % size) / 16) + Math.floor(i / size / 16)) % 2 === 0 ? 40 : 220));
    const values = [0, 1, 2, 4].map((r) => sharpness(r === 0 ? squares : boxBlur(squares, size, r), size, size));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
  });

  it('is comparable across sizes: a picture and its 2× enlargement score alike', () => {
    const small = 128;
    const picture = Array.from({ length: small * small }, (_, i) => 128 + 100 * Math.sin((i % small) / 6) * Math.cos(Math.floor(i / small) / 9));
    const large = new Array<number>(4 * small * small);
    for (let y = 0; y < 2 * small; y++) for (let x = 0; x < 2 * small; x++) large[y * 2 * small + x] = picture[Math.floor(y / 2) * small + Math.floor(x / 2)]!;
    expect(Math.abs(sharpness(picture, small, small) - sharpness(large, 2 * small, 2 * small))).toBeLessThan(0.05);
  });

  it('rejects a wrong pixel count', () => {
    expect(() => sharpness([1, 2, 3], 2, 2)).toThrow('resampleGrey requires width × height pixel values');
  });
});
