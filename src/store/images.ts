import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ImageRow, NewImageRow } from '../db/schema.js';

export function findImageBySha(db: Db, sha256: string): Promise<ImageRow | undefined> {
  return db.selectFrom('images').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

export function insertImage(db: Db, image: NewImageRow): Promise<ImageRow> {
  return db.insertInto('images').values(image).returningAll().executeTakeFirstOrThrow();
}

/** The first run made from an image (an image normally has one), with its model's slug. */
export function findRunOfImage(db: Db, imageId: number): Promise<{ id: number; model_slug: string } | undefined> {
  return db
    .selectFrom('runs')
    .innerJoin('models', 'models.id', 'runs.model_id')
    .select(['runs.id', 'models.slug as model_slug'])
    .where('runs.image_id', '=', imageId)
    .orderBy('runs.id')
    .executeTakeFirst();
}

/** Images no run was made from (no readable settings, or no steps / model): the user completes them. */
export function listImagesWithoutRun(db: Db, limit: number): Promise<ImageRow[]> {
  return db
    .selectFrom('images')
    .selectAll('images')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('runs').select('runs.id').whereRef('runs.image_id', '=', 'images.id'))))
    .orderBy('images.id', 'desc')
    .limit(limit)
    .execute();
}

export function countImagesWithoutRun(db: Db): Promise<number> {
  return db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('runs').select('runs.id').whereRef('runs.image_id', '=', 'images.id'))))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export interface RecentImage {
  id: number;
  sha256: string;
  original_name: string | null;
  run_id: number | null;
  steps: number | null;
  model_slug: string | null;
  model_name: string | null;
}

/** The latest images with the run made from each (if any). */
export function listRecentImages(db: Db, limit: number): Promise<RecentImage[]> {
  return db
    .selectFrom('images')
    .leftJoin('runs', 'runs.image_id', 'images.id')
    .leftJoin('models', 'models.id', 'runs.model_id')
    .select([
      'images.id',
      'images.sha256',
      'images.original_name',
      'runs.id as run_id',
      'runs.steps',
      'models.slug as model_slug',
      'models.name as model_name',
    ])
    .orderBy('images.id', 'desc')
    .limit(limit)
    .execute();
}

/** One render of a prompt + seed group: the run, its step count and its image. */
export interface GroupRender {
  run_id: number;
  steps: number;
  sha256: string;
  mime: string;
}

/**
 * The renders (runs with an image) of one model that share a prompt and a seed, most steps first,
 * at most `limit` of them. A null prompt groups with null prompts.
 */
export function listGroupRenders(db: Db, modelId: number, prompt: string | null, seed: string, limit: number): Promise<GroupRender[]> {
  return db
    .selectFrom('runs')
    .innerJoin('images', 'images.id', 'runs.image_id')
    .select(['runs.id as run_id', 'runs.steps', 'images.sha256', 'images.mime'])
    .where('runs.model_id', '=', modelId)
    .where('runs.seed', '=', seed)
    .where((eb) => (prompt === null ? eb('runs.prompt', 'is', null) : eb('runs.prompt', '=', prompt)))
    .orderBy('runs.steps', 'desc')
    .orderBy('runs.id', 'desc')
    .limit(limit)
    .execute();
}

export interface GalleryGroup {
  prompt: string | null;
  seed: string | null;
  renders: number;
  latest: number;
}

/** The prompt + seed groups of a model's renders with images, newest first, at most `limit`. */
export function listGalleryGroups(db: Db, modelId: number, limit: number): Promise<GalleryGroup[]> {
  return db
    .selectFrom('runs')
    .where('runs.model_id', '=', modelId)
    .where('runs.image_id', 'is not', null)
    .select((eb) => ['runs.prompt as prompt', 'runs.seed as seed', eb.fn.countAll<number>().as('renders'), eb.fn.max('runs.id').as('latest')])
    .groupBy(['runs.prompt', 'runs.seed'])
    .orderBy('latest', 'desc')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => ({ prompt: r.prompt, seed: r.seed, renders: Number(r.renders), latest: Number(r.latest) })));
}

export function countGalleryGroups(db: Db, modelId: number): Promise<number> {
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('runs')
        .select(['runs.prompt', 'runs.seed'])
        .where('runs.model_id', '=', modelId)
        .where('runs.image_id', 'is not', null)
        .groupBy(['runs.prompt', 'runs.seed'])
        .as('g'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export interface GalleryRender {
  run_id: number;
  steps: number;
  prompt: string | null;
  seed: string | null;
  score: number | null;
  sampler: string | null;
  sha256: string;
  width: number;
  height: number;
}

/** A model's runs that have an image, with the columns a gallery cell shows. */
function rendersOfModel(db: Db, modelId: number) {
  return db
    .selectFrom('runs')
    .innerJoin('images', 'images.id', 'runs.image_id')
    .select([
      'runs.id as run_id',
      'runs.steps',
      'runs.prompt',
      'runs.seed',
      'runs.score',
      'runs.sampler',
      'images.sha256',
      'images.width',
      'images.height',
    ])
    .where('runs.model_id', '=', modelId)
    .where('runs.image_id', 'is not', null); // lets the planner use the partial index of rendered runs
}

/** The renders with images of the given prompt + seed groups of one model. */
export function listGalleryRenders(db: Db, modelId: number, groups: readonly { prompt: string | null; seed: string | null }[]): Promise<GalleryRender[]> {
  if (groups.length === 0) return Promise.resolve([]);
  return rendersOfModel(db, modelId)
    .where((eb) =>
      eb.or(
        groups.map((g) =>
          eb.and([
            g.prompt === null ? eb('runs.prompt', 'is', null) : eb('runs.prompt', '=', g.prompt),
            g.seed === null ? eb('runs.seed', 'is', null) : eb('runs.seed', '=', g.seed),
          ]),
        ),
      ),
    )
    .orderBy('runs.id')
    .execute();
}

/** One run with its image, for the side-by-side comparison (null when the run has no image or another model). */
export function findRenderOfModel(db: Db, modelId: number, runId: number): Promise<GalleryRender | undefined> {
  return rendersOfModel(db, modelId)
    .where('runs.id', '=', runId)
    .executeTakeFirst();
}

/** Metric values of the given runs, by run id then metric name. */
export async function metricsOfRuns(db: Db, runIds: readonly number[]): Promise<Map<number, Record<string, number>>> {
  const byRun = new Map<number, Record<string, number>>();
  if (runIds.length === 0) return byRun;
  const rows = await db.selectFrom('run_metrics').selectAll().where('run_id', 'in', [...runIds]).execute();
  for (const row of rows) {
    const entry = byRun.get(row.run_id) ?? {};
    entry[row.name] = row.value;
    byRun.set(row.run_id, entry);
  }
  return byRun;
}

/** Whether an image file is still referenced (so a failed upload must not delete it). */
export function imageExists(db: Db, sha256: string): Promise<boolean> {
  return db
    .selectFrom('images')
    .select(sql<number>`1`.as('one'))
    .where('sha256', '=', sha256)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}
