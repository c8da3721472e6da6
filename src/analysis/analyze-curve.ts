import { bootstrapInterval, DEFAULT_BOOTSTRAP_SEED } from './bootstrap-interval.js';
import { confidenceLabel, type ConfidenceLabel } from './confidence.js';
import { isotonicRegression, piecewiseLinear } from './isotonic-regression.js';
import { kneedle } from './kneedle.js';
import { pooledStandardErrors, pooledVariance, type LevelStats } from './level-stats.js';
import { suggestNextSteps, type NextSteps, type SensitivityModel } from './next-steps.js';
import { fitSaturating } from './saturating-fit.js';
import { studentTQuantile } from './student-t-quantile.js';
import {
  applySweetSpotRule,
  continuousSweetSpot,
  gainShareSteps,
  marginalGainSteps,
  plateauGapSteps,
  type RuleCurve,
  type RuleParameters,
  type SweetSpotRule,
} from './sweet-spot-rules.js';

/** Settings of {@link analyzeCurve}. */
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
   * R² on the level means at or above which the saturating curve is always kept. Below it, the
   * isotonic fallback is used when the saturating curve misfits the level means beyond their noise
   * (a χ² lack-of-fit test at 1%), or when the noise is not known from repeated runs. Default 0.9.
   */
  minR2ForSaturating: number;
}

export type CurveStatus = 'ok' | 'insufficient-data' | 'no-plateau' | 'flat';

/** One tested step level as reported. */
export interface LevelSummary {
  steps: number;
  n: number;
  /** Level mean in the metric's units (block-adjusted when the levels came from a paired design). */
  mean: number;
  /** Standard error of the mean (pooled/moderated); null when the noise is unknown. */
  se: number | null;
  /** 90% confidence interval of the mean (Student t); null when the noise is unknown. */
  ci90: [number, number] | null;
}

/** The fitted curve, enough to rebuild it (see {@link stepsWithinGap}). */
export interface CurveFit {
  model: 'saturating' | 'isotonic';
  /** Weighted R² on the level means. */
  r2: number;
  /**
   * Saturating model: quality(s) = a − b·exp(−s/τ) in the metric's own units (b < 0 for a
   * lower-is-better metric, whose values fall toward the plateau a).
   */
  params?: { a: number; b: number; tau: number };
  /** Isotonic model: the fitted quality at each tested level (piecewise linear between them). */
  isotonic?: { steps: number; quality: number }[];
  /** Where the noise level came from: repeated runs, the fit's residuals, or nowhere. */
  noise: 'replicates' | 'residuals' | 'unknown';
}

