import type { Db } from '../db/connect.js';
import type { NewSnapshotRow, SnapshotRow } from '../db/schema.js';

/** The newest snapshot for one model, metric, rule, δ and filter set. */
export function latestSnapshot(
  db: Db,
  key: { modelId: number; metric: string; rule: string; delta: number; filters: string },
): Promise<SnapshotRow | undefined> {
  return db
    .selectFrom('sweet_spot_snapshots')
    .selectAll()
    .where('model_id', '=', key.modelId)
    .where('metric', '=', key.metric)
    .where('rule', '=', key.rule)
    .where('delta', '=', key.delta)
    .where('filters', '=', key.filters)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertSnapshot(db: Db, snapshot: NewSnapshotRow): Promise<void> {
  await db.insertInto('sweet_spot_snapshots').values(snapshot).execute();
}

/** The history of one model's sweet spot (oldest first), for one metric and filter set. */
export function snapshotHistory(db: Db, key: { modelId: number; metric: string; filters: string }, limit = 500): Promise<SnapshotRow[]> {
  return db
    .selectFrom('sweet_spot_snapshots')
    .selectAll()
    .where('model_id', '=', key.modelId)
    .where('metric', '=', key.metric)
    .where('filters', '=', key.filters)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
    .then((rows) => rows.reverse());
}
