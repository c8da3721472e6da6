import type { Command } from 'commander';
import { createExperiment } from '../../services/experiments.js';
import { experimentInputSchema } from '../../validation/experiment-input.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../context.js';
import type { CliIo } from '../io.js';
import { withRenderSettings } from '../render-options.js';

interface PlanOptions {
  model: string;
  steps: string;
  seeds?: string;
  randomSeeds?: string;
  prompt: string[];
  name?: string;
  negativePrompt?: string;
  sampler?: string;
  guidance?: string;
  width?: string;
  height?: string;
  hardware?: string;
  useCase?: string;
  phase?: string;
  notes?: string;
  json?: boolean;
}

const OPTION_NAME: Record<string, string> = { prompts: '--prompt', negativePrompt: '--negative-prompt', useCase: '--use-case', randomSeeds: '--random-seeds' };

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The same input object the API takes. */
function inputFromOptions(o: PlanOptions): Record<string, unknown> {
  const input: Record<string, unknown> = { model: o.model, steps: o.steps, prompts: o.prompt };
  // "--seeds 42" is the seed 42; without --seeds, three random seeds are drawn unless --random-seeds says how many.
  if (o.seeds !== undefined) input.seeds = o.seeds;
  if (o.randomSeeds !== undefined || o.seeds === undefined) input.randomSeeds = o.randomSeeds ?? '3';
  const copy = ['name', 'negativePrompt', 'sampler', 'guidance', 'width', 'height', 'hardware', 'useCase', 'phase', 'notes'] as const;
  for (const key of copy) if (o[key] !== undefined) input[key] = o[key];
  return input;
}

export function registerPlan(program: Command, io: CliIo): void {
  withRenderSettings(
    program
      .command('plan')
      .description('plan a sweep: every step count × seed × prompt becomes a planned run to fill in')
      .requiredOption('--model <slug>', 'model slug, e.g. flux-dev')
      .requiredOption('--steps <list>', 'step list as in X/Y plots: "10,20,30", "10-50 (+5)" or "10-50 [9]"')
      .option('--seeds <list>', 'the seeds: "42,7" (one number is one seed)')
      .option('--random-seeds <n>', 'draw this many random seeds instead (default 3 when --seeds is not given)')
      .option('--prompt <text>', 'a prompt (repeat for several)', collect, [] as string[])
      .option('--name <text>', 'a name for the experiment'),
  )
    .option('--notes <text>', 'notes')
    .option('--json', 'print the experiment with its planned runs as JSON')
    .action(async (options: PlanOptions) => {
      const input = parseOptions(experimentInputSchema, inputFromOptions(options), { heading: 'The sweep was not planned', names: OPTION_NAME });
      await withDatabase(io, async (db) => {
        const experiment = await createExperiment(db, input);
        if (options.json) {
          io.out(`${JSON.stringify(experiment, null, 2)}\n`);
          return;
        }
        const { plan, progress } = experiment;
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
        io.out(
          `Planned experiment #${experiment.id} "${experiment.name}": ${plural(plan.steps.length, 'step count')} (${plan.stepList}) × ` +
            `${plural(plan.seeds.length, 'seed')} × ${plural(plan.prompts.length, 'prompt')} = ${plural(progress.planned, 'render')}\n`,
        );
        io.out(`Seeds: ${plan.seeds.join(', ')}\n`);
        io.out(
          `Render loop input: /api/v1/experiments/${experiment.id}/plan.json (or plan.csv); ` +
            `fill in the grid at /experiments/${experiment.id}\n`,
        );
      });
    });
}
