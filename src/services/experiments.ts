import { stringify } from 'csv-stringify/sync';
import { formatStepList } from '../analysis/step-list.js';
import { planSweep } from '../analysis/sweep-plan.js';
import type { Db } from '../db/connect.js';
import type { NewRunRow } from '../db/schema.js';
import {
  attachImageToPlannedRun,
  experimentProgress,
  experimentRuns,
  findExperimentById,
  insertExperimentWithRuns,
  listExperimentRows,
  updateRunCells,
  type ExperimentProgressRow,
  type ExperimentRunRow,
  type ExperimentWithModel,
} from '../store/experiments.js';
import { findModelBySlug } from '../store/models.js';
import type { ExperimentInput } from '../validation/experiment-input.js';
import { InputError, NotFoundError } from './errors.js';
import { unknownModelMessageFrom } from './unknown-model.js';
import { neutraliseFormula } from './run-csv-columns.js';

/** The planned sweep as stored in `experiments.plan` (JSON). */
export interface ExperimentPlan {
  /** The step list in X/Y-plot syntax (formatStepList of `steps`). */
  stepList: string;
  steps: number[];
  seeds: string[];
  prompts: string[];
  negativePrompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  useCase: string | null;
  phase: string | null;
}

export interface ExperimentProgress {
  /** Planned renders (cells). */
  planned: number;
  /** Cells with a time, a score or an image. */
  filled: number;
  timed: number;
  scored: number;
  imaged: number;
  /** filled / planned, 0–1. */
  share: number;
}

/** An experiment as the API, the CLI and the pages see it. */
export interface Experiment {
  id: number;
  name: string;
  model: string;
  modelName: string;
  notes: string;
  plan: ExperimentPlan;
  progress: ExperimentProgress;
  createdAt: string;
  /** When it was archived; null while it is current. */
  archivedAt: string | null;
}

/** One planned render of an experiment (a cell of the grid). */
export interface ExperimentCell {
  runId: number;
  steps: number;
  seed: string;
  prompt: string;
  promptIndex: number;
  seedIndex: number;
  durationMs: number | null;
  score: number | null;
  /** The matched render file (served at /images/<sha256>), null until an image is attached. */
  image: { id: number; sha256: string } | null;
}

export interface ExperimentDetail extends Experiment {
  cells: ExperimentCell[];
}

/** One line of the exported plan: everything a render script needs, and the run to PATCH afterwards. */
export interface PlanLine {
  runId: number;
  model: string;
  steps: number;
  seed: string;
  prompt: string;
  negativePrompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  useCase: string | null;
  phase: string | null;
  durationMs: number | null;
  score: number | null;
  /** Whether the render has a time, a score or an image already (a script can skip it). */
  done: boolean;
}

/** The exported plan (plan.json). */
export interface PlanExport {
  experiment: { id: number; name: string; model: string; stepList: string; seeds: string[]; prompts: string[] };
  /** Where to send each render's result: PATCH with { durationMs, score } (the run id replaces {runId}). */
  patchUrl: string;
  runs: PlanLine[];
}

const EMPTY_PROGRESS: ExperimentProgressRow = { experiment_id: 0, planned: 0, filled: 0, timed: 0, scored: 0, imaged: 0 };

function progressOf(row: ExperimentProgressRow | undefined): ExperimentProgress {
  const p = row ?? EMPTY_PROGRESS;
  return { planned: p.planned, filled: p.filled, timed: p.timed, scored: p.scored, imaged: p.imaged, share: p.planned > 0 ? p.filled / p.planned : 0 };
}

function readPlan(text: string): ExperimentPlan {
  const plan = JSON.parse(text) as ExperimentPlan;
  return { ...plan, stepList: plan.stepList ?? formatStepList(plan.steps) };
}

function experimentRowToExperiment(row: ExperimentWithModel, progress: ExperimentProgressRow | undefined): Experiment {
  return {
    id: row.id,
    name: row.name,
    model: row.model_slug,
    modelName: row.model_name,
    notes: row.notes,
    plan: readPlan(row.plan),
    progress: progressOf(progress),
    createdAt: row.created_at,
    archivedAt: row.archived_at ?? null,
  };
}

/**
 * Plans a sweep and stores it: the experiment and one planned run per steps × seed × prompt cell
 * (no time or score yet, source 'plan'), all in one transaction.
 */
