import { DEFAULT_BOOTSTRAP_SEED } from './bootstrap-interval.js';
import { confidenceLabel, type Confidence } from './confidence.js';
import { describeCurve } from './curves/describe-curve.js';
import { fitFamily, PARAMETER_COUNT, type CurveFamily, type FamilyFit } from './curves/curve-families.js';
import { changeTestP, detectableRise, STATE_ALPHA, topGainUpperBound, topRisingP } from './curves/curve-states.js';
import type {
  CurveAnalysis,
  CurveFit,
  CurveOptions,
  CurveTests,
  Decline,
  LevelSummary,
  Recommendation,
} from './curves/curve-result.js';
import { paramsInFrame, rebuildCurve, type CurveShape } from './curves/fitted-curve.js';
import { isotonicCurve } from './curves/isotonic-curve.js';
import { levelNoise, scoreResolution } from './curves/level-noise.js';
import { boundaryTestP, chooseCurve, DECLINE_ALPHA, DECLINE_FIRM_ALPHA, type NoiseModel } from './curves/model-choice.js';
import { noiseAwareBootstrap } from './curves/noise-aware-bootstrap.js';
import { sensitivityOf } from './curves/sensitivity.js';
import { unimodalRegression } from './curves/unimodal-regression.js';
import { isotonicRegression } from './isotonic-regression.js';
import { kneedle } from './kneedle.js';
import type { LevelStats } from './level-stats.js';
import { suggestNextSteps, type NextSteps } from './next-steps.js';
import { studentTQuantile } from './student-t-quantile.js';
import {
  applySweetSpotRule,
  gainShareSteps,
  marginalGainSteps,
  plateauGapSteps,
  type RuleCurve,
  type RuleParameters,
  type SweetSpotRule,
} from './sweet-spot-rules.js';

export type {
  CurveAnalysis,
  CurveFit,
  CurveOptions,
  CurveStatus,
  CurveTests,
  Decline,
  LevelSummary,
  Recommendation,
  SweetSpotResult,
} from './curves/curve-result.js';

const DEFAULTS = {
  lowerIsBetter: false,
  rule: 'plateau-gap',
  delta: 0.25,
  share: 0.95,
  bootstrapSamples: 400,
  seed: DEFAULT_BOOTSTRAP_SEED,
} as const;

const RULES: readonly SweetSpotRule[] = ['plateau-gap', 'gain-share', 'marginal-gain'];
const MAX_CURVE_POINTS = 200;
/** Noise degrees of freedom below which no interval is bounded (a t with ν < 3 has no variance). */
export const MIN_NOISE_DF = 3;

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
    resolution: options.resolution,
    range: options.range ?? { min: null, max: null },
    usableRange: options.usableRange ?? null,
  };
  if (typeof resolved.lowerIsBetter !== 'boolean') fail('lowerIsBetter to be a boolean');
  if (!RULES.includes(resolved.rule)) fail(`rule to be one of ${RULES.join(', ')}`);
  if (!(resolved.share > 0 && resolved.share < 1)) fail('a share between 0 and 1');
  if (!(resolved.marginal > 0 && Number.isFinite(resolved.marginal))) fail('a positive finite marginal');
  if (!Number.isInteger(resolved.bootstrapSamples) || resolved.bootstrapSamples < 0) fail('a non-negative integer bootstrapSamples');
  if (!Number.isFinite(resolved.seed)) fail('a finite seed');
  if (resolved.resolution != null && !(resolved.resolution > 0 && Number.isFinite(resolved.resolution))) fail('a positive resolution');
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

/**
 * The smallest integer steps whose fitted quality is within `gap` of the plateau (or of the peak,
 * for a curve that falls after one), read from an analysis result (so callers can place their own
 * recommendations: draft = 4δ, final = δ/4). Works for every family and the fallbacks; Infinity
 * when not reached within 10⁶ steps.
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
  return plateauGapSteps(rebuildCurve(analysis.fit, analysis.lowerIsBetter ? -1 : 1, null).rule, gap);
}

/** The metric's best possible value in the higher-is-better frame (null: unbounded). */
function capOf(settings: CurveOptions): number | null {
  return settings.lowerIsBetter ? (settings.range.min === null ? null : -settings.range.min) : settings.range.max;
}

