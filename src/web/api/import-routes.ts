import type { Request } from 'express';
import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { DuplicateImportError, ImportRejectedError } from '../../services/import-errors.js';
import { IMPORT_MEDIA_TYPES, formatFromMediaType } from '../../services/import-formats.js';
import { importRuns } from '../../services/import-runs.js';
import { importQuerySchema } from '../../validation/import-query.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

/** The last part of a client's file name, whichever separator it used (`..\\..\\x.csv` → `x.csv`): shown only, never a path. */
export function lastPathPart(name: string): string {
  return name.split(/[\\/]/).pop() ?? '';
}

/** Reads and drops what is left of a request body, so the client gets to read the answer. */
export function discardBody(req: Request): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
    req.resume();
  });
}

/** The import's errors as the API answers them (rejected rows: 422 `import_rejected`; a duplicate: 409). */
export function importHttpError(err: unknown): unknown {
  if (err instanceof ImportRejectedError) return new HttpError(422, 'import_rejected', err.message, err.details);
  if (err instanceof DuplicateImportError) {
    return new HttpError(409, 'already_imported', err.message, [
      { field: 'file', message: `same bytes (sha256) as import #${err.previous.id}; send force=1 to import it again` },
    ]);
  }
  return err;
}

/**
 * `POST /api/v1/import`: the file is the raw body, its format chosen by Content-Type. Mounted before the
 * API's JSON parser: the body is streamed into the import, never held whole.
 */
export function importApi(db: Db): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const format = formatFromMediaType(req.headers['content-type']);
    if (format === undefined) {
      await discardBody(req);
      const accepted = Object.values(IMPORT_MEDIA_TYPES).join(', ');
      throw new HttpError(415, 'unsupported_media_type', `Send the file with Content-Type ${accepted} (got ${req.headers['content-type'] ?? 'none'})`, [
        { field: 'Content-Type', message: `must be one of: ${accepted}` },
      ]);
    }
    let query;
    try {
      query = parseWith(importQuerySchema, req.query, 'query');
    } catch (err) {
      await discardBody(req);
      throw err;
    }
    const length = req.headers['content-length'];
    try {
      const result = await importRuns(db, req, {
        format,
        filename: query.filename ? lastPathPart(query.filename) : null,
        force: query.force,
        ...(length !== undefined && /^\d+$/.test(length) ? { expectedBytes: Number(length) } : {}),
      });
      res.status(201).json(result);
    } catch (err) {
      await discardBody(req);
      throw importHttpError(err);
    }
  });

  return router;
}
