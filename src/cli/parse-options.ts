import type { z } from 'zod';
import { issuesToDetails } from '../validation/fields.js';
import { CliError } from './io.js';

/**
 * A command's options read through an input schema, or a CliError naming each bad option as the
 * user typed it (`names` maps a field to its option where they differ, e.g. durationMs → --duration).
 * With `heading`, the problems follow it on indented lines.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  {
    heading,
    names = {},
    wording = (_field, message) => message,
  }: { heading?: string; names?: Readonly<Record<string, string>>; wording?: (field: string, message: string) => string } = {},
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = issuesToDetails(parsed.error).map((d) => `${names[d.field] ?? `--${d.field}`}: ${wording(d.field, d.message)}`);
  throw new CliError(heading === undefined ? lines.join('\n') : `${heading}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
