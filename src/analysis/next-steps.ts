/** One tested step level as {@link suggestNextSteps} reads it. */
export interface TestedLevel {
  steps: number;
  n: number;
  /** Standard error of the level mean; null when unknown. */
  se: number | null;
}

/** A parametric curve's sensitivities, for choosing the most informative new step counts. */
export interface SensitivityModel {
  /** ∂q(s)/∂θ: the derivative of the fitted quality at `steps` with respect to each parameter. */
  jacobian(steps: number): number[];
  /** d(sweet spot)/dθ: the derivative of the (continuous) sweet spot with respect to each parameter. */
  gradient: readonly number[];
}

/** What {@link suggestNextSteps} needs. */
export interface NextStepsInput {
  tested: readonly TestedLevel[];
  /** The sweet spot in steps; null when there is none (no plateau or too little data). */
  sweetSpot: number | null;
  /** Its interval; null when unbounded or unknown. */
  interval: readonly [number, number] | null;
  /** False when the curve has not flattened within the tested range. */
  plateauReached: boolean;
  /** The saturating fit's sensitivities; omit for the isotonic fallback. */
  model?: SensitivityModel | null;
  /** Per-run variance of the metric (needed with `model`). */
  runVariance?: number | null;
  /** Runs to add at each suggested step count (default: the median runs per level, at least 3). */
  runsPerStep?: number;
  /**
   * The usable step range suggestions must stay in: the model's guide min to max, widened to twice
   * the highest tested step when the curve has not flattened (default: 1 to twice the highest).
   */
  range?: { min: number; max: number } | null;
  /** The caller's verdict that nothing more is needed (a bounded interval, top levels flat). */
  done?: boolean;
}

/** One suggested step count, with why, what it buys and what it costs. */
export interface NextStepSuggestion {
  steps: number;
  /** Runs to add there. */
  runs: number;
  /** Why this step count, in words. */
  why: string;
  /** Expected narrowing of the sweet spot's interval (0–1, cumulative with the ones before); null: not modelled. */
  narrowing: number | null;
  /** Renders this costs (= runs). */
  renders: number;
  /** Predicted render time in minutes (filled in from the duration model; null without one). */
  minutes: number | null;
}

/** "What to test next". */
export interface NextSteps {
  kind: 'test-higher' | 'test-lower' | 'narrow-interval' | 'done' | 'more-levels';
  /** Suggested step counts, ascending (empty when nothing is needed). */
  steps: number[];
  message: string;
  /** The same step counts with reason, expected narrowing and cost. */
  suggestions: NextStepSuggestion[];
}

type Pick = Omit<NextSteps, 'suggestions'> & { why?: string; narrowings?: number[] };

/**
 * Step counts far enough apart to matter: each kept one is at least 2 steps and 15% away from the
 * ones kept before it (12 and 14 read as the same test), and inside the usable range.
 */
export function distinctSteps(candidates: readonly number[], range: { min: number; max: number }): number[] {
  const kept: number[] = [];
  for (const raw of candidates) {
    const s = Math.min(range.max, Math.max(range.min, Math.round(raw)));
    if (kept.some((k) => Math.abs(s - k) < Math.max(2, 0.15 * Math.max(s, k)))) continue;
    kept.push(s);
  }
  return kept.sort((x, y) => x - y);
}

