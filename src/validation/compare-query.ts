import { z } from 'zod';
import { optionalDecimal, optionalOneOf, optionalWholeNumber, slug, withoutBlankFields } from './fields.js';

export const COMPARE_AXES = ['steps', 'time'] as const;

/**
 * GET /compare: the chosen models (repeated `models=` from checkboxes, or one comma-separated
 * value), the x axis of the overlaid curves and the budget planner's "N images in T minutes,
 * k drafts per final".
 */
export const compareQuerySchema = z.preprocess(
  withoutBlankFields,
  z.object({
    models: z
      .preprocess(
        (v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => (typeof s === 'string' ? s.split(',') : [s])).filter((s) => s !== '')),
        z.array(slug('models')).max(20, { error: 'models: choose at most 20 models' }),
      )
      .optional(),
    x: optionalOneOf('x', COMPARE_AXES),
    images: optionalWholeNumber('images', 1, 100_000),
    minutes: optionalDecimal('minutes', 0.1, 1_000_000),
    drafts: optionalWholeNumber('drafts', 0, 50),
  }),
);
export type CompareQuery = z.infer<typeof compareQuerySchema>;
