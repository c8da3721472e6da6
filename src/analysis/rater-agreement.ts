/** One rater's blind judgement between renders `a` and `b` ('tie' = "can't tell"). */
export interface RaterJudgement {
  rater: string;
  a: string;
  b: string;
  outcome: 'a' | 'b' | 'tie';
}

/** Agreement of two raters on the pairs both judged. */
export interface RaterPairAgreement {
  raters: [string, string];
  sharedPairs: number;
  /** Share of shared pairs with the same answer, 0–1 (null without shared pairs). */
  agreementShare: number | null;
  /** Cohen's kappa (null without shared pairs or when chance agreement is 1). */
  cohensKappa: number | null;
}

/** The result of {@link raterAgreement}: plain, JSON-serialisable data. */
export interface RaterAgreement {
  /** Every rater seen, sorted. */
  raters: string[];
  /** Pairs of renders judged by two raters or more. */
  sharedPairs: number;
  /**
   * Over the shared pairs, the mean share of agreeing rater pairs (0–1; for two raters, the share of
   * pairs they answered alike). Null without shared pairs.
   */
  agreementShare: number | null;
  /** Cohen's kappa when exactly two raters judged; null otherwise or when undefined. */
  cohensKappa: number | null;
  /** Fleiss' kappa over the shared pairs (two raters or more); null when undefined. */
  fleissKappa: number | null;
  /** Every pair of raters with at least one shared pair. */
  pairwise: RaterPairAgreement[];
}

const CATEGORIES = ['first', 'second', 'tie'] as const;
type Category = (typeof CATEGORIES)[number];

function byCodeUnit(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Cohen's kappa for two raters from their k × k table of counts (row: rater 1's category, column:
 * rater 2's): κ = (pₒ − pₑ) / (1 − pₑ), with pₒ the share on the diagonal and pₑ = Σ rowᵢ·colᵢ / N²
 * the agreement expected by chance (Cohen, "A coefficient of agreement for nominal scales", 1960).
 * 1 is perfect agreement, 0 chance level, below 0 worse than chance. Null when pₑ = 1 (both raters
 * always used one and the same category), where κ is undefined.
 *
 * Cost: O(k²).
 *
 * Errors: "cohensKappa requires a square table of non-negative finite counts",
 * "cohensKappa requires at least one counted item".
 *
 * @example
 * cohensKappa([[20, 5], [10, 15]]); // → 0.4 (pₒ = 0.7, pₑ = 0.5)
 */
export function cohensKappa(table: readonly (readonly number[])[]): number | null {
  const size = Array.isArray(table) ? table.length : 0;
  if (
    size === 0 ||
    !table.every((row) => Array.isArray(row) && row.length === size && row.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0))
  ) {
    throw new Error('cohensKappa requires a square table of non-negative finite counts');
  }
  const total = table.reduce((sum, row) => sum + row.reduce((s, v) => s + v, 0), 0);
  if (!(total > 0)) throw new Error('cohensKappa requires at least one counted item');
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < size; i++) {
    observed += table[i]![i]!;
    const rowSum = table[i]!.reduce((s, v) => s + v, 0);
    const columnSum = table.reduce((s, row) => s + row[i]!, 0);
    expected += rowSum * columnSum;
  }
  observed /= total;
  expected /= total * total;
  if (expected >= 1) return null;
  return (observed - expected) / (1 - expected);
}

