/**
 * What each built-in metric is measured in: its unit and the range its values can take, so that
 * fitted curves and plateaus never leave it (no negative sharpness, no score above 10). Its δ and
 * direction live in the metrics table (users add their own metrics there); a metric not listed
 * here has no known range.
 */
export interface MetricScale {
  unit: string;
  range: { min: number | null; max: number | null };
}

export const SCORE_SCALE: MetricScale = { unit: 'points on the 0–10 score', range: { min: 0, max: 10 } };

const SCALES: Record<string, MetricScale> = {
  score: SCORE_SCALE,
  sharpness: { unit: 'log10 edge energy', range: { min: 0, max: null } },
  ssim_to_reference: { unit: 'SSIM', range: { min: 0, max: 1 } },
  preference: { unit: 'Bradley–Terry strength', range: { min: null, max: null } },
};

/** The unit and range of a metric by name; an unknown metric has no range. */
export function metricScale(name: string): MetricScale {
  return SCALES[name] ?? { unit: `units of ${name}`, range: { min: null, max: null } };
}
