import type { Db } from '../db/connect.js';
import type { NewRendererRow, RendererRow, RenderersSchema } from '../db/renderer-table.js';

function renderersDb(db: Db) {
  return db.withTables<RenderersSchema>();
}

export async function insertRenderer(db: Db, row: NewRendererRow): Promise<number> {
  const inserted = await renderersDb(db).insertInto('renderers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Every renderer, oldest first (the order they were added in). */
export function listRendererRows(db: Db): Promise<RendererRow[]> {
  return renderersDb(db).selectFrom('renderers').selectAll().orderBy('id').execute();
}

export function findRendererById(db: Db, id: number): Promise<RendererRow | undefined> {
  return renderersDb(db).selectFrom('renderers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a renderer was deleted (false: there was none with that id). */
export async function deleteRendererById(db: Db, id: number): Promise<boolean> {
  const result = await renderersDb(db).deleteFrom('renderers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
