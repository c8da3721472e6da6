import { inflateSync } from 'node:zlib';
import { MetadataError } from './metadata-error.js';

/**
 * Inflates a zlib stream (PNG zTXt / compressed iTXt) with a hard output cap: zlib stops as soon as
 * the output would pass `maxBytes`, so a zip bomb costs at most `maxBytes` of memory.
 *
 * Throws `MetadataError('text-bomb')` past the cap and `MetadataError('malformed')` when the stream
 * is not valid zlib.
 *
 * @example inflateText(deflateSync(Buffer.from('hi')), 'zTXt "parameters"', 1024) // → Uint8Array 'hi'
 */
export function inflateText(compressed: Uint8Array, what: string, maxBytes: number): Uint8Array {
  try {
    return inflateSync(compressed, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MetadataError(
        'text-bomb',
        `The compressed text in ${what} expands past the ${formatBytes(maxBytes)} limit; the file was rejected as a decompression bomb.`,
      );
    }
    throw new MetadataError('malformed', `The compressed text in ${what} is damaged and cannot be decompressed.`);
  }
}

/**
 * A byte count for messages: "1 MiB", "512 KiB", "300 bytes".
 *
 * @example formatBytes(1048576) // → '1 MiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
