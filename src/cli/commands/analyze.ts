import fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { analyzeModel, analyzePoints } from '../../services/analysis.js';
import { listModels } from '../../services/models.js';
import { issuesToDetails } from '../../validation/fields.js';
import { parseOptions } from '../parse-options.js';
import { adHocAnalysisSchema, analysisQuerySchema, SWEET_SPOT_RULES } from '../../validation/analysis-query.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';
import { whyUnreadable } from '../file-error.js';
import { formatAnalysis } from '../format-analysis.js';

interface SettingsOptions {
  rule?: string;
  delta?: string;
  share?: string;
  marginal?: string;
  json?: boolean;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function settings(o: SettingsOptions) {
  return {
    ...(o.rule !== undefined ? { rule: o.rule } : {}),
    ...(o.delta !== undefined ? { delta: num(o.delta) } : {}),
    ...(o.share !== undefined ? { share: num(o.share) } : {}),
    ...(o.marginal !== undefined ? { marginal: num(o.marginal) } : {}),
  };
}

const COLUMNS = ['steps', 'score', 'duration_ms', 'model', 'seed', 'prompt'] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

/** Reads the ad-hoc CSV: at least `steps,score`; header names are matched case-insensitively. */
function readPointsCsv(file: string): { rows: Row[]; hasModel: boolean } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${whyUnreadable(err)}`);
  }
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new CliError(`${file} is not a readable CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  for (const required of ['steps', 'score']) {
    if (records.length > 0 && !header.includes(required)) throw new CliError(`${file} has no '${required}' column (found: ${header.join(', ')})`);
  }
  if (records.length === 0) throw new CliError(`${file} has no rows`);
  return { rows: records as Row[], hasModel: header.includes('model') };
}

function toPoint(row: Row) {
  const numberOrText = (v: string | undefined) => (v === undefined || v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v));
  return {
    steps: numberOrText(row.steps),
    score: numberOrText(row.score),
    ...(row.duration_ms !== undefined ? { durationMs: numberOrText(row.duration_ms) } : {}),
    ...(row.seed ? { seed: row.seed } : {}),
    ...(row.prompt ? { prompt: row.prompt } : {}),
  };
}

export function registerAnalyze(program: Command, io: CliIo): void {
  const withSettings = (command: Command) =>
    command
      .option('--rule <rule>', `sweet-spot rule: ${SWEET_SPOT_RULES.join(', ')}`)
      .option('--delta <d>', 'the smallest difference that matters (default 0.25 on the 0–10 score)')
      .option('--share <p>', 'share of the gain for the gain-share rule (default 0.95)')
      .option('--marginal <m>', 'per-step gain threshold for the marginal-gain rule')
      .option('--json', 'print the same JSON as the API');

  withSettings(
    program
      .command('analyze <file>')
      .description('analyse a CSV of renders (columns steps,score; optional duration_ms, model, seed, prompt); nothing is stored')
      .option('--lower-is-better', 'the metric improves as it falls'),
  ).action(async (file: string, options: SettingsOptions & { lowerIsBetter?: boolean }) => {
    const { rows, hasModel } = readPointsCsv(file);
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const key = hasModel ? (row.model ?? '') : '';
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const results: { model: string | null; analysis: Awaited<ReturnType<typeof analyzePoints>> }[] = [];
    for (const [model, group] of groups) {
      const parsed = adHocAnalysisSchema.safeParse({
        points: group.map(toPoint),
        ...(options.lowerIsBetter ? { lowerIsBetter: true } : {}),
        ...settings(options),
      });
      if (!parsed.success) {
        const details = issuesToDetails(parsed.error).slice(0, 10);
        const where = (field: string) => {
          const m = /^points\[(\d+)\]\.(\w+)$/.exec(field);
          if (!m) return field;
          const line = rows.indexOf(group[Number(m[1])]!) + 2;
          return `line ${line}, ${m[2] === 'durationMs' ? 'duration_ms' : m[2]}`;
        };
        throw new CliError(`${file}: ${details.map((d) => `${where(d.field)}: ${d.message}`).join('; ')}`);
      }
      results.push({ model: hasModel ? model : null, analysis: await analyzePoints(parsed.data) });
    }
    if (options.json) {
      io.out(`${JSON.stringify(hasModel ? results.map((r) => ({ model: r.model, ...r.analysis })) : results[0]!.analysis, null, 2)}\n`);
      return;
    }
    io.out(results.map((r) => formatAnalysis(r.model ?? file, r.analysis)).join('\n'));
  });

  withSettings(
    program
      .command('report')
      .description("print every stored model's analysis")
      .option('--model <slug>', 'only this model')
      .option('--metric <name>', 'analyse this metric instead of the score')
      .option('--hardware <name>', 'only runs on this hardware'),
  ).action(async (options: SettingsOptions & { model?: string; metric?: string; hardware?: string }) => {
    const query = parseOptions(analysisQuerySchema, {
      ...settings(options),
      ...(options.metric ? { metric: options.metric } : {}),
      ...(options.hardware ? { hardware: options.hardware } : {}),
    });
    await withDatabase(io, async (db) => {
      const models = (await listModels(db)).filter((m) => (options.model ? m.slug === options.model : m.scoredRuns > 0));
      if (options.model && models.length === 0) throw new CliError(`unknown model '${options.model}'`);
      if (models.length === 0) {
        io.out('No rated runs yet: log some (sweetspot log …) or load the demo data (sweetspot demo).\n');
        return;
      }
      const analyses = [];
      for (const m of models) analyses.push(await analyzeModel(db, m.slug, query));
      if (options.json) {
        io.out(`${JSON.stringify(analyses, null, 2)}\n`);
        return;
      }
      io.out(analyses.map((a) => formatAnalysis(a.model.name, a)).join('\n'));
    });
  });
}
