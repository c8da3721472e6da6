import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { experimentReport } from '../../services/experiment-report.js';
import { createExperiment, exportPlan, getExperiment, listExperiments, planFilename, planToCsv } from '../../services/experiments.js';
import { archiveExperiment, deleteExperiment } from '../../services/experiments/life-cycle.js';
import { previewPlan } from '../../services/experiments/plan-preview.js';
import { renderStatus } from '../../services/render-queue/render-jobs.js';
import { experimentInputSchema } from '../../validation/experiment-input.js';
import { wholeNumber } from '../../validation/fields.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });
const booleanText = (field: string) =>
  z.enum(['true', 'false', '1', '0'], { error: `${field} must be true or false` }).transform((v) => v === 'true' || v === '1');
const listQuery = z.object({ archived: booleanText('archived').optional() });
const deleteQuery = z.object({ keepRendered: booleanText('keepRendered').optional() });

function experimentBody(body: unknown): unknown {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_body', 'Send a JSON experiment object with Content-Type: application/json');
  }
  return body;
}

/** Planned sweeps: create one (its planned runs with it), list them with progress, export a plan. */
export function experimentsApi(db: Db): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { archived } = parseWith(listQuery, req.query, 'query');
    res.json({ experiments: await listExperiments(db, 200, archived ?? false) });
  });

  router.post('/', async (req, res) => {
    const experiment = await createExperiment(db, parseWith(experimentInputSchema, experimentBody(req.body), 'experiment'));
    res.status(201).location(`/api/v1/experiments/${experiment.id}`).json(experiment);
  });

  // The same input as POST /, nothing stored: how many renders the plan makes and what they cost in time.
  router.post('/preview', async (req, res) => {
    res.json(await previewPlan(db, parseWith(experimentInputSchema, experimentBody(req.body), 'experiment')));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const { keepRendered } = parseWith(deleteQuery, req.query, 'query');
    await deleteExperiment(db, id, { keepRendered: keepRendered ?? true });
    res.status(204).end();
  });

  router.post('/:id/archive', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json(await archiveExperiment(db, id, true));
  });

  router.post('/:id/unarchive', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json(await archiveExperiment(db, id, false));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const experiment = await getExperiment(db, id);
    res.json({ ...experiment, render: await renderStatus(db, id) });
  });

  router.get('/:id/report', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json(await experimentReport(db, id));
  });

  router.get('/:id/plan.json', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const plan = await exportPlan(db, id);
    res.attachment(planFilename(id, 'json')).type('application/json').send(`${JSON.stringify(plan, null, 2)}\n`);
  });

  router.get('/:id/plan.csv', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const plan = await exportPlan(db, id);
    res.attachment(planFilename(id, 'csv')).type('text/csv; charset=utf-8').send(planToCsv(plan));
  });

  return router;
}
