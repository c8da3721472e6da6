import type { Kysely } from 'kysely';

// The settings sheet analyses each use case (and reports filter by phase): with those columns
// outside the covering indexes, every such aggregate looked up each run in the table — 4 s a query
// at 10⁶ runs, half a minute for the export page. At the end of both indexes they keep those
// aggregates on the index, and the unfiltered ones read it in the same order as before.
// Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_model_steps').execute();
  await db.schema.createIndex('runs_model_steps').on('runs').columns(['model_id', 'steps', 'score', 'duration_ms', 'use_case', 'phase']).execute();
  await db.schema.dropIndex('runs_model_hardware').execute();
  await db.schema
    .createIndex('runs_model_hardware')
    .on('runs')
    .columns(['model_id', 'hardware', 'steps', 'score', 'duration_ms', 'use_case', 'phase'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_model_hardware').execute();
  await db.schema.createIndex('runs_model_hardware').on('runs').columns(['model_id', 'hardware', 'steps', 'score', 'duration_ms']).execute();
  await db.schema.dropIndex('runs_model_steps').execute();
  await db.schema.createIndex('runs_model_steps').on('runs').columns(['model_id', 'steps', 'score', 'duration_ms']).execute();
}
