import { createHash, type Hash } from 'node:crypto';
import os from 'node:os';
import type { Readable } from 'node:stream';
import type { Db } from '../db/connect.js';
import { inImportWording } from '../validation/user-units.js';
import { unknownModelMessage } from './unknown-model.js';
import type { ImportFormat, ImportRow, NewImportStagingRow, Source } from '../db/schema.js';
import {
  deleteStagedRows,
  findDoneImportBySha256,
  findImportById,
  insertImport,
  insertStagedRows,
  listImportsInStatus,
  markImportDone,
  markImportFailed,
  bumpImportedModels,
  lastStagedRow,
  moveStagedRowSlice,
} from '../store/imports.js';
import { listModels } from '../store/models.js';
import { issuesToDetails } from '../validation/fields.js';
import { runInputSchema } from '../validation/run-input.js';
import { DuplicateImportError, ImportRejectedError, type ImportProblem } from './import-errors.js';
import { readImportRecords, type ImportRecord, type ReadState } from './import-records.js';
import { columnForField } from './run-csv-columns.js';
import { NotFoundError } from './errors.js';
import { runFieldColumns } from './runs.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Validated rows written to staging per transaction: short enough that other requests are served between them. */
const CHUNK_ROWS = 1000;
/**
 * Staged rows moved into `runs` per statement at the end: each slice is a short synchronous statement
 * on SQLite, and the event loop gets a turn between slices, so a 400,000-row import never holds it.
 */
const MOVE_SLICE_ROWS = 5000;
/** Problems reported in full; all bad rows are counted. */
const MAX_PROBLEMS = 100;

export interface ImportProgress {
  /** Rows read so far (good and bad). */
  rows: number;
  /** Bytes of the file read so far. */
  bytes: number;
}

export interface ImportOptions {
  format: ImportFormat;
  filename?: string | null;
  /** Import even when a file with the same bytes was imported before. */
  force?: boolean;
  /** The size the source announced (Content-Length): fewer bytes means the upload was cut short. */
  expectedBytes?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  id: number;
  filename: string | null;
  format: ImportFormat;
  rows: number;
  sha256: string;
}

export interface ImportResult {
  import: ImportSummary;
  created: number;
}

/** 'csv' for CSV, 'json' for JSON and NDJSON. */
function sourceFor(format: ImportFormat): Source {
  return format === 'csv' ? 'csv' : 'json';
}

/** The file's bytes as text: hashed and counted on the way, checked to be UTF-8 (a BOM is dropped). */
async function* decodeChunks(source: AsyncIterable<Buffer | string>, hash: Hash, counter: { bytes: number }): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new ImportRejectedError(`The file is not UTF-8 text (near byte ${counter.bytes}); nothing was imported`);
    }
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(bytes);
    counter.bytes += bytes.length;
    const text = decode(bytes);
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

/** Validates one record's fields into a staging row, or says what is wrong (one problem per bad field). */
function stageRecord(
  record: ImportRecord & { fields: Record<string, unknown> },
  format: ImportFormat,
  modelIds: ReadonlyMap<string, number>,
  importId: number,
  now: string,
): { row: NewImportStagingRow; tags: readonly string[] } | { problems: ImportProblem[] } {
  const where = record.run === undefined ? { line: record.line } : { line: record.line, run: record.run };
  const parsed = runInputSchema.safeParse(record.fields);
  if (!parsed.success) {
    return {
      problems: issuesToDetails(parsed.error).map((d) => {
        const column = format === 'csv' ? columnForField(d.field) : d.field;
        return { ...where, column, message: inImportWording(column, d.message) };
      }),
    };
  }
  const input = parsed.data;
  const modelId = modelIds.get(input.model);
  if (modelId === undefined) {
    return { problems: [{ ...where, column: 'model', message: unknownModelMessage(input.model, [...modelIds.keys()]) }] };
  }
  const tags = input.tags ?? [];
  return {
    row: {
      import_id: importId,
      line: record.row,
      model_id: modelId,
      ...runFieldColumns(input),
      tags: tags.length > 0 ? tags.join(',') : null,
      created_at: input.createdAt ?? now,
    },
    tags,
  };
}

/** Deletes an import's staged rows and marks it failed, in one transaction. */
async function abandonImport(db: Db, id: number, values: { sha256: string | null; rows: number | null; message: string }) {
  await db.transaction().execute(async (trx) => {
    await deleteStagedRows(trx, id);
    await markImportFailed(trx, id, { ...values, finishedAt: new Date().toISOString() });
  });
}

/**
 * Imports the runs of a CSV, JSON or NDJSON file, all or nothing, reading `source` as a stream.
 *
 * Each row is validated as it arrives (the same schema as `POST /api/v1/runs`; models by slug, looked up
 * once). Valid rows go to a staging table in chunks, each its own short transaction, so memory stays
 * flat and other requests are served meanwhile. At the end, if any row was bad, the staged rows are
 * deleted and an ImportRejectedError reports the first 100 problems and the count of bad rows; if a
 * file with the same sha256 was imported before (and `force` is not set) a DuplicateImportError; else
 * one transaction moves the staged rows into `runs` with their tags, in slices between which the
 * event loop gets a turn (as it does after every 1,000 rows read). A process killed half-way leaves
 * only staged rows of an import still marked 'staging': `cleanUpInterruptedImports` removes them.
 */
