import fs from 'node:fs';
import path from 'node:path';
import { uploadTempDir } from './image-files.js';

/** Our temporary file names (`tempName`): `.<time base36>-<16 hex>.part|.tmp`; nothing else is ever removed. */
const TEMP_NAME = /^\.[0-9a-z]+-[0-9a-f]{16}\.(?:part|tmp)$/;

/** A temporary file untouched this long belongs to no upload in progress (a live one is being written or read). */
const DEFAULT_MIN_AGE_MS = 3600 * 1000;

export interface TempCleanUpOptions {
  /** Only files last written longer ago than this are removed (default one hour). */
  minAgeMs?: number;
  now?: number;
}

async function removeStale(dir: string, cutoff: number): Promise<number> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // no such folder: nothing was ever uploaded
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_NAME.test(entry.name)) continue;
    const file = path.join(dir, entry.name);
    try {
      if ((await fs.promises.stat(file)).mtimeMs > cutoff) continue;
      await fs.promises.rm(file);
      removed++;
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return removed;
}

/**
 * Removes the temporary files a killed process left under the data folder: uploads that were streaming
 * in (`tmp/*.part`) and image or thumbnail files caught between write and rename (`images/ab/*.tmp`,
 * `thumbs/ab/*.tmp`). Files younger than `minAgeMs` are kept, since another process (the server beside
 * a CLI command) may be writing them right now. Returns how many files were removed.
 */
export async function cleanUpTempFiles(dataDir: string, options: TempCleanUpOptions = {}): Promise<number> {
  const cutoff = (options.now ?? Date.now()) - (options.minAgeMs ?? DEFAULT_MIN_AGE_MS);
  let removed = await removeStale(uploadTempDir(dataDir), cutoff);
  for (const top of ['images', 'thumbs']) {
    let shards: fs.Dirent[];
    try {
      shards = await fs.promises.readdir(path.join(dataDir, top), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const shard of shards) if (shard.isDirectory()) removed += await removeStale(path.join(dataDir, top, shard.name), cutoff);
  }
  return removed;
}
