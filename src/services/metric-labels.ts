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
