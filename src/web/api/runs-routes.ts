import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { createRun, createRuns, deleteRun, getRun, updateRun } from '../../services/runs.js';
import { listRunsByQuery } from '../../services/run-listing.js';
import { readPlainRunBatch, readPlainRunInput } from '../../validation/plain-run-input.js';
import { runBatchSchema, runInputSchema, runPatchSchema } from '../../validation/run-input.js';
import { runQuerySchema } from '../../validation/run-query.js';
import { wholeNumber } from '../../validation/fields.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });

export function runsApi(db: Db): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseWith(runQuerySchema, req.query, 'query');
    res.json(await listRunsByQuery(db, query));
  });

  router.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new HttpError(400, 'invalid_body', 'Send a JSON run object or an array of runs with Content-Type: application/json');
    }
    if (Array.isArray(body)) {
      const runs = readPlainRunBatch(body) ?? parseWith(runBatchSchema, body, 'batch');
      const ids = await createRuns(db, runs, 'api');
      res.status(201).json({ created: ids.length, ids });
      return;
    }
    const run = await createRun(db, readPlainRunInput(body) ?? parseWith(runInputSchema, body, 'run'), 'api');
    res.status(201).location(`/api/v1/runs/${run.id}`).json(run);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    res.json(await getRun(db, id));
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    res.json(await updateRun(db, id, parseWith(runPatchSchema, req.body ?? {}, 'changes')));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    await deleteRun(db, id);
    res.status(204).end();
  });

  return router;
}
