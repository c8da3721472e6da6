import { isotonicRegression } from '../isotonic-regression.js';
import { familyRuleCurve, fitFamily, type CurveFamily, type FamilyFit } from './curve-families.js';
import { fUpperTail } from './distributions.js';
import { unimodalRegression } from './unimodal-regression.js';

/** How the level means' noise is known, for the tests. */
export interface NoiseModel {
  /**
   * known: weights are 1/se² from repeated runs (χ²-type tests with `df` noise degrees of freedom);
   * exact: the repeated runs agree exactly (zero noise: any misfit is real);
   * unknown: no repeated runs, the noise comes from the chosen fit's residuals (no lack-of-fit test).
   */
  kind: 'known' | 'exact' | 'unknown';
  /** Degrees of freedom of the noise estimate (Infinity for a noise level known exactly). */
  df: number;
}

/** A lack-of-fit test of a curve against the level means: χ² = Σ wᵢ(yᵢ − q(sᵢ))² on `df`. */
export interface LackOfFit {
  statistic: number;
  df: number;
  p: number;
}

/** How one family fared in the choice (for the report). */
export interface CandidateReport {
  model: CurveFamily;
  /** AICc on the weighted level means; null when there are too few levels for this family. */
  aicc: number | null;
  lackOfFit: LackOfFit | null;
  /** Why it was not used (null: chosen, or simply a worse AICc). */
  rejected: string | null;
}

/** The result of {@link chooseCurve}. */
export interface CurveChoice {
  /** The chosen parametric family; null when every family misfits and a fallback is used. */
  fit: FamilyFit | null;
  /** The nonparametric fallback and its fitted level values, when no family fits. */
  fallback: { model: 'isotonic' | 'unimodal'; fitted: number[] } | null;
  lackOfFit: LackOfFit | null;
  candidates: CandidateReport[];
  /** One-sided p of "quality falls after a peak" (rise-fall vs the best monotone curve); null: untested. */
  declineP: number | null;
  /**
   * Families the data cannot tell from the chosen one (not rejected, AICc within 2; and the best
   * monotone curve when a decline is only borderline): their sweet spots belong in the interval.
   */
  rivals: FamilyFit[];
}

/** AICc difference within which two curves are not told apart (Burnham & Anderson, 2002, §2.6). */
export const AICC_TIE = 2;
/** A decline with p at or above this still leaves the monotone curve in play (a rival). */
export const DECLINE_FIRM_ALPHA = 0.01;

/** Significance of the lack-of-fit test: a curve is dropped when p < 1%. */
export const LACK_OF_FIT_ALPHA = 0.01;
/** Significance of the decline test (one-sided). */
export const DECLINE_ALPHA = 0.05;
/** A p-value for a message: two significant digits, or "< 0.0001". */
function pText(p: number): string {
  return p < 1e-4 ? '< 0.0001' : `= ${p.toPrecision(2)}`;
}

/** z of the one-sided 95% point, for "worse than the best level beyond its noise". */
const Z_95 = 1.6448536269514722;

function aicc(rss: number, k: number, levels: number, noise: NoiseModel): number | null {
  if (noise.kind === 'unknown') {
    const parameters = k + 1; // σ is estimated too
    if (levels - parameters - 1 <= 0) return null;
    return levels * Math.log(Math.max(rss, 1e-300) / levels) + 2 * parameters + (2 * parameters * (parameters + 1)) / (levels - parameters - 1);
  }
  if (levels - k - 1 <= 0) return null;
  return rss + 2 * k + (2 * k * (k + 1)) / (levels - k - 1);
}

/** Lack-of-fit: χ²/df against F(df, noise df); with exact noise any visible misfit rejects. */
export function lackOfFitTest(rss: number, df: number, noise: NoiseModel, totalSs: number): LackOfFit | null {
  if (noise.kind === 'unknown' || df <= 0) return null;
  if (noise.kind === 'exact') return { statistic: rss, df, p: rss <= 1e-8 * Math.max(totalSs, 1e-300) ? 1 : 0 };
  return { statistic: rss, df, p: fUpperTail(rss / df, df, noise.df) };
}

