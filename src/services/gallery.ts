import type { Db } from '../db/connect.js';
import { findModelBySlug } from '../store/models.js';
import { countGalleryGroups, findRenderOfModel, listGalleryGroups, listGalleryRenders, metricsOfRuns, type GalleryRender } from '../store/images.js';
import { NotFoundError } from './errors.js';
import { CONVERGENCE_METRIC, SHARPNESS_METRIC } from './image-metrics.js';

/** Rows (prompt + seed groups) and columns (step levels) a gallery shows at most. */
export const GALLERY_MAX_ROWS = 50;
export const GALLERY_MAX_LEVELS = 12;

export interface GalleryCell {
  runId: number;
  steps: number;
  sha256: string;
  width: number;
  height: number;
  score: number | null;
  sharpness: number | null;
  convergence: number | null;
}

export interface GalleryRow {
  prompt: string | null;
  seed: string | null;
  /** One cell per shown level; null where that prompt + seed has no render at that level. */
  cells: (GalleryCell | null)[];
}

export interface Gallery {
  model: { slug: string; name: string };
  levels: number[];
  /** Step levels of the shown rows left out to keep the grid readable. */
  hiddenLevels: number[];
  rows: GalleryRow[];
  totalGroups: number;
  /** The two renders chosen for a side-by-side comparison (either may be missing). */
  compare: { a: GalleryCell | null; b: GalleryCell | null; prompt: string | null; seed: string | null };
}

/**
 * At most `max` of the sorted levels, evenly spread and always keeping the first and the last.
 *
 * @example spreadLevels([1, 2, 3, 4, 5], 3) // → [1, 3, 5]
 */
export function spreadLevels(levels: readonly number[], max: number): number[] {
  if (levels.length <= max) return [...levels];
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(levels[Math.round((i * (levels.length - 1)) / (max - 1))]!);
  return [...picked].sort((a, b) => a - b);
}

function toCell(render: GalleryRender, metrics: Record<string, number> | undefined): GalleryCell {
  return {
    runId: render.run_id,
    steps: render.steps,
    sha256: render.sha256,
    width: render.width,
    height: render.height,
    score: render.score,
    sharpness: metrics?.[SHARPNESS_METRIC] ?? null,
    convergence: metrics?.[CONVERGENCE_METRIC] ?? null,
  };
}

const groupKey = (prompt: string | null, seed: string | null) => JSON.stringify([prompt, seed]);

/**
 * The X/Y-plot view of a model's renders: step levels across, prompt + seed down (newest groups
 * first), bounded to 50 rows × 12 levels; with `a` / `b` run ids, those two renders for a comparison.
 */
export async function loadGallery(db: Db, slug: string, chosen: { a?: number | undefined; b?: number | undefined } = {}): Promise<Gallery> {
  const model = await findModelBySlug(db, slug);
  if (!model) throw new NotFoundError(`model '${slug}' not found`);
  const [groups, totalGroups] = await Promise.all([listGalleryGroups(db, model.id, GALLERY_MAX_ROWS), countGalleryGroups(db, model.id)]);
  const renders = await listGalleryRenders(db, model.id, groups);
  const allLevels = [...new Set(renders.map((r) => r.steps))].sort((x, y) => x - y);
  const levels = spreadLevels(allLevels, GALLERY_MAX_LEVELS);
  const [pickA, pickB] = await Promise.all([
    chosen.a === undefined ? undefined : findRenderOfModel(db, model.id, chosen.a),
    chosen.b === undefined ? undefined : findRenderOfModel(db, model.id, chosen.b),
  ]);
  const metrics = await metricsOfRuns(db, [...renders.map((r) => r.run_id), ...(pickA ? [pickA.run_id] : []), ...(pickB ? [pickB.run_id] : [])]);

  const byGroup = new Map<string, Map<number, GalleryRender>>();
  for (const render of renders) {
    const key = groupKey(render.prompt, render.seed);
    const cells = byGroup.get(key) ?? new Map<number, GalleryRender>();
    cells.set(render.steps, render); // ids ascend: the latest render of a cell wins
    byGroup.set(key, cells);
  }
  const rows = groups.map((g) => {
    const cells = byGroup.get(groupKey(g.prompt, g.seed));
    return {
      prompt: g.prompt,
      seed: g.seed,
      cells: levels.map((level) => {
        const render = cells?.get(level);
        return render ? toCell(render, metrics.get(render.run_id)) : null;
      }),
    };
  });
  const shown = pickA ?? pickB;
  return {
    model: { slug: model.slug, name: model.name },
    levels,
    hiddenLevels: allLevels.filter((l) => !levels.includes(l)),
    rows,
    totalGroups,
    compare: {
      a: pickA ? toCell(pickA, metrics.get(pickA.run_id)) : null,
      b: pickB ? toCell(pickB, metrics.get(pickB.run_id)) : null,
      prompt: shown?.prompt ?? null,
      seed: shown?.seed ?? null,
    },
  };
}
