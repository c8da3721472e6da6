import type { Db } from '../db/connect.js';
import type { ModelRow, ModelRowUpdate, NewModelRow } from '../db/schema.js';

export function listModels(db: Db): Promise<ModelRow[]> {
  return db.selectFrom('models').selectAll().orderBy('name').execute();
}

export function findModelBySlug(db: Db, slug: string): Promise<ModelRow | undefined> {
  return db.selectFrom('models').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function findModelById(db: Db, id: number): Promise<ModelRow | undefined> {
  return db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findModelsBySlugs(db: Db, slugs: readonly string[]): Promise<ModelRow[]> {
  if (slugs.length === 0) return Promise.resolve([]);
  return db.selectFrom('models').selectAll().where('slug', 'in', slugs).execute();
}

export async function insertModel(db: Db, model: NewModelRow): Promise<ModelRow> {
  return db.insertInto('models').values(model).returningAll().executeTakeFirstOrThrow();
}

export function updateModel(db: Db, id: number, changes: ModelRowUpdate): Promise<ModelRow | undefined> {
  return db.updateTable('models').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Runs per model and the distinct step levels each has, for the dashboard and models list. */
export function modelRunCounts(db: Db): Promise<{ model_id: number; runs: number; levels: number; scored: number }[]> {
  return db
    .selectFrom('runs')
    .select((eb) => [
      'model_id',
      eb.fn.countAll<number>().as('runs'),
      eb.fn.count<number>('score').as('scored'),
      eb.fn.count<number>('steps').distinct().as('levels'),
    ])
    .groupBy('model_id')
    .execute();
}
