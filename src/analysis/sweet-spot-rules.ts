/** The rules that turn a fitted quality curve into a sweet spot (see {@link applySweetSpotRule}). */
export type SweetSpotRule = 'plateau-gap' | 'gain-share' | 'marginal-gain';

/** A fitted, non-decreasing quality curve as the rules read it (higher is better). */
export interface RuleCurve {
  /** Fitted quality at a (possibly fractional) step count. */
  predict(steps: number): number;
  /** The best quality the curve reaches (its limit or maximum). */
  plateau: number;
  /** Fitted quality at 0 steps (for a curve that cannot extrapolate: its lowest fitted value). */
  atZero: number;
  /**
   * Steps beyond which the curve is constant (the isotonic fallback: the highest tested level).
   * Omit it for a concave curve such as the saturating fit, whose per-step gain only shrinks.
   */
  flatBeyond?: number;
}

/** Parameters of the rules. */
export interface RuleParameters {
  /** Plateau gap: the smallest score difference that matters, in the metric's units (> 0). */
  delta: number;
  /** Gain share: the share p of the gain from 0 steps to the plateau (0 < p < 1). */
  share: number;
  /** Marginal gain: the per-step gain below which one more step is not worth it (> 0). */
  marginal: number;
}

/** Steps beyond which the search gives up and reports Infinity (no answer in a sane range). */
export const MAX_RULE_STEPS = 1_000_000;

/** Relative slack on the thresholds so that an exact boundary is not lost to rounding. */
const SLACK = 1e-9;

function smallestSatisfying(predicate: (steps: number) => boolean, maxSteps: number): number {
  if (predicate(1)) return 1;
  let failing = 1;
  let passing = 2;
  while (!predicate(passing)) {
    failing = passing;
    if (passing >= maxSteps) return Infinity;
    passing = Math.min(maxSteps, passing * 2);
  }
  while (passing - failing > 1) {
    const middle = Math.floor((failing + passing) / 2);
    if (predicate(middle)) passing = middle;
    else failing = middle;
  }
  return passing;
}

