import type { CurveModel } from './fitted-curve.js';

const DESCRIPTIONS: Record<CurveModel, string> = {
  exponential: 'saturating exponential a − b·e^(−s/τ)',
  power: 'saturating power law a − b·s^(−c)',
  logistic: 'S-shaped (logistic) rise',
  'rise-fall': 'rise then fall: a − b·e^(−s/τ) − d·s',
  isotonic: 'monotone (isotonic) fit: no curve family fits within the noise',
  unimodal: 'rise-then-fall (unimodal) fit: no curve family fits within the noise',
};

/**
 * The chosen curve in words, for reports and exports. Cost: O(1).
 *
 * @example
 * describeCurve('power'); // 'saturating power law a − b·s^(−c)'
 */
export function describeCurve(model: CurveModel): string {
  return DESCRIPTIONS[model];
}
