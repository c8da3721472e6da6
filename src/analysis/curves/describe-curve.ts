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

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * The decline in words, for the report, the dashboard card and the settings export: "quality falls
 * past 18 steps (by 0.9 at 60 steps)". Cost: O(1).
 *
 * @example
 * declineSentence({ peakSteps: 4, drop: 1.2 }, 16); // 'quality falls past 4 steps (by 1.2 at 16 steps)'
 */
export function declineSentence(decline: { peakSteps: number; drop: number }, highestTested: number): string {
  return `quality falls past ${decline.peakSteps} steps (by ${format(decline.drop)} at ${highestTested} steps)`;
}

/**
 * The lack-of-fit verdict in words. Cost: O(1).
 *
 * @example
 * lackOfFitVerdict({ model: 'exponential', noise: 'replicates', lackOfFit: { statistic: 5.1, df: 7, p: 0.65 } });
 * // 'fits the level means within their noise (lack-of-fit χ² 5.1 on 7 df, p = 0.65)'
 */
export function lackOfFitVerdict(fit: {
  model: CurveModel;
  noise: 'replicates' | 'residuals' | 'unknown';
  lackOfFit: { statistic: number; df: number; p: number } | null;
}): string {
  if (fit.model === 'isotonic' || fit.model === 'unimodal') return 'every curve family misfits the level means beyond their noise, so a shape-free fit is used';
  if (fit.lackOfFit === null) {
    return fit.noise === 'replicates'
      ? 'too few step levels to test the fit against the noise'
      : 'the fit cannot be checked against the noise without repeated runs (3 or more per level, or paired seeds)';
  }
  const { statistic, df, p } = fit.lackOfFit;
  return `fits the level means within their noise (lack-of-fit χ² ${format(statistic)} on ${df} df, p = ${format(p)})`;
}
