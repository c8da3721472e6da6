import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { readGenerationMetadata } from '../../images/index.js';
import type { RenderResult } from '../../renderers/index.js';
import { findAlias, upsertAlias } from '../../store/model-aliases.js';
import { storeImage } from '../images.js';
import { updateRun } from '../runs.js';

/** Characters of a model name kept as an alias (model-names.ts resolves the same prefix). */
const MAX_ALIAS = 255;

/** Why a rendered image could not fill its planned run; `retryable` when rendering it again may help. */
export class RenderStoreError extends Error {
  override name = 'RenderStoreError';
  constructor(
    readonly code: 'bad-image' | 'not-matched' | 'model-mapped-elsewhere',
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.code === 'bad-image';
  }
}

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * Stores one render through the upload path (storeImage: metadata, thumbnail, sharpness, convergence
 * to the highest-step render of the same prompt + seed), which fills the planned run of the same
 * model, steps, seed and prompt; then writes the render's duration and the renderer's hardware on
 * that run. The image's own model name ("sd_xl_base_1.0.safetensors") is first remembered as meaning
 * the experiment's model, unless the user has mapped it to another one (then nothing is stored and the
 * message says where to change the mapping).
 */
export async function storeRender(
  db: Db,
  config: Pick<Config, 'dataDir'>,
  render: { result: RenderResult; runId: number; modelId: number; modelSlug: string; hardware: string | null; fileName: string },
): Promise<void> {
  const read = readGenerationMetadata(render.result.bytes);
  const imageModel = read.ok ? (read.metadata?.model?.trim().slice(0, MAX_ALIAS) ?? '') : '';
  if (imageModel !== '') {
    const alias = await findAlias(db, imageModel);
    if (!alias) await upsertAlias(db, imageModel, render.modelId, new Date().toISOString());
    else if (alias.model_id !== render.modelId) {
      throw new RenderStoreError('model-mapped-elsewhere', `The renderer's model "${imageModel}" is mapped to another model than ${render.modelSlug}; change the mapping on /model-aliases and resume`);
    }
  }
  const stored = await storeImage(db, config, render.result.bytes, `${render.fileName}.${EXTENSION[render.result.mime] ?? 'png'}`);
  if (stored.status === 'rejected') throw new RenderStoreError('bad-image', `The rendered image could not be stored: ${stored.error?.message ?? stored.message}`);
  if (stored.runId !== render.runId) {
    const where = stored.runId === null ? `as image #${stored.imageId ?? '?'} without a run` : `as run #${stored.runId}`;
    throw new RenderStoreError('not-matched', `The rendered image was stored ${where}, not as planned run #${render.runId}: its embedded steps, seed or prompt differ from the plan (${stored.message})`);
  }
  await updateRun(db, render.runId, { durationMs: render.result.durationMs, ...(render.hardware !== null ? { hardware: render.hardware } : {}) });
}
