import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { ImageRow, NewRunRow, Source } from '../db/schema.js';
import { DEFAULT_METADATA_LIMITS, type GenerationMetadata, type MetadataLimits } from '../images/index.js';
import { findImageBySha, findRunOfImage, imageExists, insertImage, listImagesWithoutRun, countImagesWithoutRun, listRecentImages, type RecentImage } from '../store/images.js';
import { listModels } from '../store/models.js';
import { insertRuns } from '../store/runs.js';
import { fillPlannedRunFromImage } from './experiments.js';
import { runFieldColumns } from './runs.js';
import { setRunMetric } from '../store/run-metrics.js';
import { runInputSchema, type RunInput } from '../validation/run-input.js';
import { issuesToDetails } from '../validation/fields.js';
import { ConflictError, InputError, NotFoundError } from './errors.js';
import { IMAGE_TYPES, imagePath, removeQuietly, SHA256_PATTERN, thumbPath, writeFileAtomically } from './image-files.js';
import { CONVERGENCE_METRIC, greyCopy, recomputeConvergence, rememberGreyCopy, SHARPNESS_METRIC, sharpnessOf } from './image-metrics.js';
import { answerDuplicateUpload } from './duplicate-renders.js';
import { describeModelMatch, type ModelMatch } from './model-matching/match-note.js';
import { normaliseModelName, resolveModelForName } from './model-names.js';
import { concurrencyLimit } from './concurrency-limit.js';
import { sharedWorkerPool } from '../workers/worker-pool.js';

/** Upload limits: each is checked before anything is decoded. */
export interface ImageLimits extends MetadataLimits {
  /** Bytes per file. */
  maxBytes: number;
  /** Files per upload request. */
  maxFiles: number;
  /**
   * Pixels (width × height) this server decodes for a thumbnail and the image metrics: each pixel
   * costs about 8 bytes while it is decoded, so 40 megapixels is about 320 MB.
   */
  maxDecodePixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  ...DEFAULT_METADATA_LIMITS,
  maxBytes: 50 * 1024 * 1024,
  maxFiles: 500,
  maxDecodePixels: 40_000_000,
});

/** Images decoded at the same time, whatever the number of uploads: decodes take memory in proportion to their pixels. */
export const MAX_CONCURRENT_DECODES = 2;
const decodeSlot = concurrencyLimit(MAX_CONCURRENT_DECODES);

/** Longest edge of a thumbnail, in pixels. */
export const THUMB_SIZE = 320;

/**
 * What happened to one file:
 * - `created`: stored, and a run made from its settings;
 * - `incomplete`: stored, but its settings could not make a run (listed "to complete");
 * - `duplicate`: the same bytes were stored before (nothing new written; the earlier image and run are named);
 * - `rejected`: nothing was written (the reason is in `error`).
 */
export type ImageStatus = 'created' | 'incomplete' | 'duplicate' | 'rejected';

/** One file's answer, so a script can follow up. */
export interface ImageUploadResult {
  /** The file name the client gave (shown only, never used as a path). */
  file: string;
  ok: boolean;
  status: ImageStatus;
  imageId: number | null;
  sha256: string | null;
  runId: number | null;
  /** Slug of the model the run belongs to. */
  model: string | null;
  /** Whether that model was created for this file. */
  modelCreated: boolean;
  /** Whether a new image was stored by this upload (false for a duplicate or a rejection). */
  created: boolean;
  /** A sentence for the user: what was done, or what is missing. */
  message: string;
  /** How the file's model name was matched; `exact` false means the user should confirm it. */
  modelMatch?: ModelMatch;
  /** For a duplicate: the planned run the render could be linked to instead (see linkRenderToPlannedRun). */
  linkPlannedRun?: { runId: number; experimentId: number };
  error?: { code: string; message: string };
}

export interface StoreImageOptions {
  limits?: Partial<ImageLimits>;
  /** The run's source (default 'png': made from an image's embedded settings). */
  source?: Source;
}