/**
 * Fleiss' kappa for several raters from an items × categories table: nᵢⱼ raters put item i in
 * category j (Fleiss, "Measuring nominal scale agreement among many raters", Psychological Bulletin
 * 76, 1971). Pᵢ = (Σⱼ nᵢⱼ² − nᵢ) / (nᵢ(nᵢ − 1)) is the share of agreeing rater pairs on item i, P̄ their
 * mean, pⱼ = Σᵢ nᵢⱼ / Σᵢ nᵢ and Pₑ = Σⱼ pⱼ²; κ = (P̄ − Pₑ) / (1 − Pₑ). Items may have different numbers
 * of raters nᵢ ≥ 2 (each item's Pᵢ is computed from its own nᵢ, the usual extension; with a constant
 * number of raters this is Fleiss' original). Null when Pₑ = 1.
 *
 * Cost: O(items × categories).
 *
 * Errors: "fleissKappa requires at least one item", "fleissKappa requires rows of equal length with
 * non-negative whole counts", "fleissKappa requires at least two ratings per item (item 3 has 1)".
 *
 * @example
 * // Fleiss (1971) as retold on Wikipedia: 10 items, 14 raters, 5 categories.
 * fleissKappa([
 *   [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
 *   [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
 * ]); // → 0.2099 (P̄ = 0.3780, Pₑ = 0.2128)
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  if (!Array.isArray(counts) || counts.length === 0) throw new Error('fleissKappa requires at least one item');
  const width = Array.isArray(counts[0]) ? counts[0].length : 0;
  if (
    width === 0 ||
    !counts.every((row) => Array.isArray(row) && row.length === width && row.every((v) => Number.isInteger(v) && v >= 0))
  ) {
    throw new Error('fleissKappa requires rows of equal length with non-negative whole counts');
  }
  const categoryTotals = new Array<number>(width).fill(0);
  let ratings = 0;
  let agreementSum = 0;
  // Array.isArray narrows a readonly array to any[]; name the checked rows with their type again.
  const rows: readonly (readonly number[])[] = counts;
  rows.forEach((row, i) => {
    const raters = row.reduce((s, v) => s + v, 0);
    if (raters < 2) throw new Error(`fleissKappa requires at least two ratings per item (item ${i + 1} has ${raters})`);
    agreementSum += (row.reduce((s, v) => s + v * v, 0) - raters) / (raters * (raters - 1));
    row.forEach((v, j) => (categoryTotals[j]! += v));
    ratings += raters;
  });
  const meanAgreement = agreementSum / counts.length;
  const chance = categoryTotals.reduce((s, v) => s + (v / ratings) ** 2, 0);
  if (chance >= 1) return null;
  return (meanAgreement - chance) / (1 - chance);
}

/**
 * How well raters agree on blind pairwise judgements. A judgement of renders (x, y) is read as one
 * of three answers about the unordered pair: the first id (in code-unit order) is better, the
 * second is, or "can't tell"; so "a beats b" and "b loses to a" are the same answer. When a rater
 * judged a pair more than once, their last judgement counts (a rater may change their mind).
 *
 * Over the pairs judged by two raters or more: the agreement share (for two raters, the share of
 * pairs answered alike), Cohen's kappa when exactly two raters took part ({@link cohensKappa}) and
 * Fleiss' kappa for any number ({@link fleissKappa}, allowing a different number of raters per pair),
 * plus Cohen's kappa and the agreement share for every pair of raters who share a pair. Kappa
 * corrects the agreement for chance: with many "can't tell" answers near the plateau, raw agreement
 * alone flatters.
 *
 * Cost: O(J log J + R² · S) for J judgements, R raters and S shared pairs.
 *
 * Errors: "raterAgreement requires judgements with a rater, ids a and b that differ, and an outcome
 * of 'a', 'b' or 'tie' (judgement 2 is not)".
 *
 * @example
 * raterAgreement([
 *   { rater: 'ann', a: 'r10', b: 'r30', outcome: 'b' },
 *   { rater: 'bob', a: 'r30', b: 'r10', outcome: 'a' },
 *   { rater: 'ann', a: 'r30', b: 'r40', outcome: 'tie' },
 *   { rater: 'bob', a: 'r30', b: 'r40', outcome: 'b' },
 * ]);
 * // → { raters: ['ann', 'bob'], sharedPairs: 2, agreementShare: 0.5, cohensKappa: 0, fleissKappa: -0.3333, … }
 * // (r10 vs r30: both say r30; r30 vs r40: ann can't tell, bob says r40)
 */
