import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { RUN_SORT_KEYS } from '../store/runs.js';
import { oneOf, slug, text, wholeNumber } from './fields.js';

/** Filters, sort and page of the runs list, as query-string fields (the API, the page and the CLI share it). */
export const runQuerySchema = z.object({
  model: slug('model').optional(),
  stepsMin: wholeNumber('stepsMin', 1, 10_000).optional(),
  stepsMax: wholeNumber('stepsMax', 1, 10_000).optional(),
  phase: oneOf('phase', PHASES).optional(),
  useCase: oneOf('useCase', USE_CASES).optional(),
  hardware: text('hardware', 100).optional(),
  tag: text('tag', 64).optional(),
  q: text('q', 200).optional(),
  experiment: wholeNumber('experiment', 1, Number.MAX_SAFE_INTEGER).optional(),
  sort: oneOf('sort', RUN_SORT_KEYS).default('created'),
  order: oneOf('order', ['asc', 'desc'] as const).default('desc'),
  cursor: text('cursor', 500).optional(),
  limit: wholeNumber('limit', 1, 1000).default(50),
});
export type RunQuery = z.infer<typeof runQuerySchema>;
