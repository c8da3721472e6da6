import { laplacianVariance } from './laplacian-variance.js';
import { resampleGrey } from './resample-grey.js';

/** The grid every image is brought to before its sharpness is measured (the scale below assumes it). */
export const SHARPNESS_GRID = 256;

/**
 * A render's sharpness: log10(1 + variance of the Laplacian) of a grey copy resampled (area
 * average, aspect not kept) to 256 × 256 pixels with values 0–255.
 *
 * The scale: measuring on one fixed grid makes values comparable across image sizes (a 512² and a
 * 2048² render of the same picture score alike), and the logarithm makes a difference a ratio, so
 * one δ fits soft and detailed subjects alike: +0.02 is about 5% more edge energy (10^0.02 = 1.047),
 * +0.3 doubles it. A flat grey image scores 0; typical renders score about 2–3.5; a 0/255
 * checkerboard, the maximum, log10(1 + 1,040,400) ≈ 6.02. Higher is sharper, but noise also scores
 * high: compare renders of one prompt and seed. (Pech-Pacheco et al., ICPR 2000.)
 *
 * Cost: O(W·H) for the resampling plus O(256²).
 *
 * Errors: those of `resampleGrey` (bad sizes or pixel count).
 *
 * @example
 * sharpness(new Array(64 * 64).fill(128), 64, 64); // → 0 (flat)
 * // A 256×256 checkerboard of 0 and 255 (no resampling needed):
 * sharpness(checkerboard256, 256, 256);            // → 6.0172 (= log10(1,040,401))
 */
export function sharpness(pixels: ArrayLike<number>, width: number, height: number): number {
  const grid = resampleGrey(pixels, width, height, SHARPNESS_GRID, SHARPNESS_GRID);
  return Math.log10(1 + laplacianVariance(grid, SHARPNESS_GRID, SHARPNESS_GRID));
}
