import { z } from 'zod';
import { MAX_GENERATED_SEEDS, MAX_SWEEP_CELLS } from '../analysis/sweep-plan.js';
import { parseStepList } from '../analysis/step-list.js';
import { OUTCOMES, PHASES, USE_CASES } from '../db/schema.js';
import { optionalDecimal, optionalOneOf, optionalText, optionalWholeNumber, slug, wholeNumber } from './fields.js';

/** The most prompts one experiment may hold. */
export const MAX_PROMPTS = 200;
const MAX_SEED = 18446744073709551615n;

const stepsMessage = 'steps must be a step list such as "10,20,30", "10-50 (+5)" or "10-50 [9]", or an array of whole numbers';

/** A step list as X/Y-plot tools write it, or an array of step counts; parsed with parseStepList (its message names the fault). */
export function stepList(field: string) {
  return z
    .union([z.string(), z.array(z.number())], { error: stepsMessage.replace(/^steps/, field) })
    .transform((value, ctx) => {
      try {
        return parseStepList(Array.isArray(value) ? value.join(',') : value);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: (err as Error).message.replace(/^parseStepList requires /, 'the step list needs '), input: value });
        return z.NEVER;
      }
    });
}

/** A seed written in decimal, kept exact; numbers must be exact JavaScript integers. */
function seedText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > MAX_SEED) return null;
  return BigInt(text).toString();
}

/**
 * Reads seeds typed in one text field (the form and the CLI): every number is a seed, separated by
 * commas, semicolons or spaces; "42" is the seed 42. Drawing random seeds is a separate field.
 */
export function seedsFromText(text: string): string[] {
  return text.split(/[\s,;]+/).filter((s) => s !== '');
}

const seedsMessage = 'seeds must be a list of seeds such as ["42", "7"], or one seed';

/**
 * The seeds themselves (decimal strings, exact up to 2⁶⁴ − 1): a list, one seed, or text read by
 * {@link seedsFromText}. A bare JSON number is refused, because it used to mean "draw that many"
 * and a script sending it meant `randomSeeds`.
 */
export function seeds(field: string) {
  return z
    .union([z.number(), z.string(), z.array(z.union([z.string(), z.number()]))], { error: seedsMessage.replace(/^seeds/, field) })
    .transform((value, ctx): string[] => {
      const fail = (message: string) => {
        ctx.issues.push({ code: 'custom', message, input: value });
        return z.NEVER;
      };
      if (typeof value === 'number') {
        return fail(`a bare number is not a seed list: send ["${value}"] for the seed ${value}, or randomSeeds: ${value} to draw ${value} random seeds`);
      }
      const read = typeof value === 'string' ? seedsFromText(value) : value;
      if (read.length === 0) return fail('give at least one seed, or a number of random seeds to draw');
      if (read.length > MAX_GENERATED_SEEDS) return fail(`at most ${MAX_GENERATED_SEEDS} seeds`);
      const list: string[] = [];
      const seen = new Set<string>();
      for (const [i, item] of read.entries()) {
        const seed = seedText(item);
        if (seed === null) {
          return fail(
            `seed ${i + 1} (${JSON.stringify(item)}) is not a whole number from 0 to ${MAX_SEED}` +
              (typeof item === 'number' ? ' (send seeds above 9007199254740991 as strings)' : ''),
          );
        }
        if (seen.has(seed)) return fail(`seed ${seed} appears twice`);
        seen.add(seed);
        list.push(seed);
      }
      return list;
    });
}

const randomSeedsMessage = `randomSeeds must be a whole number of random seeds to draw, from 1 to ${MAX_GENERATED_SEEDS}`;

/** How many random seeds to draw (text from a form or the CLI is read as a number). */
export function randomSeeds(field: string) {
  return z
    .union([z.number(), z.string()], { error: randomSeedsMessage.replace(/^randomSeeds/, field) })
    .transform((value, ctx): number => {
      const n = typeof value === 'string' && /^\s*\d{1,5}\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_GENERATED_SEEDS) {
        ctx.issues.push({ code: 'custom', message: `a number of random seeds must be a whole number from 1 to ${MAX_GENERATED_SEEDS}`, input: value });
        return z.NEVER;
      }
      return n;
    });
}

