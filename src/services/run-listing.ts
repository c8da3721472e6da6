import type { Db } from '../db/connect.js';
import { findModelBySlug } from '../store/models.js';
import type { RunFilter } from '../store/runs.js';
import type { RunQuery } from '../validation/run-query.js';
import { NotFoundError } from './errors.js';
import { listRuns, type RunPage } from './runs.js';

/** Turns the validated list query into a store filter (the model slug becomes its id). */
export async function runFilterFromQuery(db: Db, query: RunQuery): Promise<RunFilter> {
  const filter: RunFilter = {};
  if (query.model !== undefined) {
    const model = await findModelBySlug(db, query.model);
    if (!model) throw new NotFoundError(`model '${query.model}' not found`);
    filter.modelId = model.id;
  }
  if (query.stepsMin !== undefined) filter.stepsMin = query.stepsMin;
  if (query.stepsMax !== undefined) filter.stepsMax = query.stepsMax;
  if (query.phase != null) filter.phase = query.phase;
  if (query.useCase != null) filter.useCase = query.useCase;
  if (query.hardware != null) filter.hardware = query.hardware;
  if (query.tag != null) filter.tag = query.tag.toLowerCase();
  if (query.excludeTag != null) filter.excludeTags = query.excludeTag;
  if (query.q != null) filter.text = query.q;
  if (query.experiment !== undefined) filter.experimentId = query.experiment;
  return filter;
}

export async function listRunsByQuery(db: Db, query: RunQuery): Promise<RunPage> {
  return listRuns(db, {
    filter: await runFilterFromQuery(db, query),
    sort: query.sort,
    direction: query.order,
    cursor: query.cursor ?? null,
    limit: query.limit,
  });
}

/** The filters of a runs list or export as query-string text ("model=flux-dev&excludeTag=demo"), or "none". */
export function describeRunFilters(query: RunQuery): string {
  const params = new URLSearchParams();
  for (const key of ['model', 'stepsMin', 'stepsMax', 'phase', 'useCase', 'hardware', 'tag', 'q', 'experiment'] as const) {
    const value = query[key];
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  for (const tag of query.excludeTag ?? []) params.append('excludeTag', tag);
  const text = params.toString();
  return text === '' ? 'none' : text;
}
