import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import {
  buildJpeg,
  buildPng,
  buildTiff,
  buildWebp,
  concat,
  ihdr,
  PNG_SIGNATURE,
  pngChunk,
  tEXt,
  userCommentEntry,
  zTXt,
} from './image-builders.js';

function failure(result: ImageMetadataResult): { code: string; message: string } {
  if (result.ok) throw new Error('expected a failure, got ok');
  expect(result.message.length).toBeGreaterThan(20);
  return result;
}

const INFOTEXT = 'a cat\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1';

describe('hostile and damaged files', () => {
  it('reports a PNG cut in the middle as truncated', () => {
    const full = buildPng({ before: [tEXt('parameters', INFOTEXT)] });
    for (const cut of [10, 20, 40, full.length - 5]) {
      expect(failure(readGenerationMetadata(full.subarray(0, cut))).code).toBe('truncated');
    }
    expect(failure(readGenerationMetadata(PNG_SIGNATURE.subarray(0, 5))).code).toBe('truncated');
  });

  it('reports a chunk length past the end of the file as truncated', () => {
    const lying = Buffer.from(tEXt('parameters', INFOTEXT));
    lying.writeUInt32BE(0x00ffffff, 0);
    const file = concat(PNG_SIGNATURE, ihdr(2, 2), lying, pngChunk('IEND'));
    const result = failure(readGenerationMetadata(file));
    expect(result.code).toBe('truncated');
    expect(result.message).toMatch(/tEXt/);
  });

  it('reports a PNG without IEND as truncated', () => {
    const file = concat(PNG_SIGNATURE, ihdr(2, 2), tEXt('parameters', INFOTEXT));
    expect(failure(readGenerationMetadata(file)).code).toBe('truncated');
  });

  it('reports a checksum mismatch as bad-crc', () => {
    const file = buildPng({ before: [tEXt('parameters', INFOTEXT)] });
    const at = file.indexOf('Steps');
    file[at] = 0x73; // 'S' → 's' inside the tEXt data
    const result = failure(readGenerationMetadata(file));
    expect(result.code).toBe('bad-crc');
    expect(result.message).toMatch(/tEXt/);
  });

  it('rejects a pixel bomb (IHDR 100000×100000 in a tiny file) before decoding anything', () => {
    // The zTXt bomb after it would be a text-bomb: the pixel check must come first.
    const bomb = zTXt('parameters', Buffer.alloc(8 * 1024 * 1024, 0x61));
    const file = buildPng({ width: 100_000, height: 100_000, before: [bomb] });
    expect(file.length).toBeLessThan(200_000);
    const result = failure(readGenerationMetadata(file));
    expect(result.code).toBe('pixel-bomb');
    expect(result.message).toMatch(/100000×100000/);
    expect(failure(readGenerationMetadata(buildPng({ width: 4000, height: 4000 }), { maxPixels: 1_000_000 })).code).toBe('pixel-bomb');
  });

  it('rejects a zTXt chunk that inflates past the cap as a text-bomb, fast', () => {
    const bomb = zTXt('parameters', Buffer.alloc(32 * 1024 * 1024, 0x61)); // 32 MiB of "a" → about 32 KB compressed
    expect(bomb.length).toBeLessThan(50_000);
    const started = performance.now();
    const result = failure(readGenerationMetadata(buildPng({ before: [bomb] })));
    expect(result.code).toBe('text-bomb');
    expect(result.message).toMatch(/1 MiB/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects a compressed iTXt bomb and honours a custom cap', () => {
    const text = 'x'.repeat(10_000);
    const itxt = pngChunk(
      'iTXt',
      concat(Buffer.from('parameters\0\x01\x00\0\0', 'latin1'), deflateSync(Buffer.from(text))),
    );
    expect(failure(readGenerationMetadata(buildPng({ before: [itxt] }), { maxTextChunkBytes: 4096 })).code).toBe('text-bomb');
    expect(readGenerationMetadata(buildPng({ before: [itxt] })).ok).toBe(true);
  });

  it('rejects many small compressed chunks whose total passes the per-file cap', () => {
    const chunks = Array.from({ length: 20 }, (_, i) => zTXt(`k${i}`, Buffer.alloc(1000 * 1024, 0x62)));
    expect(failure(readGenerationMetadata(buildPng({ before: chunks }))).code).toBe('text-bomb');
  });

  it('reports damaged zlib data as malformed', () => {
    const broken = pngChunk('zTXt', concat(Buffer.from('parameters\0\0', 'latin1'), Buffer.from('not zlib at all')));
    expect(failure(readGenerationMetadata(buildPng({ before: [broken] }))).code).toBe('malformed');
  });

  it('refuses other formats by their bytes, whatever they claim to be', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(20)]);
    const result = failure(readGenerationMetadata(gif));
    expect(result.code).toBe('unsupported-format');
    expect(result.message).toMatch(/GIF/);
    expect(failure(readGenerationMetadata(Buffer.from('hello, I am a text file named photo.png'))).code).toBe('unsupported-format');
    expect(failure(readGenerationMetadata(new Uint8Array())).code).toBe('unsupported-format');
  });

  it('reads a PNG by its bytes even when it came in under another name (the caller passes only bytes)', () => {
    const bytes = readFileSync(new URL('../fixtures/images/a1111__duck_tEXt_cropped1x1.png', import.meta.url));
    expect(readGenerationMetadata(bytes).ok).toBe(true);
  });

  it('reports a truncated JPEG and a JPEG pixel bomb', () => {
    const tiff = buildTiff({ littleEndian: true, exif: [userCommentEntry(INFOTEXT, 'utf16le')] });
    const jpeg = buildJpeg({ tiff });
    expect(readGenerationMetadata(jpeg).ok).toBe(true);
    expect(failure(readGenerationMetadata(jpeg.subarray(0, 30))).code).toBe('truncated');
    expect(failure(readGenerationMetadata(jpeg.subarray(0, jpeg.length - 2))).code).toBe('truncated');
    expect(failure(readGenerationMetadata(buildJpeg({ width: 65_000, height: 65_000 }))).code).toBe('pixel-bomb');
  });

  it('reports a truncated WebP and a WebP pixel bomb', () => {
    const tiff = buildTiff({ littleEndian: true, exif: [userCommentEntry(INFOTEXT, 'ascii')] });
    const webp = buildWebp({ exif: tiff });
    expect(readGenerationMetadata(webp).ok).toBe(true);
    expect(failure(readGenerationMetadata(webp.subarray(0, webp.length - 10))).code).toBe('truncated');
    expect(failure(readGenerationMetadata(buildWebp({ width: 16_000, height: 16_000 }))).code).toBe('pixel-bomb');
  });

  it('caps a huge EXIF UserComment (WebP: a JPEG segment cannot hold one)', () => {
    const tiff = buildTiff({ littleEndian: true, exif: [userCommentEntry('y'.repeat(600_000), 'utf16le')] });
    expect(failure(readGenerationMetadata(buildWebp({ exif: tiff }))).code).toBe('text-bomb');
  });
});
