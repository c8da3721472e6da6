import type { z } from 'zod';
import { issuesToDetails } from '../validation/fields.js';
import { HttpError } from './http-error.js';

/**
 * The validation step of a route: hands on typed data or throws a 422 naming every bad field.
 * `context` prefixes the message (e.g. "query").
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, context = 'input'): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error).slice(0, 100);
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.field}: ${d.message}`)
    .join('; ');
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new HttpError(422, 'invalid_input', `Invalid ${context}: ${summary}${more}`, details);
}
