import type { Db } from '../../db/connect.js';
import {
  countArchivedExperiments,
  deleteExperimentRows,
  experimentRunCounts,
  findExperimentById,
  setExperimentArchived,
} from '../../store/experiments.js';
import { NotFoundError } from '../errors.js';

/** What deleting an experiment would do, for the confirmation. */
export interface ExperimentDeletionPreview {
  id: number;
  name: string;
  /** Planned runs never rendered (no time, score or image): deleted with the experiment. */
  unrendered: number;
  /** Runs with a time, a score or an image: kept as runs of their own unless asked otherwise. */
  rendered: number;
}

/** The outcome of a delete. */
export interface ExperimentDeletion {
  id: number;
  name: string;
  /** Runs deleted (the never-rendered ones, plus the rendered ones when they were not kept). */
  deleted: number;
  /** Rendered runs kept, now no longer part of an experiment. */
  detached: number;
}

async function experimentOrFail(db: Db, id: number) {
  const row = await findExperimentById(db, id);
  if (!row) throw new NotFoundError(`experiment ${id} not found`);
  return row;
}

/** The counts a confirmation shows before an experiment is deleted. */
export async function previewExperimentDeletion(db: Db, id: number): Promise<ExperimentDeletionPreview> {
  const row = await experimentOrFail(db, id);
  const counts = await experimentRunCounts(db, id);
  return { id, name: row.name, ...counts };
}

/**
 * Deletes an experiment in one transaction. Its planned runs that were never rendered go with it;
 * rendered ones (a time, a score or an image) stay as ordinary runs unless `keepRendered` is false,
 * because they are measurements the analysis still uses.
 */
export async function deleteExperiment(db: Db, id: number, options: { keepRendered?: boolean } = {}): Promise<ExperimentDeletion> {
  const row = await experimentOrFail(db, id);
  const keepRendered = options.keepRendered ?? true;
  const result = await db.transaction().execute((trx) => deleteExperimentRows(trx, id, row.model_id, keepRendered));
  return { id, name: row.name, ...result };
}

/** Archives an experiment (out of the current list, runs untouched) or, with `archived` false, brings it back. */
export async function archiveExperiment(db: Db, id: number, archived = true): Promise<{ id: number; name: string; archivedAt: string | null }> {
  const row = await experimentOrFail(db, id);
  const at = archived ? (row.archived_at ?? new Date().toISOString()) : null;
  await setExperimentArchived(db, id, at);
  return { id, name: row.name, archivedAt: at };
}

export function countArchived(db: Db): Promise<number> {
  return countArchivedExperiments(db);
}
