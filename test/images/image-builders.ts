/**
 * Builders of minimal, valid PNG / JPEG / WebP files for the metadata reader's tests. Checksums use
 * `node:zlib`'s crc32, independent of the CRC code under test.
 */
import { Buffer } from 'node:buffer';
import { crc32, deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function concat(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}

export function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** One PNG chunk: length, type, data, CRC-32 over type + data. */
export function pngChunk(type: string, data: Uint8Array = new Uint8Array()): Buffer {
  const typeAndData = concat(Buffer.from(type, 'latin1'), data);
  return concat(u32be(data.length), typeAndData, u32be(crc32(typeAndData)));
}

/** tEXt with the text in Latin-1 (as the standard says). */
export function tEXt(keyword: string, text: string): Buffer {
  return pngChunk('tEXt', concat(Buffer.from(keyword, 'latin1'), Buffer.of(0), Buffer.from(text, 'latin1')));
}

/** tEXt holding arbitrary bytes (e.g. raw UTF-8, which some writers use). */
export function tEXtBytes(keyword: string, bytes: Uint8Array): Buffer {
  return pngChunk('tEXt', concat(Buffer.from(keyword, 'latin1'), Buffer.of(0), bytes));
}

/** zTXt: keyword, NUL, method 0, zlib-compressed Latin-1 text. */
export function zTXt(keyword: string, text: string | Uint8Array): Buffer {
  const raw = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  return pngChunk('zTXt', concat(Buffer.from(keyword, 'latin1'), Buffer.of(0, 0), deflateSync(raw)));
}

/** iTXt: keyword, NUL, compression flag, method, language tag, NUL, translated keyword, NUL, UTF-8 text. */
export function iTXt(keyword: string, text: string, options: { compressed?: boolean; language?: string } = {}): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const body = options.compressed === true ? deflateSync(utf8) : utf8;
  return pngChunk(
    'iTXt',
    concat(
      Buffer.from(keyword, 'latin1'),
      Buffer.of(0, options.compressed === true ? 1 : 0, 0),
      Buffer.from(options.language ?? '', 'latin1'),
      Buffer.of(0),
      Buffer.of(0),
      body,
    ),
  );
}

export function ihdr(width: number, height: number): Buffer {
  // 8-bit greyscale, deflate, adaptive filtering, no interlace.
  return pngChunk('IHDR', concat(u32be(width), u32be(height), Buffer.of(8, 0, 0, 0, 0)));
}

/** Image data for an all-black 8-bit greyscale image (filter byte 0 per row). */
export function idat(width: number, height: number): Buffer {
  const pixels = width * height <= 1 << 20 ? Buffer.alloc((width + 1) * height) : Buffer.alloc(16);
  return pngChunk('IDAT', deflateSync(pixels));
}

/** A complete PNG: IHDR, the chunks before the image data, IDAT, the chunks after it, IEND. */
export function buildPng(options: { width?: number; height?: number; before?: Buffer[]; after?: Buffer[] } = {}): Buffer {
  const width = options.width ?? 2;
  const height = options.height ?? 2;
  return concat(
    PNG_SIGNATURE,
    ihdr(width, height),
    ...(options.before ?? []),
    idat(width, height),
    ...(options.after ?? []),
    pngChunk('IEND'),
  );
}

// ---------------------------------------------------------------------------------------------- TIFF / EXIF

export interface TiffEntry {
  tag: number;
  type: number;
  bytes: Uint8Array;
}

export const EXIF_TYPE = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, UNDEFINED: 7 } as const;

/** An ASCII entry (NUL-terminated, bytes as given: UTF-8 here, as ComfyUI's writer does). */
export function asciiEntry(tag: number, text: string): TiffEntry {
  return { tag, type: EXIF_TYPE.ASCII, bytes: concat(Buffer.from(text, 'utf8'), Buffer.of(0)) };
}

/** A UserComment entry with the 8-byte character code prefix. */
export function userCommentEntry(text: string, encoding: 'utf16le' | 'utf16be' | 'ascii' | 'undefined'): TiffEntry {
  let body: Buffer;
  if (encoding === 'ascii') body = concat(Buffer.from('ASCII\0\0\0', 'latin1'), Buffer.from(text, 'utf8'));
  else if (encoding === 'undefined') body = concat(Buffer.alloc(8), Buffer.from(text, 'utf8'));
  else {
    const le = Buffer.from(text, 'utf16le');
    body = concat(Buffer.from('UNICODE\0', 'latin1'), encoding === 'utf16le' ? le : Buffer.from(le).swap16());
  }
  return { tag: 0x9286, type: EXIF_TYPE.UNDEFINED, bytes: body };
}

