import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './run-csv-columns.js';
import type { ModelSettings, ScopeSettings, SettingsSheet } from './settings-sheet.js';

const seconds = (ms: number | null) => (ms === null ? null : Number((ms / 1000).toFixed(1)));
const quality = (q: number) => Number(q.toFixed(2));
const label = (useCase: string) => useCase.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Escapes text for a Markdown table cell or line: no table breaks, no markup from user text. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([|*_`[\]<>#])/g, '\\$1').replace(/\r?\n/g, ' ');
}

function interval(scope: ScopeSettings): string {
  const s = scope.sweetSpot;
  if (!s) return '—';
  if (s.interval) return `${s.interval[0]}–${s.interval[1]}`;
  return s.lowerBound !== null ? `${s.lowerBound} or more` : '—';
}

function guideCell(guide: ModelSettings['guide'], setting: 'draft' | 'standard' | 'final'): string {
  if (setting === 'draft') return guide.minSteps !== null ? `from ${guide.minSteps}` : '—';
  if (setting === 'final') return guide.maxSteps !== null ? `up to ${guide.maxSteps}` : '—';
  if (guide.recommendedLow !== null && guide.recommendedHigh !== null) {
    return `${guide.recommendedLow}–${guide.recommendedHigh}${guide.sweetSpot !== null ? ` (sweet spot ${guide.sweetSpot})` : ''}`;
  }
  return guide.sweetSpot !== null ? String(guide.sweetSpot) : '—';
}

/** The settings sheet as Markdown: one section per model, ready to pin to a wall or a wiki. */
export function settingsToMarkdown(sheet: SettingsSheet): string {
  const out: string[] = [];
  const filters = Object.entries(sheet.filters).map(([k, v]) => `${k} = ${v}`);
  out.push('# Step settings', '');
  out.push(
    `Generated ${sheet.generatedAt.slice(0, 16).replace('T', ' ')} UTC by sweetspot · metric: ${md(sheet.metric.name)} (δ ${sheet.metric.delta}, ${sheet.rule} rule) · filters: ${filters.length ? md(filters.join(', ')) : 'none'}`,
    '',
    'Draft is within 4δ of the plateau, standard is the sweet spot (within δ), final is within δ/4.',
    '',
  );
  if (sheet.models.length === 0) out.push('No model has rated runs yet.', '');
  for (const m of sheet.models) {
    out.push(`## ${md(m.name)} (\`${m.slug}\`)`, '');
    if (m.sweetSpot) {
      out.push(
        `**Sweet spot: ${m.sweetSpot.steps} steps**${m.sweetSpot.extrapolated ? ' (extrapolated)' : ''} — 90% interval ${interval(m)}, confidence ${m.sweetSpot.confidence}. ${md(m.sweetSpot.reason)}.`,
        '',
      );
    } else {
      out.push(`**No sweet spot yet** (${m.status}): ${md(m.message)}`, '');
    }
    if (m.decline) out.push(`**${md(m.decline.summary.charAt(0).toUpperCase() + m.decline.summary.slice(1))}** — more steps make it worse.`, '');
    if (m.curve) out.push(`Curve: ${md(m.curve)}.`, '');
    out.push(`${m.guideLabel ? `${md(m.guideLabel)} · ` : ''}${m.runs} rated runs over ${m.stepLevels} step levels${m.paired ? ' · paired by prompt + seed' : ''}`, '');
    if (m.recommendations) {
      const on = m.duration?.hardware ? ` (${md(m.duration.hardware)})` : '';
      out.push(`| Setting | Steps | Expected quality | Predicted time${on} | Guide |`, '| --- | ---: | ---: | ---: | --- |');
      for (const key of ['draft', 'standard', 'final'] as const) {
        const r = m.recommendations[key];
        const time = r.durationMs === null ? '—' : `${seconds(r.durationMs)} s`;
        out.push(`| ${label(key)} | ${r.steps}${r.extrapolated ? '*' : ''} | ${quality(r.quality)} | ${time} | ${guideCell(m.guide, key)} |`);
      }
      out.push('');
      if (Object.values(m.recommendations).some((r) => r.extrapolated)) out.push('\\* beyond the tested steps: an extrapolation.', '');
    }
    if (m.duration) {
      out.push(`Render time: ${(m.duration.overheadMs / 1000).toFixed(2)} s + ${(m.duration.perStepMs / 1000).toFixed(3)} s per step (R² ${m.duration.r2.toFixed(3)}).`, '');
    }
    if (m.useCases.length > 0) {
      out.push('### By use case', '', '| Use case | Draft | Standard | Final | Sweet spot interval | Confidence | Runs |', '| --- | ---: | ---: | ---: | --- | --- | ---: |');
      for (const u of m.useCases) {
        const r = u.recommendations!;
        out.push(`| ${label(u.useCase)} | ${r.draft.steps} | ${r.standard.steps} | ${r.final.steps} | ${interval(u)} | ${u.sweetSpot!.confidence} | ${u.runs} |`);
      }
      out.push('');
    }
    out.push(`Next: ${md(m.nextSteps)}`, '');
    for (const w of m.warnings) out.push(`> ${md(w)}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function settingsToJson(sheet: SettingsSheet): string {
  return `${JSON.stringify(sheet, null, 2)}\n`;
}

export const SETTINGS_CSV_COLUMNS = [
  'model', 'model_name', 'scope', 'metric', 'rule', 'delta', 'status', 'runs', 'step_levels',
  'sweet_spot', 'interval_low', 'interval_high', 'confidence',
  'draft_steps', 'draft_quality', 'draft_time_s', 'standard_steps', 'standard_quality', 'standard_time_s',
  'final_steps', 'final_quality', 'final_time_s',
  'guide_min', 'guide_low', 'guide_high', 'guide_max', 'guide_sweet_spot', 'time_hardware', 'generated_at',
  'decline_past_steps', 'decline_drop',
] as const;

/** One row per model and per use case; text cells a spreadsheet would run as formulas are neutralised. */
export function settingsToCsv(sheet: SettingsSheet): string {
  const rows: (string | number | null)[][] = [];
  const text = (v: string | null) => (v === null ? null : neutraliseFormula(v));
  const row = (m: ModelSettings, scope: string, s: ScopeSettings) => {
    const r = s.recommendations;
    const rec = (key: 'draft' | 'standard' | 'final') => (r ? [r[key].steps, quality(r[key].quality), seconds(r[key].durationMs)] : [null, null, null]);
    rows.push([
      text(m.slug), text(m.name), scope, text(sheet.metric.name), sheet.rule, sheet.metric.delta, s.status, s.runs, s.stepLevels,
      s.sweetSpot?.steps ?? null, s.sweetSpot?.interval?.[0] ?? s.sweetSpot?.lowerBound ?? null, s.sweetSpot?.interval?.[1] ?? null, s.sweetSpot?.confidence ?? null,
      ...rec('draft'), ...rec('standard'), ...rec('final'),
      m.guide.minSteps, m.guide.recommendedLow, m.guide.recommendedHigh, m.guide.maxSteps, m.guide.sweetSpot,
      text(s.duration?.hardware ?? null), sheet.generatedAt,
      s.decline?.peakSteps ?? null, s.decline ? quality(s.decline.drop) : null,
    ]);
  };
  for (const m of sheet.models) {
    row(m, 'all', m);
    for (const u of m.useCases) row(m, u.useCase, u);
  }
  return stringify(rows, { header: true, columns: [...SETTINGS_CSV_COLUMNS] });
}
