/** Render time of one step level: `n` runs at `steps` steps took `totalDurationMs` together. */
export interface WasteLevel {
  steps: number;
  n: number;
  totalDurationMs: number;
}

/** Time spent past the sweet spot; plain JSON. */
export interface Waste {
  /** Time the steps beyond the sweet spot took, in ms. */
  wastedMs: number;
  /** All render time of the levels given, in ms. */
  totalMs: number;
  /** wastedMs / totalMs, from 0 to 1 (0 when there is no render time). */
  share: number;
  /** Runs with more steps than the sweet spot. */
  runsPastSweetSpot: number;
}

/**
 * Time spent on steps past the sweet spot s*. A run at s > s* wasted the time of its s − s* extra
 * steps: with a duration fit that is perStepMs · (s − s*) per run, capped by the run's actual
 * duration (applied per level: at most the level's total); without a fit, the run's duration
 * × (s − s*)/s, i.e. the time split evenly over its steps (an upper estimate, as it counts the
 * per-render overhead too). A negative fitted perStepMs counts as 0. Runs at or below s* waste
 * nothing.
 *
 * Units: ms. Cost: O(k) for k levels.
 *
 * @throws Error "computeWaste requires a finite, non-negative sweet spot".
 * @throws Error "computeWaste requires finite, non-negative steps, n and totalDurationMs".
 * @throws Error "computeWaste requires a finite perStepMs".
 *
 * @example
 * computeWaste(
 *   [
 *     { steps: 20, n: 10, totalDurationMs: 100_000 },
 *     { steps: 40, n: 10, totalDurationMs: 200_000 },
 *   ],
 *   30,
 * );
 * // → { wastedMs: 50_000, totalMs: 300_000, share: 1 / 6, runsPastSweetSpot: 10 }
 * // (each 40-step run spent 10 of its 40 steps, a quarter of its 20 s, past the 30-step sweet spot)
 */
export function computeWaste(
  levels: readonly WasteLevel[],
  sweetSpot: number,
  fit?: { overheadMs: number; perStepMs: number } | null,
): Waste {
  if (!Number.isFinite(sweetSpot) || sweetSpot < 0) {
    throw new Error('computeWaste requires a finite, non-negative sweet spot');
  }
  if (fit && !Number.isFinite(fit.perStepMs)) {
    throw new Error('computeWaste requires a finite perStepMs');
  }
  let wastedMs = 0;
  let totalMs = 0;
  let runsPastSweetSpot = 0;
  for (const { steps, n, totalDurationMs } of levels) {
    if (![steps, n, totalDurationMs].every((v) => Number.isFinite(v) && v >= 0)) {
      throw new Error('computeWaste requires finite, non-negative steps, n and totalDurationMs');
    }
    totalMs += totalDurationMs;
    if (steps <= sweetSpot || n === 0) continue;
    runsPastSweetSpot += n;
    const extraSteps = steps - sweetSpot;
    wastedMs += fit
      ? Math.min(totalDurationMs, n * Math.max(0, fit.perStepMs) * extraSteps)
      : (totalDurationMs * extraSteps) / steps;
  }
  return { wastedMs, totalMs, share: totalMs > 0 ? wastedMs / totalMs : 0, runsPastSweetSpot };
}

/**
 * The waste in one sentence, with the time in human units (s / min / h) and the share in percent
 * ("<1%" for a share that would round to 0%).
 *
 * Cost: O(1).
 *
 * @example
 * describeWaste({ wastedMs: 11_160_000, totalMs: 62_000_000, share: 0.18, runsPastSweetSpot: 120 });
 * // → "3.1 h, 18% of render time, went past the sweet spot"
 */
export function describeWaste(w: Waste): string {
  if (!(w.wastedMs > 0)) return 'No render time went past the sweet spot';
  const percent = Math.round(w.share * 100);
  const share = percent === 0 ? '<1%' : `${percent}%`;
  return `${formatDuration(w.wastedMs)}, ${share} of render time, went past the sweet spot`;
}

/**
 * A duration in the largest unit that keeps it readable: seconds below a minute, minutes below an
 * hour, hours above; one decimal below 10 of a unit ("2.5 min"), whole numbers from 10 on ("18 min"),
 * no trailing ".0". The unit is chosen after rounding, so 59.97 s reads "1 min", not "60 s".
 *
 * Cost: O(1).
 *
 * @throws Error "formatDuration requires a finite, non-negative duration".
 *
 * @example
 * formatDuration(11_160_000); // → "3.1 h"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error('formatDuration requires a finite, non-negative duration');
  }
  const seconds = ms / 1000;
  if (roundForDisplay(seconds) < 60) return `${formatNumber(seconds)} s`;
  const minutes = seconds / 60;
  if (roundForDisplay(minutes) < 60) return `${formatNumber(minutes)} min`;
  return `${formatNumber(minutes / 60)} h`;
}

function roundForDisplay(value: number): number {
  return value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value);
}

function formatNumber(value: number): string {
  return String(roundForDisplay(value));
}
