import { z } from 'zod';

// Field builders shared by every input schema. Form posts and CSV cells arrive as strings, JSON as
// numbers; each builder accepts both, reads an empty string as null ("no value": accepted where the
// field is nullable, an error naming the field where it is required), and names the field in its
// message so a person knows what to fix.

/** The exact forms the builders below accept after their clean-up (also used by plain-run-input.ts). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const SEED_PATTERN = /^-?\d{1,30}$/;
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,63}$/u;
export const TIMESTAMP_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
export const MAX_SLUG_LENGTH = 64;
export const MAX_TAGS = 20;

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const toNumber = (v: unknown) => {
  const value = blankToNull(v);
  return typeof value === 'string' ? Number(value.trim()) : value;
};

export function wholeNumber(field: string, min: number, max: number) {
  const message = `${field} must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    toNumber,
    z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message }),
  );
}

export function optionalWholeNumber(field: string, min: number, max: number) {
  const message = `${field} must be a whole number from ${min} to ${max}`;
  return z
    .preprocess(
      toNumber,
      z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message }).nullable(),
    )
    .optional();
}

export function optionalDecimal(field: string, min: number, max: number) {
  const message = `${field} must be a number from ${min} to ${max}`;
  return z
    .preprocess(toNumber, z.number({ error: message }).min(min, { error: message }).max(max, { error: message }).nullable())
    .optional();
}

export function optionalText(field: string, maxLength: number) {
  return z
    .preprocess(
      blankToNull,
      z
        .string({ error: `${field} must be text` })
        .max(maxLength, { error: `${field} must be at most ${maxLength} characters` })
        .nullable(),
    )
    .optional();
}

export function optionalOneOf<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z
    .preprocess(blankToNull, z.enum(values, { error: `${field} must be one of: ${values.join(', ')}` }).nullable())
    .optional();
}

/** Seeds are kept exact as decimal text: they can exceed 2^53, which a JSON number cannot carry. */
export function optionalSeed(field: string) {
  const message = `${field} must be a whole number (send seeds above 9007199254740991 as a string)`;
  return z.preprocess(
    (v) => {
      const value = blankToNull(v);
      if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : Number.NaN;
      return typeof value === 'string' ? value.trim() : value;
    },
    z.string({ error: message }).regex(SEED_PATTERN, { error: message }).nullable(),
  ).optional();
}

/** Tags as a list or a comma-separated string; trimmed, lower-cased, de-duplicated. */
export function tags(field: string) {
  return z.preprocess(
    (v) => {
      const value = blankToNull(v) ?? [];
      const list = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(list)) return list;
      return [...new Set(list.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)).filter((t) => t !== ''))];
    },
    z
      .array(
        z.string().regex(TAG_PATTERN, {
          error: `${field}: each tag is 1–64 letters, digits, spaces or _ . : - and starts with a letter or digit`,
        }),
        { error: `${field} must be a list of tags or a comma-separated string` },
      )
      .max(MAX_TAGS, { error: `${field}: at most ${MAX_TAGS} tags` }),
  );
}

/**
 * A repeatable tag filter from a query string (`?tag=a&tag=b` or `?tag=a,b`): a list of distinct
 * tags, lower-cased; blank values are dropped.
 */
export function tagFilter(field: string) {
  const message = `${field}: each tag is 1–64 letters, digits, spaces or _ . : - and starts with a letter or digit`;
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null) return undefined;
      const list = (Array.isArray(v) ? v : [v]).flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]));
      const tags = [...new Set(list.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)).filter((t) => t !== ''))];
      return tags.length === 0 ? undefined : tags;
    },
    z.array(z.string({ error: message }).regex(TAG_PATTERN, { error: message }), { error: message }).max(20, { error: `${field}: at most 20 tags` }).optional(),
  );
}

/** One tag, as typed (trimmed, lower-cased), e.g. for tagging several runs at once. */
export function oneTag(field: string) {
  const message = `${field}: a tag is 1–64 letters, digits, spaces or _ . : - and starts with a letter or digit`;
  return z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.string({ error: message }).regex(TAG_PATTERN, { error: message }));
}

export function optionalTimestamp(field: string) {
  const message = `${field} must be a date and time such as 2026-11-25T14:30:00Z`;
  return z.preprocess(
    (v) => {
      const value = blankToNull(v);
      if (typeof value !== 'string') return value;
      const ms = Date.parse(value.trim());
      return Number.isNaN(ms) ? value : new Date(ms).toISOString();
    },
    z.string({ error: message }).regex(TIMESTAMP_PATTERN, { error: message }).nullable(),
  ).optional();
}

export const slug = (field: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: `${field} is required` })
      .min(1, { error: `${field} is required` })
      .max(MAX_SLUG_LENGTH, { error: `${field} must be at most ${MAX_SLUG_LENGTH} characters` })
      .regex(SLUG_PATTERN, {
        error: `${field} must be lower-case letters, digits, '.', '_' or '-' (e.g. flux-dev)`,
      }),
  );

/** Turns zod issues into `{ field, message }` pairs, with array positions written `[3].steps`. */
export function issuesToDetails(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => {
    let field = '';
    for (const part of issue.path) {
      field += typeof part === 'number' ? `[${part}]` : field === '' ? String(part) : `.${String(part)}`;
    }
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    return { field: field || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '(body)'), message };
  });
}

/** Query strings from filter forms carry empty fields: drop them so they read as "not given". */
export function withoutBlankFields(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
}
