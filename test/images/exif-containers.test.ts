import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import { asciiEntry, buildJpeg, buildTiff, buildWebp, concat, userCommentEntry } from './image-builders.js';

const INFOTEXT = '夜の東京, neon, rain\nNegative prompt: blurry\nSteps: 24, Sampler: DPM++ 2M, CFG scale: 6, Seed: 99887766, Size: 896x1152, Model: animagine';

function okResult(result: ImageMetadataResult): Extract<ImageMetadataResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result;
}

describe('JPEG EXIF UserComment', () => {
  const orders = [
    { tiff: 'II (little-endian)', littleEndian: true, text: 'utf16be' },
    { tiff: 'MM (big-endian)', littleEndian: false, text: 'utf16le' },
    { tiff: 'II (little-endian)', littleEndian: true, text: 'utf16le' },
    { tiff: 'MM (big-endian)', littleEndian: false, text: 'utf16be' },
  ] as const;

  for (const { tiff: header, littleEndian, text } of orders) {
    it(`reads UNICODE ${text} text in a ${header} TIFF`, () => {
      const tiff = buildTiff({ littleEndian, exif: [userCommentEntry(INFOTEXT, text)] });
      const result = okResult(readGenerationMetadata(buildJpeg({ width: 896, height: 1152, tiff })));
      expect(result.format).toBe('jpeg');
      expect([result.width, result.height]).toEqual([896, 1152]);
      expect(result.texts.UserComment).toBe(INFOTEXT);
      expect(result.metadata).toMatchObject({ tool: 'a1111', steps: 24, seed: '99887766', prompt: '夜の東京, neon, rain', model: 'animagine' });
    });
  }

  it('detects the byte order of UTF-16 text with no ASCII at all', () => {
    const japanese = 'テストの文章です。ひらがなとカタカナ';
    for (const text of ['utf16be', 'utf16le'] as const) {
      const tiff = buildTiff({ littleEndian: text === 'utf16be', exif: [userCommentEntry(japanese, text)] });
      expect(okResult(readGenerationMetadata(buildJpeg({ tiff }))).texts.UserComment).toBe(japanese);
    }
  });

  it('reads the ASCII and undefined (all-zero) prefixes', () => {
    for (const encoding of ['ascii', 'undefined'] as const) {
      const tiff = buildTiff({ littleEndian: false, exif: [userCommentEntry(INFOTEXT, encoding)] });
      expect(okResult(readGenerationMetadata(buildJpeg({ tiff }))).metadata?.seed).toBe('99887766');
    }
  });

  it('reports ImageDescription, Make and Model and keeps a JPEG without EXIF readable', () => {
    const tiff = buildTiff({
      littleEndian: true,
      ifd0: [asciiEntry(0x010e, 'a picture'), asciiEntry(0x010f, 'Canon'), asciiEntry(0x0110, 'EOS')],
    });
    const result = okResult(readGenerationMetadata(buildJpeg({ tiff })));
    expect(result.texts).toMatchObject({ ImageDescription: 'a picture', Make: 'Canon', Model: 'EOS' });
    expect(result.metadata).toBeNull();
    const plain = okResult(readGenerationMetadata(buildJpeg({ width: 10, height: 20 })));
    expect([plain.width, plain.height, plain.metadata]).toEqual([10, 20, null]);
  });

  it('survives an EXIF block whose offsets point outside it', () => {
    const tiff = buildTiff({ littleEndian: true, exif: [userCommentEntry(INFOTEXT, 'utf16le')] });
    const broken = Buffer.from(tiff);
    broken.writeUInt32LE(0xfffffff0, 4); // IFD0 offset far past the end
    const result = okResult(readGenerationMetadata(buildJpeg({ tiff: broken })));
    expect(result.metadata).toBeNull();
  });
});

describe('WebP', () => {
  it('reads an EXIF chunk that lacks the Exif\\0\\0 prefix, and one that has it', () => {
    const tiff = buildTiff({ littleEndian: true, exif: [userCommentEntry(INFOTEXT, 'utf16le')] });
    for (const exifPrefix of [false, true]) {
      const result = okResult(readGenerationMetadata(buildWebp({ width: 896, height: 1152, exif: tiff, exifPrefix })));
      expect(result.format).toBe('webp');
      expect([result.width, result.height]).toEqual([896, 1152]);
      expect(result.metadata?.steps).toBe(24);
    }
  });

  it('reads ComfyUI WebP output: workflow: in Make, prompt: in Model', () => {
    const prompt =
      '{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}}, ' +
      '"2": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 576, "batch_size": 1}}, ' +
      '"3": {"class_type": "CLIPTextEncode", "inputs": {"text": "mountain lake", "clip": ["1", 1]}}, ' +
      '"4": {"class_type": "KSampler", "inputs": {"seed": 18446744073709551615, "steps": 30, "cfg": 6.5, "sampler_name": "euler", ' +
      '"scheduler": "normal", "denoise": 1, "model": ["1", 0], "positive": ["3", 0], "negative": ["3", 0], "latent_image": ["2", 0]}}}';
    const tiff = buildTiff({
      littleEndian: true,
      ifd0: [asciiEntry(0x010f, 'workflow:{"nodes": [], "links": []}'), asciiEntry(0x0110, `prompt:${prompt}`)],
    });
    const result = okResult(readGenerationMetadata(buildWebp({ width: 1024, height: 576, exif: tiff })));
    expect(result.texts.prompt).toBe(prompt);
    expect(result.metadata).toMatchObject({
      tool: 'comfyui',
      steps: 30,
      seed: '18446744073709551615',
      cfg: 6.5,
      model: 'sdxl.safetensors',
      width: 1024,
      height: 576,
      prompt: 'mountain lake',
    });
  });

  it('reads the size of a plain lossless WebP and of a lossy one', () => {
    const lossless = okResult(readGenerationMetadata(buildWebp({ width: 300, height: 200 })));
    expect([lossless.width, lossless.height, lossless.metadata]).toEqual([300, 200, null]);

    const frame = Buffer.alloc(10);
    frame.set([0x9d, 0x01, 0x2a], 3);
    frame.writeUInt16LE(640, 6);
    frame.writeUInt16LE(480, 8);
    const body = concat(Buffer.from('WEBPVP8 ', 'latin1'), Buffer.of(10, 0, 0, 0), frame);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length);
    const lossy = okResult(readGenerationMetadata(concat(Buffer.from('RIFF', 'latin1'), size, body)));
    expect([lossy.width, lossy.height]).toEqual([640, 480]);
  });
});
