import { Router, type Response } from 'express';
import type { Db } from '../../db/connect.js';
import { buildSettingsSheet } from '../../services/settings-sheet.js';
import { settingsToCsv, settingsToJson, settingsToMarkdown } from '../../services/settings-formats.js';
import { analysisQuerySchema } from '../../validation/analysis-query.js';
import { parseWith } from '../validate.js';

const FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', render: settingsToMarkdown },
  json: { type: 'application/json; charset=utf-8', render: settingsToJson },
  csv: { type: 'text/csv; charset=utf-8', render: settingsToCsv },
} as const;

function attachment(res: Response, ext: string) {
  res.attachment(`sweetspot-settings-${new Date().toISOString().slice(0, 10)}.${ext}`);
}

/** GET /export/settings.{md,json,csv}: the documented settings per model (and per use case). */
export function settingsExportApi(db: Db): Router {
  const router = Router();
  for (const [ext, format] of Object.entries(FORMATS)) {
    router.get(`/settings.${ext}`, async (req, res) => {
      const sheet = await buildSettingsSheet(db, parseWith(analysisQuerySchema, req.query, 'query'));
      attachment(res, ext);
      res.type(format.type).send(format.render(sheet));
    });
  }
  return router;
}
