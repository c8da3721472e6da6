import type { Db } from '../../db/connect.js';
import { findModelById, findModelBySlug } from '../../store/models.js';
import { addTagToRuns, deleteRunsByIds, modelsOfRuns, removeTagFromRuns, setRunsModel } from '../../store/runs-bulk.js';
import { InputError } from '../errors.js';

/** The most runs one multi-select action takes (a page of the runs table holds at most 1,000). */
export const MAX_BULK_RUNS = 1000;

function checkIds(ids: readonly number[]): void {
  if (ids.length === 0) throw new InputError('select at least one run', [{ field: 'ids', message: 'select at least one run' }]);
  if (ids.length > MAX_BULK_RUNS) throw new InputError(`select at most ${MAX_BULK_RUNS} runs at once`, [{ field: 'ids', message: `at most ${MAX_BULK_RUNS} runs` }]);
}

/** Deletes the selected runs in one transaction; returns how many went. */
export async function deleteRuns(db: Db, ids: readonly number[]): Promise<number> {
  checkIds(ids);
  return db.transaction().execute((trx) => deleteRunsByIds(trx, ids));
}

/** Adds a tag to the selected runs; returns the ids that did not have it (the undo removes it from those only). */
export async function tagRuns(db: Db, ids: readonly number[], tag: string): Promise<number[]> {
  checkIds(ids);
  return db.transaction().execute((trx) => addTagToRuns(trx, ids, tag));
}

/** Removes a tag from the selected runs (the undo of tagRuns); returns how many lost it. */
export async function untagRuns(db: Db, ids: readonly number[], tag: string): Promise<number> {
  checkIds(ids);
  return db.transaction().execute((trx) => removeTagFromRuns(trx, ids, tag));
}

/**
 * Moves the selected runs to another model. Returns how many moved and, when they all came from one
 * model, that model's slug (then the move can be undone by moving them back).
 */
export async function moveRuns(db: Db, ids: readonly number[], modelSlug: string): Promise<{ moved: number; from: string | null; to: string }> {
  checkIds(ids);
  const target = await findModelBySlug(db, modelSlug);
  if (!target) throw new InputError(`model: unknown model '${modelSlug}'`, [{ field: 'model', message: `unknown model '${modelSlug}'` }]);
  return db.transaction().execute(async (trx) => {
    const sources = new Set((await modelsOfRuns(trx, ids)).values());
    const only = sources.size === 1 ? await findModelById(trx, [...sources][0]!) : undefined;
    const moved = await setRunsModel(trx, ids, target.id, new Date().toISOString());
    return { moved, from: only && only.id !== target.id ? only.slug : null, to: target.slug };
  });
}
