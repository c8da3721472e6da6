import { z } from 'zod';
import { optionalWholeNumber } from './fields.js';

/** Renderers one run may fan out over. */
export const MAX_RUN_RENDERERS = 32;

/**
 * `POST /api/v1/experiments/:id/run`: `{ renderers: [id, …], mode: "grid" | "adaptive", target?, metric? }`
 * (the fixed names). The adaptive fields are read and checked; the service says what it supports.
 */
export const renderRunInputSchema = z.strictObject({
  renderers: z
    .array(z.number({ error: 'each renderer must be a renderer id (a whole number)' }).int({ error: 'each renderer must be a renderer id (a whole number)' }).min(1, { error: 'each renderer must be a renderer id (a whole number)' }), {
      error: 'renderers must be an array of renderer ids, e.g. [1, 2]',
    })
    .min(1, { error: 'renderers must name at least one renderer' })
    .max(MAX_RUN_RENDERERS, { error: `renderers may name at most ${MAX_RUN_RENDERERS} renderers` }),
  mode: z.enum(['grid', 'adaptive'], { error: 'mode must be "grid" or "adaptive"' }).default('grid'),
  target: z
    .strictObject({
      halfWidth: optionalWholeNumber('target.halfWidth', 1, 1000),
      maxRenders: optionalWholeNumber('target.maxRenders', 1, 100_000),
      maxMinutes: optionalWholeNumber('target.maxMinutes', 1, 100_000),
    })
    .optional(),
  metric: z.enum(['ssim_to_reference', 'sharpness', 'score'], { error: 'metric must be one of: ssim_to_reference, sharpness, score' }).optional(),
});

export type RenderRunInput = z.infer<typeof renderRunInputSchema>;
