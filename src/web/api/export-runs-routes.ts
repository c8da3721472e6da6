import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { RUN_EXPORT_CONTENT_TYPES, RUN_EXPORT_FORMATS, runsExportFilename, writeRunsExport } from '../../services/export-runs.js';
import { runFilterFromQuery } from '../../services/run-listing.js';
import { runExportQuerySchema } from '../../validation/run-export-query.js';
import { parseWith } from '../validate.js';

/** `GET /api/v1/export/runs.{csv,json,ndjson}`: the runs matching the list's filters, streamed. */
export function runsExportApi(db: Db): Router {
  const router = Router();

  for (const format of RUN_EXPORT_FORMATS) {
    router.get(`/runs.${format}`, async (req, res) => {
      const filter = await runFilterFromQuery(db, parseWith(runExportQuerySchema, req.query, 'query'));
      res.status(200);
      res.set({
        'Content-Type': RUN_EXPORT_CONTENT_TYPES[format],
        'Content-Disposition': `attachment; filename="${runsExportFilename(format)}"`,
        'Cache-Control': 'no-store',
      });
      try {
        await writeRunsExport(db, filter, format, res);
      } catch (err) {
        // The client went away: nothing is left to answer.
        if (res.destroyed) return;
        throw err;
      }
      res.end();
    });
  }

  return router;
}
