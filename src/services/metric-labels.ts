import { CONVERGENCE_METRIC, SHARPNESS_METRIC } from './image-metrics.js';
import { PREFERENCE_METRIC } from './judgements.js';

/** What each built-in metric is called wherever a user picks or reads one; other metrics show their name. */
const LABELS: Record<string, string> = {
  score: 'Score (0–10)',
  [PREFERENCE_METRIC]: 'Blind preference (from pairwise judgements)',
  [CONVERGENCE_METRIC]: 'Convergence (SSIM to the highest-step render)',
  [SHARPNESS_METRIC]: 'Sharpness (Laplacian variance)',
};

/** A metric's label for menus and headings, e.g. "Convergence (SSIM to the highest-step render)". */
export function metricLabel(name: string): string {
  return LABELS[name] ?? name;
}

/**
 * What a report on a metric says when no run has a value for it: the step that produces values for
 * that metric ("no images yet" for the image metrics), not "no rated runs".
 */
export function emptyMetricMessage(name: string): string {
  if (name === CONVERGENCE_METRIC || name === SHARPNESS_METRIC) {
    return 'No images yet: upload the renders (Images page, or sweetspot import *.png) and their sharpness and convergence are measured from the pixels.';
  }
  if (name === PREFERENCE_METRIC) return 'No blind judgements yet: rate pairs of renders on the Rate page to measure preference.';
  if (name === 'score') return 'No rated runs yet: log runs with a score at 3 or more step counts to find a sweet spot.';
  return `No runs have a value for ${name} yet.`;
}
