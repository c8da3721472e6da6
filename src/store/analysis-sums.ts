import { sql, type SelectQueryBuilder } from 'kysely';
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
}

export interface SumsRow {
  steps: number;
  n: number;
  sum: number;
  sumSq: number;
}

type RunsQuery = SelectQueryBuilder<Database, 'runs', object>;

function filtered(db: Db, modelId: number, filter: AnalysisFilter): RunsQuery {
  let q = db.selectFrom('runs').where('runs.model_id', '=', modelId);
  if (filter.hardware !== undefined) q = q.where('runs.hardware', '=', filter.hardware);
  if (filter.useCase !== undefined) q = q.where('runs.use_case', '=', filter.useCase);
  if (filter.phase !== undefined) q = q.where('runs.phase', '=', filter.phase);
  if (filter.sampler !== undefined) q = q.where('runs.sampler', '=', filter.sampler);
  if (filter.width !== undefined) q = q.where('runs.width', '=', filter.width);
  if (filter.height !== undefined) q = q.where('runs.height', '=', filter.height);
  if (filter.experimentId !== undefined) q = q.where('runs.experiment_id', '=', filter.experimentId);
  if (filter.from !== undefined) q = q.where('runs.created_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('runs.created_at', '<=', filter.to);
  return q;
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

/**
 * The same sums per prompt + seed block and step level, for blocks rendered at two or more step
 * counts (only those carry pairing information). Runs without a seed form no block.
 */
export async function metricBlockCells(db: Db, modelId: number, metric: string, filter: AnalysisFilter): Promise<BlockCellRow[]> {
  const value = metric === 'score' ? sql<number>`runs.score` : sql<number>`m.value`;
  let base = filtered(db, modelId, filter).where('runs.seed', 'is not', null);
  base = metric === 'score'
    ? base.where('runs.score', 'is not', null)
    : (base.innerJoin('run_metrics as m', (join) => join.onRef('m.run_id', '=', 'runs.id').on('m.name', '=', metric)) as unknown as RunsQuery);
  const rows = await base
    .select((eb) => [
      sql<string>`coalesce(runs.prompt, '') || ${'\u0000'} || runs.seed`.as('block'),
      'runs.steps as steps',
      eb.fn.countAll().as('n'),
      sql<number>`sum(${value})`.as('sum'),
      sql<number>`sum(${value} * ${value})`.as('sumSq'),
    ])
    .groupBy(['runs.prompt', 'runs.seed', 'runs.steps'])
    .execute();
  const cells = rows.map((r) => ({ block: String(r.block), steps: Number(r.steps), n: Number(r.n), sum: Number(r.sum), sumSq: Number(r.sumSq) }));
  const levelsPerBlock = new Map<string, number>();
  for (const c of cells) levelsPerBlock.set(c.block, (levelsPerBlock.get(c.block) ?? 0) + 1);
  return cells.filter((c) => (levelsPerBlock.get(c.block) ?? 0) >= 2);
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

/** The hardware names that have timed runs of this model, most runs first. */
export async function hardwareWithDurations(db: Db, modelId: number, filter: AnalysisFilter): Promise<{ hardware: string; runs: number }[]> {
  const rows = await filtered(db, modelId, filter)
    .where('runs.duration_ms', 'is not', null)
    .where('runs.hardware', 'is not', null)
    .select((eb) => ['runs.hardware as hardware', eb.fn.countAll().as('runs')])
    .groupBy('runs.hardware')
    .orderBy('runs', 'desc')
    .execute();
  return rows.map((r) => ({ hardware: String(r.hardware), runs: Number(r.runs) }));
}
