import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import type { AdaptiveTarget } from '../../services/render-queue/adaptive-rounds.js';
import { cancelRenderJob, pauseRenderJob, renderStatus, resumeRenderJob, startRenderJob, type RenderRunRequest } from '../../services/render-queue/render-jobs.js';
import { wholeNumber } from '../../validation/fields.js';
import { renderRunInputSchema, type RenderRunInput } from '../../validation/render-run-input.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

/** The target without its absent fields (the service reads "given" as "present"). */
function definedTarget(target: RenderRunInput['target']): AdaptiveTarget {
  const out: AdaptiveTarget = {};
  if (target?.halfWidth != null) out.halfWidth = target.halfWidth;
  if (target?.maxRenders != null) out.maxRenders = target.maxRenders;
  if (target?.maxMinutes != null) out.maxMinutes = target.maxMinutes;
  return out;
}

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
      throw new HttpError(400, 'invalid_body', 'Send a JSON object { renderers: [id, …], mode: "grid" | "adaptive", target?, metric? } with Content-Type: application/json');
    }
    const input = parseWith(renderRunInputSchema, body, 'run');
    const request: RenderRunRequest =
      input.mode === 'adaptive'
        ? { renderers: input.renderers, mode: 'adaptive', target: definedTarget(input.target), metric: input.metric }
        : { renderers: input.renderers, mode: 'grid' };
    const { jobId, status } = await startRenderJob(db, config, id, request);
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
