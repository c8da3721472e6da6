import busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import type { ImportRow } from '../../db/schema.js';
import { InputError } from '../../services/errors.js';
import { DuplicateImportError, ImportRejectedError } from '../../services/import-errors.js';
import { IMPORT_EXTENSIONS, IMPORT_MEDIA_TYPES, formatFromFilename, formatFromMediaType } from '../../services/import-formats.js';
import { getImport, importRuns, type ImportResult } from '../../services/import-runs.js';
import { RUN_CSV_HEADER } from '../../services/run-csv-columns.js';
import { wholeNumber } from '../../validation/fields.js';
import { discardBody, lastPathPart } from '../api/import-routes.js';
import { parseWith } from '../validate.js';

const pageQuery = z.object({ imported: wholeNumber('imported', 1, Number.MAX_SAFE_INTEGER).optional() });

/**
 * Reads a multipart form (field `force` before field `file`) and streams its file into the import.
 * Used when the page is posted without JavaScript; with it, the page's script sends the file to the API.
 */
function importUpload(db: Db, req: Request): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 1024 } });
    } catch {
      reject(new InputError('Send the form as multipart/form-data with the file in the field "file"'));
      return;
    }
    const fields: Record<string, string> = {};
    let started: Promise<ImportResult> | null = null;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, file, info) => {
      // A form cut short errors this stream, maybe before the import reads it: without a listener that
      // error would be uncaught and end the process. The parser's own 'error' answers the request.
      file.on('error', () => undefined);
      const filename = info.filename ? lastPathPart(info.filename) : '';
      if (name !== 'file' || started || filename === '') {
        file.resume();
        return;
      }
      const format = formatFromFilename(filename) ?? formatFromMediaType(info.mimeType);
      if (format === undefined) {
        file.resume();
        started = Promise.reject(
          new ImportRejectedError(`Cannot tell the format of ${filename}: its name must end in ${IMPORT_EXTENSIONS.join(', ')}; nothing was imported`),
        );
      } else {
        started = importRuns(db, file, { format, filename, force: fields.force === '1' });
      }
      // An import that stops early leaves the rest of the file unread: drain it so the form can finish.
      started.catch(() => file.resume());
    });
    parser.on('error', (err) => reject(new InputError(`The upload could not be read: ${(err as Error).message}`)));
    parser.on('close', () => {
      if (started) started.then(resolve, reject);
      else reject(new ImportRejectedError('Choose a file to import; nothing was imported'));
    });
    req.pipe(parser);
  });
}

export function importPages(db: Db): Router {
  const router = Router();

  function render(res: Response, status: number, locals: { imported?: ImportRow | null; rejection?: { message: string; details: readonly { field: string; message: string }[]; duplicate: boolean } | null }) {
    res.status(status).render('import', {
      title: 'Import runs',
      imported: locals.imported ?? null,
      rejection: locals.rejection ?? null,
      columns: RUN_CSV_HEADER,
      extensions: IMPORT_EXTENSIONS,
      config: { endpoint: '/api/v1/import', mediaTypes: IMPORT_MEDIA_TYPES, extensions: IMPORT_EXTENSIONS },
    });
  }

  router.get('/import', async (req, res) => {
    const { imported } = parseWith(pageQuery, req.query, 'query');
    render(res, 200, { imported: imported ? await getImport(db, imported) : null });
  });

  router.post('/import', async (req, res) => {
    try {
      const result = await importUpload(db, req);
      res.redirect(303, `/import?imported=${result.import.id}`);
    } catch (err) {
      await discardBody(req);
      if (err instanceof ImportRejectedError || err instanceof DuplicateImportError) {
        render(res, err instanceof DuplicateImportError ? 409 : 422, {
          rejection: { message: err.message, details: err instanceof ImportRejectedError ? err.details : [], duplicate: err instanceof DuplicateImportError },
        });
        return;
      }
      throw err;
    }
  });

  return router;
}