export interface SweetSpotResult {
  steps: number;
  /** 90% bootstrap interval in steps; null when it has no upper end or the noise is unknown. */
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

/** The result of {@link analyzeCurve}: plain, JSON-serialisable data (no NaN, no Infinity). */
export interface CurveAnalysis {
  status: CurveStatus;
  message: string;
  lowerIsBetter: boolean;
  settings: { rule: SweetSpotRule; delta: number; share: number; marginal: number };
  runs: number;
  levels: LevelSummary[];
  fit: CurveFit | null;
  /** Fitted plateau in the metric's units (null without a plateau). */
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

const DEFAULTS = {
  lowerIsBetter: false,
  rule: 'plateau-gap',
  delta: 0.25,
  share: 0.95,
  bootstrapSamples: 400,
  seed: DEFAULT_BOOTSTRAP_SEED,
  minR2ForSaturating: 0.9,
} as const;

const RULES: readonly SweetSpotRule[] = ['plateau-gap', 'gain-share', 'marginal-gain'];
/** z of the upper 1% of the normal distribution, for the lack-of-fit test. */
const Z_99 = 2.3263478740408408;
const MAX_CURVE_POINTS = 200;

function fail(requirement: string): never {
  throw new Error(`analyzeCurve requires ${requirement}`);
}

function resolveOptions(options: Partial<CurveOptions>): CurveOptions {
  const delta = options.delta ?? DEFAULTS.delta;
  if (!(typeof delta === 'number' && delta > 0 && Number.isFinite(delta))) fail('a positive finite delta');
  const resolved: CurveOptions = {
    lowerIsBetter: options.lowerIsBetter ?? DEFAULTS.lowerIsBetter,
    rule: options.rule ?? DEFAULTS.rule,
    delta,
    share: options.share ?? DEFAULTS.share,
    marginal: options.marginal ?? delta / 10,
    bootstrapSamples: options.bootstrapSamples ?? DEFAULTS.bootstrapSamples,
    seed: options.seed ?? DEFAULTS.seed,
    minR2ForSaturating: options.minR2ForSaturating ?? DEFAULTS.minR2ForSaturating,
  };
  if (typeof resolved.lowerIsBetter !== 'boolean') fail('lowerIsBetter to be a boolean');
  if (!RULES.includes(resolved.rule)) fail(`rule to be one of ${RULES.join(', ')}`);
  if (!(resolved.share > 0 && resolved.share < 1)) fail('a share between 0 and 1');
  if (!(resolved.marginal > 0 && Number.isFinite(resolved.marginal))) fail('a positive finite marginal');
  if (!Number.isInteger(resolved.bootstrapSamples) || resolved.bootstrapSamples < 0) {
    fail('a non-negative integer bootstrapSamples');
  }
  if (!Number.isFinite(resolved.seed)) fail('a finite seed');
  if (!(resolved.minR2ForSaturating >= 0 && resolved.minR2ForSaturating <= 1)) fail('minR2ForSaturating between 0 and 1');
  return resolved;
}

function validateLevels(levels: readonly LevelStats[]): LevelStats[] {
  if (!Array.isArray(levels)) fail('an array of step levels');
  const seen = new Set<number>();
  for (const level of levels) {
    if (!Number.isInteger(level.steps) || level.steps < 1) fail('positive integer steps at every level');
    if (!Number.isInteger(level.n) || level.n < 1) fail('a positive integer n at every level');
    if (typeof level.mean !== 'number' || !Number.isFinite(level.mean)) fail('a finite mean at every step level');
    if (typeof level.variance !== 'number' || !(Number.isNaN(level.variance) || (level.variance >= 0 && Number.isFinite(level.variance)))) {
      fail('variances that are non-negative or NaN');
    }
    if (seen.has(level.steps)) fail('distinct step levels');
    seen.add(level.steps);
  }
  return [...levels].sort((x, y) => x.steps - y.steps);
}

function format(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function listSteps(steps: readonly number[]): string {
  return steps.length <= 1 ? steps.join('') : `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]}`;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The saturating curve a − b·exp(−s/τ) as the rules read it (higher is better). */
function saturatingCurve(a: number, b: number, tau: number): RuleCurve {
  return { predict: (s) => a - b * Math.exp(-s / tau), plateau: a, atZero: a - b };
}

/** The isotonic fallback as the rules read it: piecewise linear, flat outside the tested range. */
function isotonicCurve(steps: readonly number[], fitted: readonly number[]): RuleCurve {
  return {
    predict: piecewiseLinear(steps, fitted),
    plateau: fitted[fitted.length - 1]!,
    atZero: fitted[0]!,
    flatBeyond: steps[steps.length - 1]!,
  };
}

/** A fitted curve in the mirrored (higher-is-better) frame, rebuilt from the result's fit. */
function ruleCurveOf(fit: CurveFit, lowerIsBetter: boolean): RuleCurve {
  const sign = lowerIsBetter ? -1 : 1;
  if (fit.params) return saturatingCurve(sign * fit.params.a, sign * fit.params.b, fit.params.tau);
  if (fit.isotonic && fit.isotonic.length > 0) {
    return isotonicCurve(
      fit.isotonic.map((point) => point.steps),
      fit.isotonic.map((point) => sign * point.quality),
    );
  }
  throw new Error('stepsWithinGap requires an analysis with a fitted curve');
}

/**
 * The smallest integer steps whose fitted quality is within `gap` of the plateau, read from an
 * analysis result (so callers can place their own recommendations: draft = 4δ, final = δ/4).
 * Works for both the saturating and the isotonic fit; Infinity when not reached within 10⁶ steps.
 *
 * Reference: the plateau-gap rule ({@link plateauGapSteps}). Cost: O(log s) curve evaluations.
 *
 * Errors: "stepsWithinGap requires an analysis with a fitted curve", "plateauGapSteps requires a
 * positive finite delta".
 *
 * @example
 * const steps = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
 * const analysis = analyzeCurve(steps.map((s) => ({ steps: s, n: 4, mean: 10 - 5 * Math.exp(-s / 10), variance: 0 })));
 * stepsWithinGap(analysis, 1); // 17  (⌈10·ln 5⌉)
 */
export function stepsWithinGap(analysis: CurveAnalysis, gap: number): number {
  if (analysis.fit === null) throw new Error('stepsWithinGap requires an analysis with a fitted curve');
  return plateauGapSteps(ruleCurveOf(analysis.fit, analysis.lowerIsBetter), gap);
}

/** One-sided χ² test (Wilson–Hilferty cube-root normal approximation) at the 1% level. */
function lackOfFitRejects(chiSquare: number, df: number): boolean {
  const k = df;
  const z = (Math.cbrt(chiSquare / k) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
  return z > Z_99;
}

function curvePoints(curve: RuleCurve, from: number, upper: number, sign: number) {
  const stride = Math.max(1, Math.ceil((upper - from + 1) / MAX_CURVE_POINTS));
  const points: { steps: number; quality: number }[] = [];
  const gains: { steps: number; gain: number }[] = [];
  for (let s = from; s <= upper; s += stride) {
    points.push({ steps: s, quality: sign * curve.predict(s) });
    gains.push({ steps: s, gain: curve.predict(s + 1) - curve.predict(s) });
  }
  return { curve: points, marginalGain: gains };
}

/**
 * Finds where more inference steps stop paying off for one model, from per-level statistics of a
 * quality metric (plain or paired, see `levelStatsFromSums` and `pairedLevels`).
 *
 * 1. Noise: the pooled, moderated standard error of each level mean (`pooledStandardErrors`); with no
 *    repeated runs, the residual variance of the curve fit (needs ≥ 4 levels, else the noise is
 *    unknown and the sweet spot has no interval).
 * 2. Lower-is-better metrics are mirrored (negated) internally, and every reported value is mapped
 *    back, so quality, plateau and curve read in the metric's own units while gains and the rules
 *    read "improvement".
 * 3. Status: fewer than 3 levels → 'insufficient-data' (two levels cannot show a curve's bend; the
 *    message still says which way quality moved). An isotonic fit that rises by no more than δ over
 *    the tested range → 'flat' (sweet spot = the lowest tested step: nothing is gained above it).
 * 4. Curve: `fitSaturating` with weights 1/se² (or n when the noise is zero); kept when its R² ≥
 *    `minR2ForSaturating` or its lack of fit is within the noise, else the weighted isotonic fit.
 *    No plateau ('no-plateau', never a made-up number) when τ exceeds (highest − lowest tested)/ln 2
 *    — more of the gain would lie beyond the tested range than inside it — or, for the isotonic
 *    fit, when the last tested level still adds more than δ.
 * 5. Sweet spot by `rule` on the fitted curve; all three rules are reported. A 90% parametric
 *    bootstrap interval (`bootstrapInterval`, seeded: the same data give the same interval)
 *    refits the same model per resample; saturating resamples with no plateau count as unbounded
 *    (isotonic resamples are bounded by the tested range). The interval
 *    is widened to contain the estimate if needed, and for the isotonic fit to cover the whole
 *    segment between the two tested levels around the estimate (a monotone fit cannot say where
 *    inside it the curve crosses). Then a confidence label, the Kneedle knee of the
 *    level means, recommendations and what to test next.
 *
 * Reference: DESIGN.md "The science"; Efron & Tibshirani (1993) for the bootstrap; Satopää et al.
 * (2011) for Kneedle. Cost: O(B·L·G) for B bootstrap resamples, L levels and G ≈ 140 τ evaluations
 * (a few milliseconds per 100 resamples for 10 levels); independent of the number of runs.
 *
 * Errors (invalid input; degenerate data gives a status instead): "analyzeCurve requires positive
 * integer steps at every level", "... a positive integer n at every level", "... a finite mean at
 * every step level", "... variances that are non-negative or NaN", "... distinct step levels", and
 * for options "... a positive finite delta", "... a share between 0 and 1", "... a positive finite
 * marginal", "... a non-negative integer bootstrapSamples", "... a finite seed",
 * "... minR2ForSaturating between 0 and 1", "... rule to be one of ...", "... lowerIsBetter to be a
 * boolean".
 *
 * @example
 * const steps = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
 * const levels = steps.map((s) => ({ steps: s, n: 4, mean: 10 - 5 * Math.exp(-s / 10), variance: 0 }));
 * const result = analyzeCurve(levels);
 * // result.status === 'ok'; result.sweetSpot.steps === 30 (⌈10·ln 20⌉); result.sweetSpot.interval
 * // === [30, 30] (noise-free data); result.rules === { plateauGap: 30, gainShare: 30, marginalGain: 30 }
 */
export function analyzeCurve(levels: readonly LevelStats[], options: Partial<CurveOptions> = {}): CurveAnalysis {
  const settings = resolveOptions(options);
  const sorted = validateLevels(levels);
  const { lowerIsBetter, rule, delta } = settings;
  const sign = lowerIsBetter ? -1 : 1;
  const ruleParameters: RuleParameters = { delta, share: settings.share, marginal: settings.marginal };
  const steps = sorted.map((level) => level.steps);
  const values = sorted.map((level) => sign * level.mean);
  const counts = sorted.map((level) => level.n);
  const runs = counts.reduce((total, n) => total + n, 0);
  const levelCount = sorted.length;
  const lowest = steps[0];
  const highest = steps[levelCount - 1];
  const base = {
    lowerIsBetter,
    settings: { rule, delta, share: settings.share, marginal: settings.marginal },
    runs,
  };

  // Noise of the level means.
  const pooled = pooledVariance(sorted);
  let noise: CurveFit['noise'] = pooled.df > 0 ? 'replicates' : 'unknown';
  let standardErrors: number[] = noise === 'replicates' ? pooledStandardErrors(sorted) : sorted.map(() => Number.NaN);
  let noiseDf = pooled.df;
  const summarize = (): LevelSummary[] => {
    const t = noiseDf > 0 ? studentTQuantile(0.95, noiseDf) : Number.NaN;
    return sorted.map((level, index) => {
      const se = standardErrors[index]!;
      const known = Number.isFinite(se);
      return {
        steps: level.steps,
        n: level.n,
        mean: level.mean,
        se: known ? se : null,
        ci90: known && Number.isFinite(t) ? [level.mean - t * se, level.mean + t * se] : null,
      };
    });
  };
  const kneeSteps = (): number | null =>
    levelCount >= 3 ? kneedle(steps, values, { curve: 'concave', direction: 'increasing' }).knee : null;
  const empty = { curve: [], marginalGain: [], recommendations: null, rules: null, sweetSpot: null, plateau: null };

  if (lowest === undefined || highest === undefined || levelCount < 3) {
    const suggested =
      lowest === undefined || highest === undefined
        ? []
        : levelCount === 1
          ? [...new Set([Math.max(1, Math.round(lowest / 2)), 2 * lowest])].filter((s) => s !== lowest)
          : [...new Set([Math.round((lowest + highest) / 2), Math.round(1.5 * highest)])].filter((s) => !steps.includes(s));
    let message: string;
    if (levelCount === 0) message = 'No rated runs yet: log runs at 3 or more step levels to find a sweet spot.';
    else if (levelCount === 1) {
      message = `Only one step level (${lowest} steps, ${runs} run${runs === 1 ? '' : 's'}): a curve needs at least 3 step levels.`;
    } else {
      const first = sorted[0]!.mean;
      const last = sorted[1]!.mean;
      const moved = Math.abs(last - first) <= delta ? 'changes by no more than δ' : (last - first) * sign > 0 ? 'improves' : 'worsens';
      message =
        `Only two step levels (${lowest} and ${highest} steps): quality ${moved} from ${format(first)} to ${format(last)}, ` +
        'but two points cannot show where the curve bends; a curve needs at least 3 step levels.';
    }
    return {
      status: 'insufficient-data',
      message,
      ...base,
      levels: summarize(),
      fit: null,
      ...empty,
      kneedle: { steps: null },
      nextSteps: {
        kind: 'more-levels',
        steps: suggested,
        message:
          suggested.length > 0 ? `Test more step levels, e.g. ${listSteps(suggested)}.` : 'Log runs at 3 or more step levels, e.g. 10, 20 and 40.',
      },
    };
  }

  const seKnownPositive = (): boolean => standardErrors.every((se) => Number.isFinite(se) && se > 0);
  const fitWeights = (): number[] => (seKnownPositive() ? standardErrors.map((se) => 1 / (se * se)) : counts.slice());

  let saturating = fitSaturating(steps, values, fitWeights());
  if (noise === 'unknown' && levelCount > 3) {
    // No repeated runs: the per-run variance comes from the saturating fit's residuals.
    let residualSum = 0;
    for (let i = 0; i < levelCount; i++) residualSum += counts[i]! * (values[i]! - saturating.predict(steps[i]!)) ** 2;
    const runVariance = residualSum / (levelCount - 3);
    noise = 'residuals';
    noiseDf = levelCount - 3;
    standardErrors = counts.map((n) => Math.sqrt(runVariance / n));
    saturating = fitSaturating(steps, values, fitWeights());
  }
  const weights = fitWeights();
  const iso = isotonicRegression(values, weights);
  const isoRise = iso[levelCount - 1]! - iso[0]!;
  const weightedMean = values.reduce((t, y, i) => t + weights[i]! * y, 0) / weights.reduce((t, w) => t + w, 0);
  const totalSs = values.reduce((t, y, i) => t + weights[i]! * (y - weightedMean) ** 2, 0);
  const isoRss = values.reduce((t, y, i) => t + weights[i]! * (y - iso[i]!) ** 2, 0);
  const isoR2 = totalSs > 0 ? Math.max(0, 1 - isoRss / totalSs) : 1;
  const isotonicFit = (): CurveFit => ({
    model: 'isotonic',
    r2: isoR2,
    isotonic: steps.map((s, i) => ({ steps: s, quality: sign * iso[i]! })),
    noise,
  });
  const levelSummaries = summarize();
  const knee = kneeSteps();

  if (isoRise <= delta) {
    const lowerSteps = lowest > 1 ? [...new Set([Math.max(1, Math.round(lowest / 4)), Math.max(1, Math.round(lowest / 2))])].filter((s) => s < lowest) : [];
    const quality = sign * iso[0]!;
    const recommendation = { steps: lowest, quality, extrapolated: false };
    const reason =
      `the fitted quality rises by ${format(isoRise)} over ${lowest}–${highest} steps, no more than δ = ${delta}: ` +
      `more steps than ${lowest} buy no difference that matters (the best may lie below the lowest tested step)`;
    return {
      status: 'flat',
      message: `Flat: quality does not improve by more than δ = ${delta} between ${lowest} and ${highest} steps, so the lowest tested step count (${lowest}) is as good as any.`,
      ...base,
      levels: levelSummaries,
      fit: isotonicFit(),
      plateau: sign * iso[levelCount - 1]!,
      sweetSpot: { steps: lowest, interval: null, lowerBound: null, confidence: 'low', reason, extrapolated: false, rule, delta },
      rules: null,
      kneedle: { steps: knee },
      ...curvePoints(isotonicCurve(steps, iso), lowest, Math.ceil(1.1 * highest), sign),
      recommendations: { draft: recommendation, standard: recommendation, final: recommendation },
      nextSteps:
        lowerSteps.length > 0
          ? {
              kind: 'test-lower',
              steps: lowerSteps,
              message: `Quality is flat from ${lowest} steps on: test lower steps, e.g. ${listSteps(lowerSteps)}, to find where it starts to drop.`,
            }
          : { kind: 'done', steps: [], message: 'Quality is flat from 1 step on: no further tests are needed.' },
    };
  }

  // Model choice: keep the saturating curve unless it misfits beyond the noise.
  let useSaturating = saturating.r2 >= settings.minR2ForSaturating;
  if (!useSaturating && noise === 'replicates' && seKnownPositive() && levelCount > 3) {
    useSaturating = !lackOfFitRejects(saturating.weightedRss, levelCount - 3);
  }
  const noPlateauTau = (highest - lowest) / Math.LN2;
  const fit: CurveFit = useSaturating
    ? {
        model: 'saturating',
        r2: saturating.r2,
        params: { a: sign * saturating.a, b: sign * saturating.b, tau: saturating.tau },
        noise,
      }
    : isotonicFit();
  const curve = ruleCurveOf(fit, lowerIsBetter);
  const hasNoPlateau = (tau: number, b: number, fitted: readonly number[] | null): boolean =>
    fitted === null ? b > 0 && tau > noPlateauTau : fitted[fitted.length - 1]! - fitted[fitted.length - 2]! > delta;
  const pointRule = applySweetSpotRule(curve, rule, ruleParameters);

  if (
    (useSaturating ? hasNoPlateau(saturating.tau, saturating.b, null) : hasNoPlateau(0, 0, iso)) ||
    !Number.isFinite(pointRule)
  ) {
    const next = suggestNextSteps({
      tested: levelSummaries,
      sweetSpot: null,
      interval: null,
      plateauReached: false,
    });
    return {
      status: 'no-plateau',
      message: `No plateau: quality still rises at the highest tested step (${highest}), so no sweet spot can be given yet. ${next.message}`,
      ...base,
      levels: levelSummaries,
      fit,
      ...empty,
      kneedle: { steps: knee },
      ...curvePoints(curve, useSaturating ? 1 : lowest, Math.ceil(1.1 * highest), sign),
      nextSteps: next,
    };
  }

  // Uncertainty: refit the same model on resampled level means.
  const tauRange = saturating.tauRange;
  const estimate = (resampled: readonly number[]): number => {
    if (useSaturating) {
      const refit = fitSaturating(steps, resampled, weights, { tauMin: tauRange[0], tauMax: tauRange[1] });
      if (hasNoPlateau(refit.tau, refit.b, null)) return Infinity;
      return applySweetSpotRule(saturatingCurve(refit.a, refit.b, refit.tau), rule, ruleParameters);
    }
    // The isotonic curve is flat beyond the tested range, so every resample has an answer there.
    return applySweetSpotRule(isotonicCurve(steps, isotonicRegression(resampled, weights)), rule, ruleParameters);
  };
  let interval: [number, number] | null = null;
  let confidenceInterval: [number, number] | null = null;
  if (standardErrors.every(Number.isFinite)) {
    const boot = bootstrapInterval(values, standardErrors, estimate, {
      samples: settings.bootstrapSamples,
      seed: settings.seed,
    });
    confidenceInterval = [Math.min(boot.low, pointRule), Math.max(boot.high, pointRule)];
    if (!useSaturating) {
      // A monotone fit only knows that the curve crosses between two tested levels, not where:
      // the interval covers the whole segment holding the sweet spot.
      const left = steps.filter((s) => s < pointRule).pop();
      const right = steps.find((s) => s >= pointRule);
      if (left !== undefined) confidenceInterval[0] = Math.min(confidenceInterval[0], left + 1);
      if (right !== undefined) confidenceInterval[1] = Math.max(confidenceInterval[1], right);
    }
    interval = Number.isFinite(confidenceInterval[1]) ? confidenceInterval : null;
  }
  const extrapolated = pointRule > highest || pointRule < lowest;
  const confidence = confidenceLabel({
    estimate: pointRule,
    interval: confidenceInterval,
    runs,
    levels: levelCount,
    minRunsPerLevel: Math.min(...counts),
    r2: fit.r2,
    extrapolated,
  });

  const plateauGap = plateauGapSteps(curve, delta);
  const rules = {
    plateauGap: finiteOrNull(plateauGap),
    gainShare: finiteOrNull(gainShareSteps(curve, settings.share)),
    marginalGain: finiteOrNull(marginalGainSteps(curve, settings.marginal)),
  };
  const recommend = (s: number): Recommendation => ({
    steps: s,
    quality: sign * curve.predict(s),
    extrapolated: s > highest || s < lowest,
  });
  const analysisSoFar = { fit, lowerIsBetter } as CurveAnalysis;
  const recommendations = {
    draft: recommend(stepsWithinGap(analysisSoFar, 4 * delta)),
    standard: recommend(pointRule),
    final: recommend(stepsWithinGap(analysisSoFar, delta / 4)),
  };

  let sensitivity: SensitivityModel | null = null;
  if (useSaturating && saturating.b > 0) {
    // Parameters (a, b', τ) of q(s) = a − b'·exp(−(s − s₀)/τ), with s₀ the lowest tested step, so
    // that the information matrix stays well conditioned when τ is small next to s₀.
    const { tau } = saturating;
    const shiftedB = saturating.b * Math.exp(-lowest / tau);
    const sweetSpotAt = (bShift: number, t: number): number =>
      continuousSweetSpot(rule, { b: bShift * Math.exp(lowest / t), tau: t }, ruleParameters);
    const hB = shiftedB * 1e-6;
    const hTau = tau * 1e-6;
    sensitivity = {
      jacobian: (s) => {
        const decay = Math.exp(-(s - lowest) / tau);
        return [1, -decay, (-shiftedB * (s - lowest) * decay) / (tau * tau)];
      },
      gradient: [
        0,
        (sweetSpotAt(shiftedB + hB, tau) - sweetSpotAt(shiftedB - hB, tau)) / (2 * hB),
        (sweetSpotAt(shiftedB, tau + hTau) - sweetSpotAt(shiftedB, tau - hTau)) / (2 * hTau),
      ],
    };
  }
  const runVariance = noise === 'unknown' ? null : standardErrors.reduce((t, se, i) => t + se * se * counts[i]!, 0) / levelCount;
  const nextSteps = suggestNextSteps({
    tested: levelSummaries,
    sweetSpot: pointRule,
    interval: confidenceInterval,
    plateauReached: true,
    model: sensitivity,
    runVariance,
  });

  const plateau = sign * curve.plateau;
  const ruleSentence =
    rule === 'plateau-gap'
      ? `at ${pointRule} steps the fitted quality is within ${delta} of the plateau (${format(plateau)})`
      : rule === 'gain-share'
        ? `at ${pointRule} steps the curve has made ${format(settings.share * 100)}% of its gain from ${useSaturating ? '0 steps' : `the lowest tested step (${lowest})`} to the plateau (${format(plateau)})`
        : `from ${pointRule} steps on, one more step improves quality by less than ${format(settings.marginal)}`;
  const intervalText = interval === null ? 'no bounded interval' : `90% interval ${interval[0]}–${interval[1]}`;
  const upper = Math.min(
    10 * highest,
    Math.ceil(1.1 * Math.max(highest, pointRule, interval === null ? 0 : interval[1], recommendations.final.steps)),
  );
  return {
    status: 'ok',
    message:
      `Sweet spot: ${pointRule} steps (${intervalText}, confidence ${confidence.label}): ${ruleSentence}.` +
      (pointRule > highest ? ` This lies beyond the highest tested step (${highest}): an extrapolation.` : '') +
      (pointRule < lowest ? ` This lies below the lowest tested step (${lowest}): an extrapolation.` : ''),
    ...base,
    levels: levelSummaries,
    fit,
    plateau,
    sweetSpot: {
      steps: pointRule,
      interval,
      lowerBound: confidenceInterval === null ? null : confidenceInterval[0],
      confidence: confidence.label,
      reason: confidence.reason,
      extrapolated,
      rule,
      delta,
    },
    rules,
    kneedle: { steps: knee },
    ...curvePoints(curve, useSaturating ? 1 : lowest, upper, sign),
    recommendations,
    nextSteps,
  };
}
