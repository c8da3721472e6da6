/**
 * The variance of the Laplacian of a grey image: how much edge and texture energy it holds. The
 * Laplacian at each interior pixel is the 4-neighbour kernel [0 1 0; 1 −4 1; 0 1 0] (up + down +
 * left + right − 4 × centre); the result is the population variance of those values, in squared
 * pixel-value units (0–255 input → up to (4·255)² = 1,040,400). Blur lowers it, detail and noise
 * raise it (Pech-Pacheco et al., "Diatom autofocusing in brightfield microscopy: a comparative
 * study", ICPR 2000, the variance-of-Laplacian focus measure).
 *
 * Cost: O(W·H).
 *
 * Errors: "laplacianVariance requires an image of at least 3×3 pixels", "laplacianVariance requires
 * width × height finite pixel values".
 *
 * @example
 * // A 4×4 checkerboard of 0 and 255: every interior Laplacian is ±1020.
 * laplacianVariance([0,255,0,255, 255,0,255,0, 0,255,0,255, 255,0,255,0], 4, 4); // → 1040400
 * laplacianVariance(new Array(9).fill(7), 3, 3);                                     // → 0
 */
export function laplacianVariance(pixels: ArrayLike<number>, width: number, height: number): number {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 3 || height < 3) {
    throw new Error('laplacianVariance requires an image of at least 3×3 pixels');
  }
  if (pixels.length !== width * height) throw new Error('laplacianVariance requires width × height finite pixel values');
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const value = pixels[i - width]! + pixels[i + width]! + pixels[i - 1]! + pixels[i + 1]! - 4 * pixels[i]!;
      if (!Number.isFinite(value)) throw new Error('laplacianVariance requires width × height finite pixel values');
      // Welford's update: no cancellation when the mean is large next to the spread.
      n++;
      const d = value - mean;
      mean += d / n;
      m2 += d * (value - mean);
    }
  }
  return m2 / n;
}
