import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { optionalDecimal, optionalOneOf, optionalSeed, optionalText, optionalTimestamp, optionalWholeNumber, slug, tags, wholeNumber } from './fields.js';

export const MAX_STEPS = 10_000;
export const MAX_BATCH = 10_000;
export const DAY_MS = 86_400_000;

/** The bounds of a run's fields: the schema below and the fast path in plain-run-input.ts share them. */
export const RUN_NUMBER_RANGES = {
  steps: [1, MAX_STEPS],
  durationMs: [0, 7 * DAY_MS],
  score: [0, 10],
  guidance: [0, 100],
  width: [1, 65_536],
  height: [1, 65_536],
} as const;
export const RUN_TEXT_LENGTHS = { prompt: 20_000, negativePrompt: 20_000, sampler: 100, hardware: 100, notes: 20_000 } as const;

const range = RUN_NUMBER_RANGES;
const text = (field: keyof typeof RUN_TEXT_LENGTHS) => optionalText(field, RUN_TEXT_LENGTHS[field]);

const runFields = {
  model: slug('model'),
  steps: wholeNumber('steps', ...range.steps),
  durationMs: optionalDecimal('durationMs', ...range.durationMs),
  score: optionalDecimal('score', ...range.score),
  seed: optionalSeed('seed'),
  prompt: text('prompt'),
  negativePrompt: text('negativePrompt'),
  sampler: text('sampler'),
  guidance: optionalDecimal('guidance', ...range.guidance),
  width: optionalWholeNumber('width', ...range.width),
  height: optionalWholeNumber('height', ...range.height),
  hardware: text('hardware'),
  useCase: optionalOneOf('useCase', USE_CASES),
  phase: optionalOneOf('phase', PHASES),
  tags: tags('tags').optional(),
  notes: text('notes'),
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