function resolveLimits(overrides: Partial<ImageLimits> | undefined): ImageLimits {
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS };
  for (const key of Object.keys(limits) as (keyof ImageLimits)[]) {
    const value = overrides?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
  }
  return limits;
}

/** A client's file name made safe to show and store: its last path part, no control characters, ≤ 255. */
export function displayFileName(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return clean === '' ? 'unnamed' : clean;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

export function rejected(file: string, code: string, message: string): ImageUploadResult {
  return {
    file,
    ok: false,
    status: 'rejected',
    imageId: null,
    sha256: null,
    runId: null,
    model: null,
    modelCreated: false,
    created: false,
    message: `${message} Nothing was stored.`,
    error: { code, message },
  };
}

/**
 * The run fields an image's settings give, or why they cannot make a run. Texts longer than a run
 * holds are cut rather than losing the run.
 */
export function runFieldsFromMetadata(meta: GenerationMetadata | null): { input: Omit<RunInput, 'model'>; model: string } | { reason: string } {
  if (meta === null) return { reason: 'No generation settings were found in the file: enter them by hand.' };
  if (meta.steps === null) return { reason: 'The file does not say how many steps were used: enter them by hand.' };
  const model = meta.model?.trim() ?? '';
  if (model === '') return { reason: 'The file does not name its model: choose it by hand.' };
  const cut = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));
  const candidate = {
    model: 'placeholder',
    steps: meta.steps,
    seed: meta.seed,
    prompt: cut(meta.prompt, 20_000),
    negativePrompt: cut(meta.negativePrompt, 20_000),
    sampler: cut(meta.sampler, 100),
    guidance: meta.guidance ?? meta.cfg,
    width: meta.width,
    height: meta.height,
  };
  const parsed = runInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = issuesToDetails(parsed.error).map((d) => `${d.field}: ${d.message}`);
    return { reason: `The file's settings cannot make a run (${problems.join('; ')}): correct them by hand.` };
  }
  const { model: _placeholder, ...input } = parsed.data;
  return { input, model };
}

function runRow(input: Omit<RunInput, 'model'>, modelId: number, imageId: number, source: Source, now: string): NewRunRow {
  return {
    model_id: modelId,
    ...runFieldColumns(input),
    experiment_id: null,
    image_id: imageId,
    source,
    created_at: input.createdAt ?? now,
    updated_at: now,
  };
}

export async function duplicateResult(db: Db, file: string, image: ImageRow): Promise<ImageUploadResult> {
  const run = await findRunOfImage(db, image.id);
  return {
    file,
    ok: true,
    status: 'duplicate',
    imageId: image.id,
    sha256: image.sha256,
    runId: run?.id ?? null,
    model: run?.model_slug ?? null,
    modelCreated: false,
    created: false,
    message: run
      ? `Already stored (image #${image.id}, run #${run.id}); nothing new was written.`
      : `Already stored (image #${image.id}), still waiting for its settings to be completed; nothing new was written.`,
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (typeof e?.message === 'string' && /UNIQUE constraint failed/.test(e.message));
}

async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return work();
  }
}

/**
 * Decodes the image once: a WebP thumbnail and the grey copy for the metrics. sharp decodes in libuv's
 * thread pool, off the event loop; at most `MAX_CONCURRENT_DECODES` run at once.
 */
function decode(bytes: Uint8Array, limits: ImageLimits): Promise<{ thumb: Buffer; grey: Uint8Array }> {
  return decodeSlot(async () => {
    // Imported on first use, not at start: sharp's native library takes a third of the server's start.
    const { default: sharp } = await import('sharp');
    const thumb = await sharp(bytes, { limitInputPixels: limits.maxDecodePixels, failOn: 'error' })
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    const grey = await greyCopy(bytes, limits.maxDecodePixels);
    return { thumb, grey };
  });
}

