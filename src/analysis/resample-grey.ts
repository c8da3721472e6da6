/**
 * Resamples a grey image (one value per pixel, row-major) to `targetWidth` × `targetHeight` by area
 * averaging: each target pixel is the mean of the source area it covers, with partly covered source
 * pixels weighted by the share covered. Downscaling therefore averages (no aliasing from skipped
 * pixels) and upscaling repeats pixels; the aspect ratio is not kept ("fill"). Same size: a copy.
 *
 * Used to bring every image to one grid before an image metric, so values from a 512² and a 2048²
 * render of the same picture are comparable.
 *
 * Cost: O(W·H + w·H + w·h) time (separable: rows first, then columns), O(w·H) extra memory.
 *
 * Errors: "resampleGrey requires positive whole-number sizes", "resampleGrey requires width × height
 * pixel values".
 *
 * @example
 * resampleGrey([0, 100, 200, 100], 2, 2, 1, 1); // → Float64Array [100]
 * resampleGrey([0, 90], 2, 1, 3, 1);            // → Float64Array [0, 45, 90]
 */
export function resampleGrey(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  targetWidth: number,
  targetHeight: number,
): Float64Array {
  for (const size of [width, height, targetWidth, targetHeight]) {
    if (!Number.isInteger(size) || size < 1) throw new Error('resampleGrey requires positive whole-number sizes');
  }
  if (pixels.length !== width * height) throw new Error('resampleGrey requires width × height pixel values');
  if (width === targetWidth && height === targetHeight) return Float64Array.from(pixels);

  const xWeights = coverage(width, targetWidth);
  const yWeights = coverage(height, targetHeight);

  // Rows first: height × targetWidth.
  const rows = new Float64Array(height * targetWidth);
  for (let y = 0; y < height; y++) {
    const offset = y * width;
    for (let tx = 0; tx < targetWidth; tx++) {
      let sum = 0;
      for (const [sx, w] of xWeights[tx]!) sum += pixels[offset + sx]! * w;
      rows[y * targetWidth + tx] = sum;
    }
  }
  const out = new Float64Array(targetWidth * targetHeight);
  for (let ty = 0; ty < targetHeight; ty++) {
    for (const [sy, w] of yWeights[ty]!) {
      const offset = sy * targetWidth;
      for (let tx = 0; tx < targetWidth; tx++) out[ty * targetWidth + tx]! += rows[offset + tx]! * w;
    }
  }
  return out;
}

/** For each target index, the source indices it overlaps and their weights (summing to 1). */
function coverage(sourceSize: number, targetSize: number): [number, number][][] {
  const scale = sourceSize / targetSize;
  const result: [number, number][][] = [];
  for (let t = 0; t < targetSize; t++) {
    const start = t * scale;
    const end = start + scale;
    const weights: [number, number][] = [];
    for (let s = Math.floor(start); s < Math.min(sourceSize, Math.ceil(end)); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      if (overlap > 1e-12) weights.push([s, overlap / scale]);
    }
    result.push(weights);
  }
  return result;
}
