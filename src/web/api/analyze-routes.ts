import { Router } from 'express';
import { analyzePoints } from '../../services/analysis.js';
import { adHocAnalysisSchema } from '../../validation/analysis-query.js';
import { parseWith } from '../validate.js';

/** POST /analyze: the full analysis of points in the body; nothing is stored. */
export function analyzeApi(): Router {
  const router = Router();
  router.post('/', (req, res) => {
    res.json(analyzePoints(parseWith(adHocAnalysisSchema, req.body ?? {}, 'analysis request')));
  });
  return router;
}
