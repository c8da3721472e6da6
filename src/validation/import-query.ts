import { z } from 'zod';
import { optionalText, withoutBlankFields } from './fields.js';

/** `1`, `true`, `yes`, `on` (and their opposites), as a query-string or form field. */
export function flag(field: string) {
  return z
    .enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'], { error: `${field} must be 1 or 0 (true or false)` })
    .optional()
    .transform((v) => v === '1' || v === 'true' || v === 'yes' || v === 'on');
}

/** Query of `POST /api/v1/import` (and fields of the import form). */
export const importQuerySchema = z.preprocess(
  withoutBlankFields,
  z.object({
    filename: optionalText('filename', 255),
    force: flag('force'),
  }),
);
export type ImportQuery = z.infer<typeof importQuerySchema>;
