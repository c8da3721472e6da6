import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { dialectOf, sqliteHandleOf, type Db } from '../db/connect.js';
import { bumpDataVersion, bumpDataVersionOfRuns } from './data-version.js';
import type { Database, NewRunRow, Phase, RunRow, RunRowUpdate, UseCase } from '../db/schema.js';

/** What the runs list can be narrowed by; each field becomes one `where` clause. */
export interface RunFilter {
  modelId?: number;
  stepsMin?: number;
  stepsMax?: number;
  phase?: Phase;
  useCase?: UseCase;
  hardware?: string;
  tag?: string;
  /** Leave out runs carrying any of these tags. */
  excludeTags?: string[];
  text?: string;
  experimentId?: number;
}

export const RUN_SORT_KEYS = ['created', 'steps', 'score', 'duration'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

const SORT_COLUMNS = {
  created: 'runs.created_at',
  steps: 'runs.steps',
  score: 'runs.score',
  duration: 'runs.duration_ms',
} as const;

/** Sort keys whose column can be NULL (unrated, untimed): NULLs come last in either direction. */
const NULLABLE_SORTS: ReadonlySet<RunSortKey> = new Set(['score', 'duration']);

/** The position after the last row of a page: its sort value and id (ids break ties, so pages never overlap). */
export interface RunCursor {
  value: string | number | null;
  id: number;
}

export interface RunListQuery {
  filter: RunFilter;
  sort: RunSortKey;
  direction: SortDirection;
  after: RunCursor | null;
  limit: number;
}

export type RunWithModel = RunRow & { model_slug: string; model_name: string };

type RunQuery = SelectQueryBuilder<Database, 'runs' | 'models', object>;

/** Filter columns that can be kept from choosing the index of a listing (see listRuns). */
type SteerableColumn = 'runs.steps' | 'runs.hardware';

function applyFilter(query: RunQuery, filter: RunFilter, notForIndex: ReadonlySet<SteerableColumn> = new Set()): RunQuery {
  // SQLite's unary + leaves the value alone but keeps the planner from using an index on the column.
  const col = (c: SteerableColumn) => (notForIndex.has(c) ? sql<unknown>`+${sql.ref(c)}` : sql.ref(c));
  let q = query;
  if (filter.modelId !== undefined) q = q.where('runs.model_id', '=', filter.modelId);
  if (filter.stepsMin !== undefined) q = q.where(col('runs.steps'), '>=', filter.stepsMin);
  if (filter.stepsMax !== undefined) q = q.where(col('runs.steps'), '<=', filter.stepsMax);
  if (filter.phase !== undefined) q = q.where('runs.phase', '=', filter.phase);
  if (filter.useCase !== undefined) q = q.where('runs.use_case', '=', filter.useCase);
  if (filter.hardware !== undefined) q = q.where(col('runs.hardware'), '=', filter.hardware);
  if (filter.experimentId !== undefined) q = q.where('runs.experiment_id', '=', filter.experimentId);
  if (filter.tag !== undefined) {
    const tag = filter.tag;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('run_tags')
          .select('run_tags.run_id')
          .whereRef('run_tags.run_id', '=', 'runs.id')
          .where('run_tags.tag', '=', tag),
      ),
    );
  }
  if (filter.excludeTags !== undefined && filter.excludeTags.length > 0) {
    const excluded = filter.excludeTags;
    q = q.where((eb) =>
      eb.not(eb.exists(eb.selectFrom('run_tags').select('run_tags.run_id').whereRef('run_tags.run_id', '=', 'runs.id').where('run_tags.tag', 'in', excluded))),
    );
  }
  if (filter.text !== undefined) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = (eb: ExpressionBuilder<Database, 'runs' | 'models'>, column: 'runs.prompt' | 'runs.notes' | 'runs.sampler') =>
      sql<boolean>`lower(${eb.ref(column)}) like lower(${pattern}) escape '\\'`;
    q = q.where((eb) => eb.or([like(eb, 'runs.prompt'), like(eb, 'runs.notes'), like(eb, 'runs.sampler')]));
  }
  return q;
}

function baseQuery(db: Db): RunQuery {
  return db.selectFrom('runs').innerJoin('models', 'models.id', 'runs.model_id');
}

/**
 * One page of runs in a stable order: the sort column (NULLs last in either direction), then id.
 * Keyset pagination: the next page starts strictly after `after`, so deep pages cost the same as the first.
 */
