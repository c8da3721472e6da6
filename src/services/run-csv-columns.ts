// The runs CSV: its columns (fixed, scripts rely on them), how each maps to the camelCase run fields,
// and how text cells are kept from running as spreadsheet formulas. The export writes with these and
// the import reads with them, so a round trip gives back exactly what was exported.

/** The CSV columns in order, and the camelCase field of a run (as the API sends it) each one holds. */
export const RUN_CSV_COLUMNS = [
  ['model', 'model'],
  ['steps', 'steps'],
  ['duration_ms', 'durationMs'],
  ['score', 'score'],
  ['seed', 'seed'],
  ['prompt', 'prompt'],
  ['negative_prompt', 'negativePrompt'],
  ['sampler', 'sampler'],
  ['guidance', 'guidance'],
  ['width', 'width'],
  ['height', 'height'],
  ['hardware', 'hardware'],
  ['use_case', 'useCase'],
  ['phase', 'phase'],
  ['tags', 'tags'],
  ['notes', 'notes'],
  ['created_at', 'createdAt'],
] as const;

export type RunCsvColumn = (typeof RUN_CSV_COLUMNS)[number][0];
export type RunField = (typeof RUN_CSV_COLUMNS)[number][1];

export const RUN_CSV_HEADER: readonly RunCsvColumn[] = RUN_CSV_COLUMNS.map(([column]) => column);

const FIELD_BY_COLUMN = new Map<string, RunField>(RUN_CSV_COLUMNS);
const COLUMN_BY_FIELD = new Map<string, RunCsvColumn>(RUN_CSV_COLUMNS.map(([column, field]) => [field, column]));

/**
 * Cells holding numbers: written as numbers and never neutralised (a negative seed is a number to a
 * spreadsheet, not a formula). Every other column is text.
 */
export const NUMERIC_COLUMNS: ReadonlySet<RunCsvColumn> = new Set(['steps', 'duration_ms', 'score', 'seed', 'guidance', 'width', 'height']);

/** The column a header cell names: case, spaces, '-' and '_' do not matter (`Duration MS`, `durationMs`). */
export function columnForHeader(header: string): RunCsvColumn | undefined {
  const key = header.trim().toLowerCase().replace(/[\s_-]+/g, '');
  return HEADER_KEYS.get(key);
}
const HEADER_KEYS = new Map<string, RunCsvColumn>(RUN_CSV_HEADER.map((column) => [column.replace(/_/g, ''), column]));

export function fieldForColumn(column: RunCsvColumn): RunField {
  return FIELD_BY_COLUMN.get(column)!;
}

/** The CSV column of a camelCase field, for naming a bad cell in an error (the field itself if none). */
export function columnForField(field: string): string {
  return COLUMN_BY_FIELD.get(field) ?? field;
}

// A spreadsheet runs a cell as a formula when it starts with = + - @ (and tab / CR / LF start the same
// attacks), also after leading blanks it skips (spaces, no-break and zero-width spaces, a BOM) and in
// the full-width forms some convert (＝ ＋ － ＠). Such text gets a leading apostrophe, which
// spreadsheets read as "this is text". Text that already starts with apostrophes before one of those
// gets one more, so that removing exactly one apostrophe on import always gives back the original.
const BLANKS = '\\s\\u00a0\\u1680\\u2000-\\u200d\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff';
const TRIGGERS = '=+\\-@\\t\\r\\n\\uff1d\\uff0b\\uff0d\\uff20';
const NEEDS_NEUTRALISING = new RegExp(`^'*[${BLANKS}]*[${TRIGGERS}]`);
const NEUTRALISED = new RegExp(`^'+[${BLANKS}]*[${TRIGGERS}]`);

export function neutraliseFormula(text: string): string {
  return NEEDS_NEUTRALISING.test(text) ? `'${text}` : text;
}

/** Undoes `neutraliseFormula`. */
export function restoreFormula(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}
