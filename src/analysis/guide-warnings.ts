// The guide's "Common Issues" (reference/quality-steps-guide.md) turned into warnings: "Too few
// steps" (rough details, inconsistent elements, poor coherence, missing features → increase the
// step count) and "Too many steps" (excessive generation time, resource waste, minimal improvement,
// workflow bottleneck → reduce steps, use a faster model, balance settings).

/** A model's reference step numbers from the guide or the user; null where unknown. */
export interface ModelReference {
  minSteps: number | null;
  recommendedLow: number | null;
  recommendedHigh: number | null;
  maxSteps: number | null;
  sweetSpot: number | null;
}

export interface Warning {
  /** Stable identifier, for scripts and for styling. */
  code: string;
  severity: 'info' | 'warning';
  message: string;
}

type RunPhase = 'draft' | 'refine' | 'final';

/** Share of render time past the sweet spot from which it is worth a warning. */
export const WASTE_SHARE_WARNING = 0.1;

/**
 * A sweet spot counts as far outside the guide's recommended range when it is more than this
 * share of the range's nearer end away from it (and at least 1 step).
 */
export const GUIDE_RANGE_TOLERANCE = 0.25;

/**
 * Warnings for one planned or logged render at `steps` steps, from the model's reference numbers:
 * - `steps-above-max` (warning): above the model's maximum ("too many steps");
 * - `steps-below-min` (warning): below the model's minimum ("too few steps");
 * - `final-below-recommended` (warning): a final render below the recommended range;
 * - `draft-above-recommended` (info): a draft above the recommended range (drafts are for quick
 *   iterations; the guide starts them at the low end).
 * A render outside the model's limits gets only the limit warning, not the phase one as well.
 * Unknown reference numbers (null) produce no warning.
 *
 * Cost: O(1).
 *
 * @throws Error "stepWarnings requires a positive, finite step count".
 *
 * @example
 * stepWarnings(8, null, { minSteps: 1, recommendedLow: 2, recommendedHigh: 3, maxSteps: 4, sweetSpot: 3 }, 'FLUX.1 Schnell');
 * // → [{ code: 'steps-above-max', severity: 'warning', message: 'FLUX.1 Schnell is made for 1–4 steps;
 * //      8 steps is above its maximum of 4: expect excessive time for minimal improvement.
 * //      Reduce steps (the guide\'s sweet spot is 3).' }]
 */
export function stepWarnings(
  steps: number,
  phase: RunPhase | null,
  ref: ModelReference,
  modelName: string,
): Warning[] {
  if (!Number.isFinite(steps) || steps <= 0) {
    throw new Error('stepWarnings requires a positive, finite step count');
  }
  const { minSteps, maxSteps, recommendedLow, recommendedHigh, sweetSpot } = ref;
  const recommended = rangeText(recommendedLow, recommendedHigh);
  const warnings: Warning[] = [];

  if (maxSteps !== null && steps > maxSteps) {
    const madeFor = minSteps !== null ? `${rangeText(minSteps, maxSteps)} steps` : `up to ${maxSteps} steps`;
    const advice = sweetSpot !== null ? `Reduce steps (the guide's sweet spot is ${sweetSpot}).` : 'Reduce steps.';
    warnings.push({
      code: 'steps-above-max',
      severity: 'warning',
      message:
        `${modelName} is made for ${madeFor}; ${stepsText(steps)} is above its maximum of ${maxSteps}: ` +
        `expect excessive time for minimal improvement. ${advice}`,
    });
    return warnings;
  }

  if (minSteps !== null && steps < minSteps) {
    const advice = recommended ? `Increase the step count (the guide recommends ${recommended}).` : 'Increase the step count.';
    warnings.push({
      code: 'steps-below-min',
      severity: 'warning',
      message:
        `${modelName} needs at least ${stepsText(minSteps)}; at ${stepsText(steps)} expect rough details, ` +
        `inconsistent elements, poor coherence and missing features. ${advice}`,
    });
    return warnings;
  }

  if (phase === 'final' && recommendedLow !== null && steps < recommendedLow) {
    warnings.push({
      code: 'final-below-recommended',
      severity: 'warning',
      message:
        `A final render at ${stepsText(steps)} is below ${modelName}'s recommended ${recommended} steps: ` +
        `expect rougher details and weaker coherence than the model can give. ` +
        `Use at least ${recommendedLow} steps for finals.`,
    });
  }

  if (phase === 'draft' && recommendedHigh !== null && steps > recommendedHigh) {
    const draftSteps = minSteps ?? recommendedLow;
    const advice = draftSteps !== null ? ` Try ${stepsText(draftSteps)} for drafts.` : '';
    warnings.push({
      code: 'draft-above-recommended',
      severity: 'info',
      message:
        `A draft at ${stepsText(steps)} is above ${modelName}'s recommended ${recommended} steps: ` +
        `drafts are for quick iterations, and the extra steps cost time before the idea is settled.${advice}`,
    });
  }
  return warnings;
}