function clampToRange(value: number, range: CurveOptions['range']): number {
  let out = value;
  if (range.min !== null) out = Math.max(range.min, out);
  if (range.max !== null) out = Math.min(range.max, out);
  return out;
}

function curvePoints(predict: (s: number) => number, from: number, upper: number, sign: number, range: CurveOptions['range']) {
  const stride = Math.max(1, Math.ceil((upper - from + 1) / MAX_CURVE_POINTS));
  const points: { steps: number; quality: number }[] = [];
  const gains: { steps: number; gain: number }[] = [];
  for (let s = from; s <= upper; s += stride) {
    points.push({ steps: s, quality: clampToRange(sign * predict(s), range) });
    gains.push({ steps: s, gain: predict(s + 1) - predict(s) });
  }
  return { curve: points, marginalGain: gains };
}

/** The fitted curve of a choice (higher-is-better frame) as a result shape. */
function shapeOf(choice: ReturnType<typeof chooseCurve>, steps: readonly number[], sign: number): CurveShape {
  if (choice.fit) return { model: choice.fit.family, params: paramsInFrame(choice.fit.params, sign) };
  const fallback = choice.fallback!;
  return { model: fallback.model, isotonic: steps.map((s, i) => ({ steps: s, quality: sign * fallback.fitted[i]! })) };
}

/**
 * Finds where more inference steps stop paying off for one model, from per-level statistics of a
 * quality metric (plain or paired, see `levelStatsFromSums` and `pairedLevels`). Its one rule:
 * never confidently wrong — where the data cannot carry a number it says so.
 *
 * 1. Noise: the pooled, moderated standard error of each level mean, floored by the scores'
 *    rounding (`levelNoise`); with no repeated runs, the chosen curve's residuals (L − k degrees of
 *    freedom). Lower-is-better metrics are mirrored internally and every value is mapped back.
 * 2. Curve (`chooseCurve`): saturating exponential, power law and logistic ranked by AICc, each
 *    checked by a lack-of-fit test (always) and dropped when its plateau is worse than the best
 *    tested level by more than δ; a rise-then-fall curve when a test shows quality falling after a
 *    peak (then `decline` is reported and the sweet spot is the smallest steps within δ of the
 *    peak); the weighted isotonic or unimodal fit when no family fits.
 * 3. Status, each by a test: fewer than 3 levels → 'insufficient-data'. No change beyond noise
 *    (`changeTestP` ≥ 5%) → 'flat' when a rise of δ would have shown (`detectableRise` ≤ δ), else
 *    'inconclusive'. A curve with no plateau in reach (more of its gain beyond the highest tested
 *    step than inside the range) → 'no-plateau' when the top level still beats the one before it
 *    (`topRisingP` < 5%), else 'inconclusive'. Otherwise 'ok'.
 * 4. Sweet spot by `rule`; all three rules are reported. A 90% parametric bootstrap interval that
 *    also redraws the noise level (`noiseAwareBootstrap`, seeded) refits the same curve per resample.
 *    No bounded interval (and confidence low) with fewer than 3 noise degrees of freedom; an
 *    extrapolated sweet spot is always confidence low with an open interval (`lowerBound` only).
 * 5. Recommendations, the Kneedle knee of the level means, and what to test next (inside the
 *    model's usable range; 'done' only with a bounded interval and flat top levels).
 *
 * Reference: DESIGN.md "The science"; Hurvich & Tsai (1989) for AICc; Efron & Tibshirani (1993)
 * for the bootstrap; Satopää et al. (2011) for Kneedle. Cost: about 5 curve fits of O(L·G) plus
 * B refits for B resamples; independent of the number of runs.
 *
 * Errors (invalid input; degenerate data gives a status instead): "analyzeCurve requires positive
 * integer steps at every level", "... a positive integer n at every level", "... a finite mean at
 * every step level", "... variances that are non-negative or NaN", "... distinct step levels", and
 * for options "... a positive finite delta", "... a share between 0 and 1", "... a positive finite
 * marginal", "... a non-negative integer bootstrapSamples", "... a finite seed", "... a positive
 * resolution", "... rule to be one of ...", "... lowerIsBetter to be a boolean".
 *
 * @example
 * const steps = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
 * const levels = steps.map((s) => ({ steps: s, n: 4, mean: 10 - 5 * Math.exp(-s / 10), variance: 0 }));
 * const result = analyzeCurve(levels);
 * // result.status === 'ok'; result.fit.model === 'exponential'; result.sweetSpot.steps === 30
 * // (⌈10·ln 20⌉); result.sweetSpot.interval === [30, 30] (noise-free data)
 */