export async function createExperiment(db: Db, input: ExperimentInput): Promise<ExperimentDetail> {
  const model = await findModelBySlug(db, input.model);
  if (!model) {
    const message = await unknownModelMessageFrom(db, input.model);
    throw new InputError(`model: ${message}`, [{ field: 'model', message }]);
  }
  let cells;
  try {
    cells = planSweep({ steps: input.steps, seeds: input.seeds ?? input.randomSeeds ?? 0, prompts: input.prompts });
  } catch (err) {
    // The schema checks the same things first; this keeps a fault in the plan a clear 4xx all the same.
    const message = (err as Error).message;
    const field = /seed/.test(message) && !/cells/.test(message) ? 'seeds' : /prompt/.test(message) && !/cells/.test(message) ? 'prompts' : 'steps';
    throw new InputError(`${field}: ${message}`, [{ field, message }]);
  }
  const seedList: string[] = [];
  for (const cell of cells) if (seedList[cell.seedIndex] === undefined) seedList[cell.seedIndex] = cell.seed;
  const plan: ExperimentPlan = {
    stepList: formatStepList(input.steps),
    steps: [...input.steps],
    seeds: seedList,
    prompts: [...input.prompts],
    negativePrompt: input.negativePrompt ?? null,
    sampler: input.sampler ?? null,
    guidance: input.guidance ?? null,
    width: input.width ?? null,
    height: input.height ?? null,
    hardware: input.hardware ?? null,
    useCase: input.useCase ?? null,
    phase: input.phase ?? null,
  };
  const now = new Date().toISOString();
  const runs: Omit<NewRunRow, 'experiment_id'>[] = cells.map((cell) => ({
    model_id: model.id,
    steps: cell.steps,
    duration_ms: null,
    score: null,
    seed: cell.seed,
    prompt: cell.prompt,
    negative_prompt: plan.negativePrompt,
    sampler: plan.sampler,
    guidance: plan.guidance,
    width: plan.width,
    height: plan.height,
    hardware: plan.hardware,
    use_case: input.useCase ?? null,
    phase: input.phase ?? null,
    notes: null,
    source: 'plan',
    created_at: now,
    updated_at: now,
    import_id: null,
    import_line: null,
  }));
  const name = input.name ?? `${model.name}, ${plan.stepList} steps`;
  const { id } = await db.transaction().execute((trx) =>
    insertExperimentWithRuns(trx, { name, model_id: model.id, plan: JSON.stringify(plan), notes: input.notes ?? '', created_at: now }, runs),
  );
  return getExperiment(db, id);
}

/** The newest current experiments (or, with `archived`, the archived ones) with their progress. */
export async function listExperiments(db: Db, limit = 200, archived = false): Promise<Experiment[]> {
  const rows = await listExperimentRows(db, limit, archived);
  const progress = new Map((await experimentProgress(db, rows.map((r) => r.id))).map((p) => [p.experiment_id, p]));
  return rows.map((row) => experimentRowToExperiment(row, progress.get(row.id)));
}

export async function getExperimentSummary(db: Db, id: number): Promise<Experiment> {
  const row = await findExperimentById(db, id);
  if (!row) throw new NotFoundError(`experiment ${id} not found`);
  const [progress] = await experimentProgress(db, [id]);
  return experimentRowToExperiment(row, progress);
}

function cellsOf(plan: ExperimentPlan, runs: readonly ExperimentRunRow[]): ExperimentCell[] {
  const promptIndex = new Map(plan.prompts.map((p, i) => [p, i]));
  const seedIndex = new Map(plan.seeds.map((s, i) => [s, i]));
  return runs.map((r) => ({
    runId: r.id,
    steps: r.steps,
    seed: r.seed ?? '',
    prompt: r.prompt ?? '',
    promptIndex: promptIndex.get(r.prompt ?? '') ?? -1,
    seedIndex: seedIndex.get(r.seed ?? '') ?? -1,
    durationMs: r.duration_ms,
    score: r.score,
    image: r.image_id !== null && r.image_sha256 !== null ? { id: r.image_id, sha256: r.image_sha256 } : null,
  }));
}

/** One experiment with its plan, progress and every cell. */
export async function getExperiment(db: Db, id: number): Promise<ExperimentDetail> {
  const experiment = await getExperimentSummary(db, id);
  const runs = await experimentRuns(db, id);
  return { ...experiment, cells: cellsOf(experiment.plan, runs) };
}

/** The plan as a render script reads it (plan.json). */
export async function exportPlan(db: Db, id: number): Promise<PlanExport> {
  const experiment = await getExperimentSummary(db, id);
  const runs = await experimentRuns(db, id);
  return {
    experiment: {
      id: experiment.id,
      name: experiment.name,
      model: experiment.model,
      stepList: experiment.plan.stepList,
      seeds: experiment.plan.seeds,
      prompts: experiment.plan.prompts,
    },
    patchUrl: '/api/v1/runs/{runId}',
    runs: runs.map((r) => ({
      runId: r.id,
      model: experiment.model,
      steps: r.steps,
      seed: r.seed ?? '',
      prompt: r.prompt ?? '',
      negativePrompt: r.negative_prompt,
      sampler: r.sampler,
      guidance: r.guidance,
      width: r.width,
      height: r.height,
      hardware: r.hardware,
      useCase: r.use_case,
      phase: r.phase,
      durationMs: r.duration_ms,
      score: r.score,
      done: r.duration_ms !== null || r.score !== null || r.image_id !== null,
    })),
  };
}

