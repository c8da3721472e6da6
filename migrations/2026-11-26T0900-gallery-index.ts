import { sql, type Kysely } from 'kysely';

// The gallery (also shown on every model report) groups a model's runs that have an image by
// prompt + seed. Through the per-model indexes that read every run of the model — half a second at
// 10⁶ runs without a single image. A partial index holds only runs with an image, so runs logged
// without one cost it nothing. Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('runs_model_rendered')
    .on('runs')
    .columns(['model_id', 'prompt', 'seed', 'id'])
    .where(sql.ref('image_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('runs_model_rendered').execute();
}
