import { PNG_SIGNATURE } from './read-png.js';

/** The containers this module reads. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

/**
 * The container format from the file's first bytes (never its name or declared type): the PNG
 * signature, JPEG's FF D8 FF, or RIFF….WEBP. A file shorter than the PNG signature but matching
 * its start counts as PNG (so it is reported as truncated rather than unknown). Returns null for
 * anything else. Cost: O(1).
 *
 * @example detectImageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)) // → 'jpeg'
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 1 && PNG_SIGNATURE.every((byte, i) => i >= bytes.length || bytes[i] === byte)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * A short name for a few formats that are recognised only to be refused with a clear message.
 *
 * @example describeOtherFormat(new TextEncoder().encode('GIF89a')) // → 'a GIF image'
 */
export function describeOtherFormat(bytes: Uint8Array): string | null {
  if (ascii(bytes, 0, 4) === 'GIF8') return 'a GIF image';
  if (ascii(bytes, 0, 2) === 'BM') return 'a BMP image';
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return 'a TIFF image';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'an AVIF/HEIC image';
  if (ascii(bytes, 0, 4) === '%PDF') return 'a PDF document';
  return null;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
