import path from 'node:path';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { storeImageFile } from '../../services/images.js';
import type { CliIo } from '../io.js';
import { whyUnreadable } from '../file-error.js';

/** File name endings `sweetspot import` hands to the image service (the content is checked by its bytes). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

export function isImageFilename(file: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/**
 * Imports one image file as `POST /api/v1/images` does (stored, made a run from its embedded
 * settings, or listed to complete) and prints one progress line for it: on stdout when it was
 * stored, on stderr when it was rejected or could not be read.
 *
 * @returns whether a run was made, and whether the file failed.
 */
export async function importImageFile(
  db: Db,
  config: Pick<Config, 'dataDir'>,
  io: CliIo,
  file: string,
  position: { index: number; total: number },
): Promise<{ run: boolean; failed: boolean }> {
  const prefix = position.total > 1 ? `[${position.index + 1}/${position.total}] ` : '';
  let result;
  try {
    result = await storeImageFile(db, config, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && (err as NodeJS.ErrnoException).syscall) {
      io.err(`${prefix}${file}: not imported: cannot read it: ${whyUnreadable(err)}\n`);
      return { run: false, failed: true };
    }
    throw err;
  }
  if (!result.ok) {
    io.err(`${prefix}${file}: rejected: ${result.error?.message ?? result.message}\n`);
    return { run: false, failed: true };
  }
  const line =
    result.status === 'created'
      ? `run #${result.runId} (${result.model}${result.modelCreated ? ', new model' : ''})`
      : result.status === 'duplicate'
        ? `already stored as image #${result.imageId}${result.runId ? ` (run #${result.runId})` : ''}`
        : `stored as image #${result.imageId}, to complete on /images: ${result.message.replace(/^Stored as image #\d+\.\s*/, '')}`;
  io.out(`${prefix}${file}: ${line}\n`);
  return { run: result.status === 'created', failed: false };
}
