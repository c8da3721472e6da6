import { z } from 'zod';
import { withoutBlankFields } from './fields.js';
import { runQueryFields, runQuerySchema, type RunQuery } from './run-query.js';

const PAGING_FIELDS = ['sort', 'order', 'cursor', 'limit'] as const;

/** The filters of an export: those of the runs list; its sort, order, cursor and limit are ignored. */
export const runExportQueryFields = runQueryFields.omit({ sort: true, order: true, cursor: true, limit: true });

function withoutPaging(value: unknown): unknown {
  const fields = withoutBlankFields(value);
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !(PAGING_FIELDS as readonly string[]).includes(key)));
}

/** Parses export filters into the runs list's query (paging fields at their defaults). */
export const runExportQuerySchema: z.ZodType<RunQuery, unknown> = z.preprocess(withoutPaging, runQuerySchema);

