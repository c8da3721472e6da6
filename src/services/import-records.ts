import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { ImportFormat } from '../db/schema.js';
import { ImportRejectedError, type ImportProblem } from './import-errors.js';
import { splitJsonArray, JsonShapeError } from './json-array-splitter.js';
import { NUMERIC_COLUMNS, RUN_CSV_HEADER, columnForHeader, fieldForColumn, restoreFormula, type RunCsvColumn } from './run-csv-columns.js';

/**
 * One row of an import file: the run's fields as written (camelCase keys, values not yet validated),
 * or the reason the row could not even be read. `line` is where the row starts in the file (the CSV
 * header is line 1); `row` numbers the rows uniquely (CSV: as a spreadsheet does, header = 1; JSON and
 * NDJSON: the n-th run).
 */
export type ImportRecord =
  | { line: number; row: number; run?: number; fields: Record<string, unknown>; problem?: undefined }
  | { line: number; row: number; run?: number; fields?: undefined; problem: ImportProblem };

/** Whether the file held anything but whitespace (to tell "empty" from "no rows"). */
export interface ReadState {
  sawContent: boolean;
}

/** A run object or NDJSON line longer than this is refused (the largest valid run is about 60,000 characters). */
export const MAX_RECORD_LENGTH = 1 << 20;

/**
 * Fields of the API's run objects that an import does not set: a page of `GET /api/v1/runs` or an
 * older export can be imported as it is.
 */
const READ_ONLY_FIELDS = ['id', 'modelName', 'experimentId', 'source', 'updatedAt'];

export function readImportRecords(format: ImportFormat, text: AsyncIterable<string>, state: ReadState): AsyncGenerator<ImportRecord> {
  if (format === 'csv') return readCsvRecords(text, state);
  if (format === 'ndjson') return readNdjsonRecords(text, state);
  return readJsonRecords(text, state);
}

const CSV_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted cell must be doubled ("")',
  CSV_INVALID_OPENING_QUOTE: 'a quote in the middle of an unquoted cell (quote the whole cell and double the quote)',
  CSV_MAX_RECORD_SIZE: `a row longer than ${MAX_RECORD_LENGTH} characters`,
};

function newlines(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  }
  return n;
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** Checks the header row: every column known, none twice, `model` and `steps` present. */
function readHeader(cells: readonly string[], line: number): RunCsvColumn[] {
  const columns: RunCsvColumn[] = [];
  const problems: ImportProblem[] = [];
  const unknown: string[] = [];
  cells.forEach((cell) => {
    const column = columnForHeader(cell);
    if (column === undefined) {
      unknown.push(cell.trim());
      problems.push({ line, column: cell.trim(), message: 'unknown column' });
    } else if (columns.includes(column)) {
      problems.push({ line, column: cell.trim(), message: `column '${column}' appears twice` });
    } else {
      columns.push(column);
    }
  });
  const missing = (['model', 'steps'] as const).filter((c) => !columns.includes(c));
  for (const column of missing) problems.push({ line, column, message: 'required column is missing' });
  if (problems.length > 0) {
    const parts: string[] = [];
    if (unknown.length > 0) parts.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}`);
    if (missing.length > 0) parts.push(`missing required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
    if (parts.length === 0) parts.push(problems.map((p) => p.message).join('; '));
    throw new ImportRejectedError(
      `The CSV header is not right: ${parts.join('; ')}. The columns are ${RUN_CSV_HEADER.join(',')}; nothing was imported`,
      problems,
    );
  }
  return columns;
}

async function* readCsvRecords(text: AsyncIterable<string>, state: ReadState): AsyncGenerator<ImportRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: MAX_RECORD_LENGTH });
  // Errors of the source reach the parser (pipeline destroys it with them) and so the loop below.
  pipeline(Readable.from(text), parser).catch(() => undefined);
  let header: RunCsvColumn[] | null = null;
  let nextLine = 1;
  let row = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1 + newlines(cells);
      if (isBlank(cells)) continue;
      state.sawContent = true;
      if (header === null) {
        header = readHeader(cells, line);
        continue;
      }
      row++;
      if (cells.length !== header.length) {
        yield {
          line,
          row,
          problem: { line, column: null, message: `the row has ${cells.length} cells but the header has ${header.length}` },
        };
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) {
        const value = cells[i]!;
        if (value === '') continue;
        const column = header[i]!;
        fields[fieldForColumn(column)] = NUMERIC_COLUMNS.has(column) ? value : restoreFormula(value);
      }
      yield { line, row, fields };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const at = typeof (err as { lines?: unknown }).lines === 'number' ? (err as unknown as { lines: number }).lines : null;
      const reason = CSV_REASONS[err.code] ?? err.message;
      throw new ImportRejectedError(`The CSV cannot be read${at ? ` at line ${at}` : ''}: ${reason}; nothing was imported`, [
        { line: at, column: null, message: reason },
      ]);
    }
    throw err;
  }
}

/** One JSON text → the run's fields, or why it is not a run. */
function jsonRecord(text: string, line: number, row: number, run?: number): ImportRecord {
  const where = run === undefined ? { line } : { line, run };
  const base = { ...where, row };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ...base, problem: { ...where, column: null, message: `not valid JSON: ${(err as Error).message}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ...base, problem: { ...where, column: null, message: 'each run must be a JSON object' } };
  }
  const fields = { ...(value as Record<string, unknown>) };
  for (const key of READ_ONLY_FIELDS) delete fields[key];
  return { ...base, fields };
}

function shapeError(err: JsonShapeError): ImportRejectedError {
  return new ImportRejectedError(`The JSON cannot be read: ${err.message}; nothing was imported`, [
    { line: err.line, column: null, message: err.message },
  ]);
}

async function* readJsonRecords(text: AsyncIterable<string>, state: ReadState): AsyncGenerator<ImportRecord> {
  let run = 0;
  try {
    for await (const element of splitJsonArray(text, { maxElementLength: MAX_RECORD_LENGTH }, state)) {
      run++;
      yield jsonRecord(element.text, element.line, run, run);
    }
  } catch (err) {
    if (err instanceof JsonShapeError) throw shapeError(err);
    throw err;
  }
}

async function* readNdjsonRecords(text: AsyncIterable<string>, state: ReadState): AsyncGenerator<ImportRecord> {
  let pending = '';
  let line = 0;
  let row = 0;
  const take = (raw: string): ImportRecord | null => {
    line++;
    const trimmed = raw.trim();
    if (trimmed === '') return null;
    state.sawContent = true;
    row++;
    return jsonRecord(trimmed, line, row);
  };
  for await (const chunk of text) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const record = take(pending.slice(start, end));
      start = end + 1;
      if (record) yield record;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_RECORD_LENGTH) {
      throw new ImportRejectedError(`Line ${line + 1} is longer than ${MAX_RECORD_LENGTH} characters; nothing was imported`, [
        { line: line + 1, column: null, message: `longer than ${MAX_RECORD_LENGTH} characters` },
      ]);
    }
  }
  const last = take(pending);
  if (last) yield last;
}
