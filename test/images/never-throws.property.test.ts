import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import { buildJpeg, buildPng, buildTiff, buildWebp, iTXt, tEXt, userCommentEntry, zTXt } from './image-builders.js';

const CODES = ['unsupported-format', 'truncated', 'bad-crc', 'pixel-bomb', 'text-bomb', 'malformed'];

function expectWellFormed(result: ImageMetadataResult): void {
  if (result.ok) {
    expect(['png', 'jpeg', 'webp']).toContain(result.format);
    expect(Number.isInteger(result.width) && Number.isInteger(result.height)).toBe(true);
    expect(typeof result.texts).toBe('object');
  } else {
    expect(CODES).toContain(result.code);
    expect(result.message.length).toBeGreaterThan(10);
    expect(result.message).not.toMatch(/could not be read \(/); // an internal error leaking through
  }
}

/** Rewrites every PNG chunk's CRC so that mutations reach the parsers instead of stopping at the checksum. */
function fixPngCrcs(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  let offset = 8;
  while (offset + 12 <= out.length) {
    const length = out.readUInt32BE(offset);
    const end = offset + 8 + length;
    if (end + 4 > out.length) break;
    out.writeUInt32BE(crc32(out.subarray(offset + 4, end)), end);
    offset = end + 4;
  }
  return out;
}

const duck = readFileSync(new URL('../fixtures/images/a1111__duck_tEXt_cropped1x1.png', import.meta.url));
const graph = readFileSync(new URL('../fixtures/images/comfyui__sd15_hypernetwork_ksampler.png', import.meta.url));
const samplePng = buildPng({
  before: [tEXt('parameters', 'a cat\nSteps: 20, Sampler: Euler, Seed: 1'), iTXt('Comment', '{"steps": 3}', { compressed: true })],
  after: [zTXt('prompt', '{"1": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 9}}}')],
});
const sampleJpeg = buildJpeg({ tiff: buildTiff({ littleEndian: false, exif: [userCommentEntry('x\nSteps: 1, Sampler: a, Seed: 2', 'utf16le')] }) });
const sampleWebp = buildWebp({ exif: buildTiff({ littleEndian: true, exif: [userCommentEntry('{"steps": 1, "seed": 2}', 'ascii')] }) });

const mutation = fc.record({
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});

function mutate(base: Buffer, { edits, cut }: { edits: Array<[number, number]>; cut: number | undefined }): Buffer {
  const copy = Buffer.from(base);
  for (const [at, value] of edits) copy[at % copy.length] = value;
  return cut === undefined ? copy : copy.subarray(0, cut % (copy.length + 1));
}

describe('readGenerationMetadata never throws', () => {
  it('on random bytes, bare or behind each format magic', () => {
    const magic = fc.constantFrom(
      Buffer.alloc(0),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.from('RIFF\x40\x00\x00\x00WEBP', 'latin1'),
    );
    fc.assert(
      fc.property(magic, fc.uint8Array({ maxLength: 512 }), (prefix, tail) => {
        expectWellFormed(readGenerationMetadata(Buffer.concat([prefix, tail])));
      }),
      { numRuns: 400 },
    );
  });

  it('on random mutations and truncations of valid PNGs (raw, and with CRCs fixed up)', () => {
    fc.assert(
      fc.property(fc.constantFrom(duck, graph, samplePng), mutation, fc.boolean(), (base, change, fixCrc) => {
        const mutated = mutate(base, change);
        expectWellFormed(readGenerationMetadata(fixCrc ? fixPngCrcs(mutated) : mutated));
      }),
      { numRuns: 400 },
    );
  });

  it('on random mutations of valid JPEG and WebP files', () => {
    fc.assert(
      fc.property(fc.constantFrom(sampleJpeg, sampleWebp), mutation, (base, change) => {
        expectWellFormed(readGenerationMetadata(mutate(base, change)));
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary text and JSON in the metadata chunks', () => {
    const key = fc.constantFrom('parameters', 'prompt', 'workflow', 'invokeai_metadata', 'Comment', 'sui_image_params');
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 4 }), fc.constant('{"1": {"class_type": "KSampler", "inputs": {"model": ["1", 0], "latent_image": ["1", 0], "positive": ["1", 0]}}}'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, text), { maxLength: 4 }), (chunks) => {
        const png = buildPng({ before: chunks.map(([k, t]) => iTXt(k, t)) });
        expectWellFormed(readGenerationMetadata(png));
      }),
      { numRuns: 300 },
    );
  });
});
