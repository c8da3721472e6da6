import { checkDimensions } from './check-dimensions.js';
import { decodeLatin1 } from './decode-text.js';
import { MetadataError } from './metadata-error.js';
import type { MetadataLimits } from './metadata-limits.js';
import { readExif } from './read-exif.js';
import { tooManyChunks } from './read-png.js';
import { TextCollector } from './text-collector.js';

/** What a WebP holds that matters here: its canvas size and its EXIF text fields. */
export interface WebpContents {
  width: number;
  height: number;
  texts: Record<string, string>;
}

/**
 * Reads a WebP's size (from VP8X, else VP8 or VP8L) and the text fields of its EXIF chunk, with or
 * without the `Exif\0\0` prefix that some writers leave in. ComfyUI's `workflow:`/`prompt:` fields
 * in Make/Model come out under `workflow` and `prompt`. The size is checked against the pixel
 * limits before the EXIF is decoded. Cost: O(number of chunks) plus the EXIF text.
 *
 * Throws `MetadataError` with code 'truncated' (a chunk runs past the end), 'malformed' (no size
 * found, bad bitstream header), 'pixel-bomb' or 'text-bomb'.
 *
 * @example readWebp(fs.readFileSync('render.webp'), DEFAULT_METADATA_LIMITS).texts.prompt
 */
export function readWebp(bytes: Uint8Array, limits: MetadataLimits): WebpContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length) {
    throw new MetadataError('truncated', `The WebP file is truncated: it declares ${riffEnd} bytes but has ${bytes.length}.`);
  }
  let size: { width: number; height: number } | null = null;
  let frameSize: { width: number; height: number } | null = null;
  const exifChunks: Uint8Array[] = [];
  let offset = 12;

  for (let chunks = 0; offset + 8 <= riffEnd; chunks++) {
    if (chunks >= limits.maxChunks) throw tooManyChunks('WebP', limits.maxChunks);
    const fourcc = decodeLatin1(bytes.subarray(offset, offset + 4));
    const length = view.getUint32(offset + 4, true);
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd > bytes.length) {
      throw new MetadataError(
        'truncated',
        `The WebP file is truncated: chunk "${fourcc.trim()}" declares ${length} bytes but the file ends before them.`,
      );
    }
    const data = bytes.subarray(dataStart, dataEnd);
    if (fourcc === 'VP8X') {
      if (data.length < 10) throw new MetadataError('malformed', 'The WebP file is damaged: its VP8X header is too short.');
      size = { width: 1 + readUint24(data, 4), height: 1 + readUint24(data, 7) };
    } else if (fourcc === 'VP8 ' && frameSize === null) {
      frameSize = readVp8Size(data);
    } else if (fourcc === 'VP8L' && frameSize === null) {
      frameSize = readVp8lSize(data);
    } else if (fourcc === 'EXIF') {
      exifChunks.push(data);
    }
    offset = dataEnd + (length % 2); // chunks are padded to an even length
  }

  const canvas = size ?? frameSize;
  if (canvas === null) {
    throw new MetadataError('malformed', 'The WebP file has no VP8, VP8L or VP8X header, so its size is unknown.');
  }
  checkDimensions(canvas.width, canvas.height, limits);

  const collector = new TextCollector(limits);
  for (const exif of exifChunks) {
    const hasPrefix = decodeLatin1(exif.subarray(0, 6)) === 'Exif\0\0';
    readExif(hasPrefix ? exif.subarray(6) : exif, collector, 'WebP EXIF');
  }
  return { width: canvas.width, height: canvas.height, texts: collector.texts };
}

function readUint24(data: Uint8Array, at: number): number {
  return (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16);
}

/** Lossy bitstream: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height. */
function readVp8Size(data: Uint8Array): { width: number; height: number } {
  if (data.length < 10 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) {
    throw new MetadataError('malformed', 'The WebP file is damaged: its VP8 frame header is invalid.');
  }
  const width = ((data[6] ?? 0) | ((data[7] ?? 0) << 8)) & 0x3fff;
  const height = ((data[8] ?? 0) | ((data[9] ?? 0) << 8)) & 0x3fff;
  return { width, height };
}

/** Lossless bitstream: signature 0x2f, then 14 bits width − 1 and 14 bits height − 1 (LSB first). */
function readVp8lSize(data: Uint8Array): { width: number; height: number } {
  if (data.length < 5 || data[0] !== 0x2f) {
    throw new MetadataError('malformed', 'The WebP file is damaged: its VP8L header is invalid.');
  }
  const bits = (data[1] ?? 0) | ((data[2] ?? 0) << 8) | ((data[3] ?? 0) << 16) | ((data[4] ?? 0) << 24);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}
