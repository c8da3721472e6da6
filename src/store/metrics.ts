import type { Db } from '../db/connect.js';
import type { MetricRow } from '../db/schema.js';

export function listMetrics(db: Db): Promise<MetricRow[]> {
  return db.selectFrom('metrics').selectAll().orderBy('name').execute();
}

export function findMetric(db: Db, name: string): Promise<MetricRow | undefined> {
  return db.selectFrom('metrics').selectAll().where('name', '=', name).executeTakeFirst();
}