function requirePositive(value: number, what: string, functionName: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${functionName} requires a positive finite ${what}`);
}

/**
 * "Plateau gap": the smallest integer steps ≥ 1 whose fitted quality is within δ of the plateau,
 * i.e. plateau − q(s) ≤ δ. For q(s) = a − b·exp(−s/τ) this is ⌈τ·ln(b/δ)⌉ (at least 1); it is
 * found numerically (doubling, then bisection on the monotone condition) so that any
 * non-decreasing curve works. It does not depend on the tested range or on quality at 0 steps.
 *
 * Reference: the rule of this project (DESIGN.md, "The science" §4); δ is a minimal important
 * difference in the sense of Jaeschke et al. (1989). Cost: O(log s*) curve evaluations.
 *
 * Returns Infinity when the condition is not met by {@link MAX_RULE_STEPS}.
 * Errors: "plateauGapSteps requires a positive finite delta".
 *
 * @example
 * const curve = { predict: (s: number) => 10 - 5 * Math.exp(-s / 10), plateau: 10, atZero: 5 };
 * plateauGapSteps(curve, 0.25); // 30  (⌈10·ln 20⌉ = ⌈29.96⌉)
 */
export function plateauGapSteps(curve: RuleCurve, delta: number, maxSteps = MAX_RULE_STEPS): number {
  requirePositive(delta, 'delta', 'plateauGapSteps');
  const threshold = delta * (1 + SLACK);
  return smallestSatisfying((s) => curve.plateau - curve.predict(s) <= threshold, maxSteps);
}

/**
 * "Gain share": the smallest integer steps ≥ 1 at which the curve has gained a share p of the gain
 * from 0 steps to the plateau: q(s) − q(0) ≥ p·(plateau − q(0)). For the saturating curve this is
 * ⌈τ·ln(1/(1 − p))⌉, independent of a and b. A curve with no gain gives 1.
 *
 * Reference: the "95% of the asymptote" point of exponential (first-order) response curves, as in
 * the settling time of control theory. Cost: O(log s*) curve evaluations.
 *
 * Returns Infinity when not reached by {@link MAX_RULE_STEPS}.
 * Errors: "gainShareSteps requires a share between 0 and 1".
 *
 * @example
 * const curve = { predict: (s: number) => 10 - 5 * Math.exp(-s / 10), plateau: 10, atZero: 5 };
 * gainShareSteps(curve, 0.95); // 30  (5·e^(−s/10) ≤ 0.25 ⇔ s ≥ 10·ln 20)
 */
export function gainShareSteps(curve: RuleCurve, share: number, maxSteps = MAX_RULE_STEPS): number {
  if (!(share > 0 && share < 1)) throw new Error('gainShareSteps requires a share between 0 and 1');
  const gain = curve.plateau - curve.atZero;
  if (!(gain > 0)) return 1;
  const threshold = share * gain * (1 - SLACK);
  return smallestSatisfying((s) => curve.predict(s) - curve.atZero >= threshold, maxSteps);
}

/**
 * "Marginal gain": the smallest integer steps s ≥ 1 from which one more step adds less than m:
 * q(t + 1) − q(t) < m for every t ≥ s. For a concave curve the per-step gain only shrinks, so the
 * first such s is found by bisection; for a curve with `flatBeyond` (the isotonic fallback) the
 * integers up to that point are scanned from the top. The project default m = δ/10 reads as "ten
 * more steps would not buy a difference that matters"; for τ ≈ 10 it agrees with the plateau gap.
 *
 * Reference: the marginal-analysis stopping rule (stop when the marginal product falls below a
 * set value). Cost: O(log s*) evaluations, or O(flatBeyond) with `flatBeyond`.
 *
 * Returns Infinity when not reached by {@link MAX_RULE_STEPS}.
 * Errors: "marginalGainSteps requires a positive finite marginal".
 *
 * @example
 * const curve = { predict: (s: number) => 10 - 5 * Math.exp(-s / 10), plateau: 10, atZero: 5 };
 * marginalGainSteps(curve, 0.025); // 30  (5·e^(−s/10)·(1 − e^(−0.1)) < 0.025 ⇔ s > 29.46)
 */
export function marginalGainSteps(curve: RuleCurve, marginal: number, maxSteps = MAX_RULE_STEPS): number {
  requirePositive(marginal, 'marginal', 'marginalGainSteps');
  const threshold = marginal * (1 - SLACK);
  const gainAfter = (s: number): number => curve.predict(s + 1) - curve.predict(s);
  if (curve.flatBeyond === undefined) {
    return smallestSatisfying((s) => gainAfter(s) < threshold, maxSteps);
  }
  for (let s = Math.min(maxSteps, Math.ceil(curve.flatBeyond)); s >= 1; s--) {
    if (gainAfter(s) >= threshold) return s + 1;
  }
  return 1;
}

/**
 * Applies one rule by name (see {@link plateauGapSteps}, {@link gainShareSteps},
 * {@link marginalGainSteps}). Cost: that of the rule.
 *
 * Errors: those of the rule; "applySweetSpotRule requires a known rule".
 *
 * @example
 * const curve = { predict: (s: number) => 10 - 5 * Math.exp(-s / 10), plateau: 10, atZero: 5 };
 * applySweetSpotRule(curve, 'plateau-gap', { delta: 0.25, share: 0.95, marginal: 0.025 }); // 30
 */
export function applySweetSpotRule(curve: RuleCurve, rule: SweetSpotRule, parameters: RuleParameters): number {
  switch (rule) {
    case 'plateau-gap':
      return plateauGapSteps(curve, parameters.delta);
    case 'gain-share':
      return gainShareSteps(curve, parameters.share);
    case 'marginal-gain':
      return marginalGainSteps(curve, parameters.marginal);
    default:
      throw new Error('applySweetSpotRule requires a known rule');
  }
}

/**
 * The continuous (not rounded up) sweet spot of q(s) = a − b·exp(−s/τ) under a rule, for
 * sensitivity analysis: plateau gap τ·ln(b/δ); gain share τ·ln(1/(1 − p)); marginal gain
 * τ·ln(b·(1 − e^(−1/τ))/m). Can be below 1 or negative (the rules then answer 1). Cost: O(1).
 *
 * Errors: "continuousSweetSpot requires b > 0 and tau > 0".
 *
 * @example
 * continuousSweetSpot('plateau-gap', { b: 5, tau: 10 }, { delta: 0.25, share: 0.95, marginal: 0.025 });
 * // 29.957322735539908  (10·ln 20)
 */
export function continuousSweetSpot(
  rule: SweetSpotRule,
  params: { b: number; tau: number },
  parameters: RuleParameters,
): number {
  const { b, tau } = params;
  if (!(b > 0 && tau > 0)) throw new Error('continuousSweetSpot requires b > 0 and tau > 0');
  switch (rule) {
    case 'plateau-gap':
      return tau * Math.log(b / parameters.delta);
    case 'gain-share':
      return tau * Math.log(1 / (1 - parameters.share));
    case 'marginal-gain':
      return tau * Math.log((b * -Math.expm1(-1 / tau)) / parameters.marginal);
    default:
      throw new Error('continuousSweetSpot requires a known rule');
  }
}
