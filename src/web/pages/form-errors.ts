import { toHttpError } from '../error-handler.js';

/**
 * The errors a form shows beside its fields, or null when the error is not the user's input
 * (then it goes on to the error handler). `fieldName` maps API field names to form field names.
 */
export function formErrors(
  err: unknown,
  fieldName: (field: string) => string = (f) => f,
  wording: (field: string, message: string) => string = (_f, m) => m,
): Record<string, string> | null {
  const httpError = toHttpError(err);
  if (httpError.status !== 422 && httpError.status !== 409) return null;
  const errors: Record<string, string> = {};
  for (const d of httpError.details) errors[fieldName(d.field)] ??= wording(d.field, d.message);
  if (Object.keys(errors).length === 0) errors._form = httpError.message;
  return errors;
}

/** The string fields a form posted, to show them again next to their errors. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') values[k] = v;
  }
  return values;
}