export function listRuns(db: Db, query: RunListQuery): Promise<RunWithModel[]> {
  const column = SORT_COLUMNS[query.sort];
  const nullable = NULLABLE_SORTS.has(query.sort);
  const dir = query.direction;
  const cmp = dir === 'asc' ? '>' : '<';
  // A page is the first rows in the sort order that match: read along the sort column's index and
  // stop after `limit`. Without statistics SQLite prefers the (model, steps) or (model, hardware)
  // index for a steps range or a hardware, then sorts every match — 1.2 s for one page at 10⁶ runs.
  const notForIndex = new Set<SteerableColumn>(dialectOf(db) === 'sqlite' ? ['runs.hardware', ...(query.sort === 'steps' ? [] : ['runs.steps' as const])] : []);
  let q = applyFilter(baseQuery(db), query.filter, notForIndex);
  const after = query.after;
  if (after) {
    if (after.value === null) {
      q = q.where((eb) => eb.and([eb(column, 'is', null), eb('runs.id', cmp, after.id)]));
    } else {
      // A row-value comparison, (column, id) < (value, id), lets the (column, id) index seek
      // straight to the page instead of scanning the rows before it.
      const value = after.value;
      q = q.where((eb) => {
        const past = eb(eb.refTuple(column, 'runs.id'), cmp, eb.tuple(value, after.id));
        return nullable ? eb.or([past, eb(column, 'is', null)]) : past;
      });
    }
  }
  return q
    .selectAll('runs')
    .select(['models.slug as model_slug', 'models.name as model_name'])
    .orderBy(column, (ob) => {
      const ordered = dir === 'asc' ? ob.asc() : ob.desc();
      return nullable ? ordered.nullsLast() : ordered;
    })
    .orderBy('runs.id', dir)
    .limit(query.limit)
    .execute();
}

