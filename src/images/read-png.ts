import { checkDimensions } from './check-dimensions.js';
import { crc32 } from './crc32.js';
import { decodeLatin1, decodeLatin1OrUtf8, decodeUtf8 } from './decode-text.js';
import { inflateText } from './inflate-text.js';
import { MetadataError } from './metadata-error.js';
import type { MetadataLimits } from './metadata-limits.js';
import { TextCollector } from './text-collector.js';

/** The 8-byte signature every PNG starts with. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** What a PNG holds that matters here: its size and its text chunks by keyword. */
export interface PngContents {
  width: number;
  height: number;
  texts: Record<string, string>;
}

interface ChunkRef {
  type: string;
  dataStart: number;
  dataEnd: number;
}

/** Largest chunk length the PNG specification allows (2^31 − 1). */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/**
 * Reads a PNG's size and its text chunks (tEXt, zTXt, iTXt, before or after the image data).
 *
 * In order, so that nothing is decoded from a file that fails an earlier check: the signature and
 * the IHDR chunk (its CRC, then its dimensions against the pixel limits); then every chunk's length
 * and CRC-32 up to IEND; only then are text chunks decoded, compressed ones with a capped inflate.
 * Cost: O(file size) for the CRCs, plus the decoded text; at most `maxChunks` chunks and `maxTextFields` texts.
 *
 * Throws `MetadataError` with code 'truncated' (a chunk runs past the end, or no IEND), 'bad-crc',
 * 'pixel-bomb', 'text-bomb', 'too-many-chunks' or 'malformed' (bad IHDR, bad chunk type or length, bad text chunk).
 *
 * @example readPng(fs.readFileSync('render.png'), DEFAULT_METADATA_LIMITS).texts.parameters
 */
export function readPng(bytes: Uint8Array, limits: MetadataLimits): PngContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = PNG_SIGNATURE.length;

  const readChunk = (): ChunkRef => {
    if (offset + 8 > bytes.length) {
      throw new MetadataError('truncated', 'The PNG file is truncated: it ends before its IEND chunk.');
    }
    const length = view.getUint32(offset);
    const type = decodeLatin1(bytes.subarray(offset + 4, offset + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw new MetadataError('malformed', `The PNG file is damaged: invalid chunk type at byte ${offset + 4}.`);
    }
    if (length > MAX_CHUNK_LENGTH) {
      throw new MetadataError('malformed', `The PNG file is damaged: chunk ${type} declares an impossible length.`);
    }
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) {
      throw new MetadataError(
        'truncated',
        `The PNG file is truncated: chunk ${type} declares ${length} bytes but the file ends before them.`,
      );
    }
    const stored = view.getUint32(dataEnd);
    if (crc32(bytes, offset + 4, dataEnd) !== stored) {
      throw new MetadataError('bad-crc', `The PNG file is corrupt: the checksum (CRC) of chunk ${type} does not match.`);
    }
    offset = dataEnd + 4;
    return { type, dataStart, dataEnd };
  };

  const ihdr = readChunk();
  if (ihdr.type !== 'IHDR' || ihdr.dataEnd - ihdr.dataStart !== 13) {
    throw new MetadataError('malformed', 'The PNG file is damaged: it does not start with a valid IHDR header chunk.');
  }
  const width = view.getUint32(ihdr.dataStart);
  const height = view.getUint32(ihdr.dataStart + 4);
  if (width === 0 || height === 0) {
    throw new MetadataError('malformed', 'The PNG file is damaged: its header declares a width or height of zero.');
  }
  checkDimensions(width, height, limits);

  const textChunks: ChunkRef[] = [];
  for (let count = 1; ; count++) {
    if (count >= limits.maxChunks) throw tooManyChunks('PNG', limits.maxChunks);
    const chunk = readChunk();
    if (chunk.type === 'IEND') break;
    if (chunk.type === 'IHDR') {
      throw new MetadataError('malformed', 'The PNG file is damaged: it has a second IHDR chunk.');
    }
    if (chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt') textChunks.push(chunk);
  }

  const collector = new TextCollector(limits);
  for (const chunk of textChunks) readTextChunk(bytes.subarray(chunk.dataStart, chunk.dataEnd), chunk.type, collector, limits);
  return { width, height, texts: collector.texts };
}

/** The refusal of a file with more chunks than `maxChunks` (empty ones count: each costs a step). */
export function tooManyChunks(format: string, maxChunks: number): MetadataError {
  return new MetadataError(
    'too-many-chunks',
    `The ${format} file has more than ${maxChunks.toLocaleString('en-US')} chunks, the limit per file; it was rejected.`,
  );
}

function readTextChunk(data: Uint8Array, type: string, collector: TextCollector, limits: MetadataLimits): void {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 1 || keywordEnd > 79) {
    throw new MetadataError('malformed', `The PNG file has a damaged ${type} chunk: its keyword is missing or too long.`);
  }
  const keyword = decodeLatin1(data.subarray(0, keywordEnd));
  const what = `${type} chunk "${keyword}"`;

  if (type === 'tEXt') {
    const text = data.subarray(keywordEnd + 1);
    collector.add(keyword, decodeLatin1OrUtf8(text), text.length, what);
    return;
  }
  if (type === 'zTXt') {
    if (data[keywordEnd + 1] !== 0) {
      throw new MetadataError('malformed', `The PNG file's ${what} uses an unknown compression method.`);
    }
    const text = inflateText(data.subarray(keywordEnd + 2), what, limits.maxTextChunkBytes);
    collector.add(keyword, decodeLatin1OrUtf8(text), text.length, what);
    return;
  }
  // iTXt: keyword \0 compressionFlag compressionMethod languageTag \0 translatedKeyword \0 text (UTF-8)
  const compressed = data[keywordEnd + 1];
  const method = data[keywordEnd + 2];
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (compressed === undefined || method === undefined || translatedEnd < 0 || compressed > 1) {
    throw new MetadataError('malformed', `The PNG file has a damaged ${what}.`);
  }
  let text = data.subarray(translatedEnd + 1);
  if (compressed === 1) {
    if (method !== 0) throw new MetadataError('malformed', `The PNG file's ${what} uses an unknown compression method.`);
    text = inflateText(text, what, limits.maxTextChunkBytes);
  }
  collector.add(keyword, decodeUtf8(text), text.length, what);
}