/**
 * Stores one uploaded image and makes it a run.
 *
 * Checks, in order and before any pixel is decoded: the byte size, the format by magic bytes, the
 * declared pixel count and the text chunks' decoded size (the metadata reader's limits), the PNG
 * chunks' CRCs. Then the same bytes stored before give the earlier image (`duplicate`). Otherwise
 * the pixels are decoded once (thumbnail, grey copy), the file and its thumbnail are written
 * content-addressed and atomically, and one transaction inserts the image row and, when the settings
 * name steps and a model, the run (the model found through `resolveModelForName`, created if none
 * matches) with its sharpness. Last, the convergence (`ssim_to_reference`) of the run's prompt + seed
 * group is recomputed. On any failure nothing is left behind: files written by this call are removed
 * unless a stored image refers to them.
 */
export async function storeImage(
  db: Db,
  config: Pick<Config, 'dataDir'>,
  bytes: Uint8Array,
  originalName: string | null,
  options: StoreImageOptions = {},
): Promise<ImageUploadResult> {
  const file = displayFileName(originalName);
  const limits = resolveLimits(options.limits);
  if (bytes.length === 0) return rejected(file, 'empty', 'The file is empty.');
  if (bytes.length > limits.maxBytes) {
    return rejected(file, 'too-large', `The file is ${megabytes(bytes.length)}, over the limit of ${megabytes(limits.maxBytes)} per image.`);
  }
  // In a worker thread: the file is untrusted, and even linear parsing of 50 MB takes a while.
  const read = await sharedWorkerPool().run('readMetadata', { bytes, limits });
  if (!read.ok) return rejected(file, read.code, read.message);
  if (read.width * read.height > limits.maxDecodePixels) {
    const megapixels = (n: number) => `${Math.round(n / 100_000) / 10} megapixels`;
    return rejected(
      file,
      'pixel-bomb',
      `The image is ${read.width}×${read.height} (${megapixels(read.width * read.height)}), over the limit of ${megapixels(limits.maxDecodePixels)} that this server decodes.`,
    );
  }

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await findImageBySha(db, sha256);
  if (existing) return answerDuplicateUpload(db, config, file, existing);

  let decoded: { thumb: Buffer; grey: Uint8Array };
  try {
    decoded = await decode(bytes, limits);
  } catch {
    // The decoder's own message names its internals (libvips, libspng…): the user gets what it means.
    return rejected(file, 'undecodable', 'The image data could not be decoded; the file may be damaged, cut short or in a variant this server cannot read.');
  }

  const type = IMAGE_TYPES[read.format];
  const target = imagePath(config.dataDir, sha256, type.mime);
  const thumbTarget = thumbPath(config.dataDir, sha256);
  const written: string[] = [];
  const fields = runFieldsFromMetadata(read.metadata);
  const now = new Date().toISOString();
  let outcome: { image: ImageRow; runId: number | null; model: string | null; modelCreated: boolean; duplicate: boolean; group: { modelId: number; prompt: string | null; seed: string } | null; match?: ModelMatch };
  try {
    if (await writeFileAtomically(target, bytes)) written.push(target);
    if (await writeFileAtomically(thumbTarget, decoded.thumb)) written.push(thumbTarget);
    // A concurrent upload can insert the same image, model or alias between our reads and writes: one
    // more attempt then sees its rows (a duplicate, an existing model) instead of failing.
    outcome = await retryOnUniqueViolation(() => db.transaction().execute(async (trx) => {
      const raced = await findImageBySha(trx, sha256);
      if (raced) return { image: raced, runId: null, model: null, modelCreated: false, duplicate: true, group: null };
      const image = await insertImage(trx, {
        sha256,
        mime: type.mime,
        bytes: bytes.length,
        width: read.width,
        height: read.height,
        metadata: read.metadata === null ? null : JSON.stringify(read.metadata),
        original_name: file,
        created_at: now,
      });
      if ('reason' in fields) return { image, runId: null, model: null, modelCreated: false, duplicate: false, group: null };
      const resolved = await resolveModelForName(trx, fields.model, now);
      // A render of a planned sweep fills its planned run (same model, steps, seed and prompt) rather than adding one.
      const planned =
        fields.input.seed != null && fields.input.prompt != null
          ? await fillPlannedRunFromImage(trx, { model: resolved.model.id, steps: fields.input.steps, seed: fields.input.seed, prompt: fields.input.prompt }, image.id)
          : null;
      const [runId] = planned
        ? [planned.runId]
        : await insertRuns(trx, [{ row: runRow(fields.input, resolved.model.id, image.id, options.source ?? 'png', now), tags: [] }]);
      await setRunMetric(trx, SHARPNESS_METRIC, [{ runId: runId!, value: sharpnessOf(decoded.grey) }]);
      const seed = fields.input.seed ?? null;
      return {
        image,
        runId: runId!,
        model: resolved.model.slug,
        modelCreated: resolved.created,
        duplicate: false,
        group: seed === null ? null : { modelId: resolved.model.id, prompt: fields.input.prompt ?? null, seed },
        match: describeModelMatch(fields.model, resolved),
      };
    }));
  } catch (err) {
    if (!(await imageExists(db, sha256).catch(() => false))) await Promise.all(written.map(removeQuietly));
    throw err;
  }
  if (outcome.duplicate) return duplicateResult(db, file, outcome.image);
  rememberGreyCopy(sha256, decoded.grey);
  if (outcome.group) await recomputeConvergence(db, config.dataDir, outcome.group, limits.maxPixels);

  const base = { file, ok: true, imageId: outcome.image.id, sha256, created: true };
  if (outcome.runId === null) {
    return { ...base, status: 'incomplete', runId: null, model: null, modelCreated: false, message: `Stored as image #${outcome.image.id}. ${'reason' in fields ? fields.reason : ''}`.trim() };
  }
  return {
    ...base,
    status: 'created',
    runId: outcome.runId,
    model: outcome.model,
    modelCreated: outcome.modelCreated,
    message: `Run #${outcome.runId} (${outcome.model}, ${'input' in fields ? fields.input.steps : '?'} steps)${outcome.modelCreated ? `; new model '${outcome.model}' created from the file's model name` : ''}.`,
    ...(outcome.match ? { modelMatch: outcome.match } : {}),
  };
}