export async function importRuns(db: Db, source: Readable, options: ImportOptions): Promise<ImportResult> {
  const { format } = options;
  const filename = options.filename ?? null;
  const startedAt = new Date().toISOString();
  const modelIds = new Map((await listModels(db)).map((m) => [m.slug, m.id]));
  const importId = await insertImport(db, { filename, format, host: os.hostname(), processId: process.pid, createdAt: startedAt });

  // Reading stops early when the file is rejected: the source is then left open (not destroyed), so
  // that the caller can still read the rest away and answer on the same connection.
  const chunks = source.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Buffer | string>;
  const hash = createHash('sha256');
  const counter = { bytes: 0 };
  const state: ReadState = { sawContent: false };
  const problems: ImportProblem[] = [];
  let total = 0;
  let invalid = 0;
  let sha256: string | null = null;
  let rows: NewImportStagingRow[] = [];
  let tags: { import_id: number; line: number; tag: string }[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const [chunkRows, chunkTags] = [rows, tags];
    rows = [];
    tags = [];
    await db.transaction().execute((trx) => insertStagedRows(trx, chunkRows, chunkTags));
  };
  const progress = () => options.onProgress?.({ rows: total, bytes: counter.bytes });

  try {
    for await (const record of readImportRecords(format, decodeChunks(chunks, hash, counter), state)) {
      total++;
      const staged = record.problem ? { problems: [record.problem] } : stageRecord(record, format, modelIds, importId, startedAt);
      if ('problems' in staged) {
        invalid++;
        for (const problem of staged.problems) if (problems.length < MAX_PROBLEMS) problems.push(problem);
        // The file will be rejected: stop writing, keep reading to report every bad row.
        rows = [];
        tags = [];
      } else if (invalid === 0) {
        rows.push(staged.row);
        for (const tag of staged.tags) tags.push({ import_id: importId, line: staged.row.line, tag });
        if (rows.length >= CHUNK_ROWS) await flush();
      }
      if (total % CHUNK_ROWS === 0) {
        progress();
        // A body that has arrived whole parses without ever waiting for I/O: let other requests in.
        await yieldToEventLoop();
      }
    }
    if (options.expectedBytes !== undefined && counter.bytes !== options.expectedBytes) {
      throw new ImportRejectedError(
        `The upload was cut short (${counter.bytes} of ${options.expectedBytes} bytes arrived); nothing was imported`,
      );
    }
    sha256 = hash.digest('hex');
    progress();
    if (total === 0) {
      throw new ImportRejectedError(
        state.sawContent ? 'The file has no rows: nothing was imported' : 'The file is empty: nothing was imported',
        [{ line: null, column: null, message: state.sawContent ? 'no rows' : 'empty file' }],
      );
    }
    if (invalid > 0) {
      throw new ImportRejectedError(`${invalid} of ${total} rows are invalid; nothing was imported`, problems, invalid, total);
    }
    await flush();

    const finishedAt = new Date().toISOString();
    const digest = sha256;
    const created = await db.transaction().execute(async (trx) => {
      if (!options.force) {
        const previous = await findDoneImportBySha256(trx, digest);
        if (previous) throw new DuplicateImportError(previous);
      }
      await bumpImportedModels(trx, importId);
      const last = await lastStagedRow(trx, importId);
      let moved = 0;
      for (let from = 0; from <= last; from += MOVE_SLICE_ROWS) {
        moved += await moveStagedRowSlice(trx, importId, sourceFor(format), finishedAt, from, from + MOVE_SLICE_ROWS);
        await deleteStagedRows(trx, importId, { fromRow: from, toRow: from + MOVE_SLICE_ROWS });
        // Still one transaction (all or nothing), but other requests are served between slices.
        await yieldToEventLoop();
      }
      if (moved !== total) throw new Error(`import #${importId}: ${total} rows were read but ${moved} were staged`);
      if (!(await markImportDone(trx, importId, { sha256: digest, rows: total, finishedAt }))) {
        throw new Error(`import #${importId} was cleaned up as interrupted while it ran`);
      }
      await deleteStagedRows(trx, importId);
      return moved;
    });
    return { import: { id: importId, filename, format, rows: total, sha256: digest }, created };
  } catch (err) {
    // Wait until the source is let go of (a read in flight ends first): only then can it be drained.
    await chunks.return?.().catch(() => undefined);
    // Should this fail too, the import stays 'staging' and the next start-up's clean-up removes it.
    await abandonImport(db, importId, { sha256, rows: total, message: err instanceof Error ? err.message : String(err) }).catch(
      () => undefined,
    );
    throw err;
  }
}

export async function getImport(db: Db, id: number): Promise<ImportRow> {
  const row = await findImportById(db, id);
  if (!row) throw new NotFoundError(`import ${id} not found`);
  return row;
}

/** Whether the process with this id still runs on this host (a zombie or another user's process counts). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An import of another host is presumed dead after this long. */
const FOREIGN_IMPORT_TIMEOUT_MS = 24 * 3600 * 1000;

function isInterrupted(row: ImportRow, now: number): boolean {
  if (row.host === os.hostname() && row.process_id !== null) {
    return row.process_id === process.pid || !processIsAlive(row.process_id);
  }
  return now - Date.parse(row.created_at) > FOREIGN_IMPORT_TIMEOUT_MS;
}

/**
 * Removes what interrupted imports left behind (a process killed while it staged rows): their staged
 * rows are deleted and they are marked failed. An import still being staged by a live process on this
 * host is left alone. Call it at start-up, before any import of this process begins; returns how many
 * imports were cleaned up.
 */
export async function cleanUpInterruptedImports(db: Db): Promise<number> {
  const now = Date.now();
  const interrupted = (await listImportsInStatus(db, 'staging')).filter((row) => isInterrupted(row, now));
  for (const row of interrupted) {
    await abandonImport(db, row.id, { sha256: null, rows: null, message: 'interrupted: the importing process ended before the import finished' });
  }
  return interrupted.length;
}
