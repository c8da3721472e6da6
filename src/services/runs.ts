import type { Db } from '../db/connect.js';
import type { NewRunRow, RunRowUpdate, Source } from '../db/schema.js';
import { findModelsBySlugs, listModels as listModelRows } from '../store/models.js';
import { unknownModelMessage } from './unknown-model.js';
import {
  countRuns,
  distinctHardware,
  deleteRun as deleteRunRow,
  findRunById,
  insertRunsInTransaction,
  listRuns as listRunRows,
  replaceRunTags,
  tagsForRuns,
  updateRun as updateRunRow,
  type RunCursor,
  type RunFilter,
  type RunSortKey,
  type RunWithModel,
  type SortDirection,
} from '../store/runs.js';
import type { RunInput, RunPatch } from '../validation/run-input.js';
import { InputError, NotFoundError } from './errors.js';
import { runRowToRun, type Run } from './run-view.js';
import { RunWriteQueue } from './run-write-queue.js';
import { cachedUntilRunsChange } from './runs-version-cache.js';

/** Looks up every model slug the runs name; unknown slugs are input errors naming each run. */
async function modelsFor(db: Db, inputs: readonly { model?: string }[], fieldPrefix: (i: number) => string) {
  const slugs = [...new Set(inputs.map((r) => r.model).filter((s): s is string => s !== undefined))];
  const models = await findModelsBySlugs(db, slugs);
  const bySlug = new Map(models.map((m) => [m.slug, m]));
  const details: { field: string; message: string }[] = [];
  const unknown = inputs.some((r) => r.model !== undefined && !bySlug.has(r.model));
  const known = unknown ? (await listModelRows(db)).map((m) => m.slug) : [];
  inputs.forEach((r, i) => {
    if (r.model !== undefined && !bySlug.has(r.model)) {
      details.push({ field: `${fieldPrefix(i)}model`, message: unknownModelMessage(r.model, known) });
    }
  });
  if (details.length > 0) {
    const shown = details.slice(0, 100);
    throw new InputError(shown.map((d) => `${d.field}: ${d.message}`).slice(0, 3).join('; ') + (details.length > 3 ? ` (and ${details.length - 3} more)` : ''), shown);
  }
  return bySlug;
}

/** The stored columns of a run's own fields (no model, source or timestamps): one mapping for every writer. */
export function runFieldColumns(input: Omit<RunInput, 'model'>) {
  return {
    steps: input.steps,
    duration_ms: input.durationMs ?? null,
    score: input.score ?? null,
    seed: input.seed ?? null,
    prompt: input.prompt ?? null,
    negative_prompt: input.negativePrompt ?? null,
    sampler: input.sampler ?? null,
    guidance: input.guidance ?? null,
    width: input.width ?? null,
    height: input.height ?? null,
    hardware: input.hardware ?? null,
    use_case: input.useCase ?? null,
    phase: input.phase ?? null,
    notes: input.notes ?? null,
  };
}

function inputToRow(input: RunInput, modelId: number, source: Source, now: string): NewRunRow {
  return {
    model_id: modelId,
    ...runFieldColumns(input),
    experiment_id: null,
    source,
    created_at: input.createdAt ?? now,
    updated_at: now,
  };
}

/** Stores validated runs in one transaction (all of them or, on any fault, none); returns the rows and their ids. */
async function storeRuns(db: Db, inputs: readonly RunInput[], source: Source) {
  const batch = inputs.length > 1;
  const bySlug = await modelsFor(db, inputs, (i) => (batch ? `[${i}].` : ''));
  const now = new Date().toISOString();
  const rows = inputs.map((input) => inputToRow(input, bySlug.get(input.model)!.id, source, now));
  const ids = await insertRunsInTransaction(db, rows.map((row, i) => ({ row, tags: inputs[i]!.tags ?? [] })));
  return { rows, ids, bySlug };
}

/** Stores validated runs in one transaction: all of them or, on any fault, none. Returns the new ids in input order. */
export async function createRuns(db: Db, inputs: readonly RunInput[], source: Source): Promise<number[]> {
  return (await storeRuns(db, inputs, source)).ids;
}

/**
 * Stores runs and answers each as reading it back would (the test of POST against GET holds the two
 * together) without reading it back: under load that read was a second query per logged run.
 */
async function createRunsAnswered(db: Db, inputs: readonly RunInput[], source: Source): Promise<Run[]> {
  const { rows, ids, bySlug } = await storeRuns(db, inputs, source);
  return rows.map((row, i) => {
    const model = bySlug.get(inputs[i]!.model)!;
    const stored = { import_id: null, import_line: null, image_id: null, ...row, id: ids[i]!, model_slug: model.slug, model_name: model.name };
    return runRowToRun(stored as RunWithModel, [...(inputs[i]!.tags ?? [])].sort());
  });
}