function invert(matrix: number[][]): number[][] | null {
  const size = matrix.length;
  const a = matrix.map((row, i) => [...row, ...matrix.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    const scale = Math.max(...a.map((row) => Math.abs(row[col]!)));
    if (!(Math.abs(a[pivot]![col]!) > 1e-13 * scale) || scale === 0) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const pivotRow = a[col]!;
    const p = pivotRow[col]!;
    for (let k = 0; k < 2 * size; k++) pivotRow[k]! /= p;
    for (let row = 0; row < size; row++) {
      if (row === col) continue;
      const current = a[row]!;
      const factor = current[col]!;
      for (let k = 0; k < 2 * size; k++) current[k]! -= factor * pivotRow[k]!;
    }
  }
  return a.map((row) => row.slice(size));
}

function times(matrix: readonly number[][], vector: readonly number[]): number[] {
  return matrix.map((row) => row.reduce((t, value, k) => t + value * vector[k]!, 0));
}

function dot(x: readonly number[], y: readonly number[]): number {
  return x.reduce((t, value, k) => t + value * y[k]!, 0);
}

function listSteps(steps: readonly number[]): string {
  if (steps.length <= 1) return steps.join('');
  return `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Suggests what to test next.
 *
 * - No plateau inside the tested range (`plateauReached` false, no sweet spot, an interval with no
 *   upper end, or a sweet spot beyond the highest tested step): "test higher steps", suggesting
 *   1.5× and 2× the highest tested (and the extrapolated sweet spot when there is one).
 * - A sweet spot below the lowest tested step: "test lower steps" (half the lowest, and the estimate).
 * - An interval already at most one step wide: nothing more is needed.
 * - Otherwise the 1–3 step counts that narrow the interval most. With the saturating fit this is a
 *   greedy c-optimal design: the delta-method variance of the sweet spot, gᵀ·I⁻¹·g with Fisher
 *   information I = Σ Jᵢ·Jᵢᵀ/seᵢ², is recomputed (Sherman–Morrison) for k more runs at each
 *   candidate step count, and the best candidate is added, three times. This is a cheap and smooth
 *   proxy for refitting the bootstrap per candidate: both measure the same spread to first order.
 *   Without a parametric model (the isotonic fallback) the midpoints of the widest untested gaps
 *   inside the interval are suggested, or else the tested levels there with the largest standard
 *   error.
 *
 * Reference: c-optimal designs for nonlinear models (Atkinson, Donev & Tobias, "Optimum
 * Experimental Designs, with SAS", 2007, ch. 17); Sherman & Morrison (1950) for the rank-one update.
 * Cost: O(C·p²) per suggestion for C ≤ 200 candidates and p parameters.
 *
 * Errors: "suggestNextSteps requires at least one tested level".
 *
 * @example
 * suggestNextSteps({ tested: [{ steps: 10, n: 5, se: 0.2 }, { steps: 20, n: 5, se: 0.2 },
 *   { steps: 30, n: 5, se: 0.2 }], sweetSpot: 45, interval: [38, 60], plateauReached: true });
 * // { kind: 'test-higher', steps: [45, 60],
 * //   message: 'The sweet spot (45 steps) lies beyond the highest tested step (30): test higher steps, e.g. 45 and 60.' }
 */
export function suggestNextSteps(input: NextStepsInput): NextSteps {
  if (input.tested.length === 0) throw new Error('suggestNextSteps requires at least one tested level');
  const highest = Math.max(...input.tested.map((level) => level.steps));
  const range = input.range ?? { min: 1, max: 2 * highest };
  const picked = pickNextSteps(input, range);
  const runs = input.runsPerStep ?? Math.max(3, Math.round(median(input.tested.map((level) => level.n))));
  const why =
    picked.why ??
    (picked.kind === 'test-higher'
      ? `the curve has not been seen to flatten by ${highest} steps: a level here shows whether quality still rises`
      : picked.kind === 'test-lower'
        ? 'the best may lie below the lowest tested step: a level here shows where quality starts to drop'
        : picked.kind === 'more-levels'
          ? 'a curve needs at least 3 step levels to show where it bends'
          : 'the curve around the sweet spot is least pinned down here');
  return {
    kind: picked.kind,
    steps: picked.steps,
    message: picked.message,
    suggestions: picked.steps.map((steps, index) => ({
      steps,
      runs,
      why,
      narrowing: picked.narrowings?.[index] ?? null,
      renders: runs,
      minutes: null,
    })),
  };
}

function pickNextSteps(input: NextStepsInput, range: { min: number; max: number }): Pick {
  const tested = [...input.tested].sort((x, y) => x.steps - y.steps);
  const lowest = tested[0]!.steps;
  const highest = tested[tested.length - 1]!.steps;
  const testedSet = new Set(tested.map((level) => level.steps));
  const higher = distinctSteps([Math.round(1.5 * highest), 2 * highest], range).filter((s) => s > highest);
  const { sweetSpot, interval } = input;

  if (!input.plateauReached || sweetSpot === null || (interval !== null && !Number.isFinite(interval[1]))) {
    return {
      kind: 'test-higher',
      steps: higher,
      message: `The curve has not flattened within the tested range (up to ${highest} steps): test higher steps, e.g. ${listSteps(higher)}.`,
    };
  }
  if (sweetSpot > highest) {
    const steps = distinctSteps([sweetSpot, ...higher], range).filter((s) => s > highest).slice(0, 3);
    return {
      kind: 'test-higher',
      steps,
      message: `The sweet spot (${sweetSpot} steps) lies beyond the highest tested step (${highest}): test higher steps, e.g. ${listSteps(steps)}.`,
    };
  }
  if (sweetSpot < lowest) {
    const steps = distinctSteps([Math.max(1, Math.round(lowest / 2)), sweetSpot], range).filter((s) => !testedSet.has(s));
    return {
      kind: 'test-lower',
      steps,
      message: `The sweet spot (${sweetSpot} steps) lies below the lowest tested step (${lowest}): test lower steps, e.g. ${listSteps(steps)}, to confirm it.`,
    };
  }
  if (input.done === true || (input.done === undefined && interval !== null && interval[1] - interval[0] <= 1)) {
    return { kind: 'done', steps: [], message: 'The interval is narrow and the top tested levels no longer improve by more than δ: no further tests are needed.' };
  }
  const runsPerStep = input.runsPerStep ?? Math.max(3, Math.round(median(tested.map((level) => level.n))));
  const fromModel = input.model && input.runVariance ? designFromModel(tested, input.model, input.runVariance, runsPerStep, range) : null;
  if (fromModel !== null) {
    const { steps, reduction, narrowings } = fromModel;
    return {
      kind: 'narrow-interval',
      steps,
      narrowings,
      why: `adding runs here narrows the sweet spot's interval most (a c-optimal design on the fitted curve)`,
      message: `Add ${runsPerStep} runs at each of ${listSteps(steps)} steps: this narrows the interval${interval === null ? '' : ` (${interval[0]}–${interval[1]})`} most, by about ${Math.round(reduction * 100)}%.`,
    };
  }
  const [from, to] = interval ?? [sweetSpot, sweetSpot];
  const inside = tested.map((level) => level.steps);
  const gaps: { midpoint: number; width: number }[] = [];
  for (let i = 1; i < inside.length; i++) {
    const left = inside[i - 1]!;
    const right = inside[i]!;
    if (right - left >= 2 && right >= from && left <= to) gaps.push({ midpoint: Math.round((left + right) / 2), width: right - left });
  }
  let steps = distinctSteps(gaps.sort((x, y) => y.width - x.width).slice(0, 3).map((gap) => gap.midpoint), range);
  if (steps.length === 0) {
    steps = tested
      .filter((level) => level.steps >= from && level.steps <= to)
      .sort((x, y) => (y.se ?? Infinity) - (x.se ?? Infinity))
      .slice(0, 3)
      .map((level) => level.steps);
  }
  steps.sort((x, y) => x - y);
  return {
    kind: 'narrow-interval',
    steps,
    message: `Add ${runsPerStep} runs at each of ${listSteps(steps)} steps, where the curve around the sweet spot is least pinned down.`,
  };
}

