import { detectImageFormat } from '../images/detect-image-format.js';
import { RendererError } from './renderer-error.js';

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/**
 * The MIME type of an image a renderer sent, after checking that its bytes are a PNG, JPEG or WebP
 * (whatever the Content-Type said) whose header sharp can read; otherwise a `bad-image` error.
 */
export async function checkedImageMime(bytes: Uint8Array, source: string): Promise<string> {
  const format = detectImageFormat(bytes);
  if (format === null) throw new RendererError('bad-image', `The image from ${source} is not a PNG, JPEG or WebP (${bytes.byteLength} bytes that no image format starts with)`);
  // sharp (a native library) is loaded with the first image, not with the server or the CLI.
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes, { limitInputPixels: 100_000_000 }).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
  } catch (err) {
    throw new RendererError('bad-image', `The image from ${source} cannot be read: its ${format.toUpperCase()} header is damaged`, { cause: err });
  }
  return MIME[format];
}

/**
 * A device name as a generator reports it, made fit to show and store as `hardware`: ComfyUI's
 * "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync" becomes "NVIDIA GeForce RTX 4090"; control
 * characters go, 100 characters at most. Null when nothing is left.
 */
export function hardwareName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/^\s*(?:cuda|xpu|mps|npu|mlu|privateuseone|directml):\d+\s+/i, '')
    .replace(/\s+:\s+[\w.-]+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return name === '' ? null : name;
}
