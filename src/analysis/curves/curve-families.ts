import type { RuleCurve } from '../sweet-spot-rules.js';
import { weightedLinearFit } from './weighted-linear.js';

/** The parametric families the engine fits (in the higher-is-better frame). */
export type CurveFamily = 'exponential' | 'power' | 'logistic' | 'rise-fall';

export const CURVE_FAMILIES: readonly CurveFamily[] = ['exponential', 'power', 'logistic', 'rise-fall'];

/**
 * The parameters of each family, plain numbers (so a result stays JSON and can cross a worker):
 * - exponential: q(s) = a − b·exp(−s/τ)                       { a, b, tau }
 * - power:       q(s) = a − b·s^(−c)                          { a, b, c }
 * - logistic:    q(s) = a + b / (1 + exp(−(s − mid)/scale))   { a, b, mid, scale }
 * - rise-fall:   q(s) = a − b·exp(−s/τ) − d·s                 { a, b, tau, d }
 * The linear parameters (a, b, d) are in the metric's units; for a lower-is-better metric they are
 * negated, so the same formula reads in the metric's own units.
 */
export type FamilyParams = Record<string, number>;

/** Number of fitted parameters of each family (for AICc and the residual degrees of freedom). */
export const PARAMETER_COUNT: Record<CurveFamily, number> = { exponential: 3, power: 3, logistic: 4, 'rise-fall': 4 };

/** One fitted family (higher-is-better frame). */
export interface FamilyFit {
  family: CurveFamily;
  params: FamilyParams;
  parameterCount: number;
  /** Σ wᵢ(yᵢ − q(sᵢ))². */
  weightedRss: number;
  predict(steps: number): number;
  /** The steps (continuous) where a rise-then-fall curve peaks; null when it never falls. */
  peakSteps: number | null;
}

/**
 * The fitted quality at `steps` of a family with these parameters (in whatever frame the linear
 * parameters are in). Cost: O(1).
 *
 * @example
 * predictFamily('power', { a: 10, b: 5, c: 1 }, 5); // 9
 */
export function predictFamily(family: CurveFamily, params: FamilyParams, steps: number): number {
  const p = params as Record<string, number>;
  switch (family) {
    case 'exponential':
      return p.a! - p.b! * Math.exp(-steps / p.tau!);
    case 'power':
      return p.a! - p.b! * Math.pow(steps, -p.c!);
    case 'logistic':
      return p.a! + p.b! / (1 + Math.exp(-(steps - p.mid!) / p.scale!));
    case 'rise-fall':
      return p.a! - p.b! * Math.exp(-steps / p.tau!) - p.d! * steps;
  }
}

/** Where q'(s) = 0 for the rise-fall family: τ·ln(b / (τ·d)); null when d = 0 or b = 0. */
export function riseFallPeak(params: FamilyParams): number | null {
  const { b, tau, d } = params as { b: number; tau: number; d: number };
  if (!(d > 0 && b > 0)) return null;
  return tau * Math.log(b / (tau * d));
}

/**
 * The curve as the sweet-spot rules read it (higher-is-better frame). A curve that rises and then
 * falls is cut at its peak (flat beyond it), so "within δ of the plateau" means "within δ of the
 * peak" and the rules find the smallest such steps on the rising side.
 */
export function familyRuleCurve(family: CurveFamily, params: FamilyParams): RuleCurve {
  const predict = (s: number) => predictFamily(family, params, s);
  const p = params as Record<string, number>;
  switch (family) {
    case 'exponential':
      return { predict, plateau: p.a!, atZero: p.a! - p.b! };
    case 'power':
      // s^(−c) has no value at 0 steps: one step is the least a render can take.
      return { predict, plateau: p.a!, atZero: predict(1) };
    case 'logistic':
      return { predict, plateau: p.a! + p.b!, atZero: predict(0) };
    case 'rise-fall': {
      const peak = riseFallPeak(params);
      if (peak === null) return { predict, plateau: p.a!, atZero: p.a! - p.b! };
      const top = Math.max(peak, 0);
      return { predict: (s) => predict(Math.min(s, top)), plateau: predict(top), atZero: predict(0), flatBeyond: Math.max(1, Math.ceil(top)) };
    }
  }
}

