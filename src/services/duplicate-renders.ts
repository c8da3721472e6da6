import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { ImageRow } from '../db/schema.js';
import type { GenerationMetadata } from '../images/index.js';
import { findRunOfImage } from '../store/images.js';
import { findOpenPlannedRun, moveRenderToPlannedRun } from '../store/render-links.js';
import { findRunById } from '../store/runs.js';
import { ConflictError, NotFoundError } from './errors.js';
import { completeImage, duplicateResult, getImage, runFieldsFromMetadata, type ImageUploadResult } from './images.js';
import { fillPlannedRunFromImage } from './experiments.js';
import { resolveModelForName } from './model-names.js';

// A render uploaded twice is a duplicate and nothing new is written. Two cases still need a hand:
// the render's run was deleted (say, after merging the model it landed in), so the file sits
// without a run; or a sweep was planned after the first upload, and the render belongs in it.

function metadataOf(image: ImageRow): GenerationMetadata | null {
  if (image.metadata === null) return null;
  try {
    return JSON.parse(image.metadata) as GenerationMetadata;
  } catch {
    return null;
  }
}

/** The planned run a stored render's settings match (same model, steps, seed and prompt, no image yet). */
async function plannedRunFor(db: Db, image: ImageRow, modelId: number): Promise<{ id: number; experiment_id: number } | undefined> {
  const fields = runFieldsFromMetadata(metadataOf(image));
  if ('reason' in fields || fields.input.seed == null || fields.input.prompt == null) return undefined;
  return findOpenPlannedRun(db, { modelId, steps: fields.input.steps, seed: String(fields.input.seed), prompt: fields.input.prompt });
}

/**
 * The answer to a duplicate upload. A render stored without a run whose settings can make one gets
 * its run again (into the planned run it matches, else a run of its own), so re-uploading never
 * strands a file. A render whose run is not part of a sweep but matches a planned run is offered
 * for linking (`linkPlannedRun`), with the action in the message.
 */
export async function answerDuplicateUpload(db: Db, config: Pick<Config, 'dataDir'>, file: string, image: ImageRow): Promise<ImageUploadResult> {
  const run = await findRunOfImage(db, image.id);
  if (!run) {
    const fields = runFieldsFromMetadata(metadataOf(image));
    if ('reason' in fields) return duplicateResult(db, file, image);
    const now = new Date().toISOString();
    const resolved = await db.transaction().execute((trx) => resolveModelForName(trx, fields.model, now));
    const planned =
      fields.input.seed != null && fields.input.prompt != null
        ? await fillPlannedRunFromImage(db, { model: resolved.model.id, steps: fields.input.steps, seed: fields.input.seed, prompt: fields.input.prompt }, image.id)
        : null;
    const runId = planned ? planned.runId : await completeImage(db, config, image.sha256, { ...fields.input, model: resolved.model.slug });
    return {
      file,
      ok: true,
      status: 'duplicate',
      imageId: image.id,
      sha256: image.sha256,
      runId,
      model: resolved.model.slug,
      modelCreated: resolved.created,
      created: false,
      message: `Already stored (image #${image.id}) but without a run: run #${runId} (${resolved.model.slug}, ${fields.input.steps} steps) was made from its settings again.`,
    };
  }
  const answer = await duplicateResult(db, file, image);
  const row = await findRunById(db, run.id);
  if (!row || row.experiment_id !== null) return answer;
  const planned = await plannedRunFor(db, image, row.model_id);
  if (!planned) return answer;
  return {
    ...answer,
    linkPlannedRun: { runId: planned.id, experimentId: planned.experiment_id },
    message: `${answer.message} It matches planned run #${planned.id} of experiment #${planned.experiment_id}: link it there (POST /api/v1/images/${image.sha256}/link).`,
  };
}

/**
 * Moves a stored render into the planned run its settings match: the image, its time and score
 * (where the planned run has none) and its image metrics move, and the run the upload made is
 * deleted. Errors: the image is unknown (404), or it has no run or no matching planned run (409).
 */
export async function linkRenderToPlannedRun(db: Db, sha256: string): Promise<{ runId: number; experimentId: number; removedRunId: number }> {
  const stored = await getImage(db, sha256);
  if (stored.runId === null) throw new ConflictError(`image #${stored.id} has no run yet: upload it again or complete it first`);
  const run = await findRunById(db, stored.runId);
  if (!run) throw new NotFoundError(`run ${stored.runId} not found`);
  if (run.experiment_id !== null) throw new ConflictError(`image #${stored.id} is already part of experiment #${run.experiment_id}`);
  const image = { id: stored.id, sha256: stored.sha256, metadata: stored.metadata === null ? null : JSON.stringify(stored.metadata) } as ImageRow;
  const planned = await plannedRunFor(db, image, run.model_id);
  if (!planned) throw new ConflictError(`no planned run matches image #${stored.id} (same model, steps, seed and prompt, without an image)`);
  await db.transaction().execute((trx) => moveRenderToPlannedRun(trx, run.id, planned.id, new Date().toISOString()));
  return { runId: planned.id, experimentId: planned.experiment_id, removedRunId: run.id };
}
