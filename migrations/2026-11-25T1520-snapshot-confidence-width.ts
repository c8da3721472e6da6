import type { Kysely } from 'kysely';

// A snapshot's confidence column also holds the analysis status ('insufficient-data'), longer than
// the 16 characters first given. SQLite does not enforce varchar lengths; PostgreSQL does, so only
// there the type is widened. Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name !== 'PostgresAdapter') return;
  await db.schema.alterTable('sweet_spot_snapshots').alterColumn('confidence', (c) => c.setDataType('varchar(32)')).execute();
}

export async function down(): Promise<void> {
  // Narrowing could cut stored values; the wider type is harmless.
}
