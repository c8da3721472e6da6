import type { DurationSums } from './duration-fit.js';
import type { LevelSums } from './level-stats.js';
import type { BlockCell } from './paired-levels.js';

/** One observed render for an ad-hoc analysis (nothing stored). */
export interface StepPoint {
  steps: number;
  /** The metric value (the 0–10 score by default); null when not rated. */
  value: number | null;
  durationMs?: number | null;
  seed?: string | number | null;
  prompt?: string | null;
}

/** The same aggregates the store computes in SQL, from raw points. */
export interface PointSummaries {
  levels: LevelSums[];
  blocks: BlockCell[];
  durations: DurationSums[];
}

function add<T extends { n: number; sum: number; sumSq: number }>(map: Map<string, T>, key: string, make: () => T, value: number) {
  const entry = map.get(key) ?? make();
  entry.n += 1;
  entry.sum += value;
  entry.sumSq += value * value;
  map.set(key, entry);
}

/**
 * Groups raw points into per-level sums (count, sum, sum of squares), per-block cells (a block is one
 * prompt + seed, for paired designs; points without a seed form no block) and per-level duration sums
 * — the shapes the SQL aggregates have, so ad-hoc and stored analyses run the same code.
 *
 * Cost: O(n). Errors: "summarizePoints requires steps to be whole numbers of at least 1" (naming the
 * first bad point); values and durations must be finite when present.
 *
 * @example
 * summarizePoints([{ steps: 10, value: 6 }, { steps: 10, value: 8 }]).levels
 * // → [{ steps: 10, n: 2, sum: 14, sumSq: 100 }]
 */
export function summarizePoints(points: readonly StepPoint[]): PointSummaries {
  const levels = new Map<string, LevelSums>();
  const blocks = new Map<string, BlockCell>();
  const durations = new Map<string, DurationSums>();
  points.forEach((p, i) => {
    if (!Number.isInteger(p.steps) || p.steps < 1) {
      throw new Error(`summarizePoints requires steps to be whole numbers of at least 1 (point ${i + 1} has ${p.steps})`);
    }
    if (p.value !== null && !Number.isFinite(p.value)) {
      throw new Error(`summarizePoints requires finite values (point ${i + 1} has ${p.value})`);
    }
    if (p.durationMs !== undefined && p.durationMs !== null && !(Number.isFinite(p.durationMs) && p.durationMs >= 0)) {
      throw new Error(`summarizePoints requires durations of at least 0 (point ${i + 1} has ${p.durationMs})`);
    }
    const level = String(p.steps);
    if (p.value !== null) {
      add(levels, level, () => ({ steps: p.steps, n: 0, sum: 0, sumSq: 0 }), p.value);
      if (p.seed !== undefined && p.seed !== null) {
        const block = `${p.prompt ?? ''}\u0000${String(p.seed)}`;
        add(blocks, `${block}\u0000${level}`, () => ({ block, steps: p.steps, n: 0, sum: 0, sumSq: 0 }), p.value);
      }
    }
    if (p.durationMs !== undefined && p.durationMs !== null) {
      add(durations, level, () => ({ steps: p.steps, n: 0, sum: 0, sumSq: 0 }), p.durationMs);
    }
  });
  const bySteps = (a: { steps: number }, b: { steps: number }) => a.steps - b.steps;
  return {
    levels: [...levels.values()].sort(bySteps),
    blocks: [...blocks.values()],
    durations: [...durations.values()].sort(bySteps),
  };
}
