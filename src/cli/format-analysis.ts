import type { StepAnalysis } from '../analysis/analyze-steps.js';
import { formatDuration } from '../analysis/waste.js';
import { declineSentence, lackOfFitVerdict } from '../analysis/curves/describe-curve.js';

const q = (v: number) => v.toFixed(2);
const ms = (v: number | null) => (v === null ? '—' : formatDuration(v));

/** A readable terminal report of one analysis: the sweet spot first, then how sure, then what to do. */
export function formatAnalysis(title: string, a: StepAnalysis & { durationHardware?: string | null }): string {
  const lines: string[] = [];
  const levels = a.levels.length;
  lines.push(`${title} — ${a.runs} rated runs over ${levels} step level${levels === 1 ? '' : 's'}${a.paired ? ' (paired by prompt + seed)' : ''}`);
  if (a.status !== 'ok') lines.push(`  ${a.status}: ${a.message}`);
  const s = a.sweetSpot;
  if (s) {
    const interval = s.interval ? `90% interval ${s.interval[0]}–${s.interval[1]}` : s.lowerBound !== null ? `90% interval from ${s.lowerBound}, no upper end` : 'no interval';
    lines.push(`  Sweet spot: ${s.steps} steps${s.extrapolated ? ' (extrapolated beyond the tested steps)' : ''} (${interval}), confidence ${s.confidence}`);
    lines.push(`    ${s.reason}`);
  }
  if (a.decline) lines.push(`  Decline: ${declineSentence(a.decline, a.levels[a.levels.length - 1]!.steps)}: more steps make it worse.`);
  if (a.fit) {
    const params = a.fit.params ? ` (${Object.entries(a.fit.params).map(([k, v]) => `${k} = ${Number(v.toPrecision(4))}`).join(', ')})` : '';
    lines.push(`  Fit: ${a.fit.description}${params}, R² ${a.fit.r2.toFixed(3)}; Kneedle knee of the tested range: ${a.kneedle.steps ?? 'none'}`);
    lines.push(`    ${lackOfFitVerdict(a.fit)}`);
    lines.push(`  Runs used: ${a.runUse.pairedRuns} in paired prompt + seed blocks, ${a.runUse.unpairedRuns} unpaired`);
  }
  if (a.recommendations) {
    const r = a.recommendations;
    const one = (name: string, x: typeof r.draft) => `${name} ${x.steps} steps (quality ${q(x.quality)}, ${ms(x.durationMs)})`;
    lines.push(`  Settings: ${one('draft', r.draft)} · ${one('standard', r.standard)} · ${one('final', r.final)}`);
  }
  if (a.duration) {
    const on = a.durationHardware ? ` on ${a.durationHardware}` : '';
    lines.push(
      `  Render time${on}: ${(a.duration.overheadMs / 1000).toFixed(2)} s + ${(a.duration.perStepMs / 1000).toFixed(3)} s per step (R² ${a.duration.r2.toFixed(3)})`,
    );
  } else if (a.durationMessage) {
    lines.push(`  Render time: ${a.durationMessage}`);
  }
  if (a.waste) lines.push(`  Waste: ${a.waste.summary}`);
  lines.push(`  Next: ${a.nextSteps.message}`);
  for (const w of a.warnings) lines.push(`  ${w.severity === 'warning' ? 'Warning' : 'Note'}: ${w.message}`);
  return `${lines.join('\n')}\n`;
}
