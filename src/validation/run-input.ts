import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { optionalDecimal, optionalOneOf, optionalSeed, optionalText, optionalTimestamp, optionalWholeNumber, slug, tags, wholeNumber } from './fields.js';

export const MAX_STEPS = 10_000;
export const MAX_BATCH = 10_000;
const DAY_MS = 86_400_000;

const runFields = {
  model: slug('model'),
  steps: wholeNumber('steps', 1, MAX_STEPS),
  durationMs: optionalDecimal('durationMs', 0, 7 * DAY_MS),
  score: optionalDecimal('score', 0, 10),
  seed: optionalSeed('seed'),
  prompt: optionalText('prompt', 20_000),
  negativePrompt: optionalText('negativePrompt', 20_000),
  sampler: optionalText('sampler', 100),
  guidance: optionalDecimal('guidance', 0, 100),
  width: optionalWholeNumber('width', 1, 65_536),
  height: optionalWholeNumber('height', 1, 65_536),
  hardware: optionalText('hardware', 100),
  useCase: optionalOneOf('useCase', USE_CASES),
  phase: optionalOneOf('phase', PHASES),
  tags: tags('tags').optional(),
  notes: optionalText('notes', 20_000),
  createdAt: optionalTimestamp('createdAt'),
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