/** Reads a stored file's bytes (for the CLI's "import" of a file on disk, use `storeImageFile`). */
export async function storeImageFile(db: Db, config: Pick<Config, 'dataDir'>, file: string, options: StoreImageOptions = {}): Promise<ImageUploadResult> {
  const limits = resolveLimits(options.limits);
  const name = path.basename(file);
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) return rejected(name, 'not-a-file', 'This is not a regular file.');
  if (stat.size > limits.maxBytes) {
    return rejected(name, 'too-large', `The file is ${megabytes(stat.size)}, over the limit of ${megabytes(limits.maxBytes)} per image.`);
  }
  return storeImage(db, config, await fs.promises.readFile(file), name, options);
}

// ------------------------------------------------------------------------------------------ reading back

export interface StoredImage {
  id: number;
  sha256: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  originalName: string | null;
  metadata: GenerationMetadata | null;
  runId: number | null;
  createdAt: string;
}

function parseMetadata(text: string | null): GenerationMetadata | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as GenerationMetadata;
  } catch {
    return null;
  }
}

function imageRowToImage(row: ImageRow, runId: number | null): StoredImage {
  return {
    id: row.id,
    sha256: row.sha256,
    mime: row.mime,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    originalName: row.original_name,
    metadata: parseMetadata(row.metadata),
    runId,
    createdAt: row.created_at,
  };
}

