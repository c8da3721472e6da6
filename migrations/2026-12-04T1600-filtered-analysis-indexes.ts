import { sql, type Kysely } from 'kysely';

// Analyses and reports filtered by sampler or resolution looked up every one of the model's runs in
// the table (12 s a query at 10⁶ runs): those columns go at the end of both covering indexes, as
// use case and phase did before, so the aggregates stay on the index. An experiment filter is served
// by a partial index of the runs that belong to an experiment (a few hundred each, and none of the
// runs logged outside one); the store names the model as `+model_id` in such queries, so that SQLite
// (without statistics) does not prefer the model's index, which holds every run of the model.
// Frozen in time: no app imports.

const STEPS_COLUMNS = ['model_id', 'steps', 'score', 'duration_ms', 'use_case', 'phase'];
const HARDWARE_COLUMNS = ['model_id', 'hardware', 'steps', 'score', 'duration_ms', 'use_case', 'phase'];
const FILTER_COLUMNS = ['sampler', 'width', 'height'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_model_steps').execute();
  await db.schema.createIndex('runs_model_steps').on('runs').columns([...STEPS_COLUMNS, ...FILTER_COLUMNS]).execute();
  await db.schema.dropIndex('runs_model_hardware').execute();
  await db.schema.createIndex('runs_model_hardware').on('runs').columns([...HARDWARE_COLUMNS, ...FILTER_COLUMNS]).execute();
  await db.schema
    .createIndex('runs_experiment_model')
    .on('runs')
    .columns(['experiment_id', 'model_id', 'hardware', 'steps', 'score', 'duration_ms'])
    .where(sql<boolean>`experiment_id is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_experiment_model').execute();
  await db.schema.dropIndex('runs_model_hardware').execute();
  await db.schema.createIndex('runs_model_hardware').on('runs').columns(HARDWARE_COLUMNS).execute();
  await db.schema.dropIndex('runs_model_steps').execute();
  await db.schema.createIndex('runs_model_steps').on('runs').columns(STEPS_COLUMNS).execute();
}
