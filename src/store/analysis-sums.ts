import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database, Phase, UseCase } from '../db/schema.js';

/** What an analysis can be narrowed to; each field becomes one `where` clause. */
export interface AnalysisFilter {
  hardware?: string;
  useCase?: UseCase;
  phase?: Phase;
  sampler?: string;
  width?: number;
  height?: number;
  experimentId?: number;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  /** Only runs carrying at least one of these tags. */
  tags?: string[];
  /** No run carrying any of these tags. */
  excludeTags?: string[];
}

export interface SumsRow {
  steps: number;
  n: number;
  sum: number;
  sumSq: number;
}

type RunsQuery = SelectQueryBuilder<Database, 'runs', object>;

export function filtered(db: Db, modelId: number, filter: AnalysisFilter): RunsQuery {
  // An experiment's runs (a few hundred) are read from the experiment's own index. SQLite has no
  // statistics to tell that it is smaller than the model's index, which sorts by step and so looked
  // cheaper: `+model_id` (the same value; PostgreSQL reads it as model_id) takes that index out of the
  // choice. It made an experiment-filtered analysis at 10⁶ runs 12 s → milliseconds.
  const model = filter.experimentId === undefined ? sql.ref<number>('runs.model_id') : sql<number>`+runs.model_id`;
  let q = db.selectFrom('runs').where(model, '=', modelId);
  if (filter.hardware !== undefined) q = q.where('runs.hardware', '=', filter.hardware);
  if (filter.useCase !== undefined) q = q.where('runs.use_case', '=', filter.useCase);
  if (filter.phase !== undefined) q = q.where('runs.phase', '=', filter.phase);
  if (filter.sampler !== undefined) q = q.where('runs.sampler', '=', filter.sampler);
  if (filter.width !== undefined) q = q.where('runs.width', '=', filter.width);
  if (filter.height !== undefined) q = q.where('runs.height', '=', filter.height);
  if (filter.experimentId !== undefined) q = q.where('runs.experiment_id', '=', filter.experimentId);
  if (filter.from !== undefined) q = q.where('runs.created_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('runs.created_at', '<=', filter.to);
  return whereTags(q, filter);
}

/** The tag filters as EXISTS / NOT EXISTS on run_tags (its primary key starts with run_id, so each is one seek per run). */
function whereTags(q: RunsQuery, filter: Pick<AnalysisFilter, 'tags' | 'excludeTags'>): RunsQuery {
  const tagged = (tags: string[]) => (eb: ExpressionBuilder<Database, 'runs'>) =>
    eb.selectFrom('run_tags').select('run_tags.run_id').whereRef('run_tags.run_id', '=', 'runs.id').where('run_tags.tag', 'in', tags);
  let out = q;
  if (filter.tags !== undefined && filter.tags.length > 0) out = out.where((eb) => eb.exists(tagged(filter.tags!)(eb)));
  if (filter.excludeTags !== undefined && filter.excludeTags.length > 0) out = out.where((eb) => eb.not(eb.exists(tagged(filter.excludeTags!)(eb))));
  return out;
}

const toNumbers = (rows: { steps: number; n: unknown; sum: unknown; sumSq: unknown }[]): SumsRow[] =>
  rows.map((r) => ({ steps: Number(r.steps), n: Number(r.n), sum: Number(r.sum), sumSq: Number(r.sumSq) }));

/**
 * Count, sum and sum of squares of a metric per step level — the whole input of a curve fit, so an
 * analysis costs the same for a hundred runs or ten million. `metric` 'score' reads the runs' own
 * score; any other name reads run_metrics.
 */
export async function metricLevelSums(db: Db, modelId: number, metric: string, filter: AnalysisFilter): Promise<SumsRow[]> {
  if (metric === 'score') {
    const rows = await filtered(db, modelId, filter)
      .where('runs.score', 'is not', null)
      .select((eb) => [
        'runs.steps as steps',
        eb.fn.countAll().as('n'),
        eb.fn.sum('runs.score').as('sum'),
        sql<number>`sum(runs.score * runs.score)`.as('sumSq'),
      ])
      .groupBy('runs.steps')
      .orderBy('runs.steps')
      .execute();
    return toNumbers(rows);
  }
  const rows = await filtered(db, modelId, filter)
    .innerJoin('run_metrics as m', (join) => join.onRef('m.run_id', '=', 'runs.id').on('m.name', '=', metric))
    .select((eb) => [
      'runs.steps as steps',
      eb.fn.countAll().as('n'),
      eb.fn.sum('m.value').as('sum'),
      sql<number>`sum(m.value * m.value)`.as('sumSq'),
    ])
    .groupBy('runs.steps')
    .orderBy('runs.steps')
    .execute();
  return toNumbers(rows);
}

export interface BlockCellRow extends SumsRow {
  block: string;
}

/** Joins prompt and seed into a block key (a control character: PostgreSQL text cannot hold NUL). */
const BLOCK_SEPARATOR = '\u001f';

/** How many of the newest rated runs the paired (block) analysis reads at most. */
export const PAIRING_WINDOW = 50_000;

/**
 * The same sums per prompt + seed block and step level, for blocks rendered at two or more step
 * counts (only those carry pairing information), read from the newest `window` rated runs with a
 * seed so the cost stays bounded however many runs a model has. Runs without a seed form no block.
 */
export async function metricBlockCells(
  db: Db,
  modelId: number,
  metric: string,
  filter: AnalysisFilter,
  window = PAIRING_WINDOW,
): Promise<{ cells: BlockCellRow[]; windowRuns: number }> {
  let base = filtered(db, modelId, filter).where('runs.seed', 'is not', null);
  base =
    metric === 'score'
      ? base.where('runs.score', 'is not', null)
      : (base.innerJoin('run_metrics as m', (join) => join.onRef('m.run_id', '=', 'runs.id').on('m.name', '=', metric)) as unknown as RunsQuery);
  const value = metric === 'score' ? sql<number>`runs.score` : sql<number>`m.value`;
  const newest = base
    .select(['runs.prompt as prompt', 'runs.seed as seed', 'runs.steps as steps', value.as('value')])
    .orderBy('runs.created_at', 'desc')
    .orderBy('runs.id', 'desc')
    .limit(window);
  const rows = await db
    .selectFrom(newest.as('w'))
    .select((eb) => [
      sql<string>`coalesce(w.prompt, '') || ${BLOCK_SEPARATOR} || w.seed`.as('block'),
      'w.steps',
      eb.fn.countAll().as('n'),
      sql<number>`sum(w.value)`.as('sum'),
      sql<number>`sum(w.value * w.value)`.as('sumSq'),
    ])
    .groupBy(['w.prompt', 'w.seed', 'w.steps'])
    .execute();
  const cells = rows.map((r) => ({ block: String(r.block), steps: Number(r.steps), n: Number(r.n), sum: Number(r.sum), sumSq: Number(r.sumSq) }));
  const windowRuns = cells.reduce((total, c) => total + c.n, 0);
  const levelsPerBlock = new Map<string, number>();
  for (const c of cells) levelsPerBlock.set(c.block, (levelsPerBlock.get(c.block) ?? 0) + 1);
  return { cells: cells.filter((c) => (levelsPerBlock.get(c.block) ?? 0) >= 2), windowRuns };
}

export interface HardwareSumsRow extends SumsRow {
  hardware: string | null;
}

/** Render-time sums per hardware and step level in one pass (time per step differs between machines). */
export async function durationSumsByHardware(db: Db, modelId: number, filter: AnalysisFilter): Promise<HardwareSumsRow[]> {
  const rows = await filtered(db, modelId, filter)
    .where('runs.duration_ms', 'is not', null)
    .select((eb) => [
      'runs.hardware as hardware',
      'runs.steps as steps',
      eb.fn.countAll().as('n'),
      eb.fn.sum('runs.duration_ms').as('sum'),
      sql<number>`sum(runs.duration_ms * runs.duration_ms)`.as('sumSq'),
    ])
    .groupBy(['runs.hardware', 'runs.steps'])
    .execute();
  return rows.map((r) => ({ hardware: r.hardware, steps: Number(r.steps), n: Number(r.n), sum: Number(r.sum), sumSq: Number(r.sumSq) }));
}

/** Count, sum and sum of squares of render time (ms) per step level, for runs with a duration. */
export async function durationLevelSums(db: Db, modelId: number, filter: AnalysisFilter): Promise<SumsRow[]> {
  const rows = await filtered(db, modelId, filter)
    .where('runs.duration_ms', 'is not', null)
    .select((eb) => [
      'runs.steps as steps',
      eb.fn.countAll().as('n'),
      eb.fn.sum('runs.duration_ms').as('sum'),
      sql<number>`sum(runs.duration_ms * runs.duration_ms)`.as('sumSq'),
    ])
    .groupBy('runs.steps')
    .orderBy('runs.steps')
    .execute();
  return toNumbers(rows);
}

export interface MetricPoint {
  steps: number;
  value: number;
}

/** Modulus of the id hash that picks the sample (a prime, so the pick does not follow id patterns). */
const SAMPLE_MODULUS = 1_000_003;

/**
 * Up to `cap` raw (steps, metric value) points of one model, for drawing the cloud behind the level
 * means. With more matching runs than `cap`, a fixed pseudo-random subset is taken by hashing the run
 * id (Knuth's multiplicative hash), so the same runs are drawn each time and no step level is skipped
 * the way an `id % k` stride would skip levels logged in a fixed rotation.
 */
export async function metricPointSample(db: Db, modelId: number, metric: string, filter: AnalysisFilter, cap: number): Promise<MetricPoint[]> {
  const base = (): RunsQuery =>
    metric === 'score'
      ? filtered(db, modelId, filter).where('runs.score', 'is not', null)
      : (filtered(db, modelId, filter).innerJoin('run_metrics as m', (join) =>
          join.onRef('m.run_id', '=', 'runs.id').on('m.name', '=', metric),
        ) as unknown as RunsQuery);
  const value = metric === 'score' ? sql<number>`runs.score` : sql<number>`m.value`;
  const counted = await base()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const total = Number(counted?.n ?? 0);
  let q = base().select(['runs.steps as steps', value.as('value')]);
  if (total > cap) {
    const threshold = Math.ceil((cap / total) * SAMPLE_MODULUS);
    q = q.where(sql<boolean>`(runs.id * 2654435761) % ${sql.lit(SAMPLE_MODULUS)} < ${threshold}`);
  }
  const rows = await q.limit(cap).execute();
  return rows.map((r) => ({ steps: Number(r.steps), value: Number(r.value) }));
}

export interface FilterChoices {
  hardware: string[];
  samplers: string[];
  /** "WIDTHxHEIGHT" */
  resolutions: string[];
}

/**
 * The hardware, samplers and resolutions one model's runs were made with. Past `sampleSize` runs it
 * reads the same kind of fixed id-hashed sample as {@link metricPointSample} (a value used by fewer
 * than about 1 run in `sampleSize` may be missing), so the cost stays flat at millions of runs.
 */
export async function filterChoices(db: Db, modelId: number, sampleSize = 20_000): Promise<FilterChoices> {
  const counted = await db
    .selectFrom('runs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  const total = Number(counted?.n ?? 0);
  let q = db.selectFrom('runs').select(['hardware', 'sampler', 'width', 'height']).where('model_id', '=', modelId);
  if (total > sampleSize) {
    const threshold = Math.ceil((sampleSize / total) * SAMPLE_MODULUS);
    q = q.where(sql<boolean>`(runs.id * 2654435761) % ${sql.lit(SAMPLE_MODULUS)} < ${threshold}`);
  }
  const rows = await q.groupBy(['hardware', 'sampler', 'width', 'height']).limit(1000).execute();
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    hardware: sorted(rows.flatMap((r) => (r.hardware === null ? [] : [r.hardware]))),
    samplers: sorted(rows.flatMap((r) => (r.sampler === null ? [] : [r.sampler]))),
    resolutions: sorted(rows.flatMap((r) => (r.width === null || r.height === null ? [] : [`${r.width}x${r.height}`]))),
  };
}

/** How many of a model's runs under `filter` carry `tag` (a report says how many demo runs it includes). */
export async function countTaggedRuns(db: Db, modelId: number, filter: AnalysisFilter, tag: string): Promise<number> {
  const row = await filtered(db, modelId, filter)
    .where((eb) => eb.exists(eb.selectFrom('run_tags').select('run_tags.run_id').whereRef('run_tags.run_id', '=', 'runs.id').where('run_tags.tag', '=', tag)))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