/** Options of {@link fitFamily}. */
export interface FamilyFitOptions {
  /** Points of each nonlinear parameter's grid before refinement (default 60; fewer is faster). */
  gridPoints: number;
  /** Golden-section iterations of the refinement (default 50). */
  refineIterations: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Minimises f over [low, high]: grid, then golden-section search around the best grid point. */
function minimise1d(f: (x: number) => number, low: number, high: number, grid: number, iterations: number): number {
  let best = low;
  let bestValue = Infinity;
  const xs: number[] = [];
  for (let i = 0; i < grid; i++) {
    const x = low + ((high - low) * i) / (grid - 1);
    xs.push(x);
    const value = f(x);
    if (value < bestValue * (1 - 1e-12)) {
      bestValue = value;
      best = x;
    }
  }
  const index = xs.indexOf(best);
  let lo = xs[Math.max(0, index - 1)]!;
  let hi = xs[Math.min(grid - 1, index + 1)]!;
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let k = 0; k < iterations && hi - lo > 1e-10 * (1 + Math.abs(lo)); k++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = f(x2);
    }
  }
  const refined = f1 <= f2 ? x1 : x2;
  return Math.min(f1, f2) < bestValue ? refined : best;
}

/**
 * Fits one family to level means by weighted least squares (higher-is-better frame): the rise
 * b ≥ 0 (and the decline d ≥ 0), so quality never runs the wrong way inside a family.
 *
 * Method: variable projection (Golub & Pereyra, 1973). For fixed nonlinear parameters (τ; c; mid
 * and scale) the model is linear in the rest and solved exactly with the sign bounds
 * ({@link weightedLinearFit}); the nonlinear ones are searched on a grid (log scale for rates) and
 * refined by golden-section search (the logistic's two by alternating refinement). Exponentials are
 * taken relative to the lowest tested step so that small τ do not underflow.
 *
 * Cost: O(L·(G + R)) for L levels, G grid points and R refinement steps; the logistic O(L·G²).
 * Errors: "fitFamily requires at least 3 step levels", "... requires positive finite weights".
 *
 * @example
 * const steps = [5, 10, 20, 30, 50];
 * fitFamily('power', steps, steps.map((s) => 10 - 5 / s), [1, 1, 1, 1, 1]).params; // ≈ { a: 10, b: 5, c: 1 }
 */
