import type { Db } from '../db/connect.js';

export interface StepSummaryRow {
  model_id: number;
  steps: number;
  runs: number;
  scored: number;
  mean_score: number | null;
  mean_duration_ms: number | null;
}

/** Per model and step level: run count, scored count, mean score and mean duration (SQL aggregates). */
export function stepSummaries(db: Db): Promise<StepSummaryRow[]> {
  return db
    .selectFrom('runs')
    .select((eb) => [
      'model_id',
      'steps',
      eb.fn.countAll<number>().as('runs'),
      eb.fn.count<number>('score').as('scored'),
      eb.fn.avg<number | null>('score').as('mean_score'),
      eb.fn.avg<number | null>('duration_ms').as('mean_duration_ms'),
    ])
    .groupBy(['model_id', 'steps'])
    .orderBy('model_id')
    .orderBy('steps')
    .execute();
}