/** The image stored under `sha256` (validated: a request can only ever name an image by its hash). */
export async function getImage(db: Db, sha256: string): Promise<StoredImage> {
  if (!SHA256_PATTERN.test(sha256)) throw new NotFoundError('no such image');
  const row = await findImageBySha(db, sha256);
  if (!row) throw new NotFoundError('no such image');
  const run = await findRunOfImage(db, row.id);
  return imageRowToImage(row, run?.id ?? null);
}

/** The absolute path of a stored image's file or thumbnail; NotFoundError for anything else. */
export async function imageFileOf(db: Db, config: Pick<Config, 'dataDir'>, sha256: string, kind: 'image' | 'thumb'): Promise<{ path: string; mime: string }> {
  const image = await getImage(db, sha256);
  return kind === 'image'
    ? { path: imagePath(config.dataDir, image.sha256, image.mime), mime: image.mime }
    : { path: thumbPath(config.dataDir, image.sha256), mime: 'image/webp' };
}

export async function listImagesToComplete(db: Db, limit = 100): Promise<{ images: StoredImage[]; total: number }> {
  const [rows, total] = await Promise.all([listImagesWithoutRun(db, limit), countImagesWithoutRun(db)]);
  return { images: rows.map((r) => imageRowToImage(r, null)), total };
}

export function listRecentUploads(db: Db, limit = 48): Promise<RecentImage[]> {
  return listRecentImages(db, limit);
}

/** The form values to offer for completing an image: what its settings hold, and a model guess. */
export async function completionDefaults(db: Db, image: StoredImage): Promise<Record<string, string>> {
  const meta = image.metadata;
  const values: Record<string, string> = {};
  const set = (key: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined) values[key] = String(value);
  };
  if (meta) {
    set('steps', meta.steps);
    set('seed', meta.seed);
    set('prompt', meta.prompt);
    set('negativePrompt', meta.negativePrompt);
    set('sampler', meta.sampler);
    set('guidance', meta.guidance ?? meta.cfg);
    set('width', meta.width);
    set('height', meta.height);
    if (meta.model) {
      const key = normaliseModelName(meta.model);
      const match = (await listModels(db)).find((m) => normaliseModelName(m.slug) === key || normaliseModelName(m.name) === key);
      set('model', match?.slug);
    }
  }
  values.width ??= String(image.width);
  values.height ??= String(image.height);
  return values;
}

/**
 * Makes the run of an image whose settings could not be read, from what the user entered (validated
 * like any run). The image must not have a run yet.
 */
export async function completeImage(db: Db, config: Pick<Config, 'dataDir'>, sha256: string, input: RunInput): Promise<number> {
  const image = await getImage(db, sha256);
  if (image.runId !== null) throw new ConflictError(`image #${image.id} already has run #${image.runId}`);
  const model = (await listModels(db)).find((m) => m.slug === input.model);
  if (!model) throw new InputError(`unknown model '${input.model}'`, [{ field: 'model', message: `unknown model '${input.model}'` }]);
  const file = imagePath(config.dataDir, image.sha256, image.mime);
  let grey: Uint8Array | null = null;
  try {
    grey = await decodeSlot(() => greyCopy(file, DEFAULT_IMAGE_LIMITS.maxDecodePixels));
  } catch {
    grey = null; // the file is missing or unreadable: the run is still made, without image metrics
  }
  const now = new Date().toISOString();
  const runId = await db.transaction().execute(async (trx) => {
    const [id] = await insertRuns(trx, [{ row: runRow(input, model.id, image.id, 'form', now), tags: input.tags ?? [] }]);
    if (grey) await setRunMetric(trx, SHARPNESS_METRIC, [{ runId: id!, value: sharpnessOf(grey) }]);
    return id!;
  });
  if (grey && input.seed) {
    rememberGreyCopy(image.sha256, grey);
    await recomputeConvergence(db, config.dataDir, { modelId: model.id, prompt: input.prompt ?? null, seed: input.seed }, DEFAULT_IMAGE_LIMITS.maxPixels);
  }
  return runId;
}

export { CONVERGENCE_METRIC, SHARPNESS_METRIC };
