import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Renderers: the ComfyUI and AUTOMATIC1111/Forge servers sweetspot renders on, by URL and kind, with
// the API-format workflow of a ComfyUI renderer and where its steps, seed and model were found.
// Frozen in time: no app imports; portable SQL (the id column is the one dialect difference).

function idColumn(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  return (col: ColumnDefinitionBuilder) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('renderers')
    .addColumn('id', 'integer', idColumn(db))
    // 'comfyui' or 'a1111'
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    // Normalised http(s) base URL, shown in full; never taken from a request parameter at render time.
    .addColumn('url', 'varchar(2000)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    // The device name the renderer reported when it was added (ComfyUI's /system_stats), null when none.
    .addColumn('hardware', 'varchar(100)')
    // ComfyUI only: the API-format workflow as sent (JSON text), and the mapping found in it (JSON).
    .addColumn('workflow', 'text')
    .addColumn('mapping', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('renderers').execute();
}
