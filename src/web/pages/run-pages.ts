import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { stepWarnings } from '../../analysis/guide-warnings.js';
import { listModels } from '../../services/models.js';
import { createRun, deleteRun, getRun, updateRun } from '../../services/runs.js';
import { listRunsByQuery } from '../../services/run-listing.js';
import { distinctHardware } from '../../store/runs.js';
import { slug, wholeNumber } from '../../validation/fields.js';
import { runInputSchema, runPatchSchema } from '../../validation/run-input.js';
import { runQuerySchema } from '../../validation/run-query.js';
import { parseWith } from '../validate.js';
import { formFieldName, runInputFromForm } from './form-input.js';
import { formErrors, formValues } from './form-errors.js';
import { readLastSettings, rememberSettings } from './last-settings.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });
const logFormQuery = z.object({
  logged: wholeNumber('logged', 1, Number.MAX_SAFE_INTEGER).optional(),
  model: slug('model').optional(),
});

export function runPages(db: Db): Router {
  const router = Router();

  async function renderLogForm(req: Request, res: import('express').Response, options: { values: Record<string, string>; errors: Record<string, string>; status?: number; loggedId?: number }) {
    const models = await listModels(db);
    const logged = options.loggedId ? await getRun(db, options.loggedId).catch(() => null) : null;
    const loggedModel = logged ? models.find((m) => m.slug === logged.model) : undefined;
    const warnings = logged && loggedModel ? stepWarnings(logged.steps, logged.phase as never, loggedModel.guide, loggedModel.name) : [];
    res.status(options.status ?? 200).render('log-run', {
      title: 'Log a run',
      models,
      hardwareOptions: await distinctHardware(db),
      useCases: USE_CASES,
      phases: PHASES,
      values: options.values,
      errors: options.errors,
      logged,
      warnings,
    });
  }

  router.get('/runs/new', async (req, res) => {
    const { logged, model } = parseWith(logFormQuery, req.query, 'query');
    const values: Record<string, string> = { ...readLastSettings(req), ...(model ? { model } : {}) };
    await renderLogForm(req, res, { values, errors: {}, ...(logged ? { loggedId: logged } : {}) });
  });

  router.post('/runs', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const input = parseWith(runInputSchema, runInputFromForm(body), 'run');
      const run = await createRun(db, input, 'form');
      rememberSettings(res, body);
      res.redirect(303, `/runs/new?logged=${run.id}`);
    } catch (err) {
      const errors = formErrors(err, formFieldName);
      if (!errors) throw err;
      await renderLogForm(req, res, { values: formValues(body), errors, status: 422 });
    }
  });

  router.get('/runs', async (req, res) => {
    const query = parseWith(runQuerySchema, req.query, 'filters');
    const [page, models, hardwareOptions] = await Promise.all([listRunsByQuery(db, query), listModels(db), distinctHardware(db)]);
    res.render('runs', {
      title: 'Runs',
      page,
      query,
      models,
      hardwareOptions,
      useCases: USE_CASES,
      phases: PHASES,
    });
  });

  async function renderEditForm(res: import('express').Response, id: number, values: Record<string, string> | null, errors: Record<string, string>, status = 200) {
    const run = await getRun(db, id);
    res.status(status).render('edit-run', {
      title: `Edit run ${run.id}`,
      run,
      values,
      errors,
      models: await listModels(db),
      hardwareOptions: await distinctHardware(db),
      useCases: USE_CASES,
      phases: PHASES,
    });
  }

  router.get('/runs/:id/edit', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    await renderEditForm(res, id, null, {});
  });

  router.post('/runs/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await updateRun(db, id, parseWith(runPatchSchema, runInputFromForm(body, { partial: true }), 'run'));
      res.redirect(303, `/runs?updated=${id}`);
    } catch (err) {
      const errors = formErrors(err, formFieldName);
      if (!errors) throw err;
      await renderEditForm(res, id, formValues(body), errors, 422);
    }
  });

  router.post('/runs/:id/delete', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    await deleteRun(db, id);
    res.redirect(303, '/runs?deleted=1');
  });

  return router;
}
