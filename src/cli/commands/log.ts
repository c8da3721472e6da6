import type { Command } from 'commander';
import { stepWarnings } from '../../analysis/guide-warnings.js';
import { getModel } from '../../services/models.js';
import { createRun } from '../../services/runs.js';
import { runInputSchema } from '../../validation/run-input.js';
import { parseOptions } from '../parse-options.js';
import { inSecondsWording } from '../../validation/user-units.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';
import { describeRun, logRunsFromStdin } from '../log-stdin.js';
import { withRenderSettings } from '../render-options.js';

interface LogOptions {
  model?: string;
  steps?: string;
  duration?: string;
  durationMs?: string;
  score?: string;
  seed?: string;
  prompt?: string;
  negativePrompt?: string;
  sampler?: string;
  guidance?: string;
  width?: string;
  height?: string;
  hardware?: string;
  useCase?: string;
  phase?: string;
  tags?: string;
  notes?: string;
  json?: boolean;
  stdin?: boolean;
}

/** Builds the same input object the API takes; `--duration` is in seconds, `--duration-ms` in ms. */
function inputFromOptions(o: LogOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const copy = ['model', 'steps', 'score', 'seed', 'prompt', 'negativePrompt', 'sampler', 'guidance', 'width', 'height', 'hardware', 'useCase', 'phase', 'tags', 'notes'] as const;
  for (const key of copy) if (o[key] !== undefined) input[key] = o[key];
  if (o.duration !== undefined && o.durationMs !== undefined) {
    throw new CliError('give either --duration (seconds) or --duration-ms, not both');
  }
  if (o.duration !== undefined) {
    const seconds = Number(o.duration);
    input.durationMs = Number.isFinite(seconds) ? Math.round(seconds * 1000) : o.duration;
  }
  if (o.durationMs !== undefined) input.durationMs = o.durationMs;
  return input;
}

const OPTION_NAME: Record<string, string> = { durationMs: '--duration', negativePrompt: '--negative-prompt', useCase: '--use-case' };

export function registerLog(program: Command, io: CliIo): void {
  withRenderSettings(
    program
      .command('log')
      .description('log one test render')
      .option('--model <slug>', 'model slug, e.g. flux-dev (required, except with --stdin)')
      .option('--steps <n>', 'inference steps (required, except with --stdin)')
      .option('--duration <seconds>', 'render time in seconds, e.g. 12.4')
      .option('--duration-ms <ms>', 'render time in milliseconds')
      .option('--score <0-10>', 'quality score from 0 to 10')
      .option('--seed <n>', 'seed (kept exact)')
      .option('--prompt <text>', 'prompt'),
  )
    .option('--tags <list>', 'comma-separated tags')
    .option('--notes <text>', 'notes')
    .option('--json', 'print the stored run as JSON (with --stdin: one line of JSON per line read)')
    .option('--stdin', 'log one run per line of NDJSON from standard input (the API fields; options given here fill in what a line leaves out)')
    .action(async (options: LogOptions) => {
      if (options.stdin) {
        const stdin = io.stdin;
        if (!stdin) throw new CliError('--stdin needs a standard input to read');
        const defaults = inputFromOptions(options);
        await withDatabase(io, (db) => logRunsFromStdin(db, io, stdin, { defaults, json: options.json === true }));
        return;
      }
      for (const [key, flag] of [['model', '--model <slug>'], ['steps', '--steps <n>']] as const) {
        if (options[key] === undefined) throw new CliError(`required option '${flag}' not specified`);
      }
      const input = parseOptions(runInputSchema, inputFromOptions(options), {
        heading: 'The run was not logged',
        names: options.durationMs !== undefined ? { ...OPTION_NAME, durationMs: '--duration-ms' } : OPTION_NAME,
        // --duration is typed in seconds: its message says seconds; --duration-ms keeps the API's ms.
        ...(options.durationMs === undefined ? { wording: inSecondsWording } : {}),
      });
      await withDatabase(io, async (db) => {
        const run = await createRun(db, input, 'cli');
        if (options.json) {
          io.out(`${JSON.stringify(run, null, 2)}\n`);
          return;
        }
        io.out(`${describeRun(run)}\n`);
        const model = await getModel(db, run.model);
        for (const warning of stepWarnings(run.steps, run.phase as 'draft' | 'refine' | 'final' | null, model.guide, model.name)) {
          io.err(`warning: ${warning.message}\n`);
        }
      });
    });
}
