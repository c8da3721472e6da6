import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { createModel, listModels, getModel, updateModel } from '../../services/models.js';
import { analyzeModel, sweetSpotHistory } from '../../services/analysis.js';
import { analysisQuerySchema } from '../../validation/analysis-query.js';
import { modelInputSchema, modelPatchSchema } from '../../validation/model-input.js';
import { slug } from '../../validation/fields.js';
import { parseWith } from '../validate.js';

const slugParam = z.object({ slug: slug('slug') });

export function modelsApi(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ models: await listModels(db) });
  });

  router.post('/', async (req, res) => {
    const model = await createModel(db, parseWith(modelInputSchema, req.body ?? {}, 'model'));
    res.status(201).location(`/api/v1/models/${model.slug}`).json(model);
  });

  router.get('/:slug', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model slug');
    res.json(await getModel(db, s));
  });

  router.patch('/:slug', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model slug');
    res.json(await updateModel(db, s, parseWith(modelPatchSchema, req.body ?? {}, 'changes')));
  });

  router.get('/:slug/analysis', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model slug');
    res.json(await analyzeModel(db, s, parseWith(analysisQuerySchema, req.query, 'query')));
  });

  router.get('/:slug/history', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model slug');
    res.json({ history: await sweetSpotHistory(db, s, parseWith(analysisQuerySchema, req.query, 'query')) });
  });

  return router;
}
