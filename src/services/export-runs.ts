import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/connect.js';
import { listRunsAfterId, tagsForRuns, type RunFilter, type RunWithModel } from '../store/runs.js';
import { NUMERIC_COLUMNS, RUN_CSV_COLUMNS, RUN_CSV_HEADER, neutraliseFormula } from './run-csv-columns.js';
import { runRowToRun, type Run } from './run-view.js';

export const RUN_EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type RunExportFormat = (typeof RUN_EXPORT_FORMATS)[number];

export const RUN_EXPORT_CONTENT_TYPES: Readonly<Record<RunExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Rows read per query: large enough to amortise the query, small enough to keep memory flat. */
const BATCH_SIZE = 500;

/**
 * A run as exported: the fields `POST /api/v1/runs` and the import take (camelCase, `model` is the
 * slug), in the CSV's column order. No id or update time, so an export imported elsewhere and exported
 * again is byte for byte the same.
 */
export type ExportedRun = Pick<
  Run,
  | 'model' | 'steps' | 'durationMs' | 'score' | 'seed' | 'prompt' | 'negativePrompt' | 'sampler' | 'guidance'
  | 'width' | 'height' | 'hardware' | 'useCase' | 'phase' | 'tags' | 'notes' | 'createdAt'
>;

/** The run as the API shows it, less what an export leaves out (same field order). */
function runRowToExportedRun(row: RunWithModel, tags: readonly string[]): ExportedRun {
  const { id: _id, modelName: _name, experimentId: _experiment, source: _source, updatedAt: _updated, ...exported } = runRowToRun(row, tags);
  return exported;
}

/** `sweetspot-runs-2026-11-25.csv` (the date in UTC). */
export function runsExportFilename(format: RunExportFormat, now: Date = new Date()): string {
  return `sweetspot-runs-${now.toISOString().slice(0, 10)}.${format}`;
}

/** The CSV cells of a run: numbers stay numbers, text is neutralised, tags are joined by ','. */
function csvCells(run: ExportedRun): (string | number | null)[] {
  return RUN_CSV_COLUMNS.map(([column, field]) => {
    const value = field === 'tags' ? (run.tags.length > 0 ? run.tags.join(',') : null) : run[field];
    if (value === null || typeof value === 'number' || NUMERIC_COLUMNS.has(column)) return value;
    return neutraliseFormula(value);
  });
}

/** Writes `text`, then waits for 'drain' when the stream's buffer is full; rejects if the stream closes first. */
function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the export was cancelled: the output closed'));
  if (out.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
    };
    const onDrain = () => {
      cleanUp();
      resolve();
    };
    const onClose = () => {
      cleanUp();
      reject(new Error('the export was cancelled: the output closed'));
    };
    const onError = (err: Error) => {
      cleanUp();
      reject(err);
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

/**
 * Streams the runs matching `filter` to `out` as CSV, a JSON array or NDJSON, in id order. Reads the
 * store in keyset batches and waits for the output to drain, so memory stays flat however many runs
 * there are. Does not end `out`. Returns how many runs were written.
 */
export async function writeRunsExport(db: Db, filter: RunFilter, format: RunExportFormat, out: Writable): Promise<number> {
  let written = 0;
  let afterId = 0;
  if (format === 'csv') await write(out, stringify([RUN_CSV_HEADER as string[]]));
  if (format === 'json') await write(out, '[');
  for (;;) {
    const rows = await listRunsAfterId(db, filter, afterId, BATCH_SIZE);
    if (rows.length === 0) break;
    const tags = await tagsForRuns(db, rows.map((r) => r.id));
    const runs = rows.map((row) => runRowToExportedRun(row, tags.get(row.id) ?? []));
    let text: string;
    if (format === 'csv') {
      text = stringify(runs.map(csvCells));
    } else if (format === 'json') {
      text = runs.map((run, i) => `${written + i === 0 ? '\n' : ',\n'}${JSON.stringify(run)}`).join('');
    } else {
      text = runs.map((run) => `${JSON.stringify(run)}\n`).join('');
    }
    await write(out, text);
    written += rows.length;
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < BATCH_SIZE) break;
  }
  if (format === 'json') await write(out, written === 0 ? ']\n' : '\n]\n');
  return written;
}
