import { z } from 'zod';
import { PHASES, USE_CASES } from '../db/schema.js';
import { optionalDecimal, optionalOneOf, optionalText, optionalTimestamp, optionalWholeNumber, tagFilter, withoutBlankFields } from './fields.js';

export const SWEET_SPOT_RULES = ['plateau-gap', 'gain-share', 'marginal-gain'] as const;

/** The analysis settings: rule and its parameters (shared by the stored and the ad-hoc analysis). */
const settingsFields = {
  rule: optionalOneOf('rule', SWEET_SPOT_RULES),
  delta: optionalDecimal('delta', 1e-9, 1e9),
  share: optionalDecimal('share', 0.5, 0.999),
  marginal: optionalDecimal('marginal', 1e-9, 1e9),
};

const resolution = z
  .string()
  .regex(/^\d{1,5}x\d{1,5}$/, { error: 'resolution must look like 1024x1024' })
  .optional();

/** GET /models/:slug/analysis and the report page: metric, rule settings and filters, in the query string. */
export const analysisQueryFields = z.object({
  metric: optionalText('metric', 64),
  ...settingsFields,
  hardware: optionalText('hardware', 100),
  useCase: optionalOneOf('useCase', USE_CASES),
  phase: optionalOneOf('phase', PHASES),
  sampler: optionalText('sampler', 100),
  resolution,
  experiment: optionalWholeNumber('experiment', 1, Number.MAX_SAFE_INTEGER),
  from: optionalTimestamp('from'),
  to: optionalTimestamp('to'),
  /** Only runs carrying at least one of these tags. */
  tag: tagFilter('tag'),
  /** No run carrying any of these tags (e.g. excludeTag=demo). */
  excludeTag: tagFilter('excludeTag'),
});
export const analysisQuerySchema = z.preprocess(withoutBlankFields, analysisQueryFields);
export type AnalysisQuery = z.infer<typeof analysisQuerySchema>;

/** POST /analyze: points in the body, nothing stored. */
export const adHocAnalysisSchema = z.strictObject({
  points: z
    .array(
      z.strictObject({
        steps: z.number({ error: 'steps must be a whole number from 1 to 10000' }).int({ error: 'steps must be a whole number from 1 to 10000' }).min(1, { error: 'steps must be a whole number from 1 to 10000' }).max(10_000, { error: 'steps must be a whole number from 1 to 10000' }),
        // Bounded so that sums of squares over a million points stay finite.
        score: z
          .number({ error: 'score must be a number (or null for an unrated render)' })
          .min(-1e9, { error: 'score must be between -1,000,000,000 and 1,000,000,000' })
          .max(1e9, { error: 'score must be between -1,000,000,000 and 1,000,000,000' })
          .nullable(),
        durationMs: z
          .number({ error: 'durationMs must be a number of at least 0' })
          .min(0, { error: 'durationMs must be a number of at least 0' })
          .max(1e12, { error: 'durationMs must be at most 1,000,000,000,000 (about 30 years)' })
          .nullable()
          .optional(),
        seed: z.union([z.string().max(40), z.number().int()], { error: 'seed must be a whole number or a string' }).nullable().optional(),
        prompt: z.string({ error: 'prompt must be text' }).max(20_000).nullable().optional(),
      }),
      { error: 'points must be an array of { steps, score, durationMs?, seed?, prompt? }' },
    )
    .min(1, { error: 'points is empty: send at least one point' })
    .max(1_000_000, { error: 'points holds at most 1,000,000 points' }),
  lowerIsBetter: z.boolean({ error: 'lowerIsBetter must be true or false' }).optional(),
  ...settingsFields,
});
export type AdHocAnalysisRequest = z.infer<typeof adHocAnalysisSchema>;
