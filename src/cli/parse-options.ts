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
  // A list option reports its item ("excludeTag[0]"): the user typed the option, so name that.
  const option = (field: string) => names[field] ?? names[field.replace(/\[\d+\]$/, '')] ?? `--${field.replace(/\[\d+\]$/, '')}`;
  const lines = issuesToDetails(parsed.error).map((d) => `${option(d.field)}: ${wording(d.field, d.message)}`);
  throw new CliError(heading === undefined ? lines.join('\n') : `${heading}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
