import { createHash } from 'node:crypto';
import { analyzeSteps, type StepAnalysis } from '../analysis/analyze-steps.js';
import type { CurveOptions } from '../analysis/analyze-curve.js';
import { summarizePoints } from '../analysis/summarize-points.js';
import { fitDuration, type DurationFit } from '../analysis/duration-fit.js';
import type { Db } from '../db/connect.js';
import type { ModelRow, SnapshotRow } from '../db/schema.js';
import { LruCache } from './lru-cache.js';
import {
  durationSumsByHardware,
  metricBlockCells,
  type SumsRow,
  metricLevelSums,
  type AnalysisFilter,
} from '../store/analysis-sums.js';
import { findModelBySlug } from '../store/models.js';
import { findMetric, listMetrics } from '../store/metrics.js';
import { insertSnapshot, latestSnapshot, snapshotHistory } from '../store/snapshots.js';
import type { AdHocAnalysisRequest, AnalysisQuery } from '../validation/analysis-query.js';
import { InputError, NotFoundError } from './errors.js';
import { describeGuideRange, modelRowToModel, type GuideRange } from './models.js';
import { metricScale, SCORE_SCALE } from './metric-scales.js';

/** The 0–10 score's smallest difference that matters (DESIGN.md: δ = 0.25). */
export const SCORE_DELTA = 0.25;

export interface MetricInfo {
  name: string;
  lowerIsBetter: boolean;
  /** The δ in force for this analysis. */
  delta: number;
  /** What the metric is measured in, e.g. "points on the 0–10 score". */
  unit: string;
  /** The values the metric can take (fitted curves are clipped to it); null ends are open. */
  range: { min: number | null; max: number | null };
}

export interface ModelAnalysis extends StepAnalysis {
  model: { slug: string; name: string; guide: GuideRange; guideLabel: string | null };
  metric: MetricInfo;
  filters: AnalysisFilter;
  /** The hardware the duration fit and predicted times are for (null: not recorded or one kind only). */
  durationHardware: string | null;
  /** Overhead + per-step time on each hardware with timed runs at two or more step counts. */
  durationByHardware: { hardware: string; runs: number; fit: DurationFit; levels: { steps: number; n: number; meanMs: number }[] }[];
  /**
   * When the analysis is paired and the model has more rated runs than the pairing window, the
   * number of newest runs the paired analysis read (null: it read them all).
   */
  pairedWindow: number | null;
}

/** Analyses are cached per database handle (tests and tools open several). */
const caches = new WeakMap<Db, LruCache<string, ModelAnalysis>>();
function analysisCache(db: Db): LruCache<string, ModelAnalysis> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LruCache(500);
    caches.set(db, cache);
  }
  return cache;
}

/** The analysis query's filter fields as a store filter. */
export function analysisFilterFromQuery(query: AnalysisQuery): AnalysisFilter {
  const filter: AnalysisFilter = {};
  if (query.hardware != null) filter.hardware = query.hardware;
  if (query.useCase != null) filter.useCase = query.useCase;
  if (query.phase != null) filter.phase = query.phase;
  if (query.sampler != null) filter.sampler = query.sampler;
  if (query.resolution != null) {
    const [w, h] = query.resolution.split('x').map(Number) as [number, number];
    filter.width = w;
    filter.height = h;
  }
  if (query.experiment != null) filter.experimentId = query.experiment;
  if (query.from != null) filter.from = query.from;
  if (query.to != null) filter.to = query.to;
  return filter;
}

function curveOptions(
  query: { rule?: CurveOptions['rule'] | null; delta?: number | null; share?: number | null; marginal?: number | null },
  delta: number,
  lowerIsBetter: boolean,
  range: CurveOptions['range'],
): Partial<CurveOptions> {
  const options: Partial<CurveOptions> = { delta, lowerIsBetter, range };
  if (query.rule != null) options.rule = query.rule;
  if (query.share != null) options.share = query.share;
  if (query.marginal != null) options.marginal = query.marginal;
  return options;
}

/** The maths reports bad input as "fn requires …"; that is the user's input, so it becomes an InputError. */
function asInputError<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof Error && / requires /.test(err.message)) throw new InputError(err.message);
    throw err;
  }
}