export function analyzeCurve(levels: readonly LevelStats[], options: Partial<CurveOptions> = {}): CurveAnalysis {
  const settings = resolveOptions(options);
  const sorted = validateLevels(levels);
  const { lowerIsBetter, rule, delta } = settings;
  const sign = lowerIsBetter ? -1 : 1;
  const cap = capOf(settings);
  const ruleParameters: RuleParameters = { delta, share: settings.share, marginal: settings.marginal };
  const steps = sorted.map((level) => level.steps);
  const values = sorted.map((level) => sign * level.mean);
  const counts = sorted.map((level) => level.n);
  const runs = counts.reduce((total, n) => total + n, 0);
  const levelCount = sorted.length;
  const lowest = steps[0];
  const highest = steps[levelCount - 1];
  const base = { lowerIsBetter, settings: { rule, delta, share: settings.share, marginal: settings.marginal }, runs };
  const noTests: CurveTests = { change: null, topRising: null, decline: null, detectableRise: null };
  const usable = settings.usableRange;
  const nextRange = (flattened: boolean) => {
    const top = highest ?? 1;
    const min = Math.max(1, usable?.min ?? 1);
    const max = Math.max(min + 1, usable?.max ?? 2 * top, flattened ? 0 : 2 * top);
    return { min, max };
  };

  const resolution = settings.resolution === undefined ? scoreResolution(sorted) : settings.resolution;
  const noise = levelNoise(sorted, resolution);
  let standardErrors = noise.standardErrors;
  let noiseDf = noise.df;
  let noiseSource: CurveFit['noise'] = noise.kind === 'unknown' ? 'unknown' : 'replicates';
  const summarize = (): LevelSummary[] => {
    const t = noiseDf > 0 ? studentTQuantile(0.95, Number.isFinite(noiseDf) ? noiseDf : Infinity) : Number.NaN;
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
  const empty = { curve: [], marginalGain: [], recommendations: null, rules: null, sweetSpot: null, plateau: null, decline: null };

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
    const why = 'a curve needs at least 3 step levels to show where it bends';
    const runsPerStep = 3;
    return {
      status: 'insufficient-data',
      message,
      ...base,
      levels: summarize(),
      fit: null,
      tests: noTests,
      ...empty,
      kneedle: { steps: null },
      nextSteps: {
        kind: 'more-levels',
        steps: suggested,
        message: suggested.length > 0 ? `Test more step levels, e.g. ${listSteps(suggested)}.` : 'Log runs at 3 or more step levels, e.g. 10, 20 and 40.',
        suggestions: suggested.map((s) => ({ steps: s, runs: runsPerStep, why, narrowing: null, renders: runsPerStep, minutes: null })),
      },
    };
  }

  // 1–2. Weights, curve choice, and the noise from residuals when there are no repeated runs.
  const weightsFrom = (ses: readonly number[]): number[] =>
    ses.every((se) => Number.isFinite(se) && se > 0) ? ses.map((se) => 1 / (se * se)) : counts.slice();
  let weights = weightsFrom(standardErrors);
  const noiseModel: NoiseModel = { kind: noise.kind, df: noise.df };
  const bestIndex = values.indexOf(Math.max(...values));
  const bestSe = Number.isFinite(standardErrors[bestIndex]!) ? standardErrors[bestIndex]! : 0;
  let choice = chooseCurve(steps, values, weights, noiseModel, { delta, bestLevelSe: bestSe });
  const chosenParameters = choice.fit ? choice.fit.parameterCount : 3;
  const fittedAt = (i: number): number => (choice.fit ? choice.fit.predict(steps[i]!) : choice.fallback!.fitted[i]!);
  let chosenRss = values.reduce((t, y, i) => t + weights[i]! * (y - fittedAt(i)) ** 2, 0);
  if (noise.kind === 'unknown' && levelCount > chosenParameters) {
    // Per-run variance from the chosen curve's residuals (weights are the run counts here).
    const runVariance = chosenRss / (levelCount - chosenParameters);
    // Whole-number (or fixed-resolution) scores keep their rounding floor here too.
    const floor = (n: number) => (resolution === null ? 0 : resolution / Math.sqrt(12 * n));
    standardErrors = counts.map((n) => Math.max(Math.sqrt(runVariance / n), floor(n)));
    noiseDf = levelCount - chosenParameters;
    noiseSource = 'residuals';
    if (standardErrors.every((se) => se > 0)) {
      const bestSeNow = standardErrors[bestIndex]!;
      weights = weightsFrom(standardErrors);
      choice = chooseCurve(steps, values, weights, noiseModel, { delta, bestLevelSe: bestSeNow });
      chosenRss = values.reduce((t, y, i) => t + weights[i]! * (y - fittedAt(i)) ** 2, 0);
    }
  }
  const levelSummaries = summarize();
  const knee = kneedle(steps, values, { curve: 'concave', direction: 'increasing' }).knee;
  const weightSum = weights.reduce((t, w) => t + w, 0);
  const weightedMean = values.reduce((t, y, i) => t + weights[i]! * y, 0) / weightSum;
  const totalSs = values.reduce((t, y, i) => t + weights[i]! * (y - weightedMean) ** 2, 0);
  const shape = shapeOf(choice, steps, sign);
  const fit: CurveFit = {
    ...shape,
    model: shape.model,
    description: describeCurve(shape.model),
    r2: totalSs > 0 ? Math.max(0, 1 - chosenRss / totalSs) : 1,
    noise: noiseSource,
    noiseDf: noiseSource === 'unknown' || !Number.isFinite(noiseDf) ? null : noiseDf,
    roundingFloor: noise.roundingFloor,
    lackOfFit: choice.lackOfFit,
    candidates: choice.candidates,
  };
  const rebuilt = rebuildCurve(shape, sign, cap);
  const curve: RuleCurve = rebuilt.rule;
  const noiseKnown = standardErrors.every(Number.isFinite);
  const rawSes = noiseKnown ? standardErrors : steps.map(() => 0);

  // 3. The tests behind the status.
  const changeP =
    noiseSource === 'unknown'
      ? null
      : changeTestP(values, weights, noise.kind === 'unknown' ? { kind: 'unknown', df: noiseDf } : noiseModel, { rss: chosenRss, parameters: chosenParameters });
  const smallestRise = noiseKnown ? detectableRise(standardErrors, noiseDf) : null;
  const risingP = noiseKnown ? topRisingP(values, standardErrors, noiseDf) : null;
  const tests: CurveTests = { change: changeP, topRising: risingP, decline: choice.declineP, detectableRise: smallestRise };
  const plotFrom = choice.fit ? 1 : lowest;
  const plotted = (upper: number) => curvePoints(rebuilt.predict, plotFrom, upper, sign, settings.range);

  const isoRise = (() => {
    const iso = isotonicRegression(values, weights);
    return iso[levelCount - 1]! - iso[0]!;
  })();
  const noChange = changeP === null ? isoRise <= delta : changeP >= STATE_ALPHA;
  if (noChange) {
    const flat = smallestRise !== null && smallestRise <= delta && changeP !== null;
    const lowerSteps = lowest > 1 ? [...new Set([Math.max(1, Math.round(lowest / 4)), Math.max(1, Math.round(lowest / 2))])].filter((s) => s < lowest) : [];
    const changeText =
      changeP === null
        ? `without repeated runs or spare levels the noise is unknown, and the level means move by only ${format(isoRise)}`
        : `the level means differ by no more than their noise (p = ${changeP.toPrecision(2)})`;
    if (flat) {
      const quality = clampToRange(sign * Math.max(...values.slice(0, 1)), settings.range);
      const recommendation = { steps: lowest, quality, extrapolated: false };
      const reason = `${changeText}, and with this noise a rise of δ = ${delta} would have shown (the smallest detectable rise is ${format(smallestRise!)}): more steps than ${lowest} buy no difference that matters (the best may lie below the lowest tested step)`;
      const next =
        lowerSteps.length > 0
          ? suggestNextSteps({ tested: levelSummaries, sweetSpot: null, interval: null, plateauReached: true, range: nextRange(true), done: false })
          : null;
      return {
        status: 'flat',
        message: `Flat: quality does not change by more than δ = ${delta} between ${lowest} and ${highest} steps, so the lowest tested step count (${lowest}) is as good as any.`,
        ...base,
        levels: levelSummaries,
        fit,
        tests,
        decline: null,
        plateau: clampToRange(sign * weightedMean, settings.range),
        sweetSpot: { steps: lowest, interval: null, lowerBound: null, confidence: 'low', reason, extrapolated: false, rule, delta },
        rules: null,
        kneedle: { steps: knee },
        ...curvePoints(isotonicCurve(steps, steps.map(() => weightedMean)).predict, lowest, Math.ceil(1.1 * highest), sign, settings.range),
        recommendations: { draft: recommendation, standard: recommendation, final: recommendation },
        nextSteps:
          next !== null && lowerSteps.length > 0
            ? {
                kind: 'test-lower',
                steps: lowerSteps,
                message: `Quality is flat from ${lowest} steps on: test lower steps, e.g. ${listSteps(lowerSteps)}, to find where it starts to drop.`,
                suggestions: lowerSteps.map((s) => ({
                  steps: s,
                  runs: 3,
                  why: 'quality is flat above this: a level here shows where it starts to drop',
                  narrowing: null,
                  renders: 3,
                  minutes: null,
                })),
              }
            : { kind: 'done', steps: [], message: 'Quality is flat from 1 step on: no further tests are needed.', suggestions: [] },
      };
    }
    const next = inconclusiveNext(levelSummaries, nextRange(false));
    return {
      status: 'inconclusive',
      message:
        `Inconclusive: ${changeText}, but this noise could also hide a rise that matters` +
        (smallestRise !== null ? ` (only a rise of ${format(smallestRise)} or more would show; δ = ${delta})` : '') +
        `. The data cannot tell a flat curve from one still rising. ${next.message}`,
      ...base,
      levels: levelSummaries,
      fit,
      tests,
      ...empty,
      kneedle: { steps: knee },
      ...plotted(Math.ceil(1.1 * highest)),
      nextSteps: next,
    };
  }

  // A decline: the chosen curve falls past a peak inside the tested range.
  let decline: Decline | null = null;
  if (choice.fit?.family === 'rise-fall' || choice.fallback?.model === 'unimodal') {
    let peakSteps = lowest;
    for (let s = lowest; s <= highest; s += Math.max(1, Math.floor((highest - lowest) / 2000))) {
      if (rebuilt.predict(s) > rebuilt.predict(peakSteps)) peakSteps = s;
    }
    const drop = rebuilt.predict(peakSteps) - rebuilt.predict(highest);
    if (drop > 0) decline = { peakSteps, drop };
  }

  // No plateau in reach: more of the gain lies beyond the highest tested step than inside the range.
  // A peak at the lowest tested step: the best may lie lower still, so the sweet spot is that step
  // (never a guess below the tested range) and it counts as an extrapolation.
  const peakAtLowest = decline !== null && decline.peakSteps <= lowest;
  const pointRule = peakAtLowest ? lowest : applySweetSpotRule(curve, rule, ruleParameters);
  // Judged on the curve as fitted: clipping it to the metric's range must not invent a plateau.
  const unclipped = rebuildCurve(shape, sign, null).rule;
  const remaining = unclipped.plateau - unclipped.predict(highest);
  const gained = unclipped.predict(highest) - unclipped.predict(lowest);
  const lastSegment = choice.fallback ? curve.predict(highest) - curve.predict(steps[levelCount - 2]!) : 0;
  const noPlateau = decline === null && (!Number.isFinite(pointRule) || (choice.fit ? remaining > delta && remaining > gained : lastSegment > delta));
  if (noPlateau) {
    const rising = risingP !== null && risingP < STATE_ALPHA;
    const next = suggestNextSteps({ tested: levelSummaries, sweetSpot: null, interval: null, plateauReached: false, range: nextRange(false) });
    return {
      status: rising ? 'no-plateau' : 'inconclusive',
      message: rising
        ? `No plateau: quality still rises at the highest tested step (${highest}) beyond its noise` +
          (risingP !== null ? ` (p = ${risingP.toPrecision(2)})` : '') +
          `, so no sweet spot can be given yet. ${next.message}`
        : `Inconclusive: the fitted curve has not flattened by ${highest} steps, but the top levels do not rise beyond their noise, so the data cannot tell whether it still rises. ${next.message}`,
      ...base,
      levels: levelSummaries,
      fit,
      tests,
      ...empty,
      kneedle: { steps: knee },
      ...plotted(Math.ceil(1.1 * highest)),
      nextSteps: next,
    };
  }

  // 4. Uncertainty: refit the same curve on resampled level means, redrawing the noise level too.
  const family: CurveFamily | null = choice.fit?.family ?? null;
  const fallbackModel = choice.fallback?.model ?? null;
  const declineNoise: NoiseModel = noiseSource === 'residuals' ? { kind: 'unknown', df: noiseDf } : noiseModel;
  const estimate = (resampled: readonly number[]): number => {
    if (family !== null) {
      let refit: FamilyFit = fitFamily(family, steps, resampled, weights, { gridPoints: 30, refineIterations: 30 });
      if (family === 'rise-fall') {
        // Whether there is a decline at all is uncertain too: each resample decides it by the same test.
        const monotone = fitFamily('exponential', steps, resampled, weights, { gridPoints: 30, refineIterations: 30 });
        const peak = refit.peakSteps;
        const inside = peak !== null && peak > lowest && peak < highest;
        const p = inside ? boundaryTestP(monotone.weightedRss, refit.weightedRss, levelCount - 4, declineNoise, Infinity) : 1;
        if (p >= DECLINE_ALPHA) refit = monotone;
      }
      const refitCurve = rebuildCurve({ model: refit.family, params: refit.params }, 1, cap).rule;
      const asFitted = rebuildCurve({ model: refit.family, params: refit.params }, 1, null).rule;
      const rest = asFitted.plateau - asFitted.predict(highest);
      const gain = asFitted.predict(highest) - asFitted.predict(lowest);
      if (refit.peakSteps === null && rest > delta && rest > gain) return Infinity;
      return applySweetSpotRule(refitCurve, rule, ruleParameters);
    }
    if (fallbackModel === 'unimodal') {
      const uni = unimodalRegression(resampled, weights);
      const p = uni.peakIndex;
      const iso = isotonicRegression(resampled, weights);
      const isoRss = resampled.reduce((t, y, i) => t + weights[i]! * (y - iso[i]!) ** 2, 0);
      if (p === levelCount - 1 || boundaryTestP(isoRss, uni.weightedRss, Math.max(1, levelCount - 4), declineNoise, Infinity) >= DECLINE_FIRM_ALPHA) {
        return applySweetSpotRule(isotonicCurve(steps, iso), rule, ruleParameters);
      }
      return Math.max(lowest, applySweetSpotRule(isotonicCurve(steps.slice(0, p + 1), uni.fitted.slice(0, p + 1)), rule, ruleParameters));
    }
    return applySweetSpotRule(isotonicCurve(steps, isotonicRegression(resampled, weights)), rule, ruleParameters);
  };
  let confidenceInterval: [number, number] | null = null;
  if (noiseKnown) {
    const boot = noiseAwareBootstrap(values, rawSes, noiseDf, estimate, { samples: settings.bootstrapSamples, seed: settings.seed });
    confidenceInterval = [Math.min(boot.low, pointRule), Math.max(boot.high, pointRule)];
    // Model-choice uncertainty: curves the data cannot tell apart from the chosen one keep their
    // own sweet spots inside the interval, as far as the data can speak for them (up to twice the
    // highest tested step; beyond it a rival's tail is a guess, and the chosen family stands).
    for (const rival of choice.rivals) {
      const spot = applySweetSpotRule(rebuildCurve({ model: rival.family, params: rival.params }, 1, cap).rule, rule, ruleParameters);
      if (!Number.isFinite(spot)) continue;
      confidenceInterval = [Math.min(confidenceInterval[0], spot), spot <= 2 * highest ? Math.max(confidenceInterval[1], spot) : confidenceInterval[1]];
    }
    if (!family) {
      // A monotone fit only knows that the curve crosses between two tested levels, not where.
      const left = steps.filter((s) => s < pointRule).pop();
      const right = steps.find((s) => s >= pointRule);
      if (left !== undefined) confidenceInterval[0] = Math.min(confidenceInterval[0], left + 1);
      if (right !== undefined) confidenceInterval[1] = Math.max(confidenceInterval[1], right);
    }
  }
  const beyond = pointRule > highest;
  const extrapolated = beyond || pointRule < lowest || peakAtLowest;
  const fewDf = !(noiseDf >= MIN_NOISE_DF);
  const bounded = confidenceInterval !== null && Number.isFinite(confidenceInterval[1]) && !fewDf && !beyond;
  const interval: [number, number] | null = bounded ? confidenceInterval : null;
  const confidence = confidenceOf({
    pointRule,
    interval,
    confidenceInterval,
    runs,
    levelCount,
    minRuns: Math.min(...counts),
    r2: fit.r2,
    extrapolated,
    noiseDf,
    noiseSource,
    fallback: fallbackModel,
  });

  const rules = {
    plateauGap: finiteOrNull(plateauGapSteps(curve, delta)),
    gainShare: finiteOrNull(gainShareSteps(curve, settings.share)),
    marginalGain: finiteOrNull(marginalGainSteps(curve, settings.marginal)),
  };
  const recommend = (s: number): Recommendation => ({
    steps: s,
    quality: clampToRange(sign * rebuilt.predict(s), settings.range),
    extrapolated: s > highest || s < lowest,
  });
  const recommendations = {
    draft: recommend(plateauGapSteps(curve, 4 * delta)),
    standard: recommend(pointRule),
    final: recommend(plateauGapSteps(curve, delta / 4)),
  };

  // 5. What to test next.
  const topFlat = noiseKnown && topGainUpperBound(values, standardErrors, noiseDf) <= delta;
  const runVariance = noiseKnown ? standardErrors.reduce((t, se, i) => t + se * se * counts[i]!, 0) / levelCount : null;
  const nextSteps: NextSteps = suggestNextSteps({
    tested: levelSummaries,
    sweetSpot: peakAtLowest ? Math.max(1, Math.round(lowest / 2)) : pointRule,
    interval,
    plateauReached: true,
    model: family === 'exponential' && choice.fit ? sensitivityOf(choice.fit, lowest, rule, ruleParameters) : null,
    runVariance,
    range: nextRange(!beyond),
    done: interval !== null && topFlat && confidence.label === 'high',
  });

  const plateau = clampToRange(sign * curve.plateau, settings.range);
  const ruleSentence =
    rule === 'plateau-gap'
      ? `at ${pointRule} steps the fitted quality is within ${delta} of the ${decline ? 'peak' : 'plateau'} (${format(plateau)})`
      : rule === 'gain-share'
        ? `at ${pointRule} steps the curve has made ${format(settings.share * 100)}% of its gain from ${family ? '0 steps' : `the lowest tested step (${lowest})`} to the ${decline ? 'peak' : 'plateau'} (${format(plateau)})`
        : `from ${pointRule} steps on, one more step improves quality by less than ${format(settings.marginal)}`;
  const intervalText = interval === null ? 'no bounded interval' : `90% interval ${interval[0]}–${interval[1]}`;
  const upper = Math.min(10 * highest, Math.ceil(1.1 * Math.max(highest, pointRule, interval === null ? 0 : interval[1], recommendations.final.steps)));
  return {
    status: 'ok',
    message:
      `Sweet spot: ${pointRule} steps (${intervalText}, confidence ${confidence.label}): ${ruleSentence}.` +
      (decline ? ` Quality falls past ${decline.peakSteps} steps (by ${format(decline.drop)} at ${highest}).` : '') +
      (pointRule > highest ? ` This lies beyond the highest tested step (${highest}): an extrapolation.` : '') +
      (pointRule < lowest ? ` This lies below the lowest tested step (${lowest}): an extrapolation.` : '') +
      (peakAtLowest ? ` Quality is best at the lowest tested step (${lowest}): the best may lie below it.` : ''),
    ...base,
    levels: levelSummaries,
    fit,
    tests,
    decline,
    plateau,
    sweetSpot: {
      steps: pointRule,
      interval,
      lowerBound: confidenceInterval === null ? null : Math.min(confidenceInterval[0], pointRule),
      confidence: confidence.label,
      reason: confidence.reason,
      extrapolated,
      rule,
      delta,
    },
    rules,
    kneedle: { steps: knee },
    ...plotted(upper),
    recommendations,
    nextSteps,
  };
}

