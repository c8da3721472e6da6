import { isotonicCurve } from './isotonic-curve.js';
import type { RuleCurve } from '../sweet-spot-rules.js';
import { familyRuleCurve, predictFamily, type CurveFamily, type FamilyParams } from './curve-families.js';

/** Every curve the engine can report: a parametric family or a nonparametric fallback. */
export type CurveModel = CurveFamily | 'isotonic' | 'unimodal';

/** What is needed to rebuild a fitted curve from a (JSON) result. */
export interface CurveShape {
  model: CurveModel;
  /** Family parameters in the metric's own units (see `FamilyParams`). */
  params?: FamilyParams;
  /** Fallback fits: the fitted quality at each tested level (piecewise linear between them). */
  isotonic?: { steps: number; quality: number }[];
}

const LINEAR_PARAMS = ['a', 'b', 'd'] as const;

/** Family parameters moved between the metric's frame and the higher-is-better frame (sign ±1). */
export function paramsInFrame(params: FamilyParams, sign: number): FamilyParams {
  const out: FamilyParams = { ...params };
  for (const key of LINEAR_PARAMS) if (key in out) out[key] = sign * out[key]!;
  return out;
}

/** Caps a higher-is-better curve at the metric's best possible value (no score above 10). */
export function capCurve(curve: RuleCurve, cap: number | null): RuleCurve {
  if (cap === null) return curve;
  const capped: RuleCurve = {
    predict: (s) => Math.min(cap, curve.predict(s)),
    plateau: Math.min(cap, curve.plateau),
    atZero: Math.min(cap, curve.atZero),
  };
  if (curve.flatBeyond !== undefined) capped.flatBeyond = curve.flatBeyond;
  return capped;
}

/**
 * The fitted curve of a result in the higher-is-better frame, two ways: `rule` as the sweet-spot
 * rules read it (non-decreasing: a rise-then-fall is cut at its peak) and `predict`, the curve as
 * fitted (it may fall past a peak), for plots and recommendations.
 */
export function rebuildCurve(shape: CurveShape, sign: number, cap: number | null): { rule: RuleCurve; predict: (s: number) => number } {
  if (shape.params && shape.model !== 'isotonic' && shape.model !== 'unimodal') {
    const family = shape.model;
    const params = paramsInFrame(shape.params, sign);
    const rule = capCurve(familyRuleCurve(family, params), cap);
    return { rule, predict: (s) => (cap === null ? predictFamily(family, params, s) : Math.min(cap, predictFamily(family, params, s))) };
  }
  if (shape.isotonic && shape.isotonic.length > 0) {
    const steps = shape.isotonic.map((p) => p.steps);
    const fitted = shape.isotonic.map((p) => sign * p.quality);
    const full = isotonicCurve(steps, fitted);
    if (shape.model === 'unimodal') {
      let peak = 0;
      for (let i = 1; i < fitted.length; i++) if (fitted[i]! > fitted[peak]!) peak = i;
      return { rule: capCurve(isotonicCurve(steps.slice(0, peak + 1), fitted.slice(0, peak + 1)), cap), predict: full.predict };
    }
    return { rule: capCurve(full, cap), predict: full.predict };
  }
  throw new Error('stepsWithinGap requires an analysis with a fitted curve');
}