async function resolveMetric(db: Db, name: string | null | undefined, delta: number | null | undefined): Promise<MetricInfo> {
  if (name == null || name === 'score') return { name: 'score', lowerIsBetter: false, delta: delta ?? SCORE_DELTA, ...SCORE_SCALE };
  const metric = await findMetric(db, name);
  if (!metric) {
    const known = ['score', ...(await listMetrics(db)).map((m) => m.name)];
    throw new InputError(`unknown metric '${name}': use one of ${known.join(', ')}`, [{ field: 'metric', message: `unknown metric '${name}'` }]);
  }
  if (delta == null && metric.default_delta === null) {
    throw new InputError(`metric '${name}' has no default δ: pass delta (the smallest difference that matters)`, [
      { field: 'delta', message: 'required for this metric' },
    ]);
  }
  return { name: metric.name, lowerIsBetter: metric.higher_is_better === 0, delta: delta ?? metric.default_delta!, ...metricScale(metric.name) };
}

/**
 * Analyses one stored model from SQL aggregates (the cost does not grow with the number of runs) and
 * records a snapshot of its sweet spot whenever the inputs changed since the last one.
 */
export async function analyzeModel(db: Db, slug: string, query: AnalysisQuery): Promise<ModelAnalysis> {
  const row = await findModelBySlug(db, slug);
  if (!row) throw new NotFoundError(`model '${slug}' not found`);
  // A cached analysis is valid while the model's data version is unchanged (every write to its runs
  // raises it, in any process sharing the database).
  const cacheKey = `${row.id}:${row.data_version}:${row.updated_at}:${JSON.stringify(query)}`;
  const cached = analysisCache(db).get(cacheKey);
  if (cached) return cached;
  const result = await computeModelAnalysis(db, row, query);
  analysisCache(db).set(cacheKey, result);
  return result;
}

async function computeModelAnalysis(db: Db, row: ModelRow, query: AnalysisQuery): Promise<ModelAnalysis> {
  const model = modelRowToModel(row);
  const metric = await resolveMetric(db, query.metric, query.delta);
  const filter = analysisFilterFromQuery(query);
  const [levels, pairing, durationRows] = await Promise.all([
    metricLevelSums(db, row.id, metric.name, filter),
    metricBlockCells(db, row.id, metric.name, filter),
    durationSumsByHardware(db, row.id, filter),
  ]);
  const blocks = pairing.cells;
  const durations = sumByStep(durationRows);
  // Time per step differs between machines: each hardware gets its own fit, and with several the
  // times are predicted for the one with the most timed runs.
  const byHardware = new Map<string, SumsRow[]>();
  for (const r of durationRows) if (r.hardware !== null) byHardware.set(r.hardware, [...(byHardware.get(r.hardware) ?? []), r]);
  const durationByHardware: ModelAnalysis['durationByHardware'] = [...byHardware]
    .map(([hardware, rows]) => ({ hardware, runs: rows.reduce((n, r) => n + r.n, 0), rows: rows.sort((a, b) => a.steps - b.steps) }))
    .sort((a, b) => b.runs - a.runs || a.hardware.localeCompare(b.hardware))
    .filter((h) => h.rows.length >= 2)
    .map((h) => ({ hardware: h.hardware, runs: h.runs, fit: fitDuration(h.rows), levels: h.rows.map((r) => ({ steps: r.steps, n: r.n, meanMs: r.sum / r.n })) }));
  const hardwareNames = [...byHardware.keys()];
  const mixed = filter.hardware === undefined && hardwareNames.length > 1;
  const durationHardware = mixed ? (durationByHardware[0]?.hardware ?? null) : (filter.hardware ?? hardwareNames[0] ?? null);
  const fitDurations = mixed && durationHardware !== null ? byHardware.get(durationHardware)! : durations;
  const options = curveOptions(query, metric.delta, metric.lowerIsBetter, metric.range);
  const analysis = asInputError(() =>
    analyzeSteps(
      { levels, blocks, durations: fitDurations, ...(mixed ? { timeSpent: durations } : {}), guide: model.guide, modelName: model.name },
      options,
    ),
  );
  const totalRated = levels.reduce((n, l) => n + l.n, 0);
  const pairedWindow = analysis.paired && pairing.windowRuns < totalRated ? pairing.windowRuns : null;
  const filters = JSON.stringify(filter);
  const inputsHash = createHash('sha256').update(JSON.stringify({ levels, blocks: blocks.length, durations, options })).digest('hex');
  await recordSnapshot(db, row.id, metric.name, analysis, filters, inputsHash);
  return {
    ...analysis,
    model: { slug: model.slug, name: model.name, guide: model.guide, guideLabel: describeGuideRange(model.guide) },
    metric,
    filters: filter,
    durationHardware,
    durationByHardware,
    pairedWindow,
  };
}