/**
 * Warnings about a model's analysis against the guide:
 * - `time-past-sweet-spot` (warning): at least {@link WASTE_SHARE_WARNING} (10%) of render time
 *   went past the sweet spot ("too many steps": excessive time, minimal improvement);
 * - `sweet-spot-outside-guide` (info): the data's sweet spot lies far outside the guide's
 *   recommended range (by more than {@link GUIDE_RANGE_TOLERANCE} of the nearer end). Said
 *   neutrally: the measurements reflect the user's prompts, sampler and scoring, so the data wins;
 * - `tested-below-guide-range` (info): the most steps tested is below the guide's recommended range,
 *   so the curve may not have flattened where the guide expects it to.
 * Unknown reference numbers (null) and a null sweet spot or waste produce no warning.
 *
 * Cost: O(1).
 *
 * @throws Error "analysisWarnings requires a finite, non-negative testedMax".
 * @throws Error "analysisWarnings requires a finite sweet spot or null".
 * @throws Error "analysisWarnings requires a waste share between 0 and 1".
 *
 * @example
 * analysisWarnings({
 *   sweetSpot: 30, testedMax: 50, waste: { share: 0.18 }, modelName: 'FLUX.1 Dev',
 *   ref: { minSteps: 20, recommendedLow: 28, recommendedHigh: 35, maxSteps: 50, sweetSpot: 30 },
 * }).map((w) => w.code);
 * // → ['time-past-sweet-spot']
 */
export function analysisWarnings(input: {
  sweetSpot: number | null;
  testedMax: number;
  waste: { share: number } | null;
  ref: ModelReference;
  modelName: string;
}): Warning[] {
  const { sweetSpot, testedMax, waste, ref, modelName } = input;
  if (!Number.isFinite(testedMax) || testedMax < 0) {
    throw new Error('analysisWarnings requires a finite, non-negative testedMax');
  }
  if (sweetSpot !== null && !Number.isFinite(sweetSpot)) {
    throw new Error('analysisWarnings requires a finite sweet spot or null');
  }
  if (waste !== null && !(waste.share >= 0 && waste.share <= 1)) {
    throw new Error('analysisWarnings requires a waste share between 0 and 1');
  }
  const warnings: Warning[] = [];

  if (waste !== null && waste.share >= WASTE_SHARE_WARNING) {
    const where = sweetSpot !== null ? ` of ${stepsText(sweetSpot)}` : '';
    warnings.push({
      code: 'time-past-sweet-spot',
      severity: 'warning',
      message:
        `${Math.round(waste.share * 100)}% of ${modelName} render time went past the sweet spot${where}: ` +
        'excessive generation time for minimal improvement. Reduce steps, or keep the higher counts ' +
        'for final renders.',
    });
  }

  const low = ref.recommendedLow ?? ref.sweetSpot;
  const high = ref.recommendedHigh ?? ref.sweetSpot;
  const guideRange = rangeText(low, high);
  if (sweetSpot !== null) {
    const farBelow = low !== null && sweetSpot < low - tolerance(low);
    const farAbove = high !== null && sweetSpot > high + tolerance(high);
    if (farBelow || farAbove) {
      warnings.push({
        code: 'sweet-spot-outside-guide',
        severity: 'info',
        message:
          `On your data ${modelName} reaches its sweet spot at ${stepsText(sweetSpot)}, ` +
          `${farBelow ? 'well below' : 'well above'} the guide's ${guideRange} steps. Your measurements ` +
          'reflect your prompts, sampler, resolution and scoring, so the recommendations follow your ' +
          "data; the guide's range is shown for reference.",
      });
    }
  }

  if (low !== null && testedMax > 0 && testedMax < low) {
    warnings.push({
      code: 'tested-below-guide-range',
      severity: 'info',
      message:
        `The most steps tested for ${modelName} is ${testedMax}, below the guide's ${guideRange} steps: ` +
        `the curve may still be rising there. Test up to at least ${high ?? low} steps before relying on ` +
        'the sweet spot.',
    });
  }
  return warnings;
}

function tolerance(end: number): number {
  return Math.max(1, GUIDE_RANGE_TOLERANCE * end);
}

function rangeText(low: number | null, high: number | null): string | null {
  if (low !== null && high !== null) return low === high ? `${low}` : `${low}–${high}`;
  if (low !== null) return `${low}+`;
  if (high !== null) return `up to ${high}`;
  return null;
}

function stepsText(steps: number): string {
  return `${steps} ${steps === 1 ? 'step' : 'steps'}`;
}
