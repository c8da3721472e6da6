/**
 * The step counts of an adaptive run's coarse first round: `count` whole step counts spread evenly
 * from `min` to `max` (both ends included, rounded, duplicates dropped), so the first analysis sees
 * the whole usable range before the next rounds zoom in where the sweet spot is least pinned down.
 *
 * Cost: O(count). Errors: "coarseSteps requires 1 ≤ min ≤ max (got …)" and "coarseSteps requires a
 * count of at least 2 (got …)".
 *
 * @example
 * coarseSteps({ min: 20, max: 50 }, 4); // → [20, 30, 40, 50]
 * coarseSteps({ min: 1, max: 4 }, 5);   // → [1, 2, 3, 4]
 */
export function coarseSteps(range: { min: number; max: number }, count: number): number[] {
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 1 || range.max < range.min) {
    throw new Error(`coarseSteps requires 1 ≤ min ≤ max (got ${range.min}–${range.max})`);
  }
  if (!Number.isInteger(count) || count < 2) throw new Error(`coarseSteps requires a count of at least 2 (got ${count})`);
  const steps = new Set<number>();
  for (let i = 0; i < count; i++) steps.add(Math.round(range.min + ((range.max - range.min) * i) / (count - 1)));
  return [...steps].sort((a, b) => a - b);
}
