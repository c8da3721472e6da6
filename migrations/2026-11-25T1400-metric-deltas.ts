import type { Kysely } from 'kysely';

// Each metric gets the smallest difference that matters (δ) in its own units, so a sweet spot on a
// metric other than the 0–10 score uses a sensible default. Frozen in time: no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('metrics').addColumn('default_delta', 'double precision').execute();
  const defaults: [string, number][] = [
    ['sharpness', 0.02],
    ['ssim_to_reference', 0.01],
    ['preference', 0.1],
  ];
  for (const [name, delta] of defaults) {
    await db.updateTable('metrics').set({ default_delta: delta }).where('name', '=', name).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('metrics').dropColumn('default_delta').execute();
}
