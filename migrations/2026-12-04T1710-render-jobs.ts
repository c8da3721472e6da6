import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Render jobs: an experiment's planned runs rendered on its renderers, with the state of the job
// (running, paused, done, failed, cancelled) and of each render (pending, done, failed, with its
// attempts and last fault), so a job survives a restart and nothing is rendered twice.
// Frozen in time: no app imports; portable SQL (the id column is the one dialect difference).

function idColumn(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return (col: ColumnDefinitionBuilder) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('render_jobs')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    // 'grid' (every planned run) or 'adaptive'
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    // 'running' | 'paused' | 'done' | 'failed' | 'cancelled'
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    // The renderer ids the renders fan out over (JSON array).
    .addColumn('renderer_ids', 'text', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('stop_reason', 'varchar(1000)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('render_jobs_experiment').on('render_jobs').columns(['experiment_id', 'id']).execute();

  await db.schema
    .createTable('render_tasks')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('job_id', 'integer', (c) => c.notNull().references('render_jobs.id').onDelete('cascade'))
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    // 'pending' | 'done' | 'failed'
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('renderer_id', 'integer')
    .addColumn('duration_ms', 'integer')
    // 'generator' (the renderer's own time) or 'wall'
    .addColumn('timing_source', 'varchar(16)')
    .addColumn('error_code', 'varchar(32)')
    .addColumn('error_message', 'varchar(1000)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('render_tasks_job_run', ['job_id', 'run_id'])
    .execute();
  await db.schema.createIndex('render_tasks_run').on('render_tasks').column('run_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('render_tasks').execute();
  await db.schema.dropTable('render_jobs').execute();
}