/** Adds up per-hardware sums into per-step sums. */
function sumByStep(rows: readonly SumsRow[]): SumsRow[] {
  const bySteps = new Map<number, SumsRow>();
  for (const r of rows) {
    const s = bySteps.get(r.steps) ?? { steps: r.steps, n: 0, sum: 0, sumSq: 0 };
    s.n += r.n;
    s.sum += r.sum;
    s.sumSq += r.sumSq;
    bySteps.set(r.steps, s);
  }
  return [...bySteps.values()].sort((a, b) => a.steps - b.steps);
}

async function recordSnapshot(db: Db, modelId: number, metric: string, analysis: StepAnalysis, filters: string, inputsHash: string) {
  if (analysis.runs === 0) return;
  const key = { modelId, metric, rule: analysis.settings.rule, delta: analysis.settings.delta, filters };
  const latest = await latestSnapshot(db, key);
  if (latest?.inputs_hash === inputsHash) return;
  const spot = analysis.sweetSpot;
  await insertSnapshot(db, {
    model_id: modelId,
    metric,
    rule: analysis.settings.rule,
    delta: analysis.settings.delta,
    filters,
    inputs_hash: inputsHash,
    steps: spot?.steps ?? null,
    interval_low: spot?.interval?.[0] ?? spot?.lowerBound ?? null,
    interval_high: spot?.interval?.[1] ?? null,
    confidence: spot?.confidence ?? analysis.status,
    run_count: analysis.runs,
    created_at: new Date().toISOString(),
  });
}

export interface SnapshotPoint {
  at: string;
  steps: number | null;
  intervalLow: number | null;
  intervalHigh: number | null;
  confidence: string;
  runs: number;
  rule: string;
  delta: number;
}

/** How a model's sweet spot moved over time, for one metric and filter set. */
export async function sweetSpotHistory(db: Db, slug: string, query: AnalysisQuery): Promise<SnapshotPoint[]> {
  const row = await findModelBySlug(db, slug);
  if (!row) throw new NotFoundError(`model '${slug}' not found`);
  const rows: SnapshotRow[] = await snapshotHistory(db, {
    modelId: row.id,
    metric: query.metric ?? 'score',
    filters: JSON.stringify(analysisFilterFromQuery(query)),
  });
  return rows.map((r) => ({
    at: r.created_at,
    steps: r.steps,
    intervalLow: r.interval_low,
    intervalHigh: r.interval_high,
    confidence: r.confidence,
    runs: r.run_count,
    rule: r.rule,
    delta: r.delta,
  }));
}

/**
 * An analysis of points sent by the caller; nothing is stored. Scores inside 0–10 are read as the
 * 0–10 score (δ 0.25 by default, curves clipped to 0–10); any other scale has no default δ — the
 * smallest difference that matters in unknown units cannot be guessed — so `delta` is required.
 */
export function analyzePoints(request: AdHocAnalysisRequest): StepAnalysis {
  const lowerIsBetter = request.lowerIsBetter ?? false;
  const scores = request.points.flatMap((p) => (p.score === null ? [] : [p.score]));
  const onScoreScale = scores.every((score) => score >= SCORE_SCALE.range.min! && score <= SCORE_SCALE.range.max!);
  if (!onScoreScale && request.delta == null) {
    const outside = scores.find((score) => score < 0 || score > 10);
    throw new InputError(
      `delta is required: the scores are not on the 0–10 scale (e.g. ${outside}), so the default δ of ${SCORE_DELTA} points does not apply; pass delta, the smallest difference in these units that matters`,
      [{ field: 'delta', message: 'required when a score lies outside 0–10' }],
    );
  }
  const delta = request.delta ?? SCORE_DELTA;
  const range = onScoreScale && !lowerIsBetter ? SCORE_SCALE.range : { min: null, max: null };
  return asInputError(() => {
    const sums = summarizePoints(
      request.points.map((p) => ({
        steps: p.steps,
        value: p.score,
        durationMs: p.durationMs ?? null,
        seed: p.seed ?? null,
        prompt: p.prompt ?? null,
      })),
    );
    return analyzeSteps(
      { levels: sums.levels, blocks: sums.blocks, durations: sums.durations, guide: null, modelName: 'these points' },
      curveOptions(request, delta, lowerIsBetter, range),
    );
  });
}
