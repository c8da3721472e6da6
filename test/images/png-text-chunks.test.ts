import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { readGenerationMetadata, type ImageMetadataResult } from '../../src/images/read-generation-metadata.js';
import { buildPng, iTXt, pngChunk, tEXt, tEXtBytes, zTXt } from './image-builders.js';

const INFOTEXT = [
  'photo of a duck, "quoted", lake',
  'Negative prompt: monochrome, blurry',
  'Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 1234567890, Size: 832x1216, ' +
    'Model hash: abc123, Model: sdxl_base, Lora hashes: "detail: 1a2b, style: 3c4d", Version: v1.10.1',
].join('\n');

function okResult(result: ImageMetadataResult): Extract<ImageMetadataResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result;
}

describe('PNG text chunks', () => {
  it('reads A1111 infotext from tEXt', () => {
    const result = okResult(readGenerationMetadata(buildPng({ width: 3, height: 5, before: [tEXt('parameters', INFOTEXT)] })));
    expect(result.format).toBe('png');
    expect([result.width, result.height]).toEqual([3, 5]);
    expect(result.texts.parameters).toBe(INFOTEXT);
    expect(result.metadata).toEqual({
      tool: 'a1111',
      steps: 30,
      sampler: 'DPM++ 2M',
      scheduler: 'Karras',
      seed: '1234567890',
      cfg: 6.5,
      guidance: null,
      width: 832,
      height: 1216,
      model: 'sdxl_base',
      modelHash: 'abc123',
      prompt: 'photo of a duck, "quoted", lake',
      negativePrompt: 'monochrome, blurry',
      otherSamplers: [],
    });
  });

  it('reads international text from iTXt (UTF-8)', () => {
    const text = '桜の木の下の猫, 夕焼け\nNegative prompt: 低品質\nSteps: 25, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x768';
    const result = okResult(readGenerationMetadata(buildPng({ before: [iTXt('parameters', text, { language: 'ja' })] })));
    expect(result.metadata?.prompt).toBe('桜の木の下の猫, 夕焼け');
    expect(result.metadata?.negativePrompt).toBe('低品質');
    expect(result.metadata?.steps).toBe(25);
    expect(result.metadata?.sampler).toBe('Euler a');
  });

  it('reads compressed iTXt', () => {
    const text = 'ein Hund über der Brücke\nSteps: 12, Sampler: Euler, Seed: 7, CFG scale: 4';
    const result = okResult(readGenerationMetadata(buildPng({ before: [iTXt('parameters', text, { compressed: true })] })));
    expect(result.metadata?.prompt).toBe('ein Hund über der Brücke');
    expect(result.metadata?.seed).toBe('7');
  });

  it('reads a compressed zTXt chunk placed after the image data', () => {
    const result = okResult(readGenerationMetadata(buildPng({ after: [zTXt('parameters', INFOTEXT)] })));
    expect(result.texts.parameters).toBe(INFOTEXT);
    expect(result.metadata?.steps).toBe(30);
    expect(result.metadata?.model).toBe('sdxl_base');
  });

  it('reads a plain tEXt chunk placed after the image data', () => {
    const result = okResult(readGenerationMetadata(buildPng({ after: [tEXt('parameters', INFOTEXT)] })));
    expect(result.metadata?.seed).toBe('1234567890');
  });

  it('decodes raw UTF-8 in tEXt as UTF-8, and real Latin-1 as Latin-1', () => {
    const utf8 = 'café ☕ テスト\nSteps: 10, Sampler: Euler, Seed: 1, CFG scale: 3';
    const fromUtf8 = okResult(readGenerationMetadata(buildPng({ before: [tEXtBytes('parameters', Buffer.from(utf8, 'utf8'))] })));
    expect(fromUtf8.metadata?.prompt).toBe('café ☕ テスト');
    const latin1 = 'crème brûlée\nSteps: 10, Sampler: Euler, Seed: 1, CFG scale: 3';
    const fromLatin1 = okResult(readGenerationMetadata(buildPng({ before: [tEXt('parameters', latin1)] })));
    expect(fromLatin1.metadata?.prompt).toBe('crème brûlée');
  });

  it('strips a trailing NUL from a JSON payload', () => {
    const json = JSON.stringify({ positive_prompt: 'a fox', steps: 20, scheduler: 'dpmpp_2m', seed: 5, cfg_scale: 6, model: { model_name: 'm' } });
    const result = okResult(readGenerationMetadata(buildPng({ before: [tEXt('invokeai_metadata', `${json}\0`)] })));
    expect(result.metadata?.tool).toBe('invokeai');
    expect(result.metadata?.steps).toBe(20);
    expect(result.metadata?.prompt).toBe('a fox');
  });

  it('gives ok with null metadata for a PNG without generation settings', () => {
    const result = okResult(readGenerationMetadata(buildPng({ before: [tEXt('Software', 'GIMP 2.10')] })));
    expect(result.metadata).toBeNull();
    expect(result.texts).toEqual({ Software: 'GIMP 2.10' });
    const bare = okResult(readGenerationMetadata(buildPng()));
    expect(bare.metadata).toBeNull();
    expect(bare.texts).toEqual({});
  });

  it('keeps a repeated keyword under a numbered key and "__proto__" as an ordinary key', () => {
    const result = okResult(
      readGenerationMetadata(buildPng({ before: [tEXt('Comment', 'one'), tEXt('Comment', 'two'), tEXt('__proto__', 'x')] })),
    );
    expect(result.texts.Comment).toBe('one');
    expect(result.texts['Comment (2)']).toBe('two');
    expect(Object.keys(result.texts)).toContain('__proto__');
  });

  it('ignores unknown ancillary chunks', () => {
    const result = okResult(
      readGenerationMetadata(buildPng({ before: [pngChunk('gAMA', Buffer.of(0, 0, 0xb1, 0x8f)), tEXt('parameters', INFOTEXT)] })),
    );
    expect(result.metadata?.steps).toBe(30);
  });
});