/**
 * One-sided p for "the richer fit is better than the simpler one" when the extra freedom lies on
 * a boundary (a decline d ≥ 0): half the F(1, ν) tail of the drop in χ² (the χ̄² mixture of
 * Self & Liang, 1987). With unknown noise the richer fit's residuals give σ².
 */
export function boundaryTestP(simplerRss: number, richerRss: number, richerDf: number, noise: NoiseModel, totalSs: number): number {
  const drop = Math.max(0, simplerRss - richerRss);
  if (noise.kind === 'exact') return drop > 1e-8 * Math.max(totalSs, 1e-300) ? 0 : 1;
  if (noise.kind === 'known') return drop > 0 ? 0.5 * fUpperTail(drop, 1, noise.df) : 1;
  if (richerDf <= 0 || !(richerRss > 0)) return 1;
  return drop > 0 ? 0.5 * fUpperTail(drop / (richerRss / richerDf), 1, richerDf) : 1;
}

/**
 * Chooses the curve for a set of level means (higher-is-better frame):
 *
 * 1. Fits the monotone families (exponential, power law, logistic) and ranks them by AICc on the
 *    weighted level means (Hurvich & Tsai, 1989): χ² + 2k + 2k(k+1)/(L − k − 1) with known noise,
 *    or the Gaussian form with σ estimated when the noise is unknown.
 * 2. Always runs a lack-of-fit test (χ² on L − k degrees of freedom against the noise estimate's ν),
 *    also when R² is high, and drops a family that misfits at 1%.
 * 3. Drops a family whose plateau is worse than the best tested level mean by more than δ (beyond
 *    that mean's own noise): a curve that says "it never gets as good as you have already seen"
 *    has the wrong shape.
 * 4. The rise-then-fall family is used only when a one-sided test says quality falls after a
 *    peak inside the tested range (p < 5% against the best monotone family).
 * 5. When every family is dropped: the weighted unimodal fit if it is significantly better than
 *    the monotone (isotonic) one, else the isotonic fit.
 *
 * Cost: about 5 family fits, O(L·G) each (the logistic O(L·G²/9)).
 * Errors: those of {@link fitFamily}.
 */
