import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { loadComparison } from '../../services/compare.js';
import { compareQuerySchema } from '../../validation/compare-query.js';
import { compareCharts, describeFront } from '../compare-charts.js';
import { parseWith } from '../validate.js';

/** GET /compare: chosen models' curves overlaid, the Pareto front of time and quality, the budget planner. */
export function comparePages(db: Db): Router {
  const router = Router();

  router.get('/compare', async (req, res) => {
    const query = parseWith(compareQuerySchema, req.query, 'query');
    const comparison = await loadComparison(db, query);
    res.render('compare', {
      title: 'Compare models',
      comparison,
      charts: compareCharts(comparison),
      frontSummary: describeFront(comparison.front),
      x: query.x ?? 'steps',
      values: {
        images: query.images ?? '',
        minutes: query.minutes ?? '',
        drafts: query.drafts ?? '',
      },
    });
  });

  return router;
}