export function fitFamily(
  family: CurveFamily,
  steps: readonly number[],
  values: readonly number[],
  weights: readonly number[],
  options: Partial<FamilyFitOptions> = {},
): FamilyFit {
  const count = steps.length;
  if (count < 3) throw new Error('fitFamily requires at least 3 step levels');
  if (!weights.every((w) => w > 0 && Number.isFinite(w))) throw new Error('fitFamily requires positive finite weights');
  const grid = Math.max(5, options.gridPoints ?? 60);
  const iterations = options.refineIterations ?? 50;
  const s0 = steps[0]!;
  const sMax = steps[count - 1]!;
  const range = Math.max(1, sMax - s0);
  let minGap = Infinity;
  for (let i = 1; i < count; i++) minGap = Math.min(minGap, steps[i]! - steps[i - 1]!);
  // Every column a Float64Array: the inner loops stay monomorphic (several times faster).
  const ones = new Float64Array(count).fill(1);
  const column = new Float64Array(count);
  const offsets = Float64Array.from(steps, (s) => -(s - s0));

  const finish = (params: FamilyParams, rss: number, peak: number | null): FamilyFit => ({
    family,
    params,
    parameterCount: PARAMETER_COUNT[family],
    weightedRss: rss,
    predict: (s) => predictFamily(family, params, s),
    peakSteps: peak,
  });

  if (family === 'exponential' || family === 'rise-fall') {
    const withDecline = family === 'rise-fall';
    const tauMin = Math.max(minGap / 10, s0 / 600);
    const tauMax = 10 * Math.max(sMax, minGap);
    const rssAt = (logTau: number) => {
      const tau = Math.exp(logTau);
      for (let i = 0; i < count; i++) column[i] = -Math.exp(-(steps[i]! - s0) / tau);
      return withDecline
        ? weightedLinearFit([ones, column, offsets], values, weights, [false, true, true])
        : weightedLinearFit([ones, column], values, weights, [false, true]);
    };
    const logTau = minimise1d((x) => rssAt(x).rss, Math.log(tauMin), Math.log(tauMax), grid, iterations);
    const tau = Math.exp(logTau);
    const { coefficients, rss } = rssAt(logTau);
    const [c0, shiftedB, d = 0] = coefficients as [number, number, number?];
    // Back from the shifted frame: b·exp(−s/τ) = b'·exp(−(s − s₀)/τ); d·(s − s₀) moves into a.
    const b = shiftedB === 0 ? 0 : shiftedB * Math.exp(s0 / tau);
    if (!withDecline) return finish({ a: c0, b, tau }, rss, null);
    const params = { a: c0 + d * s0, b, tau, d };
    return finish(params, rss, riseFallPeak(params));
  }
  if (family === 'power') {
    const rssAt = (logC: number) => {
      const c = Math.exp(logC);
      for (let i = 0; i < count; i++) column[i] = -Math.pow(steps[i]! / s0, -c);
      return weightedLinearFit([ones, column], values, weights, [false, true]);
    };
    const logC = minimise1d((x) => rssAt(x).rss, Math.log(0.02), Math.log(8), grid, iterations);
    const c = Math.exp(logC);
    const { coefficients, rss } = rssAt(logC);
    return finish({ a: coefficients[0]!, b: coefficients[1]! * Math.pow(s0, c), c }, rss, null);
  }
  // Logistic: mid on a linear grid around the tested range, scale on a log grid.
  const rssAt = (mid: number, logScale: number) => {
    const scale = Math.exp(logScale);
    for (let i = 0; i < count; i++) column[i] = 1 / (1 + Math.exp(-(steps[i]! - mid) / scale));
    return weightedLinearFit([ones, column], values, weights, [false, true]);
  };
  const midLow = s0 - range / 2;
  const midHigh = sMax + range / 2;
  const scaleLow = Math.log(Math.max(minGap / 8, 0.05));
  const scaleHigh = Math.log(range);
  const coarse = Math.max(6, Math.round(grid / 4));
  let bestMid = midLow;
  let bestScale = scaleLow;
  let bestRss = Infinity;
  for (let i = 0; i < coarse; i++) {
    const mid = midLow + ((midHigh - midLow) * i) / (coarse - 1);
    for (let j = 0; j < coarse; j++) {
      const logScale = scaleLow + ((scaleHigh - scaleLow) * j) / (coarse - 1);
      const rss = rssAt(mid, logScale).rss;
      if (rss < bestRss) {
        bestRss = rss;
        bestMid = mid;
        bestScale = logScale;
      }
    }
  }
  const midStep = (midHigh - midLow) / (coarse - 1);
  const scaleStep = (scaleHigh - scaleLow) / (coarse - 1);
  for (let round = 0; round < 2; round++) {
    const m = bestMid;
    bestMid = minimise1d((x) => rssAt(x, bestScale).rss, m - midStep, m + midStep, 5, Math.round(iterations / 2));
    const l = bestScale;
    bestScale = minimise1d((x) => rssAt(bestMid, x).rss, l - scaleStep, l + scaleStep, 5, Math.round(iterations / 2));
  }
  const { coefficients, rss } = rssAt(bestMid, bestScale);
  return finish({ a: coefficients[0]!, b: coefficients[1]!, mid: bestMid, scale: Math.exp(bestScale) }, rss, null);
}
