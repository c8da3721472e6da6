import { sql, type Kysely, type ColumnDefinitionBuilder } from 'kysely';

// Frozen in time: this file imports no app code and uses only SQL that SQLite and PostgreSQL share.
// The one difference, how an auto-numbered primary key is spelled, is decided here from the adapter.

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function idColumn(db: Kysely<any>) {
  return (col: ColumnDefinitionBuilder) =>
    isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();
}

const GUIDE_MODELS = [
  ['flux-dev', 'FLUX.1 Dev', 'Balanced quality and speed for daily work (guide: standard work 28–35 steps).', 20, 28, 35, 50, 30],
  ['flux-schnell', 'FLUX.1 Schnell', 'Distilled for speed: made for 1–4 steps; more steps add time, not quality.', 1, 2, 3, 4, 3],
  ['flux-pro', 'FLUX.1 Pro', 'Quality priority: final output at 40+ steps.', 30, 35, 45, 50, 40],
  ['recraft-v3', 'Recraft v3', 'Guide range 25–35 steps, sweet spot 30.', 20, 25, 35, 50, 30],
] as const;

const METRICS = [
  ['sharpness', 1, 'Image sharpness (variance of the Laplacian of a grey copy); higher is sharper.'],
  ['ssim_to_reference', 1, 'Structural similarity to the render with the most steps of the same prompt and seed.'],
  ['preference', 1, 'Bradley–Terry strength from blind pairwise judgements.'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();

  await db.schema
    .createTable('models')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('slug', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('min_steps', 'integer')
    .addColumn('recommended_low', 'integer')
    .addColumn('recommended_high', 'integer')
    .addColumn('max_steps', 'integer')
    .addColumn('sweet_spot', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('experiments')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('restrict'))
    .addColumn('steps', 'integer', (c) => c.notNull().check(sql`steps >= 1`))
    .addColumn('duration_ms', 'double precision', (c) => c.check(sql`duration_ms >= 0`))
    .addColumn('score', 'double precision', (c) => c.check(sql`score >= 0 and score <= 10`))
    // Seeds can exceed 2^53, so they are kept as decimal text.
    .addColumn('seed', 'varchar(40)')
    .addColumn('prompt', 'text')
    .addColumn('negative_prompt', 'text')
    .addColumn('sampler', 'varchar(100)')
    .addColumn('guidance', 'double precision')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('hardware', 'varchar(100)')
    .addColumn('use_case', 'varchar(32)')
    .addColumn('phase', 'varchar(16)')
    .addColumn('notes', 'text')
    .addColumn('experiment_id', 'integer', (c) => c.references('experiments.id').onDelete('set null'))
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  // Analysis reads (model, steps, score, duration) only: a covering index keeps it off the table.
  await db.schema.createIndex('runs_model_steps').on('runs').columns(['model_id', 'steps', 'score', 'duration_ms']).execute();
  // Keyset pagination: every sort key is paired with id so that page boundaries are stable.
  await db.schema.createIndex('runs_created').on('runs').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('runs_model_created').on('runs').columns(['model_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('runs_steps').on('runs').columns(['steps', 'id']).execute();
  await db.schema.createIndex('runs_score').on('runs').columns(['score', 'id']).execute();
  await db.schema.createIndex('runs_duration').on('runs').columns(['duration_ms', 'id']).execute();
  await db.schema.createIndex('runs_experiment').on('runs').columns(['experiment_id', 'id']).execute();

  await db.schema
    .createTable('run_tags')
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('tag', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_tags_pk', ['run_id', 'tag'])
    .execute();
  await db.schema.createIndex('run_tags_tag').on('run_tags').columns(['tag', 'run_id']).execute();

  await db.schema
    .createTable('metrics')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('higher_is_better', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('run_metrics')
    .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull().references('metrics.name').onDelete('cascade'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_metrics_pk', ['run_id', 'name'])
    .execute();
  await db.schema.createIndex('run_metrics_name').on('run_metrics').columns(['name', 'run_id', 'value']).execute();

  await db.schema
    .createTable('sweet_spot_snapshots')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('metric', 'varchar(64)', (c) => c.notNull())
    .addColumn('rule', 'varchar(32)', (c) => c.notNull())
    .addColumn('delta', 'double precision', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('inputs_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('steps', 'integer')
    .addColumn('interval_low', 'integer')
    .addColumn('interval_high', 'integer')
    .addColumn('confidence', 'varchar(16)', (c) => c.notNull())
    .addColumn('run_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('snapshots_model')
    .on('sweet_spot_snapshots')
    .columns(['model_id', 'metric', 'created_at'])
    .execute();

  await db
    .insertInto('models')
    .values(
      GUIDE_MODELS.map(([slug, name, notes, min, low, high, max, sweet]) => ({
        slug,
        name,
        notes,
        min_steps: min,
        recommended_low: low,
        recommended_high: high,
        max_steps: max,
        sweet_spot: sweet,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('metrics')
    .values(METRICS.map(([name, higher, description]) => ({ name, higher_is_better: higher, description })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sweet_spot_snapshots', 'run_metrics', 'metrics', 'run_tags', 'runs', 'experiments', 'models']) {
    await db.schema.dropTable(table).execute();
  }
}