export function raterAgreement(judgements: readonly RaterJudgement[]): RaterAgreement {
  if (!Array.isArray(judgements)) throw new Error('raterAgreement requires an array of judgements');
  // pair key → rater → answer (the last one wins)
  const answers = new Map<string, Map<string, Category>>();
  const raterSet = new Set<string>();
  judgements.forEach((judgement, index) => {
    const j = judgement as Partial<RaterJudgement> | null;
    if (
      !j ||
      typeof j.rater !== 'string' ||
      j.rater === '' ||
      typeof j.a !== 'string' ||
      typeof j.b !== 'string' ||
      j.a === j.b ||
      !(j.outcome === 'a' || j.outcome === 'b' || j.outcome === 'tie')
    ) {
      throw new Error(
        `raterAgreement requires judgements with a rater, ids a and b that differ, and an outcome of 'a', 'b' or 'tie' (judgement ${index + 1} is not)`,
      );
    }
    const [first, second] = [j.a, j.b].sort(byCodeUnit) as [string, string];
    const winner = j.outcome === 'tie' ? null : j.outcome === 'a' ? j.a : j.b;
    const answer: Category = winner === null ? 'tie' : winner === first ? 'first' : 'second';
    const key = `${first}\u0000${second}`;
    let byRater = answers.get(key);
    if (!byRater) answers.set(key, (byRater = new Map()));
    byRater.set(j.rater, answer);
    raterSet.add(j.rater);
  });
  const raters = [...raterSet].sort(byCodeUnit);
  // Sorted by pair, so sums run in the same order whatever the order of the judgements.
  const shared = [...answers]
    .filter(([, byRater]) => byRater.size >= 2)
    .sort(([x], [y]) => byCodeUnit(x, y))
    .map(([, byRater]) => byRater);

  const pairwise: RaterPairAgreement[] = [];
  for (let x = 0; x < raters.length; x++) {
    for (let y = x + 1; y < raters.length; y++) {
      const table = CATEGORIES.map(() => CATEGORIES.map(() => 0));
      let count = 0;
      let alike = 0;
      for (const byRater of shared) {
        const first = byRater.get(raters[x]!);
        const second = byRater.get(raters[y]!);
        if (first === undefined || second === undefined) continue;
        table[CATEGORIES.indexOf(first)]![CATEGORIES.indexOf(second)]!++;
        count++;
        if (first === second) alike++;
      }
      if (count === 0) continue;
      pairwise.push({
        raters: [raters[x]!, raters[y]!],
        sharedPairs: count,
        agreementShare: alike / count,
        cohensKappa: cohensKappa(table),
      });
    }
  }

  let agreementShare: number | null = null;
  let fleiss: number | null = null;
  if (shared.length > 0) {
    const counts = shared.map((byRater) => CATEGORIES.map((category) => [...byRater.values()].filter((v) => v === category).length));
    fleiss = fleissKappa(counts);
    agreementShare =
      counts.reduce((sum, row) => {
        const n = row.reduce((s, v) => s + v, 0);
        return sum + (row.reduce((s, v) => s + v * v, 0) - n) / (n * (n - 1));
      }, 0) / counts.length;
  }
  return {
    raters,
    sharedPairs: shared.length,
    agreementShare,
    cohensKappa: raters.length === 2 ? (pairwise[0]?.cohensKappa ?? null) : null,
    fleissKappa: fleiss,
    pairwise,
  };
}

/** A sweet spot as {@link compareSweetSpots} reads it (a subset of `SweetSpotResult`). */
export interface SweetSpotEstimate {
  steps: number;
  /** 90% interval in steps; null when it has no upper end or the noise is unknown. */
  interval: [number, number] | null;
  /** The interval's lower end when it has no upper end. */
  lowerBound?: number | null;
  /** Name for the sentence, e.g. "score" or "preference". */
  label?: string;
}

