import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { RUN_EXPORT_CONTENT_TYPES, RUN_EXPORT_FORMATS, runsExportFilename, writeRunsExport } from '../../services/export-runs.js';
import { describeRunFilters, runFilterFromQuery } from '../../services/run-listing.js';
import { runExportQuerySchema } from '../../validation/run-export-query.js';
import { parseWith } from '../validate.js';

/** `GET /api/v1/export/runs.{csv,json,ndjson}`: the runs matching the list's filters, streamed. */
export function runsExportApi(db: Db): Router {
  const router = Router();

  for (const format of RUN_EXPORT_FORMATS) {
    router.get(`/runs.${format}`, async (req, res) => {
      const query = parseWith(runExportQuerySchema, req.query, 'query');
      const filter = await runFilterFromQuery(db, query);
      res.status(200);
      res.set({
        // The file itself stays plain rows for scripts; the filters it was made with travel beside it.
        'X-Sweetspot-Filters': describeRunFilters(query),
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
