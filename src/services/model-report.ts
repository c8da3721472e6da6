import type { Db } from '../db/connect.js';
import type { ModelRow } from '../db/schema.js';
import {
  countTaggedRuns,
  durationSumsByHardware,
  filterChoices,
  metricPointSample,
  type FilterChoices,
  type MetricPoint,
} from '../store/analysis-sums.js';
import { listMetrics } from '../store/metrics.js';
import { findModelBySlug } from '../store/models.js';
import type { AnalysisQuery } from '../validation/analysis-query.js';
import { analysisFilterFromQuery, analyzeModel, sweetSpotHistory, type ModelAnalysis, type SnapshotPoint } from './analysis.js';
import { NotFoundError } from './errors.js';
import { DEMO_TAG } from './demo.js';
import { LruCache } from './lru-cache.js';
import { emptyMetricMessage, metricLabel } from './metric-labels.js';

/** Raw points drawn behind the level means: enough to show the spread, few enough to stay fast at 10⁶ runs. */
export const POINT_SAMPLE_CAP = 2_000;
/** Hardware types whose measured times are drawn on the duration chart (most timed runs first). */
const MAX_DURATION_SERIES = 4;

export interface DurationSeries {
  /** null: the runs name no hardware. */
  hardware: string | null;
  /** Mean render time per tested step level, in ms. */
  levels: { steps: number; n: number; meanMs: number }[];
  fit: { overheadMs: number; perStepMs: number; r2: number } | null;
}

export interface ModelReport {
  analysis: ModelAnalysis;
  /** A sample of the raw (steps, value) points, at most {@link POINT_SAMPLE_CAP}. */
  points: MetricPoint[];
  /** Measured times and fitted lines, one series per hardware type. */
  durations: DurationSeries[];
  /** The sweet spot over time for this metric, filter set, rule and δ (oldest first). */
  history: SnapshotPoint[];
  choices: FilterChoices & { metrics: { name: string; label: string; lowerIsBetter: boolean }[] };
  /** How many of the runs behind the report are demo runs (tagged "demo"): the page says so. */
  demoRuns: number;
  /** What to say when no run has a value for the metric, in the metric's terms; null when some do. */
  emptyState: string | null;
}

/**
 * Everything the model report page draws: the analysis (which also records a snapshot when its
 * inputs changed), a bounded sample of raw points, the measured times per hardware, the history
 * of the sweet spot and the values the filter form offers.
 */
export async function loadModelReport(db: Db, slug: string, query: AnalysisQuery): Promise<ModelReport> {
  const row = await findModelBySlug(db, slug);
  if (!row) throw new NotFoundError(`model '${slug}' not found`);
  // Like the analysis, the report's samples and choices only change when the model's runs do.
  const key = `${row.id}:${row.data_version}:${row.updated_at}:${JSON.stringify(query)}`;
  const cache = reportCaches.get(db) ?? new LruCache<string, ModelReport>(200);
  reportCaches.set(db, cache);
  const cached = cache.get(key);
  if (cached) return cached;
  const report = await buildModelReport(db, row, slug, query);
  cache.set(key, report);
  return report;
}

const reportCaches = new WeakMap<Db, LruCache<string, ModelReport>>();

/**
 * The history without a snapshot that says the same as the one before it (same sweet spot,
 * interval, confidence and run count): the inputs changed, but nothing a reader would see did.
 */
export function withoutRepeats(points: readonly SnapshotPoint[]): SnapshotPoint[] {
  const same = (a: SnapshotPoint, b: SnapshotPoint) =>
    a.steps === b.steps && a.intervalLow === b.intervalLow && a.intervalHigh === b.intervalHigh && a.confidence === b.confidence && a.runs === b.runs;
  return points.filter((p, i) => i === 0 || !same(p, points[i - 1]!));
}

async function buildModelReport(db: Db, row: ModelRow, slug: string, query: AnalysisQuery): Promise<ModelReport> {
  const analysis = await analyzeModel(db, slug, query);
  const filter = analysisFilterFromQuery(query);
  const [points, choices, metrics, history, demoRuns] = await Promise.all([
    metricPointSample(db, row.id, analysis.metric.name, filter, POINT_SAMPLE_CAP),
    filterChoices(db, row.id),
    listMetrics(db),
    sweetSpotHistory(db, slug, query),
    countTaggedRuns(db, row.id, filter, DEMO_TAG),
  ]);

  // Each hardware's measured times and fitted line come with the analysis; runs that name no
  // hardware (or times at a single step count) are drawn from the sums directly.
  const durations: DurationSeries[] = analysis.durationByHardware
    .slice(0, MAX_DURATION_SERIES)
    .map((h) => ({ hardware: h.hardware, levels: h.levels, fit: h.fit }));
  if (durations.length === 0) {
    const levels = meanLevels(await durationSumsByHardware(db, row.id, filter));
    if (levels.length > 0) durations.push({ hardware: analysis.durationHardware, levels, fit: analysis.duration });
  }

  // The chosen values stay offered even when the sampled choices missed them.
  const withChosen = (list: string[], chosen: string | null | undefined) => (chosen == null || list.includes(chosen) ? list : [...list, chosen]);
  return {
    analysis,
    points,
    durations,
    history: withoutRepeats(history.filter((h) => h.rule === analysis.settings.rule && h.delta === analysis.settings.delta)),
    choices: {
      hardware: withChosen(choices.hardware, query.hardware),
      samplers: withChosen(choices.samplers, query.sampler),
      resolutions: withChosen(choices.resolutions, query.resolution),
      metrics: [
        { name: 'score', label: metricLabel('score'), lowerIsBetter: false },
        ...metrics.map((m) => ({ name: m.name, label: metricLabel(m.name), lowerIsBetter: m.higher_is_better === 0 })),
      ],
    },
    demoRuns,
    emptyState: analysis.runs === 0 ? emptyMetricMessage(analysis.metric.name) : null,
  };
}

/** Mean time per step level over every hardware. */
function meanLevels(rows: readonly { steps: number; n: number; sum: number }[]): DurationSeries['levels'] {
  const bySteps = new Map<number, { n: number; sum: number }>();
  for (const r of rows) {
    const level = bySteps.get(r.steps) ?? { n: 0, sum: 0 };
    level.n += r.n;
    level.sum += r.sum;
    bySteps.set(r.steps, level);
  }
  return [...bySteps]
    .filter(([, l]) => l.n > 0)
    .sort(([a], [b]) => a - b)
    .map(([steps, l]) => ({ steps, n: l.n, meanMs: l.sum / l.n }));
}
