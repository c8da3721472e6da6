import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { RUN_SORT_KEYS } from '../store/runs.js';
import { optionalOneOf, optionalText, slug, tagFilter, wholeNumber, withoutBlankFields } from './fields.js';

/** Filters, sort and page of the runs list, as query-string fields (the API, the page and the CLI share it). */
export const runQueryFields = z.object({
  model: slug('model').optional(),
  stepsMin: wholeNumber('stepsMin', 1, 10_000).optional(),
  stepsMax: wholeNumber('stepsMax', 1, 10_000).optional(),
  phase: optionalOneOf('phase', PHASES),
  useCase: optionalOneOf('useCase', USE_CASES),
  hardware: optionalText('hardware', 100),
  tag: optionalText('tag', 64),
  /** Leave out runs carrying any of these tags (repeatable, e.g. excludeTag=demo). */
  excludeTag: tagFilter('excludeTag'),
  q: optionalText('q', 200),
  experiment: wholeNumber('experiment', 1, Number.MAX_SAFE_INTEGER).optional(),
  sort: z.enum(RUN_SORT_KEYS, { error: `sort must be one of: ${RUN_SORT_KEYS.join(', ')}` }).default('created'),
  order: z.enum(['asc', 'desc'], { error: 'order must be asc or desc' }).default('desc'),
  cursor: optionalText('cursor', 500),
  limit: wholeNumber('limit', 1, 1000).default(50),
});
export const runQuerySchema = z.preprocess(withoutBlankFields, runQueryFields);
export type RunQuery = z.infer<typeof runQuerySchema>;
