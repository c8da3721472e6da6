import type { Command } from 'commander';
import { listRunsByQuery } from '../../services/run-listing.js';
import { parseOptions } from '../parse-options.js';
import { runQuerySchema } from '../../validation/run-query.js';
import { withDatabase } from '../context.js';
import type { CliIo } from '../io.js';
import { clip, formatTable } from '../table.js';

export function registerRuns(program: Command, io: CliIo): void {
  program
    .command('runs')
    .description('list runs in a table (newest first), with filters')
    .option('--model <slug>', 'only this model')
    .option('--steps-min <n>', 'at least this many steps')
    .option('--steps-max <n>', 'at most this many steps')
    .option('--phase <name>', 'draft, refine or final')
    .option('--use-case <name>', 'concept-art, portrait, landscape or other')
    .option('--hardware <name>', 'only this hardware')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--q <text>', 'text in the prompt, notes or sampler')
    .option('--sort <key>', 'created, steps, score or duration', 'created')
    .option('--order <dir>', 'asc or desc', 'desc')
    .option('--limit <n>', 'rows per page', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print the page as JSON')
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const query = parseOptions(runQuerySchema, options);
      await withDatabase(io, async (db) => {
        const page = await listRunsByQuery(db, query);
        if (options.json) {
          io.out(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        if (page.runs.length === 0) {
          io.out('No runs match.\n');
          return;
        }
        io.out(
          formatTable(
            ['id', 'logged', 'model', 'steps', 'time s', 'score', 'phase', 'hardware', 'prompt'],
            page.runs.map((r) => [
              r.id,
              r.createdAt.slice(0, 16).replace('T', ' '),
              r.model,
              r.steps,
              r.durationMs === null ? null : Number((r.durationMs / 1000).toFixed(1)),
              r.score,
              r.phase,
              r.hardware,
              clip(r.prompt, 40),
            ]),
          ),
        );
        io.out(`${page.runs.length} of ${page.total} runs${page.nextCursor ? ` — next page: --cursor ${page.nextCursor}` : ''}\n`);
      });
    });
}
