import type { Db } from '../db/connect.js';
import { bumpDataVersion } from './data-version.js';

export interface AliasRow {
  alias: string;
  model_id: number;
  model_slug: string;
  model_name: string;
  created_at: string;
}

export function listAliases(db: Db): Promise<AliasRow[]> {
  return db
    .selectFrom('model_aliases')
    .innerJoin('models', 'models.id', 'model_aliases.model_id')
    .select(['model_aliases.alias', 'model_aliases.model_id', 'models.slug as model_slug', 'models.name as model_name', 'model_aliases.created_at'])
    .orderBy('model_aliases.alias')
    .execute();
}

export function findAlias(db: Db, alias: string): Promise<{ alias: string; model_id: number } | undefined> {
  return db.selectFrom('model_aliases').select(['alias', 'model_id']).where('alias', '=', alias).executeTakeFirst();
}

/** Maps `alias` to a model, replacing an earlier mapping of the same alias. */
export async function upsertAlias(db: Db, alias: string, modelId: number, now: string): Promise<void> {
  await db
    .insertInto('model_aliases')
    .values({ alias, model_id: modelId, created_at: now })
    .onConflict((oc) => oc.column('alias').doUpdateSet({ model_id: modelId }))
    .execute();
}

export async function deleteAlias(db: Db, alias: string): Promise<boolean> {
  const result = await db.deleteFrom('model_aliases').where('alias', '=', alias).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Moves everything of model `fromId` to `intoId` (runs, aliases, experiments, staged import rows) and deletes it; its
 * snapshots go with it. Both models' data versions rise. Run in a transaction.
 */
export async function mergeModelRows(db: Db, fromId: number, intoId: number): Promise<{ runs: number; aliases: number }> {
  await bumpDataVersion(db, [fromId, intoId]);
  const runs = await db.updateTable('runs').set({ model_id: intoId }).where('model_id', '=', fromId).executeTakeFirst();
  const aliases = await db.updateTable('model_aliases').set({ model_id: intoId }).where('model_id', '=', fromId).executeTakeFirst();
  await db.updateTable('experiments').set({ model_id: intoId }).where('model_id', '=', fromId).execute();
  // Rows of an import still in progress follow the model too, so the import can still finish.
  await db.updateTable('import_staging').set({ model_id: intoId }).where('model_id', '=', fromId).execute();
  await db.deleteFrom('sweet_spot_snapshots').where('model_id', '=', fromId).execute();
  await db.deleteFrom('models').where('id', '=', fromId).execute();
  return { runs: Number(runs.numUpdatedRows), aliases: Number(aliases.numUpdatedRows) };
}
