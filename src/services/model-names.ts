import type { Db } from '../db/connect.js';
import type { ModelRow } from '../db/schema.js';
import { findModelById, findModelBySlug, insertModel, listModels } from '../store/models.js';
import { deleteAlias, findAlias, listAliases, mergeModelRows, upsertAlias, type AliasRow } from '../store/model-aliases.js';
import { ConflictError, InputError, NotFoundError } from './errors.js';
import { stripCheckpointVariant } from './model-matching/checkpoint-variant.js';

/** File extensions of model weights that tools write after the name. */
const WEIGHT_EXTENSIONS = /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx)$/i;

/**
 * A model name as an image tool wrote it, without folders and the weights' file extension:
 * "models/unet/flux1-dev.safetensors" → "flux1-dev", "C:\\sd\\v1-5-pruned-emaonly.ckpt" → "v1-5-pruned-emaonly".
 */
export function modelDisplayName(fileModelName: string): string {
  const base = fileModelName.trim().split(/[\\/]/).filter((p) => p !== '').pop() ?? '';
  return base.replace(WEIGHT_EXTENSIONS, '').trim() || fileModelName.trim();
}

/**
 * The key two spellings of one model share: the display name lower-cased, FLUX's version written
 * out ("flux1", "flux.1", "flux-1" → "flux"), and everything but letters and digits dropped. So
 * "flux1-dev.safetensors", the slug "flux-dev" and the name "FLUX.1 Dev" all read "fluxdev", while
 * "flux1-dev-fp8" stays apart ("fluxdevfp8": a different file, mapped by hand when it is the same model).
 *
 * @example normaliseModelName('unet/flux1-dev.safetensors') // → 'fluxdev'
 */
export function normaliseModelName(name: string): string {
  return modelDisplayName(name)
    .toLowerCase()
    .replace(/flux[\s._-]?1(?![0-9])/g, 'flux')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A slug for a new model named after a file's model name: lower-case letters, digits, '.', '_' and '-',
 * at most 64 characters. "realistic_realisticVisionV20_v20" → "realistic_realisticvisionv20_v20".
 */
export function slugifyModelName(name: string): string {
  const slug = modelDisplayName(name)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[-._]+$/, '')
    .slice(0, 56)
    .replace(/[-._]+$/, '');
  return slug === '' ? 'model' : slug;
}

/** The longest model-name alias kept (the column's width). */
const MAX_ALIAS = 255;

export interface ResolvedModel {
  model: ModelRow;
  /** true when the model was created for this name just now. */
  created: boolean;
  /**
   * How the name was matched: a remembered alias, the normalised name or slug, the same name once its
   * packing words are dropped (`variant`: "flux1-dev-fp8" → FLUX.1 Dev, shown for confirmation), or a new model.
   */
  matchedBy: 'alias' | 'name' | 'variant' | 'created';
  /** The packing words a `variant` match dropped, e.g. "fp8" or "q80 gguf"; null otherwise. */
  variant: string | null;
}

/**
 * Finds the stored model a file's model name means, or creates one: first an exact alias (the
 * user's mapping, remembered), then the normalised name against every model's slug, name and
 * aliases, else a new model named after the file's model name. A match by name or a new model is
 * remembered as an alias, so the user can see and change the mapping. Call inside a transaction.
 */