function inconclusiveNext(tested: readonly LevelSummary[], range: { min: number; max: number }): NextSteps {
  const next = suggestNextSteps({ tested, sweetSpot: null, interval: null, plateauReached: false, range });
  const runs = Math.max(3, Math.round(tested.reduce((t, l) => t + l.n, 0) / tested.length));
  return {
    ...next,
    message: `Add runs (at least ${runs} per level, or paired prompt + seed renders) to tell the two apart, and ${next.message.charAt(0).toLowerCase()}${next.message.slice(1)}`,
  };
}

/** The confidence label with the engine's own caps on top of `confidenceLabel`. */
function confidenceOf(input: {
  pointRule: number;
  interval: [number, number] | null;
  confidenceInterval: [number, number] | null;
  runs: number;
  levelCount: number;
  minRuns: number;
  r2: number;
  extrapolated: boolean;
  noiseDf: number;
  noiseSource: CurveFit['noise'];
  fallback: 'isotonic' | 'unimodal' | null;
}): Confidence {
  const evidence = `${input.runs} run${input.runs === 1 ? '' : 's'} over ${input.levelCount} step levels`;
  if (input.noiseSource === 'unknown') {
    return { label: 'low', reason: `the noise could not be estimated from ${evidence} (no repeated runs and no spare levels), so the sweet spot has no interval` };
  }
  if (!(input.noiseDf >= MIN_NOISE_DF)) {
    return {
      label: 'low',
      reason: `the noise is known from only ${input.noiseDf} degree${input.noiseDf === 1 ? '' : 's'} of freedom (${evidence}; at least ${MIN_NOISE_DF} are needed), so the sweet spot has no bounded interval: log 3 or more runs (or paired seeds) per level`,
    };
  }
  const lower = input.confidenceInterval?.[0];
  if (input.extrapolated) {
    return {
      label: 'low',
      reason: `the sweet spot lies outside the tested steps (an extrapolation)${lower !== undefined && Number.isFinite(lower) ? `; the 90% interval starts at ${lower} steps with no upper end` : ''} (${evidence}); test steps up to about twice the estimate`,
    };
  }
  if (input.interval === null) {
    return { label: 'low', reason: `the 90% interval${lower !== undefined ? ` from ${lower} steps` : ''} has no upper end: too many resamples show no plateau (${evidence})` };
  }
  const base = confidenceLabel({
    estimate: input.pointRule,
    interval: input.interval,
    runs: input.runs,
    levels: input.levelCount,
    minRunsPerLevel: input.minRuns,
    r2: input.r2,
    extrapolated: false,
  });
  if (input.fallback !== null && base.label !== 'low') {
    return {
      label: 'low',
      reason: `${base.reason}; not ${base.label}: no curve family fits the level means within their noise, so the ${input.fallback} fit only tells between which tested levels the curve crosses`,
    };
  }
  if (input.noiseSource === 'residuals' && base.label === 'high') {
    return { label: 'medium', reason: `${base.reason}; not high: without repeated runs the noise comes from the curve's own residuals, so its fit cannot be checked` };
  }
  return base;
}
