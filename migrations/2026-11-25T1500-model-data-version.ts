import type { Kysely } from 'kysely';

// A counter per model that every write to its runs raises, so a cached analysis knows when its inputs
// changed (also across several app processes sharing one database). Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('models').addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('models').dropColumn('data_version').execute();
}
