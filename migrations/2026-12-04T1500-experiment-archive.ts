import type { Kysely } from 'kysely';

// Experiments get a life cycle: an archived experiment leaves the list of current plans but keeps
// its runs. `archived_at` is when it was archived (ISO text), null while it is current. Frozen in
// time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('experiments').addColumn('archived_at', 'varchar(40)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('experiments').dropColumn('archived_at').execute();
}
