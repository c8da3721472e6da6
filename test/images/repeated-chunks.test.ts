import { describe, expect, it } from 'vitest';
import { DEFAULT_METADATA_LIMITS } from '../../src/images/metadata-limits.js';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import { buildJpeg, buildPng, buildTiff, buildWebp, asciiEntry, pngChunk, tEXt } from './image-builders.js';

function failure(result: ImageMetadataResult): { code: string; message: string } {
  if (result.ok) throw new Error('expected a failure, got ok');
  return result;
}

// Finding 1 of issue #14: 20,000 empty tEXt "a" chunks (280 KB) or 20,000 one-byte JPEG comments
// (100 KB) froze the server for almost a minute, because each repeat of a key searched "a (2)",
// "a (3)", … from the start, and empty chunks cost nothing against the size limits.
describe('repeated and empty text fields', () => {
  it('refuses the 280 KB PNG of 20,000 empty tEXt "a" chunks, naming the limit', () => {
    const png = buildPng({ before: Array.from({ length: 20_000 }, () => tEXt('a', '')) });
    expect(png.length).toBeGreaterThan(270_000);
    const result = failure(readGenerationMetadata(png));
    expect(result.code).toBe('too-many-chunks');
    expect(result.message).toMatch(/more than (20,000 chunks|1,000 text fields), the limit per file/);
  });

  it('refuses the 100 KB JPEG of 20,000 one-byte comments, naming the limit', () => {
    const jpeg = buildJpeg({ comment: Array.from({ length: 20_000 }, () => 'a') });
    const result = failure(readGenerationMetadata(jpeg));
    expect(result.code).toBe('too-many-chunks');
    expect(result.message).toMatch(/more than (20,000 chunks|1,000 text fields), the limit per file/);
  });

  it('counts empty JPEG comments against the field limit although it does not store them', () => {
    const jpeg = buildJpeg({ comment: Array.from({ length: 11 }, () => '') });
    expect(failure(readGenerationMetadata(jpeg, { maxTextFields: 10 })).code).toBe('too-many-chunks');
    const fewer = readGenerationMetadata(buildJpeg({ comment: Array.from({ length: 10 }, () => '') }), { maxTextFields: 10 });
    expect(fewer.ok && Object.keys(fewer.texts)).toEqual([]);
  });

  it('counts each empty chunk against the total text size', () => {
    // 10 empty fields under key "a" cost 10 × (1 + 64) bytes: over a 600-byte total, under 700.
    const png = buildPng({ before: Array.from({ length: 10 }, () => tEXt('a', '')) });
    expect(failure(readGenerationMetadata(png, { maxTotalTextBytes: 600 })).code).toBe('text-bomb');
    expect(readGenerationMetadata(png, { maxTotalTextBytes: 700 }).ok).toBe(true);
  });

  it('still names repeats "a (2)", "a (3)", … and skips a name already taken by a field of its own', () => {
    const png = buildPng({ before: [tEXt('a', 'first'), tEXt('a (3)', 'literal'), tEXt('a', 'second'), tEXt('a', 'third'), tEXt('a', 'fourth')] });
    const result = readGenerationMetadata(png);
    expect(result.ok && result.texts).toEqual({ a: 'first', 'a (3)': 'literal', 'a (2)': 'second', 'a (4)': 'third', 'a (5)': 'fourth' });
  });

  it('reads 999 repeats of one key, the last named "a (999)"', () => {
    const png = buildPng({ before: Array.from({ length: 999 }, (_, i) => tEXt('a', String(i))) });
    const result = readGenerationMetadata(png);
    expect(result.ok && result.texts['a (999)']).toBe('998');
  });

  it('refuses a PNG with more chunks than the chunk limit, even chunks that carry nothing', () => {
    const empties = Array.from({ length: DEFAULT_METADATA_LIMITS.maxChunks }, () => pngChunk('prIv'));
    const result = failure(readGenerationMetadata(buildPng({ before: empties })));
    expect(result.code).toBe('too-many-chunks');
    expect(result.message).toContain('20,000 chunks');
  });

  it('refuses a WebP whose EXIF holds more text tags than the field limit', () => {
    const tiff = buildTiff({ littleEndian: true, ifd0: Array.from({ length: 11 }, (_, i) => asciiEntry(0x0100 + i, '')) });
    expect(failure(readGenerationMetadata(buildWebp({ exif: tiff }), { maxTextFields: 10 })).code).toBe('too-many-chunks');
  });
});
