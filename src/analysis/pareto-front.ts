/** One (model, step count) choice: its predicted time per render (ms) and its fitted quality. */
export interface TradeoffPoint {
  model: string;
  steps: number;
  timeMs: number;
  /** Higher is better (mirror lower-is-better metrics before calling). */
  quality: number;
}

/**
 * The Pareto front of time against quality: the points that no other point dominates, where p
 * dominates q when p takes no more time, gives at least the same quality, and is strictly better in
 * one of the two. Along the front, quality rises strictly with time, so each point answers "the
 * best quality for this much time". Points identical in both time and quality do not dominate each
 * other and are all kept.
 *
 * Order: time ascending; identical (time, quality) points by model, then steps. The result does not
 * depend on the input order. The returned objects are the input objects (not copies).
 *
 * Method: sort by time ascending (quality descending within a time), then one sweep keeping each
 * point whose quality beats every earlier one (Kung, Luccio & Preparata 1975, "On finding the maxima
 * of a set of vectors", the two-dimensional case).
 *
 * Cost: O(n log n) for n points.
 *
 * @throws Error "paretoFront requires finite timeMs and quality".
 *
 * @example
 * paretoFront([
 *   { model: 'flux-schnell', steps: 4, timeMs: 2_000, quality: 6.5 },
 *   { model: 'flux-dev', steps: 20, timeMs: 13_780, quality: 7.9 },
 *   { model: 'flux-dev', steps: 30, timeMs: 20_480, quality: 8.6 },
 *   { model: 'recraft-v3', steps: 30, timeMs: 24_000, quality: 8.4 },
 * ]).map((p) => `${p.model}@${p.steps}`);
 * // → ['flux-schnell@4', 'flux-dev@20', 'flux-dev@30'] (Recraft at 30 is slower and worse)
 */
export function paretoFront(points: readonly TradeoffPoint[]): TradeoffPoint[] {
  for (const p of points) {
    if (!Number.isFinite(p.timeMs) || !Number.isFinite(p.quality)) {
      throw new Error('paretoFront requires finite timeMs and quality');
    }
  }
  const sorted = [...points].sort(
    (a, b) =>
      a.timeMs - b.timeMs ||
      b.quality - a.quality ||
      compareStrings(a.model, b.model) ||
      a.steps - b.steps,
  );
  const front: TradeoffPoint[] = [];
  let best: TradeoffPoint | undefined;
  for (const p of sorted) {
    const isTwinOfBest = best !== undefined && p.quality === best.quality && p.timeMs === best.timeMs;
    if (best === undefined || p.quality > best.quality || isTwinOfBest) {
      front.push(p);
      best = p;
    }
  }
  return front;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
