import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

// Bulk imports are all-or-nothing and streamed: validated rows wait in `import_staging` (written in
// short chunks while the file streams in) and move into `runs` in one transaction at the end. An
// import killed half-way leaves only staging rows of an import still marked 'staging', which the
// start-up clean-up removes. Frozen in time: no app imports, SQL that SQLite and PostgreSQL share.

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function idColumn(db: Kysely<any>) {
  return (col: ColumnDefinitionBuilder) =>
    isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'integer', idColumn(db))
    // Hex sha256 of the file's bytes; known only once the whole file has streamed in.
    .addColumn('sha256', 'varchar(64)')
    .addColumn('filename', 'varchar(255)')
    .addColumn('format', 'varchar(8)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    // Why an import failed (rejected rows, a duplicate, interrupted), for the imports history.
    .addColumn('message', 'text')
    // Which process stages the rows: the clean-up leaves imports of a live process alone.
    .addColumn('host', 'varchar(255)')
    .addColumn('process_id', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('imports_sha256').on('imports').columns(['sha256', 'status']).execute();
  await db.schema.createIndex('imports_status').on('imports').columns(['status', 'id']).execute();

  await db.schema
    .createTable('import_staging')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('model_id', 'integer', (c) => c.notNull())
    .addColumn('steps', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'double precision')
    .addColumn('score', 'double precision')
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
    // The row's tags as written (comma-joined), for inspection; the move reads import_staging_tags.
    .addColumn('tags', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_staging_pk', ['import_id', 'line'])
    .execute();

  // One row per tag: splitting comma-joined text has no SQL that SQLite and PostgreSQL share, so the
  // move joins these rows to the new runs on (import_id, line) instead.
  await db.schema
    .createTable('import_staging_tags')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('tag', 'varchar(64)', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_staging_tags_pk', ['import_id', 'line', 'tag'])
    .execute();

  // No foreign key: SQLite cannot drop a column that one names, and `down` must be able to.
  await db.schema.alterTable('runs').addColumn('import_id', 'integer').execute();
  await db.schema.alterTable('runs').addColumn('import_line', 'integer').execute();
  await db.schema.createIndex('runs_import').on('runs').columns(['import_id', 'import_line']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_import').execute();
  await db.schema.alterTable('runs').dropColumn('import_line').execute();
  await db.schema.alterTable('runs').dropColumn('import_id').execute();
  await db.schema.dropTable('import_staging_tags').execute();
  await db.schema.dropTable('import_staging').execute();
  await db.schema.dropTable('imports').execute();
}
