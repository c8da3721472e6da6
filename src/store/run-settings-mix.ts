import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { filtered, type AnalysisFilter } from './analysis-sums.js';

/** One combination of sampler, guidance and size among a model's rated runs, with how many used it. */
export interface SettingsMixRow {
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  n: number;
}

/**
 * The sampler / guidance / size combinations of a model's rated runs under `filter`, the most used
 * first (at most `limit`): what a settings sheet's numbers were measured with.
 */
export async function runSettingsMix(db: Db, modelId: number, filter: AnalysisFilter, limit = 5): Promise<SettingsMixRow[]> {
  const rows = await filtered(db, modelId, filter)
    .where('runs.score', 'is not', null)
    .select(['runs.sampler as sampler', 'runs.guidance as guidance', 'runs.width as width', 'runs.height as height', sql<number>`count(*)`.as('n')])
    .groupBy(['runs.sampler', 'runs.guidance', 'runs.width', 'runs.height'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ sampler: r.sampler, guidance: r.guidance === null ? null : Number(r.guidance), width: r.width, height: r.height, n: Number(r.n) }));
}
