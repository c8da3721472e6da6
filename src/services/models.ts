import type { Db } from '../db/connect.js';
import type { ModelRow } from '../db/schema.js';
import { findModelBySlug, insertModel, listModels as listModelRows, modelRunCounts, updateModel as updateModelRow } from '../store/models.js';
import { modelInputSchema, type ModelInput, type ModelPatch } from '../validation/model-input.js';
import { cachedUntilRunsChange } from './runs-version-cache.js';
import { issuesToDetails } from '../validation/fields.js';
import { ConflictError, InputError, NotFoundError } from './errors.js';

/** The guide's reference numbers for a model (all null for a model the guide does not cover). */
export interface GuideRange {
  minSteps: number | null;
  recommendedLow: number | null;
  recommendedHigh: number | null;
  maxSteps: number | null;
  sweetSpot: number | null;
}

export interface Model {
  id: number;
  slug: string;
  name: string;
  notes: string;
  guide: GuideRange;
  runs: number;
  scoredRuns: number;
  stepLevels: number;
  createdAt: string;
  updatedAt: string;
}

export function modelRowToModel(row: ModelRow, counts?: { runs: number; scored: number; levels: number }): Model {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    notes: row.notes,
    guide: {
      minSteps: row.min_steps,
      recommendedLow: row.recommended_low,
      recommendedHigh: row.recommended_high,
      maxSteps: row.max_steps,
      sweetSpot: row.sweet_spot,
    },
    runs: Number(counts?.runs ?? 0),
    scoredRuns: Number(counts?.scored ?? 0),
    stepLevels: Number(counts?.levels ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Describes the guide's range in words, e.g. "Guide: 28–35, sweet spot 30 (20–50 possible)". */
export function describeGuideRange(guide: GuideRange): string | null {
  const parts: string[] = [];
  if (guide.recommendedLow !== null && guide.recommendedHigh !== null) {
    parts.push(`${guide.recommendedLow}–${guide.recommendedHigh}`);
  }
  if (guide.sweetSpot !== null) parts.push(`sweet spot ${guide.sweetSpot}`);
  if (parts.length === 0) return null;
  const span = guide.minSteps !== null && guide.maxSteps !== null ? ` (${guide.minSteps}–${guide.maxSteps} possible)` : '';
  return `Guide: ${parts.join(', ')}${span}`;
}

/** Runs, rated runs and step levels per model: counting reads every run, so the answer is kept until any run changes. */
function runCounts(db: Db): Promise<Awaited<ReturnType<typeof modelRunCounts>>> {
  return cachedUntilRunsChange(db, 'model-run-counts', () => modelRunCounts(db));
}

export async function listModels(db: Db): Promise<Model[]> {
  const [rows, counts] = await Promise.all([listModelRows(db), runCounts(db)]);
  const byModel = new Map(counts.map((c) => [c.model_id, c]));
  return rows.map((row) => modelRowToModel(row, byModel.get(row.id)));
}

export async function getModel(db: Db, slug: string): Promise<Model> {
  const row = await findModelBySlug(db, slug);
  if (!row) throw new NotFoundError(`model '${slug}' not found`);
  const counts = (await runCounts(db)).find((c) => c.model_id === row.id);
  return modelRowToModel(row, counts);
}

export async function createModel(db: Db, input: ModelInput): Promise<Model> {
  if (await findModelBySlug(db, input.slug)) {
    throw new ConflictError(`a model with slug '${input.slug}' already exists`);
  }
  const now = new Date().toISOString();
  const row = await insertModel(db, {
    slug: input.slug,
    name: input.name,
    notes: input.notes ?? '',
    min_steps: input.minSteps ?? null,
    recommended_low: input.recommendedLow ?? null,
    recommended_high: input.recommendedHigh ?? null,
    max_steps: input.maxSteps ?? null,
    sweet_spot: input.sweetSpot ?? null,
    created_at: now,
    updated_at: now,
  });
  return modelRowToModel(row);
}

/** Applies a patch; the merged model must still have its guide numbers in order. */
export async function updateModel(db: Db, slug: string, patch: ModelPatch): Promise<Model> {
  const current = await getModel(db, slug);
  const merged = { slug, name: current.name, notes: current.notes, ...current.guide, ...patch };
  const checked = modelInputSchema.safeParse(merged);
  if (!checked.success) {
    const details = issuesToDetails(checked.error);
    throw new InputError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  const m = checked.data;
  await updateModelRow(db, current.id, {
    name: m.name,
    notes: m.notes ?? '',
    min_steps: m.minSteps ?? null,
    recommended_low: m.recommendedLow ?? null,
    recommended_high: m.recommendedHigh ?? null,
    max_steps: m.maxSteps ?? null,
    sweet_spot: m.sweetSpot ?? null,
    updated_at: new Date().toISOString(),
  });
  return getModel(db, slug);
}
