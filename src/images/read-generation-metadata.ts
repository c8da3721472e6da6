import { detectGenerationMetadata } from './detect-generation-metadata.js';
import { describeOtherFormat, detectImageFormat, type ImageFormat } from './detect-image-format.js';
import type { GenerationMetadata } from './generation-metadata.js';
import { MetadataError, type MetadataErrorCode } from './metadata-error.js';
import { resolveMetadataLimits, type MetadataLimits } from './metadata-limits.js';
import { readJpeg } from './read-jpeg.js';
import { readPng } from './read-png.js';
import { readWebp } from './read-webp.js';

export type { GenerationMetadata, GenerationTool, SamplerPass } from './generation-metadata.js';
export type { MetadataLimits } from './metadata-limits.js';
export type { MetadataErrorCode } from './metadata-error.js';
export type { ImageFormat } from './detect-image-format.js';

/** What reading one file gives: its format, size, raw text fields and generation settings, or why not. */
export type ImageMetadataResult =
  | {
      ok: true;
      format: ImageFormat;
      /** Pixel size declared by the file itself. */
      width: number;
      height: number;
      /** Recognised generation settings; null when the file has none (it is still a valid image). */
      metadata: GenerationMetadata | null;
      /** Raw text chunks (PNG) or EXIF text fields (JPEG/WebP) by keyword / tag name. */
      texts: Record<string, string>;
    }
  | { ok: false; code: MetadataErrorCode; message: string };

/**
 * Reads the generation settings that image tools embed in a PNG, JPEG or WebP file, without
 * decoding the pixels and without any dependency beyond `node:zlib`.
 *
 * The format comes from the magic bytes. PNG: every chunk's length and CRC-32 are checked, the
 * IHDR size against the pixel limits before anything else is decoded, then tEXt / zTXt / iTXt
 * chunks (anywhere in the file) are decoded, compressed ones with a capped inflate. JPEG: the
 * segments up to the scan, size from SOF, EXIF UserComment / ImageDescription / Make / Model.
 * WebP: RIFF chunks, size from VP8X / VP8 / VP8L, EXIF text fields. Then the texts are matched
 * against the layouts of AUTOMATIC1111/Forge, ComfyUI (`prompt`, else `workflow`), InvokeAI, Fooocus,
 * NovelAI and SwarmUI (see `detectGenerationMetadata`). Seeds are exact decimal strings.
 *
 * Never throws: every failure is `{ ok: false, code, message }` with code 'unsupported-format',
 * 'truncated', 'bad-crc', 'pixel-bomb', 'text-bomb' or 'malformed', and a message meant for the user.
 * Cost: O(file size) (the PNG CRCs) plus the decoded text, at most `maxTotalTextBytes`.
 *
 * @example
 * const result = readGenerationMetadata(fs.readFileSync('duck.png'));
 * // → { ok: true, format: 'png', width: 1, height: 1,
 * //     metadata: { tool: 'a1111', steps: 15, sampler: 'UniPC', seed: '235284042', cfg: 5, … }, texts: { parameters: '…' } }
 */
export function readGenerationMetadata(bytes: Uint8Array, limits?: Partial<MetadataLimits>): ImageMetadataResult {
  try {
    const format = detectImageFormat(bytes);
    if (format === null) {
      const other = describeOtherFormat(bytes);
      return failure(
        'unsupported-format',
        other === null
          ? 'This file is not a PNG, JPEG or WebP image (checked by its content, not its name).'
          : `This file is ${other}; only PNG, JPEG and WebP images can be read.`,
      );
    }
    const resolved = resolveMetadataLimits(limits);
    const contents =
      format === 'png' ? readPng(bytes, resolved) : format === 'jpeg' ? readJpeg(bytes, resolved) : readWebp(bytes, resolved);
    return {
      ok: true,
      format,
      width: contents.width,
      height: contents.height,
      metadata: detectGenerationMetadata(contents.texts),
      texts: contents.texts,
    };
  } catch (error) {
    if (error instanceof MetadataError) return failure(error.code, error.message);
    // A reader bug must not take the caller down with a hostile file: report it as unreadable, without
    // the bug's own message (it would name the reader's internals).
    return failure('malformed', 'The file could not be read: its structure is not what its format requires.');
  }
}

function failure(code: MetadataErrorCode, message: string): ImageMetadataResult {
  return { ok: false, code, message };
}
