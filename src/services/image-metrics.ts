import fs from 'node:fs';
import { sharpness, SHARPNESS_GRID } from '../analysis/sharpness.js';
import { ssim } from '../analysis/ssim.js';
import type { Db } from '../db/connect.js';
import { listGroupRenders } from '../store/images.js';
import { clearRunMetric, setRunMetric } from '../store/run-metrics.js';
import { imagePath } from './image-files.js';
import { LruCache } from './lru-cache.js';

/** Metric names as seeded in the `metrics` table. */
export const SHARPNESS_METRIC = 'sharpness';
export const CONVERGENCE_METRIC = 'ssim_to_reference';

/** Renders of one prompt + seed compared at most (the ones with the most steps). */
export const MAX_GROUP_RENDERS = 200;

/** Grey copies of recent images by sha256 (64 KB each), so a sweep's group is not decoded again per upload. */
const greyCache = new LruCache<string, Uint8Array>(256);

/**
 * A 256 × 256 grey copy (values 0–255, aspect not kept, transparency flattened on white) of an
 * encoded image, the input of both image metrics.
 */
export async function greyCopy(input: Uint8Array | string, maxPixels: number): Promise<Uint8Array> {
  // Imported on first use, not at start: sharp's native library takes a third of the server's start.
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(SHARPNESS_GRID, SHARPNESS_GRID, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return new Uint8Array(data);
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels]!;
  return grey;
}

export function rememberGreyCopy(sha256: string, grey: Uint8Array): void {
  greyCache.set(sha256, grey);
}

async function greyOf(dataDir: string, render: { sha256: string; mime: string }, maxPixels: number): Promise<Uint8Array | null> {
  const cached = greyCache.get(render.sha256);
  if (cached) return cached;
  const file = imagePath(dataDir, render.sha256, render.mime);
  try {
    await fs.promises.access(file);
  } catch {
    return null; // the file went missing: leave this render out rather than fail the upload
  }
  const grey = await greyCopy(file, maxPixels);
  greyCache.set(render.sha256, grey);
  return grey;
}

/** The sharpness metric of a grey copy (see `sharpness` for its scale). */
export function sharpnessOf(grey: Uint8Array): number {
  return sharpness(grey, SHARPNESS_GRID, SHARPNESS_GRID);
}

/**
 * Recomputes `ssim_to_reference` for every render of one model + prompt + seed: the SSIM of each
 * render's grey copy against the render with the most steps (the reference scores 1). A group of one
 * render has no convergence to measure and carries no value. Written in one transaction that raises
 * the model's data version.
 */
export async function recomputeConvergence(
  db: Db,
  dataDir: string,
  group: { modelId: number; prompt: string | null; seed: string },
  maxPixels: number,
): Promise<number> {
  const renders = await listGroupRenders(db, group.modelId, group.prompt, group.seed, MAX_GROUP_RENDERS);
  if (renders.length < 2) {
    await db.transaction().execute((trx) => clearRunMetric(trx, CONVERGENCE_METRIC, renders.map((r) => r.run_id)));
    return 0;
  }
  const greys: { runId: number; grey: Uint8Array }[] = [];
  for (const render of renders) {
    const grey = await greyOf(dataDir, render, maxPixels);
    if (grey) greys.push({ runId: render.run_id, grey });
  }
  const reference = greys[0];
  if (!reference || greys.length < 2) return 0;
  const values = greys.map((g) => ({
    runId: g.runId,
    value: g === reference ? 1 : ssim(g.grey, reference.grey, SHARPNESS_GRID, SHARPNESS_GRID),
  }));
  await db.transaction().execute((trx) => setRunMetric(trx, CONVERGENCE_METRIC, values));
  return values.length;
}
