import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { createModel, describeGuideRange, getModel, listModels, updateModel } from '../../services/models.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { loadModelReport } from '../../services/model-report.js';
import { analysisQuerySchema, SWEET_SPOT_RULES } from '../../validation/analysis-query.js';
import { historyTable, reportCharts } from '../report-charts.js';
import { REPORT_FILTER_KEYS, reportFilterValues, reportQueryInput } from './report-query.js';
import { slug } from '../../validation/fields.js';
import { modelInputSchema, modelPatchSchema } from '../../validation/model-input.js';
import { toHttpError } from '../error-handler.js';
import { parseWith } from '../validate.js';
import { modelInputFromForm } from './form-input.js';
import { formErrors, formValues } from './form-errors.js';
import { loadGallery } from '../../services/gallery.js';

/** Rows of the X/Y gallery shown on the report itself (the gallery page shows them all). */
const REPORT_GALLERY_ROWS = 4;

const slugParam = z.object({ slug: slug('slug') });

export function modelPages(db: Db): Router {
  const router = Router();

  async function renderList(res: import('express').Response, values: Record<string, string>, errors: Record<string, string>, status = 200) {
    const models = await listModels(db);
    res.status(status).render('models', {
      title: 'Models',
      models: models.map((m) => ({ ...m, guideLabel: describeGuideRange(m.guide) })),
      values,
      errors,
    });
  }

  router.get('/models', async (_req, res) => renderList(res, {}, {}));

  router.post('/models', async (req, res) => {
    try {
      const model = await createModel(db, parseWith(modelInputSchema, modelInputFromForm(req.body ?? {}), 'model'));
      res.redirect(303, `/models/${model.slug}`);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderList(res, formValues(req.body), errors, toHttpError(err).status);
    }
  });

  router.get('/models/:slug', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model');
    const model = await getModel(db, s);
    const values = reportFilterValues(req.query);
    const query = parseWith(analysisQuerySchema, reportQueryInput(values), 'filters');
    const report = await loadModelReport(db, s, query);
    const gallery = await loadGallery(db, s);
    const { charts, missing } = reportCharts(report);
    res.render('model', {
      title: model.name,
      model,
      report,
      a: report.analysis,
      charts,
      missing,
      history: historyTable(report),
      values,
      filtered: Object.keys(values).some((k) => REPORT_FILTER_KEYS.includes(k as never)),
      useCases: USE_CASES,
      phases: PHASES,
      rules: SWEET_SPOT_RULES,
      gallery: { ...gallery, rows: gallery.rows.slice(0, REPORT_GALLERY_ROWS) },
    });
  });

  async function renderEdit(res: import('express').Response, s: string, values: Record<string, string> | null, errors: Record<string, string>, status = 200) {
    const model = await getModel(db, s);
    res.status(status).render('edit-model', { title: `Edit ${model.name}`, model, values, errors });
  }

  router.get('/models/:slug/edit', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model');
    await renderEdit(res, s, null, {});
  });

  router.post('/models/:slug', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model');
    try {
      await updateModel(db, s, parseWith(modelPatchSchema, modelInputFromForm(req.body ?? {}, { partial: true }), 'model'));
      res.redirect(303, `/models/${s}`);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderEdit(res, s, formValues(req.body), errors, 422);
    }
  });

  return router;
}