export async function resolveModelForName(db: Db, fileModelName: string, now: string): Promise<ResolvedModel> {
  const alias = fileModelName.trim().slice(0, MAX_ALIAS);
  const known = await findAlias(db, alias);
  if (known) {
    // The alias's foreign key cascades on delete, so its model exists.
    const model = (await findModelById(db, known.model_id))!;
    return { model, created: false, matchedBy: 'alias', variant: null };
  }
  const models = await listModels(db);
  const aliases = await listAliases(db);
  const byKey = (key: string) => {
    if (key === '') return undefined;
    const direct = models.find((m) => normaliseModelName(m.slug) === key || normaliseModelName(m.name) === key);
    if (direct) return direct;
    const byAlias = aliases.find((a) => normaliseModelName(a.alias) === key);
    return byAlias ? models.find((m) => m.id === byAlias.model_id) : undefined;
  };
  const match = byKey(normaliseModelName(alias));
  if (match) {
    await upsertAlias(db, alias, match.id, now);
    return { model: match, created: false, matchedBy: 'name', variant: null };
  }
  const stripped = stripCheckpointVariant(modelDisplayName(alias));
  const variantMatch = stripped.variant !== null ? byKey(normaliseModelName(stripped.base)) : undefined;
  if (variantMatch) {
    await upsertAlias(db, alias, variantMatch.id, now);
    return { model: variantMatch, created: false, matchedBy: 'variant', variant: stripped.variant };
  }
  const base = slugifyModelName(alias);
  const taken = new Set(models.map((m) => m.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  const model = await insertModel(db, {
    slug,
    name: modelDisplayName(alias).slice(0, 200),
    notes: `Created from an uploaded image whose model is "${alias}". Rename it, or merge it into another model on the Model names page.`,
    min_steps: null,
    recommended_low: null,
    recommended_high: null,
    max_steps: null,
    sweet_spot: null,
    created_at: now,
    updated_at: now,
  });
  await upsertAlias(db, alias, model.id, now);
  return { model, created: true, matchedBy: 'created', variant: null };
}

export interface ModelAlias {
  alias: string;
  model: string;
  modelName: string;
  createdAt: string;
}

function aliasRowToAlias(row: AliasRow): ModelAlias {
  return { alias: row.alias, model: row.model_slug, modelName: row.model_name, createdAt: row.created_at };
}

export async function listModelAliases(db: Db): Promise<ModelAlias[]> {
  return (await listAliases(db)).map(aliasRowToAlias);
}

/** Maps a file's model name to a model (slug), for the next uploads; runs already made stay where they are. */
export async function setModelAlias(db: Db, alias: string, modelSlug: string): Promise<void> {
  const name = alias.trim();
  if (name === '' || name.length > MAX_ALIAS) {
    throw new InputError(`alias must be 1–${MAX_ALIAS} characters`, [{ field: 'alias', message: `must be 1–${MAX_ALIAS} characters` }]);
  }
  const model = await findModelBySlug(db, modelSlug);
  if (!model) throw new InputError(`unknown model '${modelSlug}'`, [{ field: 'model', message: `unknown model '${modelSlug}'` }]);
  await upsertAlias(db, name, model.id, new Date().toISOString());
}

export async function removeModelAlias(db: Db, alias: string): Promise<void> {
  if (!(await deleteAlias(db, alias))) throw new NotFoundError(`no mapping for '${alias}'`);
}

/**
 * Merges model `fromSlug` into `intoSlug`: its runs, aliases and experiments move, and it is deleted.
 * Its own slug and name become aliases of the target, so files naming it keep finding a model.
 */
export async function mergeModels(db: Db, fromSlug: string, intoSlug: string): Promise<{ runs: number; aliases: number }> {
  if (fromSlug === intoSlug) {
    throw new InputError('choose two different models to merge', [{ field: 'into', message: 'must differ from the model merged' }]);
  }
  const [from, into] = await Promise.all([findModelBySlug(db, fromSlug), findModelBySlug(db, intoSlug)]);
  if (!from) throw new NotFoundError(`model '${fromSlug}' not found`);
  if (!into) throw new NotFoundError(`model '${intoSlug}' not found`);
  try {
    return await db.transaction().execute(async (trx) => {
      const moved = await mergeModelRows(trx, from.id, into.id);
      const now = new Date().toISOString();
      for (const alias of new Set([from.name.trim().slice(0, MAX_ALIAS), from.slug])) {
        if (alias !== '' && !(await findAlias(trx, alias))) await upsertAlias(trx, alias, into.id, now);
      }
      return moved;
    });
  } catch (err) {
    if (err instanceof Error && /FOREIGN KEY/i.test(err.message)) {
      throw new ConflictError(`model '${fromSlug}' is still referenced and could not be merged`);
    }
    throw err;
  }
}
