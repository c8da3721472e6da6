import type { Command } from 'commander';
import { listRenderers } from '../../services/renderers.js';
import { latestRenderJobId, renderFaults, renderJobSettled, renderStatus, resumeRenderJob, startRenderJob, type RenderStatus } from '../../services/render-queue/render-jobs.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';

interface RunOptions {
  renderer: string[];
  resume?: boolean;
  adaptive?: boolean;
  halfWidth?: string;
  maxRenders?: string;
  maxMinutes?: string;
  metric?: string;
}

/** A whole-number option, or a CliError naming it. */
function wholeOption(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new CliError(`${name} must be a whole number from 1 to ${max}, not "${value.slice(0, 40)}"`);
  return Number(value);
}

const CLI_METRICS = ['ssim_to_reference', 'sharpness'] as const;

const WIDTH = 24;
/** How often the progress line is redrawn while the job runs. */
const POLL_MS = 250;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function seconds(value: number | null): string {
  if (value === null) return '?';
  return value >= 90 ? `${Math.floor(value / 60)} min ${Math.round(value % 60)} s` : `${value.toFixed(1)} s`;
}

function progressLine(status: RenderStatus): string {
  const share = status.total > 0 ? status.done / status.total : 0;
  const filled = Math.round(share * WIDTH);
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${status.done}/${status.total} renders` +
    `${status.failed > 0 ? `, ${status.failed} failed` : ''}  spent ${seconds(status.secondsSpent)}  left ${seconds(status.secondsLeft)}`
  );
}

/** `sweetspot run EXPERIMENT`: renders the plan on the renderers (all of them by default) and shows the progress until it stops. */
export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description("render an experiment's plan on your ComfyUI / A1111 renderers (grid: every planned run; --adaptive: rounds chosen by the analysis), with progress")
    .argument('<experiment>', 'the experiment id')
    .option('--renderer <id>', 'a renderer to use (repeat for several; default: every renderer)', collect, [] as string[])
    .option('--resume', 'go on with the experiment’s paused or failed render job instead of starting one')
    .option('--adaptive', 'adaptive mode: a coarse round, then the step counts the analysis asks for, until the target')
    .option('--half-width <steps>', 'adaptive target: interval at most ± this many steps')
    .option('--max-renders <n>', 'adaptive budget: at most this many renders')
    .option('--max-minutes <m>', 'adaptive budget: at most this many minutes of render time')
    .option('--metric <name>', 'adaptive: the metric to drive on, ssim_to_reference (default) or sharpness')
    .action(async (experimentArg: string, options: RunOptions) => {
      if (!/^\d{1,15}$/.test(experimentArg) || Number(experimentArg) < 1) throw new CliError(`<experiment> must be an experiment id (a whole number), not "${experimentArg.slice(0, 40)}"`);
      const halfWidth = wholeOption('--half-width', options.halfWidth, 1000);
      const maxRenders = wholeOption('--max-renders', options.maxRenders, 100_000);
      const maxMinutes = wholeOption('--max-minutes', options.maxMinutes, 100_000);
      const adaptiveOnly = [halfWidth, maxRenders, maxMinutes, options.metric].some((v) => v !== undefined);
      if (adaptiveOnly && !options.adaptive) throw new CliError('--half-width, --max-renders, --max-minutes and --metric belong to the adaptive mode: add --adaptive');
      if (options.metric === 'score') {
        throw new CliError('--metric score waits for your ratings between rounds: start it from the experiment page or POST /api/v1/experiments/:id/run, where the server drives it');
      }
      if (options.metric !== undefined && !(CLI_METRICS as readonly string[]).includes(options.metric)) throw new CliError(`--metric must be one of ${CLI_METRICS.join(', ')}, not "${options.metric.slice(0, 40)}"`);
      if (options.adaptive && halfWidth === undefined && maxRenders === undefined && maxMinutes === undefined) {
        throw new CliError('--adaptive needs a target: --half-width N (steps), --max-renders N or --max-minutes N');
      }
      const bad = options.renderer.find((r) => !/^\d{1,15}$/.test(r) || Number(r) < 1);
      if (bad !== undefined) throw new CliError(`--renderer: "${bad.slice(0, 40)}" is not a renderer id (see sweetspot renderer list)`);
      const experimentId = Number(experimentArg);
      await withDatabase(io, async (db, config) => {
        let jobId: number;
        if (options.resume) {
          await resumeRenderJob(db, config, experimentId);
          jobId = (await latestRenderJobId(db, experimentId))!;
        } else {
          const renderers = options.renderer.length > 0 ? options.renderer.map(Number) : (await listRenderers(db)).map((r) => r.id);
          if (renderers.length === 0) throw new CliError('No renderer yet: add one with sweetspot renderer add --kind comfyui --url http://127.0.0.1:8188 --workflow workflow_api.json');
          const target = { ...(halfWidth !== undefined ? { halfWidth } : {}), ...(maxRenders !== undefined ? { maxRenders } : {}), ...(maxMinutes !== undefined ? { maxMinutes } : {}) };
          const metric = options.metric as (typeof CLI_METRICS)[number] | undefined;
          ({ jobId } = await startRenderJob(db, config, experimentId, options.adaptive ? { renderers, mode: 'adaptive', target, metric } : { renderers, mode: 'grid' }));
        }
        const settled = renderJobSettled(jobId);
        let finished = false;
        void settled.then(() => (finished = true));
        while (!finished) {
          if (io.isTty) io.err(`\r\x1b[K${progressLine(await renderStatus(db, experimentId))}`);
          await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
        }
        if (io.isTty) io.err('\r\x1b[K');
        const status = await renderStatus(db, experimentId);
        io.out(`${progressLine(status)}\n${status.stopReason ?? ''}\n`);
        if (status.state !== 'done') {
          const faults = await renderFaults(db, experimentId);
          const lines = faults.slice(0, 5).map((f) => `  run #${f.runId} (${f.code}, ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.message}`);
          const more = faults.length > 5 ? `\n  … and ${faults.length - 5} more` : '';
          throw new CliError(`The render job of experiment ${experimentId} is ${status.state}${lines.length > 0 ? `:\n${lines.join('\n')}${more}` : ''}\nGo on with: sweetspot run ${experimentId} --resume`);
        }
      });
    });
}