const writeQueues = new WeakMap<Db, RunWriteQueue<Run>>();

/** Stores one run; runs logged at the same moment share one transaction (see RunWriteQueue). */
export async function createRun(db: Db, input: RunInput, source: Source): Promise<Run> {
  let queue = writeQueues.get(db);
  if (!queue) {
    queue = new RunWriteQueue(db, createRunsAnswered);
    writeQueues.set(db, queue);
  }
  return queue.add(input, source);
}

export async function getRun(db: Db, id: number): Promise<Run> {
  const row = await findRunById(db, id);
  if (!row) throw new NotFoundError(`run ${id} not found`);
  const tags = await tagsForRuns(db, [id]);
  return runRowToRun(row, tags.get(id) ?? []);
}

export interface RunPage {
  runs: Run[];
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
  total: number;
}

export function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

/** Reads a cursor made by `encodeCursor`; anything else is an input error naming `cursor`. */
export function decodeCursor(text: string): RunCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (parsed[0] === null || typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor is not valid: use the nextCursor of the previous page', [
    { field: 'cursor', message: 'not a cursor this server made' },
  ]);
}

const SORT_VALUE: Record<RunSortKey, (r: Run) => string | number | null> = {
  created: (r) => r.createdAt,
  steps: (r) => r.steps,
  score: (r) => r.score,
  duration: (r) => r.durationMs,
};

/** Counting the matching runs reads all of them; the answer is kept until any run changes. */
function cachedCount(db: Db, filter: RunFilter): Promise<number> {
  return cachedUntilRunsChange(db, `run-count|${JSON.stringify(filter)}`, () => countRuns(db, filter));
}

export async function listRuns(
  db: Db,
  options: { filter: RunFilter; sort: RunSortKey; direction: SortDirection; cursor: string | null; limit: number },
): Promise<RunPage> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await listRunRows(db, {
    filter: options.filter,
    sort: options.sort,
    direction: options.direction,
    after,
    limit: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const tags = await tagsForRuns(db, page.map((r) => r.id));
  const runs = page.map((row) => runRowToRun(row, tags.get(row.id) ?? []));
  const last = runs[runs.length - 1];
  const nextCursor =
    rows.length > options.limit && last ? encodeCursor({ value: SORT_VALUE[options.sort](last), id: last.id }) : null;
  return { runs, nextCursor, total: await cachedCount(db, options.filter) };
}

export async function updateRun(db: Db, id: number, patch: RunPatch): Promise<Run> {
  const bySlug = patch.model !== undefined ? await modelsFor(db, [patch], () => '') : null;
  const changes: RunRowUpdate = { updated_at: new Date().toISOString() };
  if (patch.model !== undefined) changes.model_id = bySlug!.get(patch.model)!.id;
  if (patch.steps !== undefined) changes.steps = patch.steps;
  if (patch.durationMs !== undefined) changes.duration_ms = patch.durationMs;
  if (patch.score !== undefined) changes.score = patch.score;
  if (patch.seed !== undefined) changes.seed = patch.seed;
  if (patch.prompt !== undefined) changes.prompt = patch.prompt;
  if (patch.negativePrompt !== undefined) changes.negative_prompt = patch.negativePrompt;
  if (patch.sampler !== undefined) changes.sampler = patch.sampler;
  if (patch.guidance !== undefined) changes.guidance = patch.guidance;
  if (patch.width !== undefined) changes.width = patch.width;
  if (patch.height !== undefined) changes.height = patch.height;
  if (patch.hardware !== undefined) changes.hardware = patch.hardware;
  if (patch.useCase !== undefined) changes.use_case = patch.useCase;
  if (patch.phase !== undefined) changes.phase = patch.phase;
  if (patch.notes !== undefined) changes.notes = patch.notes;
  if (patch.createdAt) changes.created_at = patch.createdAt;
  const updated = await db.transaction().execute(async (trx) => {
    const row = await updateRunRow(trx, id, changes);
    if (row && patch.tags !== undefined) await replaceRunTags(trx, id, patch.tags);
    return row;
  });
  if (!updated) throw new NotFoundError(`run ${id} not found`);
  return getRun(db, id);
}

export async function deleteRun(db: Db, id: number): Promise<void> {
  if (!(await deleteRunRow(db, id))) throw new NotFoundError(`run ${id} not found`);
}

/** The hardware names runs were logged with, for filter drop-downs and form suggestions. */
export function hardwareNames(db: Db): Promise<string[]> {
  return distinctHardware(db);
}
