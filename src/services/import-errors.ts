import type { ImportRow } from '../db/schema.js';
import { ConflictError, InputError } from './errors.js';

/**
 * What is wrong with one row (or with the file as a whole when `line` is null): the line it starts on
 * (the header is line 1), for JSON arrays which run it is, the column (CSV name, or the camelCase field
 * for JSON), and the reason.
 */
export interface ImportProblem {
  line: number | null;
  run?: number;
  column: string | null;
  message: string;
}

export interface ImportProblemDetail {
  field: string;
  message: string;
  line: number | null;
  column: string | null;
}

export function problemToDetail(problem: ImportProblem): ImportProblemDetail {
  let where = problem.line === null ? '' : `line ${problem.line}`;
  if (problem.run !== undefined) where += `${where ? ' ' : ''}(run ${problem.run})`;
  const field = where && problem.column ? `${where}: ${problem.column}` : where || problem.column || '(file)';
  return { field, message: problem.message, line: problem.line, column: problem.column };
}

/** The file was not imported: nothing was written. Carries the first 100 problems and the row counts. */
export class ImportRejectedError extends InputError {
  override name = 'ImportRejectedError';
  override readonly details: readonly ImportProblemDetail[];
  constructor(
    message: string,
    readonly problems: readonly ImportProblem[] = [],
    readonly invalidRows = 0,
    readonly totalRows = 0,
  ) {
    const details = problems.map(problemToDetail);
    super(message, details);
    this.details = details;
  }
}

/** A file with the same bytes was imported before (and `force` was not given): nothing was written. */
export class DuplicateImportError extends ConflictError {
  override name = 'DuplicateImportError';
  constructor(readonly previous: Pick<ImportRow, 'id' | 'filename' | 'finished_at' | 'created_at' | 'rows'>) {
    const date = (previous.finished_at ?? previous.created_at).slice(0, 10);
    super(
      `This file was already imported as import #${previous.id} on ${date} (${previous.rows} runs); ` +
        'nothing was imported. Import it again anyway with force.',
    );
  }
}
