import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { listModels } from '../../services/models.js';
import { buildSettingsSheet } from '../../services/settings-sheet.js';
import { analysisQuerySchema } from '../../validation/analysis-query.js';
import { parseWith } from '../validate.js';

/** `/export`: the settings sheet as a page, with its downloads and the runs downloads. */
export function exportPages(db: Db): Router {
  const router = Router();
  router.get('/export', async (req, res) => {
    const query = parseWith(analysisQuerySchema, req.query, 'filters');
    const [sheet, models] = await Promise.all([buildSettingsSheet(db, query), listModels(db)]);
    const settingsQuery = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (Array.isArray(v)) for (const item of v) settingsQuery.append(k, String(item));
      else if (v !== undefined && v !== null) settingsQuery.set(k, String(v));
    }
    res.render('export', {
      title: 'Export',
      nav: 'export',
      sheet,
      query,
      settingsQuery: settingsQuery.toString(),
      models,
      useCases: USE_CASES,
      phases: PHASES,
    });
  });
  return router;
}
