import { piecewiseLinear } from '../isotonic-regression.js';
import type { RuleCurve } from '../sweet-spot-rules.js';

/**
 * A fitted monotone (isotonic) curve as the rules read it: piecewise linear through the fitted
 * levels, flat outside the tested range (it never extrapolates a trend). Cost: O(L) to build.
 *
 * @example
 * isotonicCurve([10, 20], [4, 6]).predict(15); // 5
 */
export function isotonicCurve(steps: readonly number[], fitted: readonly number[]): RuleCurve {
  return {
    predict: piecewiseLinear(steps, fitted),
    plateau: fitted[fitted.length - 1]!,
    atZero: fitted[0]!,
    flatBeyond: steps[steps.length - 1]!,
  };
}
