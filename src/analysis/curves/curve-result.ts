import type { ConfidenceLabel } from '../confidence.js';
import type { NextSteps } from '../next-steps.js';
import type { SweetSpotRule } from '../sweet-spot-rules.js';
import type { FamilyParams } from './curve-families.js';
import type { CurveModel } from './fitted-curve.js';
import type { CandidateReport, LackOfFit } from './model-choice.js';

/** Settings of `analyzeCurve`. */
export interface CurveOptions {
  /** The metric improves as it falls (e.g. a distance to a reference). Default false. */
  lowerIsBetter: boolean;
  /** Which rule gives the sweet spot. Default 'plateau-gap'. */
  rule: SweetSpotRule;
  /** The smallest difference in the metric that matters, in its units. Default 0.25 (0–10 score). */
  delta: number;
  /** Share of the gain for the 'gain-share' rule. Default 0.95. */
  share: number;
  /** Per-step gain threshold of the 'marginal-gain' rule. Default delta / 10. */
  marginal: number;
  /** Bootstrap resamples for the interval. Default 400. */
  bootstrapSamples: number;
  /** Seed of the bootstrap. Default 20240611. */
  seed: number;
  /**
   * The resolution the values were given at (1 for whole-number scores), for the rounding floor of
   * the standard errors; undefined: read from the level sums; null: none.
   */
  resolution: number | null | undefined;
  /** The metric's possible range in its units (fitted curves and plateaus are clipped to it). */
  range: { min: number | null; max: number | null };
  /** The model's usable step range for "what to test next" (its guide min and max), if known. */
  usableRange: { min: number | null; max: number | null } | null;
}

export type CurveStatus = 'ok' | 'insufficient-data' | 'no-plateau' | 'flat' | 'inconclusive';

/** One tested step level as reported. */
export interface LevelSummary {
  steps: number;
  n: number;
  /** Level mean in the metric's units (block-adjusted when the levels came from a paired design). */
  mean: number;
  /** Standard error of the mean (pooled/moderated, with the rounding floor); null when unknown. */
  se: number | null;
  /** 90% confidence interval of the mean (Student t); null when the noise is unknown. */
  ci90: [number, number] | null;
}

/** The fitted curve, enough to rebuild it (see `stepsWithinGap`), and how it was chosen. */
export interface CurveFit {
  /** The family used: exponential, power, logistic, rise-fall, or the isotonic / unimodal fallback. */
  model: CurveModel;
  /** The chosen curve in words, e.g. "saturating exponential a − b·e^(−s/τ)". */
  description: string;
  /** Weighted R² on the level means. */
  r2: number;
  /** Family parameters in the metric's own units (see `FamilyParams`); absent for a fallback. */
  params?: FamilyParams;
  /** Fallback fits: the fitted quality at each tested level (piecewise linear between them). */
  isotonic?: { steps: number; quality: number }[];
  /** Where the noise level came from: repeated runs, the fit's residuals, or nowhere. */
  noise: 'replicates' | 'residuals' | 'unknown';
  /** Degrees of freedom of the noise estimate; null when unknown or when repeated runs agree exactly. */
  noiseDf: number | null;
  /** The scores' resolution when their rounding set a floor under the standard errors. */
  roundingFloor: number | null;
  /** The chosen curve's lack-of-fit test; null when it cannot be run (no repeated runs, a fallback). */
  lackOfFit: LackOfFit | null;
  /** Every family tried, with its AICc, lack of fit and why it was not used. */
  candidates: CandidateReport[];
}

/** Quality that falls past a peak: the guide's "too many steps", measured. */
export interface Decline {
  /** The tested-range steps where the fitted quality peaks. */
  peakSteps: number;
  /** How much worse the fitted quality is at the highest tested step than at the peak (> 0, metric units). */
  drop: number;
}

export interface SweetSpotResult {
  steps: number;
  /** 90% interval in steps; null when it has no upper end, the noise is too poorly known, or extrapolated. */
  interval: [number, number] | null;
  /** The interval's lower end, also when it has no upper end (null when the noise is unknown). */
  lowerBound: number | null;
  confidence: ConfidenceLabel;
  reason: string;
  /** True when the sweet spot lies outside the tested steps (reported, never clipped). */
  extrapolated: boolean;
  rule: SweetSpotRule;
  delta: number;
}

export interface Recommendation {
  steps: number;
  /** Fitted quality at these steps, in the metric's units. */
  quality: number;
  extrapolated: boolean;
}

/** The tests behind the status, as p-values (null: not run). */
export interface CurveTests {
  /** "Quality changes somewhere in the tested range" (against a constant). */
  change: number | null;
  /** "The highest tested level beats the one before it". */
  topRising: number | null;
  /** "Quality falls after a peak" (rise-then-fall against the best monotone curve). */
  decline: number | null;
  /** The smallest rise between the lower and upper half of the levels the data could show. */
  detectableRise: number | null;
}

/** The result of `analyzeCurve`: plain, JSON-serialisable data (no NaN, no Infinity, no functions). */
export interface CurveAnalysis {
  status: CurveStatus;
  message: string;
  lowerIsBetter: boolean;
  settings: { rule: SweetSpotRule; delta: number; share: number; marginal: number };
  runs: number;
  levels: LevelSummary[];
  fit: CurveFit | null;
  /** Quality that falls past a peak beyond noise; null otherwise. */
  decline: Decline | null;
  tests: CurveTests;
  /** Fitted plateau (or peak) in the metric's units (null without a plateau). */
  plateau: number | null;
  sweetSpot: SweetSpotResult | null;
  /** The steps each rule gives on the fitted curve (null: not reached). */
  rules: { plateauGap: number | null; gainShare: number | null; marginalGain: number | null } | null;
  /** The Kneedle knee of the tested level means (it moves with the tested range). */
  kneedle: { steps: number | null };
  /** Fitted quality at integer steps (at most about 200 points). */
  curve: { steps: number; quality: number }[];
  /** Improvement (positive = better, in the metric's units) bought by one more step. */
  marginalGain: { steps: number; gain: number }[];
  /** Draft: within 4δ of the plateau; standard: the sweet spot; final: within δ/4. */
  recommendations: { draft: Recommendation; standard: Recommendation; final: Recommendation } | null;
  nextSteps: NextSteps;
}
