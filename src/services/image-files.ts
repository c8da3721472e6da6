import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageFormat } from '../images/index.js';

/** A hex sha256: the only thing a request may name an image file by. */
export const SHA256_PATTERN = /^[a-f0-9]{64}$/;

export const IMAGE_TYPES: Record<ImageFormat, { mime: string; ext: string }> = {
  png: { mime: 'image/png', ext: 'png' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  webp: { mime: 'image/webp', ext: 'webp' },
};

const EXT_BY_MIME = new Map(Object.values(IMAGE_TYPES).map((t) => [t.mime, t.ext]));

function checkSha(sha256: string): void {
  // Defence in depth: paths are only ever built from a validated hash, never from request text.
  if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256).slice(0, 80)}`);
}

/** `${dataDir}/images/ab/abcdef….png`. */
export function imagePath(dataDir: string, sha256: string, mime: string): string {
  checkSha(sha256);
  const ext = EXT_BY_MIME.get(mime);
  if (ext === undefined) throw new Error(`no file extension for ${mime}`);
  return path.join(dataDir, 'images', sha256.slice(0, 2), `${sha256}.${ext}`);
}

/** `${dataDir}/thumbs/ab/abcdef….webp`. */
export function thumbPath(dataDir: string, sha256: string): string {
  checkSha(sha256);
  return path.join(dataDir, 'thumbs', sha256.slice(0, 2), `${sha256}.webp`);
}

/** Where uploads wait while they stream in (same file system as the images). */
export function uploadTempDir(dataDir: string): string {
  return path.join(dataDir, 'tmp');
}

/** A fresh temporary file name of ours in `dir` (never derived from a client's file name). */
export function tempName(dir: string, suffix = '.part'): string {
  return path.join(dir, `.${Date.now().toString(36)}-${randomBytes(8).toString('hex')}${suffix}`);
}

/**
 * Writes `bytes` to `target` atomically unless it already exists (content-addressed: same name, same
 * bytes): a temporary file in the same folder, then a rename. Returns true when it wrote the file.
 * On any failure the temporary file is removed.
 */
export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<boolean> {
  if (await exists(target)) return false;
  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true });
  const temp = tempName(dir, '.tmp');
  try {
    await fs.promises.writeFile(temp, bytes, { flag: 'wx' });
    await fs.promises.rename(temp, target);
    return true;
  } catch (err) {
    await removeQuietly(temp);
    throw err;
  }
}

export async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