function designFromModel(
  tested: readonly TestedLevel[],
  model: SensitivityModel,
  runVariance: number,
  runsPerStep: number,
  range: { min: number; max: number },
): { steps: number[]; reduction: number; narrowings: number[] } | null {
  const p = model.gradient.length;
  const information = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const level of tested) {
    if (level.se === null || !(level.se > 0)) return null;
    const jacobian = model.jacobian(level.steps);
    for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) information[r]![c]! += (jacobian[r]! * jacobian[c]!) / level.se ** 2;
  }
  let inverse = invert(information);
  if (inverse === null) return null;
  const gradient = model.gradient;
  const initialVariance = dot(gradient, times(inverse, gradient));
  if (!(initialVariance > 0)) return null;
  const first = Math.max(1, range.min);
  const last = Math.max(first, range.max);
  const stride = Math.max(1, Math.ceil((last - first + 1) / 200));
  const candidates: number[] = [];
  for (let s = first; s <= last; s += stride) candidates.push(s);
  const addedWeight = runsPerStep / runVariance;
  const chosen: number[] = [];
  const reductions: number[] = [];
  let variance = initialVariance;
  for (let round = 0; round < 3; round++) {
    let best: { steps: number; variance: number; jacobian: number[] } | null = null;
    for (const s of candidates) {
      // Suggestions a step or two apart read as one; keep them at least 15% (and 2 steps) apart.
      if (chosen.some((c) => Math.abs(s - c) < Math.max(2, 0.15 * Math.max(s, c)))) continue;
      const jacobian = model.jacobian(s);
      const inverseJ = times(inverse!, jacobian);
      const projected = dot(gradient, inverseJ);
      const candidateVariance = variance - (addedWeight * projected * projected) / (1 + addedWeight * dot(jacobian, inverseJ));
      if (best === null || candidateVariance < best.variance) best = { steps: s, variance: candidateVariance, jacobian };
    }
    if (best === null) break;
    // Stop once a further step count would narrow the interval by less than 1%.
    if (chosen.length > 0 && Math.sqrt(best.variance / variance) > 0.99) break;
    chosen.push(best.steps);
    variance = best.variance;
    reductions.push(1 - Math.sqrt(Math.max(0, variance) / initialVariance));
    for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) information[r]![c]! += addedWeight * best.jacobian[r]! * best.jacobian[c]!;
    inverse = invert(information);
    if (inverse === null) break;
  }
  if (chosen.length === 0) return null;
  const order = chosen.map((steps, index) => ({ steps, narrowing: reductions[index]! })).sort((x, y) => x.steps - y.steps);
  return {
    steps: order.map((o) => o.steps),
    narrowings: order.map((o) => o.narrowing),
    reduction: 1 - Math.sqrt(Math.max(0, variance) / initialVariance),
  };
}
