import type { ModelReport } from '../services/model-report.js';
import { viewHelpers as h } from './view-helpers.js';

/**
 * One chart of a page: what public/charts.js draws (`data`, embedded as JSON), what a screen reader
 * announces (`description`) and the same numbers as a table (the chart's text equivalent).
 */
export interface ChartSpec {
  id: string;
  kind: 'quality' | 'duration' | 'marginal' | 'qps' | 'history' | 'curves' | 'pareto';
  title: string;
  /** What a screen reader announces: the chart's message in words. */
  description: string;
  /** A short visible line under the title (the key number), or null. */
  note: string | null;
  data: unknown;
  table: { columns: string[]; rows: string[][] };
}

/** A chart the page leaves out, and why (shown instead of an empty chart). */
export interface MissingChart {
  title: string;
  reason: string;
}

const fmt = (v: number, digits = 2) => h.number(v, digits);
const seconds = (ms: number) => Math.round(ms) / 1000;

/** The model report's charts, each only when it has data to draw. */
export function reportCharts(report: ModelReport): { charts: ChartSpec[]; missing: MissingChart[] } {
  const a = report.analysis;
  const charts: ChartSpec[] = [];
  const missing: MissingChart[] = [];
  const metric = a.metric.name === 'score' ? 'Score (0–10)' : a.metric.name;
  const spot = a.sweetSpot;
  const fitted = new Map(a.curve.map((c) => [c.steps, c.quality]));
  const guide = a.model.guide;
  const guideBand =
    guide.recommendedLow !== null && guide.recommendedHigh !== null
      ? {
          lo: guide.recommendedLow,
          hi: guide.recommendedHigh,
          label: `Guide: ${guide.recommendedLow}–${guide.recommendedHigh}${guide.sweetSpot !== null ? `, sweet spot ${guide.sweetSpot}` : ''}`,
        }
      : null;
  const spotQuality = spot ? (fitted.get(spot.steps) ?? a.recommendations?.standard.quality ?? null) : null;

  // (a) quality vs steps
  if (a.levels.length > 0) {
    const first = a.levels[0]!;
    const last = a.levels[a.levels.length - 1]!;
    charts.push({
      id: 'chart-quality',
      kind: 'quality',
      title: `${a.metric.name === 'score' ? 'Quality' : a.metric.name} vs steps`,
      description:
        `${metric} against steps for ${a.model.name}: level means go from ${fmt(first.mean)} at ${first.steps} steps ` +
        `to ${fmt(last.mean)} at ${last.steps} steps over ${h.int(a.runs)} runs` +
        (spot ? `; sweet spot ${spot.steps} steps${spot.interval ? ` (90% interval ${spot.interval[0]}–${spot.interval[1]})` : ''}` : '') +
        (guideBand ? `; ${guideBand.label}` : '') +
        '.',
      note: null,
      data: {
        yLabel: metric,
        lowerIsBetter: a.lowerIsBetter,
        points: report.points.map((p) => [p.steps, p.value]),
        means: a.levels.map((l) => ({ x: l.steps, y: l.mean, lo: l.ci90?.[0] ?? null, hi: l.ci90?.[1] ?? null, n: l.n })),
        curve: a.curve.map((c) => ({ x: c.steps, y: c.quality })),
        curveLabel: a.fit ? (a.fit.model === 'isotonic' || a.fit.model === 'unimodal' ? 'Fitted (monotone) curve' : 'Fitted curve') : null,
        sweetSpot:
          spot && spotQuality !== null
            ? { x: spot.steps, y: spotQuality, lo: spot.interval?.[0] ?? null, hi: spot.interval?.[1] ?? null, label: `Sweet spot ${spot.steps}${spot.interval ? ` (${spot.interval[0]}–${spot.interval[1]})` : ''}` }
            : null,
        guide: guideBand,
        paired: a.paired,
      },
      table: {
        columns: ['Steps', 'Runs', `Mean${a.paired ? ' (paired)' : ''}`, '90% interval', 'Fitted'],
        rows: a.levels.map((l) => [
          String(l.steps),
          h.int(l.n),
          fmt(l.mean),
          l.ci90 ? `${fmt(l.ci90[0])}–${fmt(l.ci90[1])}` : '—',
          fitted.has(l.steps) ? fmt(fitted.get(l.steps)!) : '—',
        ]),
      },
    });
  } else {
    missing.push({ title: 'Quality vs steps', reason: a.message });
  }

  // (b) duration vs steps
  const timed = report.durations.filter((d) => d.levels.length > 0);
  if (timed.length > 0) {
    const maxSteps = Math.max(...timed.flatMap((d) => d.levels.map((l) => l.steps)), spot?.steps ?? 0);
    const series = timed.map((d) => {
      const line = d.fit && d.levels.length >= 2 ? { perStepS: d.fit.perStepMs / 1000, overheadS: d.fit.overheadMs / 1000, r2: d.fit.r2 } : null;
      return {
        label: d.hardware ?? 'All runs',
        points: d.levels.map((l) => ({ x: l.steps, y: seconds(l.meanMs), n: l.n })),
        line: line
          ? [0, Math.ceil(maxSteps * 1.05)].map((s) => ({ x: s, y: Math.max(0, line.overheadS + line.perStepS * s) }))
          : [],
        fitLabel: line ? `${fmt(line.perStepS)} s per step + ${fmt(line.overheadS)} s overhead (R² ${fmt(line.r2)})` : null,
      };
    });
    charts.push({
      id: 'chart-duration',
      kind: 'duration',
      title: 'Render time vs steps',
      description:
        'Mean render time against steps' +
        series.map((s) => `; ${s.label}: ${s.fitLabel ?? `${s.points.length} step level${s.points.length === 1 ? '' : 's'}, no fit yet`}`).join('') +
        '.',
      note: series.map((s) => (s.fitLabel ? `${s.label}: ${s.fitLabel}` : `${s.label}: times at one step count only`)).join(' · '),
      data: { series },
      table: {
        columns: ['Hardware', 'Steps', 'Runs', 'Mean time', 'Fitted'],
        rows: timed.flatMap((d) =>
          d.levels.map((l) => [
            d.hardware ?? '—',
            String(l.steps),
            h.int(l.n),
            h.duration(l.meanMs),
            d.fit ? h.duration(Math.max(0, d.fit.overheadMs + d.fit.perStepMs * l.steps)) : '—',
          ]),
        ),
      },
    });
  } else {
    missing.push({ title: 'Render time vs steps', reason: a.durationMessage ?? 'No render times logged yet.' });
  }

  // (c) marginal gain per step (all zero on a flat curve: nothing to see)
  if (a.status === 'flat') {
    missing.push({ title: 'Gain from one more step', reason: 'Quality is flat over the tested steps: one more step adds nothing that matters anywhere.' });
  } else if (a.marginalGain.length > 0) {
    const gainAt = new Map(a.marginalGain.map((g) => [g.steps, g.gain]));
    charts.push({
      id: 'chart-marginal',
      kind: 'marginal',
      title: 'Gain from one more step',
      description:
        `What one more step adds to the fitted ${a.metric.name === 'score' ? 'score' : a.metric.name}, by step count` +
        (spot ? `; at the sweet spot (${spot.steps} steps) it is ${fmt(gainAt.get(spot.steps) ?? NaN, 3)}` : '') +
        '.',
      note: spot && gainAt.has(spot.steps) ? `At the sweet spot (${spot.steps} steps) one more step adds ${fmt(gainAt.get(spot.steps)!, 3)}.` : null,
      data: {
        points: a.marginalGain.map((g) => ({ x: g.steps, y: g.gain })),
        threshold: a.settings.marginal,
        sweetSpot: spot ? spot.steps : null,
        yLabel: `Gain per step${a.metric.name === 'score' ? ' (score points)' : ''}`,
      },
      table: {
        columns: ['Steps', 'Gain from one more step'],
        rows: a.levels.filter((l) => gainAt.has(l.steps)).map((l) => [String(l.steps), fmt(gainAt.get(l.steps)!, 3)]),
      },
    });
  } else {
    missing.push({ title: 'Gain from one more step', reason: 'Needs a fitted curve: ' + a.nextSteps.message });
  }

  // (d) quality per second
  const fit = a.duration;
  if (fit && fit.perStepMs > 0 && a.curve.length > 0 && !a.lowerIsBetter) {
    const perSecond = (steps: number, quality: number) => {
      const s = Math.max(0, fit.overheadMs + fit.perStepMs * steps) / 1000;
      return s > 0 ? quality / s : null;
    };
    const line = a.curve.flatMap((c) => {
      const y = perSecond(c.steps, c.quality);
      return y === null ? [] : [{ x: c.steps, y }];
    });
    charts.push({
      id: 'chart-qps',
      kind: 'qps',
      title: 'Quality per second',
      description:
        `Fitted quality divided by predicted render time${a.durationHardware ? ` on ${a.durationHardware}` : ''}: ` +
        'it falls as steps rise, so fewer steps give more quality per second of waiting' +
        (spot ? `; at the sweet spot, ${fmt(perSecond(spot.steps, spotQuality ?? 0) ?? NaN, 3)} per second` : '') +
        '.',
      note: `Fitted quality ÷ predicted time${a.durationHardware ? ` on ${a.durationHardware}` : ''}` +
        (spot && spotQuality !== null ? `; ${fmt(perSecond(spot.steps, spotQuality) ?? NaN, 3)} per second at the sweet spot.` : '.'),
      data: {
        curve: line,
        points: a.qualityPerSecond.map((q) => ({ x: q.steps, y: q.value })),
        sweetSpot: spot ? spot.steps : null,
        yLabel: a.metric.name === 'score' ? 'Score per second' : `${a.metric.name} per second`,
      },
      table: {
        columns: ['Steps', 'Quality per second'],
        rows: a.qualityPerSecond.map((q) => [String(q.steps), fmt(q.value, 3)]),
      },
    });
  } else {
    missing.push({
      title: 'Quality per second',
      reason: a.lowerIsBetter
        ? 'Not shown for a lower-is-better metric.'
        : !fit
          ? (a.durationMessage ?? 'Needs render times.')
          : a.curve.length === 0
            ? 'Needs a fitted curve: ' + a.nextSteps.message
            : 'Render times do not grow with steps, so time per step cannot be used.',
    });
  }

  // history of the sweet spot
  const history = report.history.filter((p) => p.steps !== null);
  if (history.length >= 2) {
    charts.push({
      id: 'chart-history',
      kind: 'history',
      title: 'Sweet spot over time',
      description:
        `The sweet spot over ${history.length} snapshots: from ${history[0]!.steps} steps on ${h.date(history[0]!.at)} ` +
        `to ${history[history.length - 1]!.steps} steps on ${h.date(history[history.length - 1]!.at)}.`,
      note: null,
      data: {
        points: history.map((p) => ({ label: h.date(p.at), y: p.steps, lo: p.intervalLow, hi: p.intervalHigh, runs: p.runs })),
        guide: guideBand,
      },
      table: historyTable(report),
    });
  }
  return { charts, missing };
}

/** The snapshots as rows, newest first. */
export function historyTable(report: ModelReport): ChartSpec['table'] {
  return {
    columns: ['When', 'Sweet spot', '90% interval', 'Confidence', 'Runs'],
    rows: [...report.history].reverse().map((p) => [
      h.date(p.at),
      p.steps === null ? '—' : String(p.steps),
      p.intervalLow !== null && p.intervalHigh !== null ? `${p.intervalLow}–${p.intervalHigh}` : p.intervalLow !== null ? `≥ ${p.intervalLow}` : '—',
      h.label(p.confidence),
      h.int(p.runs),
    ]),
  };
}