/** A TIFF block with IFD0 and, if given, an ExifIFD, in either byte order. */
export function buildTiff(options: { littleEndian: boolean; ifd0?: TiffEntry[]; exif?: TiffEntry[] }): Buffer {
  const le = options.littleEndian;
  const u16 = (n: number): Buffer => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  };
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(n);
    else b.writeUInt32BE(n);
    return b;
  };
  const ifd0Entries = [...(options.ifd0 ?? [])];
  const exifEntries = options.exif ?? [];
  const hasExif = exifEntries.length > 0;
  const ifd0Count = ifd0Entries.length + (hasExif ? 1 : 0);
  const ifd0Size = 2 + ifd0Count * 12 + 4;
  const exifSize = hasExif ? 2 + exifEntries.length * 12 + 4 : 0;
  let dataOffset = 8 + ifd0Size + exifSize;
  const data: Buffer[] = [];

  const writeIfd = (entries: TiffEntry[], extra: Buffer[]): Buffer => {
    const parts: Buffer[] = [u16(entries.length + extra.length)];
    for (const entry of entries) {
      parts.push(u16(entry.tag), u16(entry.type), u32(entry.bytes.length / (entry.type === EXIF_TYPE.SHORT ? 2 : entry.type === EXIF_TYPE.LONG ? 4 : 1)));
      if (entry.bytes.length <= 4) {
        parts.push(concat(entry.bytes, Buffer.alloc(4 - entry.bytes.length)));
      } else {
        parts.push(u32(dataOffset));
        data.push(Buffer.from(entry.bytes));
        dataOffset += entry.bytes.length;
        if (entry.bytes.length % 2 === 1) {
          data.push(Buffer.of(0));
          dataOffset++;
        }
      }
    }
    parts.push(...extra, u32(0));
    return concat(...parts);
  };

  const exifPointer = hasExif ? [concat(u16(0x8769), u16(EXIF_TYPE.LONG), u32(1), u32(8 + ifd0Size))] : [];
  const ifd0 = writeIfd(ifd0Entries, exifPointer);
  const exif = hasExif ? writeIfd(exifEntries, []) : Buffer.alloc(0);
  return concat(Buffer.from(le ? 'II' : 'MM', 'latin1'), u16(42), u32(8), ifd0, exif, ...data);
}

// ---------------------------------------------------------------------------------------------- JPEG

function jpegSegment(marker: number, data: Uint8Array): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(data.length + 2);
  return concat(Buffer.of(0xff, marker), length, data);
}

/** A JPEG with an optional APP1 Exif block and COM comments, a baseline SOF0 of the given size, a scan, EOI. */
export function buildJpeg(options: { width?: number; height?: number; tiff?: Buffer; comment?: string | string[] } = {}): Buffer {
  const comments = options.comment === undefined ? [] : typeof options.comment === 'string' ? [options.comment] : options.comment;
  const width = options.width ?? 8;
  const height = options.height ?? 8;
  const sof = Buffer.alloc(9);
  sof.writeUInt8(8, 0);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof.writeUInt8(1, 5); // one component
  sof.writeUInt8(1, 6);
  sof.writeUInt8(0x11, 7);
  sof.writeUInt8(0, 8);
  return concat(
    Buffer.of(0xff, 0xd8),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...(options.tiff === undefined ? [] : [jpegSegment(0xe1, concat(Buffer.from('Exif\0\0', 'latin1'), options.tiff))]),
    ...comments.map((comment) => jpegSegment(0xfe, Buffer.from(comment, 'utf8'))),
    jpegSegment(0xc0, sof),
    jpegSegment(0xda, Buffer.of(1, 1, 0, 0, 63, 0)),
    Buffer.of(0x12, 0x34, 0xff, 0x00, 0x56),
    Buffer.of(0xff, 0xd9),
  );
}

// ---------------------------------------------------------------------------------------------- WebP

function riffChunk(fourcc: string, data: Uint8Array): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(data.length);
  return concat(Buffer.from(fourcc, 'latin1'), size, data, data.length % 2 === 1 ? Buffer.of(0) : Buffer.alloc(0));
}

/** A lossless VP8L bitstream header for the given size (no image data beyond it). */
export function vp8lChunk(width: number, height: number): Buffer {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  const data = Buffer.alloc(5);
  data.writeUInt8(0x2f, 0);
  data.writeUInt32LE(bits >>> 0, 1);
  return riffChunk('VP8L', data);
}

/** A WebP: VP8X (when EXIF is present, as the format requires) + VP8L + optional EXIF chunk. */
export function buildWebp(options: { width?: number; height?: number; exif?: Buffer; exifPrefix?: boolean } = {}): Buffer {
  const width = options.width ?? 4;
  const height = options.height ?? 4;
  const chunks: Buffer[] = [];
  if (options.exif !== undefined) {
    const vp8x = Buffer.alloc(10);
    vp8x.writeUInt8(0x08, 0); // EXIF flag
    vp8x.writeUIntLE(width - 1, 4, 3);
    vp8x.writeUIntLE(height - 1, 7, 3);
    chunks.push(riffChunk('VP8X', vp8x));
  }
  chunks.push(vp8lChunk(width, height));
  if (options.exif !== undefined) {
    const payload = options.exifPrefix === true ? concat(Buffer.from('Exif\0\0', 'latin1'), options.exif) : options.exif;
    chunks.push(riffChunk('EXIF', payload));
  }
  const body = concat(Buffer.from('WEBP', 'latin1'), ...chunks);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return concat(Buffer.from('RIFF', 'latin1'), size, body);
}

// ---------------------------------------------------------------------------------------------- hostile graphs

/**
 * A ComfyUI API graph of `count` KSamplers in a chain, each fed by the one before through every
 * input (model, prompts, latent): the shape that made the graph reader walk nodes × keys × links.
 */
export function samplerChainGraph(count: number): string {
  const graph: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    const prev = i === 1 ? undefined : [String(i - 1), 0];
    graph[String(i)] = { class_type: 'KSampler', inputs: { seed: i, steps: 20, model: prev, positive: prev, negative: prev, latent_image: prev } };
  }
  return JSON.stringify(graph);
}
