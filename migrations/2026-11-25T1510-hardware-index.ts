import type { Kysely } from 'kysely';

// Render time is fitted per hardware, and analyses are often narrowed to one machine: a covering
// index keeps both off the table. Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('runs_model_hardware').on('runs').columns(['model_id', 'hardware', 'steps', 'score', 'duration_ms']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_model_hardware').execute();
}
