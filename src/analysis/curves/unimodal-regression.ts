import { isotonicRegression } from '../isotonic-regression.js';

/** Result of {@link unimodalRegression}. */
export interface UnimodalFit {
  /** Fitted values: non-decreasing up to `peakIndex`, non-increasing after it. */
  fitted: number[];
  peakIndex: number;
  weightedRss: number;
}

/** Weighted RSS of the isotonic fit of every prefix y₀…yᵢ, maintained as PAVA adds points. */
function prefixIsotonicRss(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { w: number; wy: number; wyy: number }[] = [];
  const rssOf = (b: { w: number; wy: number; wyy: number }) => Math.max(0, b.wyy - (b.wy * b.wy) / b.w);
  const out: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    const y = values[i]!;
    let block = { w, wy: w * y, wyy: w * y * y };
    while (blocks.length > 0 && blocks[blocks.length - 1]!.wy / blocks[blocks.length - 1]!.w > block.wy / block.w) {
      const previous = blocks.pop()!;
      total -= rssOf(previous);
      block = { w: previous.w + block.w, wy: previous.wy + block.wy, wyy: previous.wyy + block.wyy };
    }
    blocks.push(block);
    total += rssOf(block);
    out.push(total);
  }
  return out;
}

/**
 * Weighted unimodal (rise-then-fall) regression: the best fit that never falls before its peak and
 * never rises after it. Every split point is tried at once: PAVA run left to right gives the
 * isotonic fit's RSS of every prefix, and run right to left that of every suffix, so the best peak
 * costs O(L) and only the chosen split is refitted.
 *
 * Reference: Stout, "Unimodal regression via prefix isotonic regression", Computational Statistics
 * & Data Analysis 53 (2008). Cost: O(L) amortised.
 *
 * Errors: as {@link isotonicRegression}.
 *
 * @example
 * unimodalRegression([1, 3, 5, 4, 2], [1, 1, 1, 1, 1]);
 * // { fitted: [1, 3, 5, 4, 2], peakIndex: 2, weightedRss: 0 }
 */
export function unimodalRegression(values: readonly number[], weights: readonly number[]): UnimodalFit {
  const count = values.length;
  isotonicRegression(values, weights);
  if (count === 0) return { fitted: [], peakIndex: 0, weightedRss: 0 };
  const prefix = prefixIsotonicRss(values, weights);
  const suffix = prefixIsotonicRss([...values].reverse(), [...weights].reverse()).reverse();
  let best = count - 1;
  let bestRss = prefix[count - 1]!;
  for (let i = 0; i < count - 1; i++) {
    const rss = prefix[i]! + suffix[i + 1]!;
    if (rss < bestRss - 1e-12 * (1 + bestRss)) {
      bestRss = rss;
      best = i;
    }
  }
  const left = isotonicRegression(values.slice(0, best + 1), weights.slice(0, best + 1));
  const right = isotonicRegression(values.slice(best + 1).reverse(), weights.slice(best + 1).reverse()).reverse();
  const fitted = [...left, ...right];
  let peakIndex = 0;
  for (let i = 1; i < count; i++) if (fitted[i]! > fitted[peakIndex]!) peakIndex = i;
  return { fitted, peakIndex, weightedRss: bestRss };
}
