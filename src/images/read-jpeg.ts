import { checkDimensions } from './check-dimensions.js';
import { decodeLatin1OrUtf8, stripTrailingNuls } from './decode-text.js';
import { MetadataError } from './metadata-error.js';
import type { MetadataLimits } from './metadata-limits.js';
import { readExif } from './read-exif.js';
import { tooManyChunks } from './read-png.js';
import { TextCollector } from './text-collector.js';

/** What a JPEG holds that matters here: its size (from the SOF segment) and its EXIF text fields. */
export interface JpegContents {
  width: number;
  height: number;
  texts: Record<string, string>;
}

const EXIF_HEADER = 'Exif\0\0';
/** Start-of-frame markers (baseline, progressive, lossless…); C4, C8 and CC are other segments. */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * Reads a JPEG's size and EXIF text (UserComment, ImageDescription, Make, Model…) and COM comments.
 *
 * Walks the marker segments up to the start of scan, remembering where the APP1 Exif and COM
 * segments are; the frame size is checked against the pixel limits before any of them is decoded.
 * Cost: O(number of segments) plus the EXIF text.
 *
 * Throws `MetadataError` with code 'truncated' (a segment runs past the end, or no frame header
 * before the end), 'malformed' (bytes that are not a marker where one must be, no frame header
 * before the scan), 'pixel-bomb', 'text-bomb' or 'too-many-chunks' (more than `maxChunks` segments or
 * `maxTextFields` texts).
 *
 * @example readJpeg(fs.readFileSync('render.jpg'), DEFAULT_METADATA_LIMITS).texts.UserComment
 */
export function readJpeg(bytes: Uint8Array, limits: MetadataLimits): JpegContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const exifBlocks: Uint8Array[] = [];
  const comments: Uint8Array[] = [];
  let size: { width: number; height: number } | null = null;
  let offset = 2;

  for (let segments = 0; ; segments++) {
    if (segments >= limits.maxChunks) throw tooManyChunks('JPEG', limits.maxChunks);
    if (offset >= bytes.length) {
      throw new MetadataError('truncated', 'The JPEG file is truncated: it ends before its image data.');
    }
    if (bytes[offset] !== 0xff) {
      throw new MetadataError('malformed', `The JPEG file is damaged: expected a marker at byte ${offset}.`);
    }
    while (offset < bytes.length && bytes[offset] === 0xff) offset++; // fill bytes
    const marker = bytes[offset];
    offset++;
    if (marker === undefined) {
      throw new MetadataError('truncated', 'The JPEG file is truncated: it ends inside a marker.');
    }
    if (marker === 0xd9 /* EOI */) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // markers without a length
    if (offset + 2 > bytes.length) {
      throw new MetadataError('truncated', 'The JPEG file is truncated: it ends inside a segment header.');
    }
    const length = view.getUint16(offset);
    if (length < 2) {
      throw new MetadataError('malformed', `The JPEG file is damaged: segment at byte ${offset} has an invalid length.`);
    }
    const dataStart = offset + 2;
    const dataEnd = offset + length;
    if (dataEnd > bytes.length) {
      throw new MetadataError(
        'truncated',
        `The JPEG file is truncated: a segment declares ${length} bytes but the file ends before them.`,
      );
    }
    const data = bytes.subarray(dataStart, dataEnd);
    if (marker === 0xda /* SOS: entropy-coded data follows; metadata comes before it */) {
      if (!hasEndOfImage(bytes, dataEnd)) {
        throw new MetadataError('truncated', 'The JPEG file is truncated: its image data has no end marker (EOI).');
      }
      break;
    }
    if (SOF_MARKERS.has(marker) && size === null) {
      if (data.length < 5) throw new MetadataError('malformed', 'The JPEG file is damaged: its frame header is too short.');
      size = { height: view.getUint16(dataStart + 1), width: view.getUint16(dataStart + 3) };
    } else if (marker === 0xe1 && decodeLatin1OrUtf8(data.subarray(0, 6)) === EXIF_HEADER) {
      exifBlocks.push(data.subarray(6));
    } else if (marker === 0xfe) {
      comments.push(data);
    }
    offset = dataEnd;
  }
  if (size === null) {
    throw new MetadataError('malformed', 'The JPEG file has no frame header (SOF) before its image data, so its size is unknown.');
  }
  checkDimensions(size.width, size.height, limits);

  const collector = new TextCollector(limits);
  for (const block of exifBlocks) readExif(block, collector, 'JPEG EXIF');
  for (const comment of comments) {
    collector.checkSize(comment.length, 'JPEG comment');
    const text = stripTrailingNuls(decodeLatin1OrUtf8(comment));
    // An empty comment is not stored but is counted against the limits like any other field.
    if (text === '') collector.charge('JPEG comment', comment.length, 'JPEG comment');
    else collector.add('JPEG comment', text, comment.length, 'JPEG comment');
  }
  return { width: size.width, height: size.height, texts: collector.texts };
}

/**
 * Whether an EOI marker (FF D9) follows the scan start. Inside entropy-coded data FF is always
 * followed by 00 or a restart marker, so FF D9 only occurs as the real end (or in bytes appended
 * after it); searching backwards finds it at once in a complete file.
 */
function hasEndOfImage(bytes: Uint8Array, scanStart: number): boolean {
  for (let i = bytes.length - 2; i >= scanStart; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}
