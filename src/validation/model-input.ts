import { z } from 'zod';
import { optionalText, optionalWholeNumber, slug } from './fields.js';

const steps = (field: string) => optionalWholeNumber(field, 1, 10_000);

const modelFields = {
  slug: slug('slug'),
  name: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: 'name is required' }).min(1, { error: 'name is required' }).max(200, { error: 'name must be at most 200 characters' }),
  ),
  notes: optionalText('notes', 5_000),
  minSteps: steps('minSteps'),
  recommendedLow: steps('recommendedLow'),
  recommendedHigh: steps('recommendedHigh'),
  maxSteps: steps('maxSteps'),
  sweetSpot: steps('sweetSpot'),
};

type RangeFields = { minSteps?: number | null; recommendedLow?: number | null; recommendedHigh?: number | null; maxSteps?: number | null; sweetSpot?: number | null };

/** The guide's numbers must be in order: min ≤ recommended low ≤ sweet spot ≤ recommended high ≤ max. */
function checkRange(value: RangeFields, ctx: z.RefinementCtx) {
  const order: (keyof RangeFields)[] = ['minSteps', 'recommendedLow', 'sweetSpot', 'recommendedHigh', 'maxSteps'];
  const present = order.filter((k) => value[k] !== undefined && value[k] !== null);
  for (let i = 1; i < present.length; i++) {
    const lowKey = present[i - 1]!;
    const highKey = present[i]!;
    if ((value[lowKey] as number) > (value[highKey] as number)) {
      ctx.addIssue({ code: 'custom', path: [highKey], message: `${highKey} must not be below ${lowKey} (${value[lowKey]})` });
    }
  }
}

export const modelInputSchema = z.strictObject(modelFields).superRefine(checkRange);
export type ModelInput = z.infer<typeof modelInputSchema>;

export const modelPatchSchema = z
  .strictObject(modelFields)
  .omit({ slug: true })
  .partial()
  .superRefine(checkRange)
  .refine((v) => Object.keys(v).length > 0, { error: 'send at least one field to change' });
export type ModelPatch = z.infer<typeof modelPatchSchema>;
