import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { stepWarnings } from '../analysis/guide-warnings.js';
import type { Db } from '../db/connect.js';
import { InputError, NotFoundError } from '../services/errors.js';
import { getModel } from '../services/models.js';
import type { Run } from '../services/run-view.js';
import { createRun } from '../services/runs.js';
import { issuesToDetails } from '../validation/fields.js';
import { runInputSchema, type RunInput } from '../validation/run-input.js';
import { CliError, type CliIo } from './io.js';

/** The longest line read: a run is a few hundred bytes, and a longer line is a mistake, not a run. */
export const MAX_STDIN_LINE_CHARS = 1024 * 1024;

interface Refusal {
  line: number;
  error: { message: string; details: { field: string; message: string }[] };
}

/** One line read as a run (the API's camelCase fields over `defaults`), or why it was refused. */
function readRunLine(text: string, line: number, defaults: Record<string, unknown>): { input: RunInput } | Refusal {
  const refuse = (message: string, details: Refusal['error']['details'] = []): Refusal => ({ line, error: { message, details } });
  if (text.length > MAX_STDIN_LINE_CHARS) return refuse(`the line is longer than ${MAX_STDIN_LINE_CHARS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return refuse(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse("expected a JSON object with the run's fields, e.g. {\"model\":\"flux-dev\",\"steps\":30}");
  }
  const parsed = runInputSchema.safeParse({ ...defaults, ...value });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error);
    return refuse(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  return { input: parsed.data };
}

/**
 * `sweetspot log --stdin`: logs one run per line of NDJSON, so that a render loop can keep one process
 * open instead of starting one per image. Each line is stored on its own as it arrives; a bad line is
 * refused with its line number and nothing of it is stored, and the lines after it are still read.
 * With `json`, every line gets exactly one line on stdout — the stored run, or
 * `{"line": N, "error": {"message", "details"}}` — so a script can write a line and read its answer.
 * Throws a CliError at the end when a line was refused (exit code 2).
 */
export async function logRunsFromStdin(db: Db, io: CliIo, stdin: Readable, options: { defaults: Record<string, unknown>; json: boolean }): Promise<void> {
  let line = 0;
  let logged = 0;
  let refused = 0;
  for await (const text of createInterface({ input: stdin, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    const read = readRunLine(text, line, options.defaults);
    const run = 'input' in read ? await createRun(db, read.input, 'cli').catch((err: unknown) => refusalOf(err, line)) : read;
    if (!('id' in run)) {
      refused += 1;
      if (options.json) io.out(`${JSON.stringify(run)}\n`);
      else io.err(`line ${line}: the run was not logged: ${run.error.message}\n`);
      continue;
    }
    logged += 1;
    io.out(options.json ? `${JSON.stringify(run)}\n` : `line ${line}: ${describeRun(run)}\n`);
    const model = await getModel(db, run.model);
    for (const warning of stepWarnings(run.steps, run.phase as 'draft' | 'refine' | 'final' | null, model.guide, model.name)) {
      io.err(`line ${line}: warning: ${warning.message}\n`);
    }
  }
  if (refused > 0) throw new CliError(`${refused} of ${logged + refused} lines were refused (nothing of them was stored); the other ${logged} were logged`);
}

/** A run the store refused (an unknown model, say) as a refusal of its line; anything else is rethrown. */
function refusalOf(err: unknown, line: number): Refusal {
  if (err instanceof InputError) return { line, error: { message: err.message, details: [...err.details] } };
  if (err instanceof NotFoundError) return { line, error: { message: err.message, details: [] } };
  throw err;
}

/** "Logged run #12: FLUX.1 Dev, 30 steps, 12.4 s, score 7.5" */
export function describeRun(run: Run): string {
  const parts = [`${run.steps} steps`];
  if (run.durationMs !== null) parts.push(`${(run.durationMs / 1000).toFixed(1)} s`);
  if (run.score !== null) parts.push(`score ${run.score}`);
  return `Logged run #${run.id}: ${run.modelName}, ${parts.join(', ')}`;
}