export function countRuns(db: Db, filter: RunFilter): Promise<number> {
  return applyFilter(baseQuery(db), filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}
export function findRunById(db: Db, id: number): Promise<RunWithModel | undefined> {
  return baseQuery(db)
    .selectAll('runs')
    .select(['models.slug as model_slug', 'models.name as model_name'])
    .where('runs.id', '=', id)
    .executeTakeFirst();
}

export function listRunsAfterId(db: Db, filter: RunFilter, afterId: number, limit: number): Promise<RunWithModel[]> {
  return applyFilter(baseQuery(db), filter)
    .selectAll('runs')
    .select(['models.slug as model_slug', 'models.name as model_name'])
    .where('runs.id', '>', afterId)
    .orderBy('runs.id')
    .limit(limit)
    .execute();
}

/** Rows per INSERT statement: 21 columns × 500 rows stays well under SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 500;

/** The columns a new run fills, in the order of the hand-written INSERT below. */
const INSERT_COLUMNS = [
  'model_id', 'steps', 'duration_ms', 'score', 'seed', 'prompt', 'negative_prompt', 'sampler', 'guidance', 'width', 'height',
  'hardware', 'use_case', 'phase', 'notes', 'experiment_id', 'image_id', 'source', 'created_at', 'updated_at',
] as const satisfies readonly (keyof NewRunRow)[];

const insertSqlCache = new Map<string, string>();

/**
 * The multi-row INSERT written out once per dialect and row count: building it through the query
 * builder for every batch cost more than running it (a 500-row batch binds 10,000 values).
 */
function insertRunsSql(dialect: 'sqlite' | 'postgres', rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = insertSqlCache.get(key);
  if (!text) {
    let n = 0;
    const placeholder = () => (dialect === 'postgres' ? `$${++n}` : '?');
    const values = Array.from({ length: rows }, () => `(${INSERT_COLUMNS.map(placeholder).join(', ')})`).join(', ');
    text = `insert into runs (${INSERT_COLUMNS.join(', ')}) values ${values} returning id`;
    insertSqlCache.set(key, text);
  }
  return text;
}

/**
 * Inserts runs and their tags with multi-row statements and raises their models' data version; the
 * caller wraps it in a transaction when it must be all-or-nothing. Returns the new ids in input order
 * (one INSERT assigns ascending ids in VALUES order, on SQLite and PostgreSQL alike).
 */
export async function insertRuns(db: Db, runs: readonly { row: NewRunRow; tags: readonly string[] }[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < runs.length; start += INSERT_CHUNK) {
    const chunk = runs.slice(start, start + INSERT_CHUNK);
    const inserted = await db.executeQuery<{ id: number }>(
      CompiledQuery.raw(insertRunsSql(dialectOf(db), chunk.length), chunk.flatMap((r) => INSERT_COLUMNS.map((c) => r.row[c] ?? null))),
    );
    const chunkIds = inserted.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    const tagRows = chunk.flatMap((r, i) => r.tags.map((tag) => ({ run_id: chunkIds[i]!, tag })));
    for (let t = 0; t < tagRows.length; t += INSERT_CHUNK * 4) {
      await db.insertInto('run_tags').values(tagRows.slice(t, t + INSERT_CHUNK * 4)).execute();
    }
    ids.push(...chunkIds);
  }
  await bumpDataVersion(db, runs.map((r) => r.row.model_id));
  return ids;
}

type NewRun = { row: NewRunRow; tags: readonly string[] };

/**
 * Stores runs with their tags in one transaction, all or none, and raises their models' data version;
 * returns the new ids in input order. The API's path for logged runs.
 *
 * On SQLite the rows go through prepared single-row statements in one synchronous better-sqlite3
 * transaction: measured on 1,000-run batches, that is a third faster than the multi-row INSERT
 * Kysely needs (and PostgreSQL still uses), because no statement text or 20,000-value parameter
 * array is built and nothing awaits between rows.
 */
export async function insertRunsInTransaction(db: Db, runs: readonly NewRun[]): Promise<number[]> {
  const sqlite = sqliteHandleOf(db);
  if (!sqlite) return db.transaction().execute((trx) => insertRuns(trx, runs));
  // Holding Kysely's connection keeps every other query of this process out until the commit.
  return db.connection().execute(async () => insertRunsNow(sqlite, runs));
}

const runStatements = new WeakMap<SQLite.Database, ReturnType<typeof prepareRunStatements>>();

function prepareRunStatements(sqlite: SQLite.Database) {
  return {
    run: sqlite.prepare(`insert into runs (${INSERT_COLUMNS.join(', ')}) values (${INSERT_COLUMNS.map(() => '?').join(', ')})`),
    tag: sqlite.prepare('insert into run_tags (run_id, tag) values (?, ?)'),
    bump: sqlite.prepare('update models set data_version = data_version + 1 where id = ?'),
  };
}

function insertRunsNow(sqlite: SQLite.Database, runs: readonly NewRun[]): number[] {
  let statements = runStatements.get(sqlite);
  if (!statements) {
    statements = prepareRunStatements(sqlite);
    runStatements.set(sqlite, statements);
  }
  const { run, tag, bump } = statements;
  const write = sqlite.transaction(() => {
    const ids = runs.map((r) => {
      const id = Number(run.run(INSERT_COLUMNS.map((c) => r.row[c] ?? null)).lastInsertRowid);
      for (const t of r.tags) tag.run(id, t);
      return id;
    });
    for (const modelId of new Set(runs.map((r) => r.row.model_id))) bump.run(modelId);
    return ids;
  });
  // IMMEDIATE takes the write lock before the first statement, as every write transaction here does.
  return write.immediate();
}

/** Updates one run; the data version rises for the model it left and the one it now belongs to. */
export async function updateRun(db: Db, id: number, changes: RunRowUpdate): Promise<{ id: number } | undefined> {
  await bumpDataVersionOfRuns(db, [id]);
  const updated = await db.updateTable('runs').set(changes).where('id', '=', id).returning('id').executeTakeFirst();
  if (updated && changes.model_id !== undefined) await bumpDataVersion(db, [changes.model_id as number]);
  return updated;
}

export async function replaceRunTags(db: Db, runId: number, tags: readonly string[]): Promise<void> {
  await db.deleteFrom('run_tags').where('run_id', '=', runId).execute();
  if (tags.length > 0) await db.insertInto('run_tags').values(tags.map((tag) => ({ run_id: runId, tag }))).execute();
}

export async function deleteRun(db: Db, id: number): Promise<boolean> {
  await bumpDataVersionOfRuns(db, [id]);
  const result = await db.deleteFrom('runs').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes every run carrying `tag` (the demo data set is tagged `demo`); returns how many went. */
export async function deleteRunsTagged(db: Db, tag: string): Promise<number> {
  await bumpDataVersion(db, 'all');
  const result = await db
    .deleteFrom('runs')
    .where('id', 'in', (eb) => eb.selectFrom('run_tags').select('run_id').where('tag', '=', tag))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function tagsForRuns(db: Db, runIds: readonly number[]): Promise<Map<number, string[]>> {
  const byRun = new Map<number, string[]>();
  if (runIds.length === 0) return byRun;
  const rows = await db
    .selectFrom('run_tags')
    .select(['run_id', 'tag'])
    .where('run_id', 'in', runIds)
    .orderBy('tag')
    .execute();
  for (const { run_id, tag } of rows) {
    const list = byRun.get(run_id) ?? [];
    list.push(tag);
    byRun.set(run_id, list);
  }
  return byRun;
}

/** Most hardware names a drop-down offers. */
const MAX_HARDWARE_NAMES = 200;

/**
 * The hardware names runs were logged with, for filter drop-downs and form suggestions. A DISTINCT
 * reads every run (0.3 s at 10⁶ runs); instead each model's names are stepped through on the
 * (model, hardware, …) index, one seek per name.
 */
export async function distinctHardware(db: Db): Promise<string[]> {
  const models = await db.selectFrom('models').select('id').execute();
  const names = new Set<string>();
  for (const { id } of models) {
    let after: string | null = null;
    while (names.size < MAX_HARDWARE_NAMES) {
      let q = db.selectFrom('runs').select('hardware').where('model_id', '=', id).where('hardware', 'is not', null);
      if (after !== null) q = q.where('hardware', '>', after);
      const next: string | null | undefined = (await q.orderBy('hardware').limit(1).executeTakeFirst())?.hardware;
      if (next == null) break;
      names.add(next);
      after = next;
    }
  }
  return [...names].sort();
}

export async function countTagged(db: Db, tag: string): Promise<number> {
  const row = await db
    .selectFrom('run_tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tag', '=', tag)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