describe('A1111 infotext details', () => {
  const read = (text: string) => okResult(readGenerationMetadata(buildPng({ before: [tEXt('parameters', text)] }))).metadata;

  it('keeps quoted values with commas in one value and reads the pairs after them', () => {
    const metadata = read('x\nSteps: 5, Lora hashes: "a: 1, b: 2", Model: "my, model", Seed: 9, Sampler: Euler');
    expect(metadata?.model).toBe('my, model');
    expect(metadata?.seed).toBe('9');
  });

  it('turns a hires fix into a second sampler pass', () => {
    const metadata = read(
      'x\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Size: 512x512, Denoising strength: 0.45, Hires upscale: 2, Hires steps: 10, Hires upscaler: Latent',
    );
    expect(metadata?.otherSamplers).toEqual([{ steps: 10, sampler: 'Euler a', seed: '3', cfg: 7, denoise: 0.45 }]);
  });

  it('reads Forge FLUX "Distilled CFG Scale" as guidance', () => {
    const metadata = read('x\nSteps: 20, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Distilled CFG Scale: 3.5, Seed: 1');
    expect(metadata?.guidance).toBe(3.5);
    expect(metadata?.cfg).toBe(1);
  });

  it('keeps a seed past 2^53 exact', () => {
    expect(read('x\nSteps: 20, Sampler: Euler, Seed: 18446744073709551615')?.seed).toBe('18446744073709551615');
  });

  it('does not mistake free text for infotext', () => {
    expect(read('just a caption: with a colon')).toBeNull();
  });

  it('reads a prompt-less infotext and a multi-line prompt', () => {
    expect(read('Steps: 4, Sampler: Euler, Seed: 2')?.prompt).toBeNull();
    expect(read('line one\nline two\nSteps: 4, Sampler: Euler, Seed: 2')?.prompt).toBe('line one\nline two');
  });
});