/** The result of {@link compareSweetSpots}. */
export interface SweetSpotComparison {
  /** b.steps − a.steps. */
  difference: number;
  /** Whether the two 90% intervals share a step count; null when either has none. */
  intervalsOverlap: boolean | null;
  /** The shared range (`to` null: open-ended); null when they do not overlap or are unknown. */
  overlap: { from: number; to: number | null } | null;
  sentence: string;
}

function rangeOf(estimate: SweetSpotEstimate): { from: number; to: number } | null {
  if (estimate.interval) return { from: estimate.interval[0], to: estimate.interval[1] };
  if (typeof estimate.lowerBound === 'number') return { from: estimate.lowerBound, to: Number.POSITIVE_INFINITY };
  return null;
}

function rangeText(range: { from: number; to: number }): string {
  if (range.to === Number.POSITIVE_INFINITY) return `${range.from} steps or more`;
  return range.from === range.to ? `${range.from} steps` : `${range.from}–${range.to} steps`;
}

/**
 * Whether two sweet spots (e.g. from the 0–10 score and from blind preferences) agree: the
 * difference in steps and whether their 90% intervals overlap, with a sentence for the experiment
 * report. An interval without an upper end (`interval: null` with a `lowerBound`) counts as reaching
 * to infinity. Overlapping 90% intervals are a lenient test (two estimates can differ significantly
 * and still overlap a little), which suits "do these metrics tell the same story".
 *
 * Cost: O(1).
 *
 * Errors: "compareSweetSpots requires two sweet spots with positive finite steps", "compareSweetSpots
 * requires intervals [low, high] of finite numbers with low ≤ high".
 *
 * @example
 * compareSweetSpots(
 *   { steps: 30, interval: [26, 36], label: 'Score' },
 *   { steps: 35, interval: [30, 45], label: 'preference' },
 * ).sentence;
 * // → "Score (30 steps) and preference (35 steps) agree: 5 steps apart, their 90% intervals overlap at 30–36 steps"
 */
export function compareSweetSpots(a: SweetSpotEstimate, b: SweetSpotEstimate): SweetSpotComparison {
  for (const estimate of [a, b]) {
    if (!estimate || typeof estimate.steps !== 'number' || !(estimate.steps > 0) || !Number.isFinite(estimate.steps)) {
      throw new Error('compareSweetSpots requires two sweet spots with positive finite steps');
    }
    const interval = estimate.interval;
    const bound = estimate.lowerBound;
    if (
      (interval !== null && !(Array.isArray(interval) && interval.length === 2 && interval.every(Number.isFinite) && interval[0] <= interval[1])) ||
      (bound !== undefined && bound !== null && !Number.isFinite(bound))
    ) {
      throw new Error('compareSweetSpots requires intervals [low, high] of finite numbers with low ≤ high');
    }
  }
  const nameA = a.label ?? 'The first estimate';
  const nameB = b.label ?? 'the second';
  const difference = b.steps - a.steps;
  const apart = difference === 0 ? 'at the same step count' : `${Math.abs(difference)} steps apart`;
  const head = `${nameA} (${a.steps} steps) and ${nameB} (${b.steps} steps)`;
  const rangeA = rangeOf(a);
  const rangeB = rangeOf(b);
  if (!rangeA || !rangeB) {
    return {
      difference,
      intervalsOverlap: null,
      overlap: null,
      sentence: `${head} are ${apart}; without both intervals their agreement cannot be judged`,
    };
  }
  const from = Math.max(rangeA.from, rangeB.from);
  const to = Math.min(rangeA.to, rangeB.to);
  if (from > to) {
    return {
      difference,
      intervalsOverlap: false,
      overlap: null,
      sentence: `${head} disagree: ${apart}, their 90% intervals (${rangeText(rangeA)} and ${rangeText(rangeB)}) do not overlap`,
    };
  }
  return {
    difference,
    intervalsOverlap: true,
    overlap: { from, to: Number.isFinite(to) ? to : null },
    sentence: `${head} agree: ${apart}, their 90% intervals overlap at ${rangeText({ from, to })}`,
  };
}
