import express, { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { experimentReport } from '../../services/experiment-report.js';
import { createExperiment, fillCells, getExperiment, listExperiments, type CellValues, type ExperimentCell } from '../../services/experiments.js';
import { listModels } from '../../services/models.js';
import { distinctHardware } from '../../store/runs.js';
import { cellValuesSchema, experimentInputSchema } from '../../validation/experiment-input.js';
import { issuesToDetails, wholeNumber } from '../../validation/fields.js';
import { InputError } from '../../services/errors.js';
import { parseWith } from '../validate.js';
import { formErrors, formValues } from './form-errors.js';
import { readLastSettings } from './last-settings.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });
const detailQuery = z.object({ saved: wholeNumber('saved', 0, 1_000_000).optional() });

/** The experiment form. */
const planForm = express.urlencoded({ extended: false, limit: '1mb' });
/** The grid: two fields per planned render (a plan holds at most 10,000). */
const gridForm = express.urlencoded({ extended: false, limit: '4mb', parameterLimit: 25_000 });

const TEXT_FIELDS = ['name', 'model', 'steps', 'seeds', 'negativePrompt', 'sampler', 'guidance', 'width', 'height', 'hardware', 'useCase', 'phase', 'notes'] as const;

/** The experiment form as the API's input: one prompt per line, blank fields left out. */
export function experimentInputFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && value.trim() !== '') input[field] = value;
  }
  // `steps` and `seeds` are required: send them blank so the error names them.
  input.steps ??= '';
  input.seeds ??= '';
  const prompts = typeof body.prompts === 'string' ? body.prompts : '';
  input.prompts = prompts
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return input;
}

/** A row of the fill-in grid: one prompt + seed block, its cells by step count. */
interface GridRow {
  prompt: string;
  promptIndex: number;
  seed: string;
  /** One entry per planned step count (null where the run was deleted). */
  cells: (ExperimentCell | null)[];
}

function gridRows(steps: readonly number[], cells: readonly ExperimentCell[]): GridRow[] {
  const rows = new Map<string, GridRow>();
  const column = new Map(steps.map((s, i) => [s, i]));
  for (const cell of cells) {
    const key = `${cell.promptIndex}\u001f${cell.seed}\u001f${cell.prompt}`;
    let row = rows.get(key);
    if (!row) {
      row = { prompt: cell.prompt, promptIndex: cell.promptIndex, seed: cell.seed, cells: steps.map(() => null) };
      rows.set(key, row);
    }
    const i = column.get(cell.steps);
    if (i !== undefined) row.cells[i] = cell;
  }
  return [...rows.values()];
}

/** Seconds as typed in the grid (at most three decimals). */
function seconds(ms: number | null): string {
  return ms === null ? '' : String(Math.round(ms) / 1000);
}

/**
 * Reads the grid's post: `d_<runId>` (seconds) and `s_<runId>` (score) for every cell. Each bad cell
 * is named by its form field; then nothing is saved.
 */
function cellsFromForm(body: Record<string, unknown>): { cells: CellValues[]; errors: Record<string, string> } {
  const ids = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^[ds]_(\d{1,15})$/.exec(key);
    if (match) ids.add(Number(match[1]));
  }
  const cells: CellValues[] = [];
  const errors: Record<string, string> = {};
  for (const runId of [...ids].sort((a, b) => a - b)) {
    const rawSeconds = body[`d_${runId}`];
    const rawScore = body[`s_${runId}`];
    let durationMs: unknown = null;
    if (typeof rawSeconds === 'string' && rawSeconds.trim() !== '') {
      const n = Number(rawSeconds.trim().replace(',', '.'));
      durationMs = Number.isFinite(n) ? Math.round(n * 1000) : rawSeconds;
    }
    const score = typeof rawScore === 'string' ? rawScore.trim().replace(',', '.') : null;
    const parsed = cellValuesSchema.safeParse({ durationMs, score });
    if (!parsed.success) {
      for (const d of issuesToDetails(parsed.error)) {
        const field = d.field === 'durationMs' ? `d_${runId}` : `s_${runId}`;
        errors[field] ??= d.field === 'durationMs' ? 'time must be a number of seconds from 0 to 604800' : d.message;
      }
      continue;
    }
    cells.push({ runId, durationMs: parsed.data.durationMs ?? null, score: parsed.data.score ?? null });
  }
  return { cells, errors };
}

export function experimentPages(db: Db): Router {
  const router = Router();

  async function renderList(res: Response, values: Record<string, string>, errors: Record<string, string>, status = 200) {
    const [experiments, models, hardwareOptions] = await Promise.all([listExperiments(db), listModels(db), distinctHardware(db)]);
    res.status(status).render('experiments', {
      title: 'Experiments',
      experiments,
      models,
      hardwareOptions,
      useCases: USE_CASES,
      phases: PHASES,
      values,
      errors,
    });
  }

  router.get('/experiments', async (req, res) => {
    const last = readLastSettings(req);
    const values: Record<string, string> = { steps: '10-50 (+5)', seeds: '3' };
    for (const key of ['model', 'hardware', 'useCase', 'phase'] as const) if (last[key]) values[key] = last[key]!;
    // "Plan this" on a report links here with ?model=SLUG&steps=A,B,C: prefill the form with them
    // (the form validates them as usual when sent; nothing is created by the link itself).
    const { model, steps } = req.query;
    if (typeof model === 'string' && model.length > 0 && model.length <= 100) values.model = model;
    if (typeof steps === 'string' && /^[\d ,+()-]{1,200}$/.test(steps)) values.steps = steps;
    await renderList(res, values, {});
  });

  router.post('/experiments', planForm, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const experiment = await createExperiment(db, parseWith(experimentInputSchema, experimentInputFromForm(body), 'experiment'));
      res.redirect(303, `/experiments/${experiment.id}`);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderList(res, formValues(body), errors, 422);
    }
  });

  async function renderExperiment(
    res: Response,
    id: number,
    options: { values?: Record<string, string>; errors?: Record<string, string>; saved?: number; status?: number },
  ) {
    const [experiment, report] = await Promise.all([getExperiment(db, id), experimentReport(db, id)]);
    const values: Record<string, string> = {};
    for (const cell of experiment.cells) {
      values[`d_${cell.runId}`] = seconds(cell.durationMs);
      values[`s_${cell.runId}`] = cell.score === null ? '' : String(cell.score);
    }
    Object.assign(values, options.values ?? {});
    res.status(options.status ?? 200).render('experiment', {
      title: experiment.name,
      experiment,
      report,
      steps: experiment.plan.steps,
      rows: gridRows(experiment.plan.steps, experiment.cells),
      values,
      errors: options.errors ?? {},
      saved: options.saved ?? null,
    });
  }

  router.get('/experiments/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const { saved } = parseWith(detailQuery, req.query, 'query');
    await renderExperiment(res, id, saved !== undefined ? { saved } : {});
  });

  router.post('/experiments/:id/cells', gridForm, async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { cells, errors } = cellsFromForm(body);
    try {
      if (Object.keys(errors).length > 0) {
        const fields = Object.keys(errors);
        throw new InputError(`${fields.length} cell${fields.length === 1 ? '' : 's'} could not be read: nothing was saved`, fields.map((field) => ({ field, message: errors[field]! })));
      }
      const changed = await fillCells(db, id, cells);
      res.redirect(303, `/experiments/${id}?saved=${changed.length}`);
    } catch (err) {
      const shown = formErrors(err);
      if (!shown) throw err;
      await renderExperiment(res, id, { values: formValues(body), errors: shown, status: 422 });
    }
  });

  return router;
}
