import fs from 'node:fs';
import type { Command } from 'commander';
import { buildSettingsSheet } from '../../services/settings-sheet.js';
import { settingsToCsv, settingsToJson, settingsToMarkdown } from '../../services/settings-formats.js';
import { parseOptions } from '../parse-options.js';
import { analysisQuerySchema } from '../../validation/analysis-query.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';
import { exportCommand } from './export-runs.js';

const RENDER = { md: settingsToMarkdown, json: settingsToJson, csv: settingsToCsv } as const;

export function registerExportSettings(program: Command, io: CliIo): void {
  exportCommand(program, io)
    .command('settings')
    .description('export the documented settings per model (draft / standard / final) as Markdown, JSON or CSV')
    .option('--format <format>', 'md, json or csv', 'md')
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--metric <name>', 'analyse this metric instead of the score')
    .option('--rule <rule>', 'sweet-spot rule')
    .option('--delta <d>', 'the smallest difference that matters')
    .option('--hardware <name>', 'predict the times for this GPU (the quality uses every run)')
    .option('--tag <tag>', 'only runs with this tag (repeat for several)', (v: string, p: string[] = []) => [...p, v])
    .option('--exclude-tag <tag>', 'leave out runs with this tag, e.g. demo (repeat for several)', (v: string, p: string[] = []) => [...p, v])
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action(async (options: Record<string, string | string[] | undefined>) => {
      const format = options.format as keyof typeof RENDER;
      const output = typeof options.output === 'string' ? options.output : undefined;
      if (!(format in RENDER)) throw new CliError('--format must be one of: md, json, csv');
      const { output: _output, format: _format, ...settings } = options;
      const query = parseOptions(analysisQuerySchema, settings, { names: { excludeTag: '--exclude-tag' } });
      await withDatabase(io, async (db) => {
        const text = RENDER[format](await buildSettingsSheet(db, query));
        if (output) {
          fs.writeFileSync(output, text);
          io.err(`Wrote ${output}\n`);
        } else {
          io.out(text);
        }
      });
    });
}
