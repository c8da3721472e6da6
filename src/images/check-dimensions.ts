import { MetadataError } from './metadata-error.js';
import type { MetadataLimits } from './metadata-limits.js';

/**
 * Rejects declared image dimensions over the limits, before any other part of the file is decoded.
 *
 * Throws `MetadataError('pixel-bomb')` when width, height or width × height is over its cap.
 *
 * @example checkDimensions(100_000, 100_000, DEFAULT_METADATA_LIMITS) // throws pixel-bomb
 */
export function checkDimensions(width: number, height: number, limits: MetadataLimits): void {
  const pixels = width * height;
  const declared = `The image declares ${width}×${height} pixels`;
  const rejected = 'it was rejected before decoding as a possible decompression bomb.';
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw new MetadataError(
      'pixel-bomb',
      `${declared}, over the limit of ${limits.maxWidth} pixels wide and ${limits.maxHeight} high; ${rejected}`,
    );
  }
  if (pixels > limits.maxPixels) {
    throw new MetadataError(
      'pixel-bomb',
      `${declared} (${pixels.toLocaleString('en-US')} in all), over the limit of ${limits.maxPixels.toLocaleString('en-US')}; ${rejected}`,
    );
  }
}
