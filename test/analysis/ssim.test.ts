import { describe, expect, it } from 'vitest';
import { ssim } from '../../src/analysis/ssim.js';

const C1 = (0.01 * 255) ** 2;

function picture(size: number): number[] {
  return Array.from({ length: size * size }, (_, i) => {
    const x = i % size;
    const y = Math.floor(i / size);
    return (Math.floor(x / 8) + Math.floor(y / 8)) % 2 === 0 ? 30 : 220;
  });
}

function addNoise(pixels: number[], amplitude: number, seed: number): number[] {
  let state = seed;
  return pixels.map((v) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.min(255, Math.max(0, v + amplitude * (state / 2147483648 - 0.5)));
  });
}

describe('ssim', () => {
  it('matches the documented examples', () => {
    const a = picture(16);
    expect(ssim(a, a, 16, 16)).toBeCloseTo(1, 12);
    expect(ssim(new Array(121).fill(0), new Array(121).fill(255), 11, 11)).toBeCloseTo(C1 / (255 ** 2 + C1), 12);
  });

  it('gives the luminance term alone on two flat images: (2·100·50 + C1) / (100² + 50² + C1)', () => {
    expect(ssim(new Array(144).fill(100), new Array(144).fill(50), 12, 12)).toBeCloseTo((10000 + C1) / (12500 + C1), 12);
  });

  it('is symmetric and falls as noise grows', () => {
    const a = picture(48);
    const light = addNoise(a, 40, 1);
    const heavy = addNoise(a, 160, 1);
    expect(ssim(a, light, 48, 48)).toBeCloseTo(ssim(light, a, 48, 48), 12);
    expect(ssim(a, light, 48, 48)).toBeLessThan(1);
    expect(ssim(a, heavy, 48, 48)).toBeLessThan(ssim(a, light, 48, 48));
  });

  it('goes below zero for inverted structure', () => {
    const a = picture(32);
    expect(ssim(a, a.map((v) => 250 - v), 32, 32)).toBeLessThan(0);
  });

  it('rejects small or mismatched images', () => {
    expect(() => ssim(new Array(100).fill(0), new Array(100).fill(0), 10, 10)).toThrow('ssim requires images of at least 11×11 pixels');
    expect(() => ssim(new Array(121).fill(0), new Array(120).fill(0), 11, 11)).toThrow('ssim requires two images of width × height finite pixel values');
  });
});
