import fs from 'node:fs';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { RUN_EXPORT_FORMATS, writeRunsExport, type RunExportFormat } from '../../services/export-runs.js';
import { runFilterFromQuery } from '../../services/run-listing.js';
import { parseOptions } from '../parse-options.js';
import { runExportQuerySchema } from '../../validation/run-export-query.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';

/** The `export` command group (`export runs`, `export settings`, ...): made by whichever command registers first. */
export function exportCommand(program: Command, io: CliIo): Command {
  return (
    program.commands.find((c) => c.name() === 'export') ??
    program
      .command('export')
      .description('export the runs or documented settings')
      .exitOverride()
      .configureOutput({ writeOut: io.out, writeErr: io.err })
  );
}

/** Standard output as a stream: the real one (with backpressure) or one that hands text to `io.out`. */
function outputStream(io: CliIo): Writable {
  return (
    io.stdout ??
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        io.out(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        callback();
      },
    })
  );
}

export function registerExportRuns(program: Command, io: CliIo): void {
  exportCommand(program, io)
    .command('runs')
    .description('export runs (all, or those matching the filters) as CSV, JSON or NDJSON, streamed')
    .option('--format <format>', 'csv, json or ndjson', 'csv')
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--model <slug>', 'only this model')
    .option('--steps-min <n>', 'at least this many steps')
    .option('--steps-max <n>', 'at most this many steps')
    .option('--phase <name>', 'draft, refine or final')
    .option('--use-case <name>', 'concept-art, portrait, landscape or other')
    .option('--hardware <name>', 'only this hardware')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--q <text>', 'text in the prompt, notes or sampler')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action(async (options: Record<string, string | undefined>) => {
      const format = options.format as RunExportFormat;
      if (!RUN_EXPORT_FORMATS.includes(format)) {
        throw new CliError(`--format must be one of: ${RUN_EXPORT_FORMATS.join(', ')}`);
      }
      const { output, ...filters } = options;
      delete filters.format;
      const query = parseOptions(runExportQuerySchema, filters);
      await withDatabase(io, async (db) => {
        const filter = await runFilterFromQuery(db, query);
        if (output === undefined) {
          await writeRunsExport(db, filter, format, outputStream(io));
          return;
        }
        let handle: fs.promises.FileHandle;
        try {
          handle = await fs.promises.open(output, 'w');
        } catch (err) {
          throw new CliError(`cannot write ${output} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        const file = handle.createWriteStream();
        file.on('error', () => undefined); // reported by the write or by finished() below
        try {
          const count = await writeRunsExport(db, filter, format, file);
          file.end();
          await finished(file);
          io.err(`Exported ${count.toLocaleString('en-US')} run${count === 1 ? '' : 's'} to ${output}\n`);
        } catch (err) {
          file.destroy();
          await fs.promises.rm(output, { force: true });
          throw err;
        }
      });
    });
}
