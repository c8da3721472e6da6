import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { decimal, isoTimestamp, oneOf, seed, slug, tags, text, wholeNumber } from './fields.js';

export const MAX_STEPS = 10_000;
export const MAX_BATCH = 10_000;
const DAY_MS = 86_400_000;

const runFields = {
  model: slug('model'),
  steps: wholeNumber('steps', 1, MAX_STEPS),
  durationMs: decimal('durationMs', 0, 7 * DAY_MS).nullable().optional(),
  score: decimal('score', 0, 10).nullable().optional(),
  seed: seed('seed').nullable().optional(),
  prompt: text('prompt', 20_000).nullable().optional(),
  negativePrompt: text('negativePrompt', 20_000).nullable().optional(),
  sampler: text('sampler', 100).nullable().optional(),
  guidance: decimal('guidance', 0, 100).nullable().optional(),
  width: wholeNumber('width', 1, 65_536).nullable().optional(),
  height: wholeNumber('height', 1, 65_536).nullable().optional(),
  hardware: text('hardware', 100).nullable().optional(),
  useCase: oneOf('useCase', USE_CASES).nullable().optional(),
  phase: oneOf('phase', PHASES).nullable().optional(),
  tags: tags('tags').optional(),
  notes: text('notes', 20_000).nullable().optional(),
  createdAt: isoTimestamp('createdAt').optional(),
};

/** One run as the API, the CLI and the form send it (camelCase; `model` is the slug). */
export const runInputSchema = z.strictObject(runFields);
export type RunInput = z.infer<typeof runInputSchema>;

/** POST /runs takes one run or an array of up to 10,000 runs. */
export const runBatchSchema = z
  .array(runInputSchema, { error: 'body must be a run object or an array of runs' })
  .min(1, { error: 'the batch is empty: send at least one run' })
  .max(MAX_BATCH, { error: `a batch holds at most ${MAX_BATCH} runs` });

/** PATCH /runs/:id: any subset of the fields, at least one. */
export const runPatchSchema = z
  .strictObject(runFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, { error: 'send at least one field to change' });
export type RunPatch = z.infer<typeof runPatchSchema>;
