import type { ErrorRequestHandler } from 'express';
import { DISK_FULL_MESSAGE, isDiskFullError } from '../services/disk-full.js';
import { ConflictError, InputError, NotFoundError } from '../services/errors.js';
import { HttpError } from './http-error.js';
import { PoolBusyError } from '../workers/worker-pool.js';
import { AnalysisBudgetError } from '../services/analysis-budget.js';

/** A file-system or SQLite refusal to write: the storage's fault, not the request's. */
function isUnwritableError(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY');
}

/** Maps any thrown error to an HttpError; the unexpected become a plain 500 that reveals nothing. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof InputError) return new HttpError(422, 'invalid_input', err.message, err.details);
  if (err instanceof NotFoundError) return new HttpError(404, 'not_found', err.message);
  if (err instanceof ConflictError) return new HttpError(409, 'conflict', err.message);
  if (err instanceof PoolBusyError) return new HttpError(503, 'busy', err.message);
  if (err instanceof AnalysisBudgetError) return new HttpError(429, 'too_many_analyses', err.message);
  if (isDiskFullError(err)) return new HttpError(507, 'disk_full', DISK_FULL_MESSAGE);
  if (isUnwritableError(err)) {
    return new HttpError(500, 'storage_unwritable', 'The server cannot write to its storage (a permission or a read-only disk): nothing was saved. The administrator will find the path in the log.');
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    return new HttpError(400, 'malformed_json', `The body is not valid JSON: ${e.message ?? 'parse error'}`);
  }
  if (e?.type === 'entity.too.large') return new HttpError(413, 'too_large', 'The body is too large');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, 'bad_request', 'The request could not be read');
  }
  return new HttpError(500, 'internal', 'Something went wrong on our side; the error has been logged.');
}

export interface ErrorHandlerOptions {
  /** Where unexpected errors are reported (stderr by default). */
  log?: (err: unknown) => void;
}

/** The one error handler: JSON `{ error: { code, message, details } }` under /api, a page elsewhere. */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  const log = options.log ?? ((err: unknown) => console.error(err));
  return function handleError(err, req, res, next) {
    if (res.headersSent) return next(err);
    const httpError = toHttpError(err);
    if (httpError.status >= 500) log(err);
    res.status(httpError.status);
    if (req.originalUrl.startsWith('/api/')) {
      res.json({ error: { code: httpError.code, message: httpError.message, details: httpError.details } });
      return;
    }
    res.render('error', {
      title: httpError.status === 404 ? 'Not found' : httpError.status === 507 ? 'The disk is full' : 'Something is not right',
      status: httpError.status,
      message: httpError.message,
      details: httpError.details,
    });
  };
}
