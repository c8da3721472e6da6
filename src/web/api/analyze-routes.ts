import { Router } from 'express';
import { analyzePoints } from '../../services/analysis.js';
import { adHocAnalysisSchema } from '../../validation/analysis-query.js';
import { parseWith } from '../validate.js';

/** POST /analyze: the full analysis of points in the body; nothing is stored. */
export function analyzeApi(): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.json(await analyzePoints(parseWith(adHocAnalysisSchema, req.body ?? {}, 'analysis request')));
  });
  return router;
}
