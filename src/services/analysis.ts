import { createHash } from 'node:crypto';
import { MAX_ANALYSIS_LEVELS, type StepAnalysis, type StepAnalysisInput } from '../analysis/analyze-steps.js';
import type { CurveOptions } from '../analysis/analyze-curve.js';
import { summarizePoints } from '../analysis/summarize-points.js';
import { fitDuration, type DurationFit } from '../analysis/duration-fit.js';
import { sqliteHandleOf, type Db } from '../db/connect.js';
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
import { chargeUncachedAnalysis } from './analysis-budget.js';
import { sharedWorkerPool, TaskError } from '../workers/worker-pool.js';
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

/** A cached analysis, with the snapshot it would record (recorded at most once). */
interface CachedAnalysis {
  analysis: ModelAnalysis;
  snapshot: SnapshotInput | null;
  recorded: boolean;
}

/** Analyses are cached per database handle (tests and tools open several). */
const caches = new WeakMap<Db, LruCache<string, CachedAnalysis>>();
function analysisCache(db: Db): LruCache<string, CachedAnalysis> {
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
  if (query.tag != null) filter.tags = query.tag;
  if (query.excludeTag != null) filter.excludeTags = query.excludeTag;
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
 * The query without what does not change the answer: blank fields, and settings equal to their
 * defaults (metric 'score', rule 'plateau-gap', the score's δ), keys in a fixed order. Two requests
 * that mean the same analysis share one cache entry; `{}` is the default analysis.
 *
 * @example normaliseAnalysisQuery({ metric: 'score', delta: 0.25, hardware: 'api' }) // → { hardware: 'api' }
 */
export function normaliseAnalysisQuery(query: AnalysisQuery): Partial<AnalysisQuery> {
  const scoreMetric = query.metric == null || query.metric === 'score';
  const normal: Record<string, unknown> = {};
  for (const key of Object.keys(query).sort() as (keyof AnalysisQuery)[]) {
    const value = query[key];
    if (value == null) continue;
    if (key === 'metric' && value === 'score') continue;
    if (key === 'rule' && value === 'plateau-gap') continue;
    if (key === 'delta' && scoreMetric && value === SCORE_DELTA) continue;
    normal[key] = value;
  }
  return normal as Partial<AnalysisQuery>;
}

export interface AnalyzeModelOptions {
  /**
   * Record a snapshot of the sweet spot when its inputs changed since the last one. Only the default
   * analysis is ever recorded (query variants would flood the history), and only by the background
   * warmer after runs change: a GET never writes.
   */
  record?: boolean;
}

/**
 * Analyses one stored model from SQL aggregates (the cost does not grow with the number of runs).
 * Cached per normalised query while the model's data is unchanged; a query variant that is not cached
 * counts against the asking client's budget (`chargeUncachedAnalysis`), and the maths runs in the
 * worker pool, off the event loop.
 */
export async function analyzeModel(db: Db, slug: string, query: AnalysisQuery, options: AnalyzeModelOptions = {}): Promise<ModelAnalysis> {
  const row = await findModelBySlug(db, slug);
  if (!row) throw new NotFoundError(`model '${slug}' not found`);
  const normal = normaliseAnalysisQuery(query);
  const isDefault = Object.keys(normal).length === 0;
  // A cached analysis is valid while the model's data version is unchanged (every write to its runs
  // raises it, in any process sharing the database).
  const cacheKey = `${row.id}:${row.data_version}:${row.updated_at}:${JSON.stringify(normal)}`;
  let entry = analysisCache(db).get(cacheKey);
  if (!entry) {
    // Default analyses are one per model and data version; variants are what a client can multiply.
    if (!isDefault) chargeUncachedAnalysis();
    const computed = await computeModelAnalysis(db, row, normal);
    entry = { ...computed, recorded: false };
    analysisCache(db).set(cacheKey, entry);
  }
  if (options.record && isDefault && !entry.recorded && entry.snapshot !== null) {
    await recordSnapshot(db, entry.snapshot);
    entry.recorded = true;
  }
  return entry.analysis;
}

/** The analysis maths, in the worker pool; its "fn requires …" errors become the user's InputError. */
async function analyzeStepsOffLoop(input: StepAnalysisInput, options: Partial<CurveOptions>, fields: string): Promise<StepAnalysis> {
  // The level cap is checked here, before the work is queued, so that its refusal names the limit.
  const levelCount = input.levels.filter((level) => level.n > 0).length;
  if (levelCount > MAX_ANALYSIS_LEVELS) {
    const limit = MAX_ANALYSIS_LEVELS.toLocaleString('en-US');
    throw new InputError(`At most ${limit} distinct step levels can be analysed at once; these runs have ${levelCount.toLocaleString('en-US')}. Narrow the analysis (a filter, or fewer step counts).`, [
      { field: 'steps', message: `at most ${limit} distinct step counts` },
    ]);
  }
  try {
    return await sharedWorkerPool().run('analyzeSteps', { input, options });
  } catch (err) {
    if (err instanceof TaskError && / requires /.test(err.message)) throw analysisInputError(fields);
    throw err;
  }
}

/** What the user is told when the maths refuses their numbers: their fields, never a function's name. */
function analysisInputError(fields: string): InputError {
  return new InputError(`These values cannot be analysed: ${fields} must be ordinary finite numbers, with at least one rated step level.`, [
    { field: fields.split(' and ')[0]!, message: 'out of the range the analysis can compute with' },
  ]);
}

async function computeModelAnalysis(db: Db, row: ModelRow, query: AnalysisQuery): Promise<{ analysis: ModelAnalysis; snapshot: SnapshotInput | null }> {
  const model = modelRowToModel(row);
  const metric = await resolveMetric(db, query.metric, query.delta);
  const filter = analysisFilterFromQuery(query);
  const { levels, pairing, durationRows } = await analysisSums(db, row.id, metric.name, filter);
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
  const analysis = await analyzeStepsOffLoop(
    { levels, blocks, durations: fitDurations, ...(mixed ? { timeSpent: durations } : {}), guide: model.guide, modelName: model.name },
    options,
    'the scores and durations',
  );
  const totalRated = levels.reduce((n, l) => n + l.n, 0);
  const pairedWindow = analysis.paired && pairing.windowRuns < totalRated ? pairing.windowRuns : null;
  const filters = JSON.stringify(filter);
  const inputsHash = createHash('sha256').update(JSON.stringify({ levels, blocks: blocks.length, durations, options })).digest('hex');
  return {
    analysis: {
      ...analysis,
      model: { slug: model.slug, name: model.name, guide: model.guide, guideLabel: describeGuideRange(model.guide) },
      metric,
      filters: filter,
      durationHardware,
      durationByHardware,
      pairedWindow,
    },
    snapshot: analysis.runs === 0 ? null : { modelId: row.id, metric: metric.name, analysis, filters, inputsHash },
  };
}

interface SnapshotInput {
  modelId: number;
  metric: string;
  analysis: StepAnalysis;
  filters: string;
  inputsHash: string;
}

/**
 * The SQL aggregates of one analysis. On a SQLite file they run in the worker pool on its own
 * connection (better-sqlite3 would run them on the event loop); on PostgreSQL (the server works,
 * the loop waits) or an in-memory database (no other connection can see it) they run here.
 */
async function analysisSums(db: Db, modelId: number, metric: string, filter: AnalysisFilter) {
  const sqlite = sqliteHandleOf(db);
  if (sqlite && !sqlite.memory) return sharedWorkerPool().run('analysisSums', { file: sqlite.name, modelId, metric, filter });
  const [levels, pairing, durationRows] = await Promise.all([
    metricLevelSums(db, modelId, metric, filter),
    metricBlockCells(db, modelId, metric, filter),
    durationSumsByHardware(db, modelId, filter),
  ]);
  return { levels, pairing, durationRows };
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

async function recordSnapshot(db: Db, { modelId, metric, analysis, filters, inputsHash }: SnapshotInput) {
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
  * smallest difference that matters in unknown units cannot be guessed — so `delta` is required. The
  * points are summed here (linear); the maths, whose cost grows with the number of step levels, runs
  * in the worker pool.
  */
export async function analyzePoints(request: AdHocAnalysisRequest): Promise<StepAnalysis> {
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
  const sums = summarizePoints(
    request.points.map((p) => ({
      steps: p.steps,
      value: p.score,
      durationMs: p.durationMs ?? null,
      seed: p.seed ?? null,
      prompt: p.prompt ?? null,
    })),
  );
  return analyzeStepsOffLoop(
    { levels: sums.levels, blocks: sums.blocks, durations: sums.durations, guide: null, modelName: 'these points' },
    curveOptions(request, delta, lowerIsBetter, range),
    'score and durationMs',
  );
}
