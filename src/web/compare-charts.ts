import type { Comparison } from '../services/compare.js';
import type { ChartSpec } from './report-charts.js';
import { viewHelpers as h } from './view-helpers.js';

const sec = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

/** Where the front passes from one model to the next: "FLUX.1 Schnell at 1–9 steps, then …". */
export function describeFront(front: Comparison['front']): string {
  if (front.length === 0) return 'No model has both a fitted curve and render times, so there is no front to draw.';
  const runs: { name: string; from: (typeof front)[number]; to: (typeof front)[number] }[] = [];
  for (const p of front) {
    const last = runs[runs.length - 1];
    if (last && last.name === p.name) last.to = p;
    else runs.push({ name: p.name, from: p, to: p });
  }
  const parts = runs.map(
    (r) =>
      `${r.name} at ${r.from.steps === r.to.steps ? r.from.steps : `${r.from.steps}–${r.to.steps}`} steps ` +
      `(${h.duration(r.from.timeMs)}${r.to.timeMs !== r.from.timeMs ? `–${h.duration(r.to.timeMs)}` : ''}, score ${h.number(r.from.quality, 2)}` +
      `${r.to.quality !== r.from.quality ? `–${h.number(r.to.quality, 2)}` : ''})`,
  );
  return `Best quality for the time, from quickest to best: ${parts.join(', then ')}.`;
}

/** The compare page's two charts: overlaid curves (steps or time on x) and the Pareto front. */
export function compareCharts(c: Comparison): ChartSpec[] {
  if (c.models.length === 0) return [];
  const charts: ChartSpec[] = [];
  charts.push({
    id: 'chart-curves',
    kind: 'curves',
    title: 'Fitted quality curves',
    note: null,
    description:
      'Fitted score by model: ' +
      c.models
        .map((m) => `${m.name}${m.sweetSpot ? ` reaches its sweet spot at ${m.sweetSpot.steps} steps` : ' has no sweet spot yet'}`)
        .join('; ') +
      '.',
    data: {
      models: c.models.map((m) => {
        const spotPoint = m.sweetSpot ? m.curve.find((p) => p.steps >= m.sweetSpot!.steps) : undefined;
        return {
          name: m.name,
          slug: m.slug,
          hasTime: m.curve.some((p) => p.timeMs !== null),
          curve: m.curve.map((p) => ({ s: p.steps, q: p.quality, t: sec(p.timeMs) })),
          spot: m.sweetSpot && spotPoint ? { s: m.sweetSpot.steps, q: spotPoint.quality, t: sec(spotPoint.timeMs) } : null,
        };
      }),
    },
    table: {
      columns: ['Model', 'Sweet spot', 'Draft', 'Standard', 'Final', 'Time per step'],
      rows: c.models.map((m) => {
        const r = m.recommendations;
        const cell = (x: { steps: number; quality: number; durationMs: number | null } | undefined) =>
          x ? `${x.steps} steps, ${h.number(x.quality, 2)}${x.durationMs !== null ? `, ${h.duration(x.durationMs)}` : ''}` : '—';
        return [
          m.name,
          m.sweetSpot ? `${m.sweetSpot.steps}${m.sweetSpot.interval ? ` (${m.sweetSpot.interval[0]}–${m.sweetSpot.interval[1]})` : ''}` : h.label(m.status),
          cell(r?.draft),
          cell(r?.standard),
          cell(r?.final),
          m.perStepMs !== null ? `${h.number(m.perStepMs / 1000, 2)} s${m.durationHardware ? ` (${m.durationHardware})` : ''}` : '—',
        ];
      }),
    },
  });
  if (c.front.length > 0) {
    const timed = c.models.filter((m) => m.curve.some((p) => p.timeMs !== null));
    charts.push({
      id: 'chart-pareto',
      kind: 'pareto',
      title: 'Quality for the time (Pareto front)',
      description: describeFront(c.front),
      note: describeFront(c.front),
      data: {
        front: c.front.map((p) => ({ t: sec(p.timeMs), q: p.quality, s: p.steps, name: p.name })),
        models: timed.map((m) => ({
          name: m.name,
          points: m.curve.flatMap((p) => (p.timeMs === null ? [] : [{ t: sec(p.timeMs), q: p.quality, s: p.steps }])),
        })),
      },
      table: {
        columns: ['Model', 'Steps', 'Predicted time', 'Fitted score'],
        rows: c.front.map((p) => [p.name, String(p.steps), h.duration(p.timeMs), h.number(p.quality, 2)]),
      },
    });
  }
  return charts;
}
