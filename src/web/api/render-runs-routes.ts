import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { cancelRenderJob, pauseRenderJob, renderStatus, resumeRenderJob, startRenderJob } from '../../services/render-queue/render-jobs.js';
import { wholeNumber } from '../../validation/fields.js';
import { renderRunInputSchema } from '../../validation/render-run-input.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });

/**
 * Rendering an experiment's plan on its renderers: start (202, the job runs in the background),
 * pause, resume, cancel, and the progress. Mounted beside experimentsApi under /experiments.
 */
export function renderRunsApi(db: Db, config: Pick<Config, 'dataDir'>): Router {
  const router = Router();

  router.post('/:id/run', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'invalid_body', 'Send a JSON object { renderers: [id, …], mode: "grid" } with Content-Type: application/json');
    }
    const input = parseWith(renderRunInputSchema, body, 'run');
    if (input.mode !== 'grid') {
      throw new HttpError(422, 'invalid_input', 'Invalid run: mode: only "grid" is available so far (every planned run is rendered); the adaptive mode is not built yet', [
        { field: 'mode', message: 'only "grid" is available so far' },
      ]);
    }
    const { jobId, status } = await startRenderJob(db, config, id, { renderers: input.renderers, mode: 'grid' });
    res.status(202).location(`/api/v1/experiments/${id}/render`).json({ jobId, render: status });
  });

  router.get('/:id/render', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json({ render: await renderStatus(db, id) });
  });

  router.post('/:id/pause', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json({ render: await pauseRenderJob(db, id) });
  });

  router.post('/:id/resume', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.status(202).json({ render: await resumeRenderJob(db, config, id) });
  });

  router.post('/:id/cancel', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'experiment id');
    res.json({ render: await cancelRenderJob(db, id) });
  });

  return router;
}