/** One prompt or a list of distinct, non-blank prompts. */
export function prompts(field: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: `${field} must be a list of prompts` })
    .transform((value, ctx) => {
      const list = typeof value === 'string' ? [value] : value;
      const fail = (message: string) => {
        ctx.issues.push({ code: 'custom', message, input: value });
        return z.NEVER;
      };
      if (list.length === 0 || list.every((p) => p.trim() === '')) return fail('give at least one prompt');
      if (list.length > MAX_PROMPTS) return fail(`at most ${MAX_PROMPTS} prompts`);
      const seen = new Map<string, number>();
      for (const [i, prompt] of list.entries()) {
        if (prompt.trim() === '') return fail(`prompt ${i + 1} is blank`);
        if (prompt.length > 20_000) return fail(`prompt ${i + 1} is longer than 20000 characters`);
        const earlier = seen.get(prompt);
        if (earlier !== undefined) return fail(`prompt ${i + 1} repeats prompt ${earlier + 1}`);
        seen.set(prompt, i);
      }
      return list;
    });
}

/** POST /experiments, the experiments form and `sweetspot plan`: a planned sweep. */
export const experimentInputSchema = z
  .strictObject({
    name: optionalText('name', 200),
    model: slug('model'),
    steps: stepList('steps'),
    seeds: seeds('seeds').optional(),
    randomSeeds: randomSeeds('randomSeeds').optional(),
    prompts: prompts('prompts'),
    negativePrompt: optionalText('negativePrompt', 20_000),
    sampler: optionalText('sampler', 100),
    guidance: optionalDecimal('guidance', 0, 100),
    width: optionalWholeNumber('width', 1, 65_536),
    height: optionalWholeNumber('height', 1, 65_536),
    hardware: optionalText('hardware', 100),
    useCase: optionalOneOf('useCase', USE_CASES),
    phase: optionalOneOf('phase', PHASES),
    notes: optionalText('notes', 20_000),
  })
  .superRefine((value, ctx) => {
    if (value.seeds === undefined && value.randomSeeds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'give the seeds (e.g. "42, 7") or a number of random seeds to draw (randomSeeds)' });
      return;
    }
    if (value.seeds !== undefined && value.randomSeeds !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['randomSeeds'], message: 'give either seeds or a number of random seeds, not both' });
      return;
    }
    const seedCount = value.seeds?.length ?? value.randomSeeds ?? 0;
    const cells = value.steps.length * seedCount * value.prompts.length;
    if (cells > MAX_SWEEP_CELLS) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message:
          `the plan would hold ${cells} renders (${value.steps.length} step counts × ${seedCount} seeds × ` +
          `${value.prompts.length} prompts); at most ${MAX_SWEEP_CELLS}`,
      });
    }
  });
export type ExperimentInput = z.infer<typeof experimentInputSchema>;

const raterMessage = 'rater must be a name of 1 to 100 characters';
/** A rater's name (no accounts: the name is all there is). */
export const raterName = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : v),
  z
    .string({ error: raterMessage })
    .min(1, { error: raterMessage })
    .max(100, { error: raterMessage })
    .regex(/^[^\p{Cc}]+$/u, { error: 'rater must not contain control characters' }),
);

/** POST /judgements: a blind judgement of run A against run B ('tie' = "can't tell"). */
export const judgementInputSchema = z.strictObject({
  runA: wholeNumber('runA', 1, Number.MAX_SAFE_INTEGER),
  runB: wholeNumber('runB', 1, Number.MAX_SAFE_INTEGER),
  outcome: z.enum(OUTCOMES, { error: `outcome must be one of: ${OUTCOMES.join(', ')}` }),
  rater: raterName,
});
export type JudgementInput = z.infer<typeof judgementInputSchema>;

/** The time (ms) and score of one grid cell. */
export const cellValuesSchema = z.strictObject({
  durationMs: optionalDecimal('durationMs', 0, 7 * 86_400_000),
  score: optionalDecimal('score', 0, 10),
});
