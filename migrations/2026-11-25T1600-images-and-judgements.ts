import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Images (content-addressed render files with their generation metadata), the mapping from a file's
// model name to a stored model, and blind pairwise judgements between two renders.
// Frozen in time: no app imports; portable SQL (the id column is the one dialect difference).

function idColumn(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return (col: ColumnDefinitionBuilder) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('images')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('mime', 'varchar(32)', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    // The parsed generation settings (JSON), null when the file carried none we could read.
    .addColumn('metadata', 'text')
    // Shown to the user only; never used as a path.
    .addColumn('original_name', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('runs').addColumn('image_id', 'integer', (c) => c.references('images.id').onDelete('set null')).execute();
  await db.schema.createIndex('runs_image').on('runs').column('image_id').execute();

  await db.schema
    .createTable('model_aliases')
    .addColumn('alias', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('judgements')
    .addColumn('id', 'integer', idColumn(db))
    .addColumn('run_a', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('run_b', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    // 'a', 'b' or 'tie' ("can't tell")
    .addColumn('outcome', 'varchar(8)', (c) => c.notNull())
    .addColumn('rater', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('judgements_runs').on('judgements').columns(['run_a', 'run_b']).execute();
  await db.schema.createIndex('judgements_run_b').on('judgements').column('run_b').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('judgements').execute();
  await db.schema.dropTable('model_aliases').execute();
  await db.schema.dropIndex('runs_image').execute();
  await db.schema.alterTable('runs').dropColumn('image_id').execute();
  await db.schema.dropTable('images').execute();
}
