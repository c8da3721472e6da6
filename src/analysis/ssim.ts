/** Side of the Gaussian window (Wang et al. 2004: 11 × 11, σ = 1.5). */
export const SSIM_WINDOW = 11;
const SSIM_SIGMA = 1.5;
/** Stabilising constants for 8-bit values: C1 = (0.01 · 255)², C2 = (0.03 · 255)². */
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Mean structural similarity (SSIM) of two grey images of the same size, values 0–255: at each
 * position of an 11 × 11 Gaussian window (σ = 1.5, normalised), with local means μ, variances σ² and
 * covariance σxy,
 *   SSIM = (2·μx·μy + C1)(2·σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 * averaged over every position where the window lies inside the image (no padding). 1 means
 * identical; it falls with blur, noise and structural change, and can go below 0 for inverted
 * structure. (Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment: from error visibility to
 * structural similarity", IEEE TIP 13(4), 2004.) Compute it on downscaled grey copies of equal size
 * (e.g. 256 × 256) so renders of different resolutions compare.
 *
 * Cost: O(W·H·11) (separable filtering of five maps).
 *
 * Errors: "ssim requires two images of width × height finite pixel values", "ssim requires images of
 * at least 11×11 pixels".
 *
 * @example
 * ssim(a, a, 16, 16);                                          // → 1 for any image a
 * ssim(new Array(121).fill(0), new Array(121).fill(255), 11, 11); // → C1 / (255² + C1) ≈ 0.0000999
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number): number {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < SSIM_WINDOW || height < SSIM_WINDOW) {
    throw new Error('ssim requires images of at least 11×11 pixels');
  }
  const n = width * height;
  if (a.length !== n || b.length !== n) throw new Error('ssim requires two images of width × height finite pixel values');
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const av = a[i]!;
    const bv = b[i]!;
    if (!Number.isFinite(av) || !Number.isFinite(bv)) throw new Error('ssim requires two images of width × height finite pixel values');
    x[i] = av;
    y[i] = bv;
    xx[i] = av * av;
    yy[i] = bv * bv;
    xy[i] = av * bv;
  }
  const kernel = gaussianKernel(SSIM_WINDOW, SSIM_SIGMA);
  const muX = filterValid(x, width, height, kernel);
  const muY = filterValid(y, width, height, kernel);
  const sXX = filterValid(xx, width, height, kernel);
  const sYY = filterValid(yy, width, height, kernel);
  const sXY = filterValid(xy, width, height, kernel);
  let total = 0;
  for (let i = 0; i < muX.length; i++) {
    const mx = muX[i]!;
    const my = muY[i]!;
    const varX = sXX[i]! - mx * mx;
    const varY = sYY[i]! - my * my;
    const cov = sXY[i]! - mx * my;
    total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (varX + varY + C2));
  }
  return total / muX.length;
}

function gaussianKernel(size: number, sigma: number): Float64Array {
  const kernel = new Float64Array(size);
  const centre = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    kernel[i] = Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma));
    sum += kernel[i]!;
  }
  for (let i = 0; i < size; i++) kernel[i]! /= sum;
  return kernel;
}

/** Separable filtering keeping only positions where the window fits: (W − k + 1) × (H − k + 1). */
function filterValid(src: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const k = kernel.length;
  const outWidth = width - k + 1;
  const outHeight = height - k + 1;
  const rows = new Float64Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      const offset = y * width + x;
      for (let j = 0; j < k; j++) sum += src[offset + j]! * kernel[j]!;
      rows[y * outWidth + x] = sum;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += rows[(y + j) * outWidth + x]! * kernel[j]!;
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}
