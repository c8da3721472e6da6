import type { Kysely } from 'kysely';

// Sign-out must end sessions on the server, not only drop the browser's cookie (a copied cookie would
// otherwise keep writing for 30 days). Each session cookie carries the generation it was issued under;
// signing out raises the generation, so every earlier cookie stops being accepted. One row.
// Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('session_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('session_state').values({ id: 1, generation: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_state').execute();
}