export function chooseCurve(
  steps: readonly number[],
  values: readonly number[],
  weights: readonly number[],
  noise: NoiseModel,
  options: { delta: number; bestLevelSe: number },
): CurveChoice {
  const levels = steps.length;
  const weightSum = weights.reduce((t, w) => t + w, 0);
  const mean = values.reduce((t, y, i) => t + weights[i]! * y, 0) / weightSum;
  const totalSs = values.reduce((t, y, i) => t + weights[i]! * (y - mean) ** 2, 0);
  const bestMean = Math.max(...values);
  const plateauFloor = bestMean - options.delta - Z_95 * options.bestLevelSe;
  const sMax = steps[levels - 1]!;
  const s0 = steps[0]!;

  const monotone: CurveFamily[] = ['exponential', 'power', 'logistic'];
  const fits = new Map<CurveFamily, FamilyFit>();
  for (const family of monotone) if (levels >= 3 + (family === 'logistic' ? 1 : 0)) fits.set(family, fitFamily(family, steps, values, weights));
  const candidates: CandidateReport[] = [];
  const usable: { fit: FamilyFit; aicc: number | null; lackOfFit: LackOfFit | null }[] = [];
  for (const [family, fit] of fits) {
    const k = fit.parameterCount;
    const score = aicc(fit.weightedRss, k, levels, noise);
    const lof = lackOfFitTest(fit.weightedRss, levels - k, noise, totalSs);
    const plateau = familyRuleCurve(family, fit.params).plateau;
    let rejected: string | null = null;
    if (score === null && family !== 'exponential') rejected = `needs at least ${k + (noise.kind === 'unknown' ? 3 : 2)} step levels`;
    else if (lof !== null && lof.p < LACK_OF_FIT_ALPHA) rejected = `misfits the level means beyond their noise (lack of fit p ${pText(lof.p)})`;
    else if (plateau < plateauFloor) rejected = `its plateau is worse than the best tested level by more than δ`;
    candidates.push({ model: family, aicc: score, lackOfFit: lof, rejected });
    if (rejected === null) usable.push({ fit, aicc: score, lackOfFit: lof });
  }
  // With too few levels for AICc only the exponential (the design family) takes part. The
  // exponential is the guide's curve: a rival family must beat its AICc by more than 2 to replace it.
  const ranked = usable.some((u) => u.aicc !== null) ? usable.filter((u) => u.aicc !== null) : usable;
  const penalty = (u: (typeof ranked)[number]) => (u.aicc ?? 0) - (u.fit.family === 'exponential' ? AICC_TIE + 1e-9 : 0);
  ranked.sort((x, y) => penalty(x) - penalty(y));
  const bestMonotone = ranked[0] ?? null;
  const rivalsOf = (chosen: FamilyFit, chosenAicc: number | null) =>
    ranked.filter((u) => u.fit !== chosen && u.aicc !== null && chosenAicc !== null && u.aicc <= chosenAicc + AICC_TIE).map((u) => u.fit);

  let declineP: number | null = null;
  if (levels >= 5) {
    const riseFall = fitFamily('rise-fall', steps, values, weights);
    const peak = riseFall.peakSteps;
    const lof = lackOfFitTest(riseFall.weightedRss, levels - 4, noise, totalSs);
    const monotoneRss = Math.min(...[...fits.values()].map((f) => f.weightedRss));
    const peakInside = peak !== null && peak > s0 && peak < sMax && riseFall.predict(peak) > riseFall.predict(sMax);
    declineP = peakInside ? boundaryTestP(monotoneRss, riseFall.weightedRss, levels - 4, noise, totalSs) : 1;
    let rejected: string | null = null;
    if (!peakInside) rejected = 'no peak inside the tested range';
    else if (declineP >= DECLINE_ALPHA) rejected = `no decline beyond noise (one-sided p ${pText(declineP)})`;
    else if (lof !== null && lof.p < LACK_OF_FIT_ALPHA) rejected = `misfits the level means beyond their noise (lack of fit p ${pText(lof.p)})`;
    candidates.push({ model: 'rise-fall', aicc: aicc(riseFall.weightedRss, 4, levels, noise), lackOfFit: lof, rejected });
    if (rejected === null) {
      const rivals = declineP >= DECLINE_FIRM_ALPHA && bestMonotone !== null ? [bestMonotone.fit] : [];
      return { fit: riseFall, fallback: null, lackOfFit: lof, candidates, declineP, rivals };
    }
  }
  if (bestMonotone !== null) {
    return { fit: bestMonotone.fit, fallback: null, lackOfFit: bestMonotone.lackOfFit, candidates, declineP, rivals: rivalsOf(bestMonotone.fit, bestMonotone.aicc) };
  }

  const iso = isotonicRegression(values, weights);
  const isoRss = values.reduce((t, y, i) => t + weights[i]! * (y - iso[i]!) ** 2, 0);
  const uni = unimodalRegression(values, weights);
  const uniP = uni.peakIndex < levels - 1 ? boundaryTestP(isoRss, uni.weightedRss, Math.max(1, levels - 4), noise, totalSs) : 1;
  // The unimodal fallback comes after every family misfit, so it must clear the firmer 1% bar.
  if (uniP < DECLINE_FIRM_ALPHA) {
    declineP = declineP === null ? uniP : Math.min(declineP, uniP);
    return { fit: null, fallback: { model: 'unimodal', fitted: uni.fitted }, lackOfFit: null, candidates, declineP, rivals: [] };
  }
  return { fit: null, fallback: { model: 'isotonic', fitted: iso }, lackOfFit: null, candidates, declineP, rivals: [] };
}