export const PLAN_CSV_COLUMNS = [
  'run_id', 'model', 'steps', 'seed', 'prompt', 'negative_prompt', 'sampler', 'guidance', 'width', 'height',
  'hardware', 'use_case', 'phase', 'duration_ms', 'score', 'done',
] as const;

/** The plan as CSV (one row per planned render); text a spreadsheet would run as a formula is neutralised. */
export function planToCsv(plan: PlanExport): string {
  const text = (v: string | null) => (v === null ? null : neutraliseFormula(v));
  const rows = plan.runs.map((r) => [
    r.runId, text(r.model), r.steps, r.seed, text(r.prompt), text(r.negativePrompt), text(r.sampler), r.guidance, r.width, r.height,
    text(r.hardware), r.useCase, r.phase, r.durationMs, r.score, r.done ? 1 : 0,
  ]);
  return stringify(rows, { header: true, columns: [...PLAN_CSV_COLUMNS] });
}

/** A file name for a plan download, e.g. "sweetspot-plan-3.csv". */
export function planFilename(id: number, format: 'json' | 'csv'): string {
  return `sweetspot-plan-${id}.${format}`;
}

/** The values typed into one grid cell (null: empty). */
export interface CellValues {
  runId: number;
  durationMs: number | null;
  score: number | null;
}

/**
 * Saves the grid: the cells whose time or score differ from what is stored are updated in one
 * transaction; a run that is not part of the experiment is an input error naming it, and then
 * nothing is written. Returns the ids of the runs that changed.
 */
export async function fillCells(db: Db, experimentId: number, cells: readonly CellValues[]): Promise<number[]> {
  const experiment = await findExperimentById(db, experimentId);
  if (!experiment) throw new NotFoundError(`experiment ${experimentId} not found`);
  const runs = new Map((await experimentRuns(db, experimentId)).map((r) => [r.id, r]));
  const stranger = cells.filter((c) => !runs.has(c.runId));
  if (stranger.length > 0) {
    throw new InputError(
      `run ${stranger[0]!.runId} is not part of experiment ${experimentId}`,
      stranger.slice(0, 100).map((c) => ({ field: `cells[${c.runId}]`, message: `run ${c.runId} is not part of experiment ${experimentId}` })),
    );
  }
  const changed = cells.filter((c) => {
    const run = runs.get(c.runId)!;
    return run.duration_ms !== c.durationMs || run.score !== c.score;
  });
  if (changed.length === 0) return [];
  const now = new Date().toISOString();
  await db.transaction().execute((trx) => updateRunCells(trx, experiment.model_id, changed, now));
  return changed.map((c) => c.runId);
}

/** What an uploaded render says about itself, to match it with a planned run. */
export interface PlannedRenderMatch {
  /** The model's slug, or its id. */
  model: string | number;
  steps: number;
  seed: string | number | bigint;
  prompt: string;
}

function canonicalSeed(seed: string | number | bigint): string | null {
  const text = typeof seed === 'string' ? seed.trim() : typeof seed === 'bigint' ? seed.toString() : Number.isSafeInteger(seed) ? String(seed) : '';
  if (!/^-?\d{1,30}$/.test(text)) return null;
  return BigInt(text).toString();
}

/**
 * Fills a planned run from an uploaded image: finds the oldest planned run of the same model, steps,
 * seed and prompt that has no image yet and attaches the image to it. Returns the run and its
 * experiment, or null when no planned run matches (the caller then stores the render as a run of its
 * own). Works inside the caller's transaction when given one.
 */
export async function fillPlannedRunFromImage(
  db: Db,
  render: PlannedRenderMatch,
  imageId: number,
): Promise<{ runId: number; experimentId: number } | null> {
  const seed = canonicalSeed(render.seed);
  if (seed === null || !Number.isInteger(render.steps) || typeof render.prompt !== 'string') return null;
  let modelId: number;
  if (typeof render.model === 'number') modelId = render.model;
  else {
    const model = await findModelBySlug(db, render.model);
    if (!model) return null;
    modelId = model.id;
  }
  const match = { modelId, steps: render.steps, seed, prompt: render.prompt };
  const now = new Date().toISOString();
  const attach = (trx: Db) => attachImageToPlannedRun(trx, match, imageId, now);
  const run = db.isTransaction ? await attach(db) : await db.transaction().execute(attach);
  return run ? { runId: run.id, experimentId: run.experiment_id } : null;
}
