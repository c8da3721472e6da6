/** One pairwise judgement: a clear winner, or "can't tell" (a tie). */
export type PairwiseJudgement = { winner: string; loser: string } | { a: string; b: string; tie: true };

/** Settings of {@link fitBradleyTerry}. */
export interface BradleyTerryOptions {
  /**
   * Weight of the prior: every item gets this many virtual ties with a reference item of strength 1
   * (log-strength 0). Default 1; 0 fits the plain maximum-likelihood model, which exists only when
   * every group of compared items is linked both ways (each side has beaten the other at least once).
   */
  prior: number;
  /** Items to report even when they were never compared (they get log-strength 0). */
  items: readonly string[];
  /** Default 10,000. */
  maxIterations: number;
  /** Stop when no log-strength moves by more than this in one iteration. Default 1e-10. */
  tolerance: number;
}

/** One item of a {@link BradleyTerryFit}. */
export interface BradleyTerryItem {
  id: string;
  /** log πᵢ, centred to mean 0 within the item's component; P(i beats j) = 1 / (1 + e^(θⱼ − θᵢ)). */
  logStrength: number;
  /** Standard error of the centred log-strength; null for an item alone in its component. */
  standardError: number | null;
  /** Index of the connected component (items linked by comparisons), from 0, in order of first id. */
  component: number;
  wins: number;
  losses: number;
  ties: number;
}

/** The result of {@link fitBradleyTerry}: plain, JSON-serialisable data. */
export interface BradleyTerryFit {
  /** Sorted by id (code-unit order). */
  items: BradleyTerryItem[];
  components: number;
  iterations: number;
  converged: boolean;
  prior: number;
}

const DEFAULTS = { prior: 1, maxIterations: 10_000, tolerance: 1e-10 } as const;

function fail(requirement: string): never {
  throw new Error(`fitBradleyTerry requires ${requirement}`);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Inverts a small symmetric positive-definite matrix by Gauss–Jordan elimination with pivoting. */
function invert(matrix: number[][]): number[][] {
  const size = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: size }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const pivotRow = a[col]!;
    const scale = pivotRow[col]!;
    for (let k = 0; k < 2 * size; k++) pivotRow[k]! /= scale;
    for (let row = 0; row < size; row++) {
      if (row === col) continue;
      const current = a[row]!;
      const factor = current[col]!;
      if (factor === 0) continue;
      for (let k = 0; k < 2 * size; k++) current[k]! -= factor * pivotRow[k]!;
    }
  }
  return a.map((row) => row.slice(size));
}

/** Every node reachable from `start` along `edges` (depth-first). */
function reachable(start: number, edges: readonly (readonly number[])[]): Set<number> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const next of edges[stack.pop()!]!) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/**
 * The common shift c of log-strengths θ that maximises the prior's virtual ties with the reference:
 * the root of Σ σ(θᵢ + c) = m/2 (σ the logistic function), by safeguarded Newton steps.
 */
function priorShift(logStrengths: readonly number[]): number {
  const half = logStrengths.length / 2;
  let low = -Math.max(...logStrengths) - 50;
  let high = -Math.min(...logStrengths) + 50;
  let c = -logStrengths.reduce((sum, v) => sum + v, 0) / logStrengths.length;
  for (let step = 0; step < 100; step++) {
    let excess = -half;
    let slope = 0;
    for (const theta of logStrengths) {
      const q = 1 / (1 + Math.exp(-(theta + c)));
      excess += q;
      slope += q * (1 - q);
    }
    if (excess > 0) high = c;
    else low = c;
    let next = slope > 0 ? c - excess / slope : (low + high) / 2;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - c) <= 1e-13 * (1 + Math.abs(c))) return next;
    c = next;
  }
  return c;
}

/**
 * Fits the Bradley–Terry model P(i beats j) = πᵢ / (πᵢ + πⱼ) to pairwise judgements, e.g. blind
 * "which render is better?" answers, giving each item a log-strength θᵢ = log πᵢ.
 *
 * Method: the MM algorithm of Hunter ("MM algorithms for generalized Bradley–Terry models", Annals
 * of Statistics 32, 2004), πᵢ ← Wᵢ / Σⱼ nᵢⱼ / (πᵢ + πⱼ), updating all items at once (the minorizer
 * is separable, so each step still raises the likelihood), until no θ moves by more than
 * `tolerance`.
 *
 * Ties ("can't tell") count as half a win for each side and one comparison. Why not Davidson's tie
 * model (JASA 65, 1970)? Its likelihood ∏ πᵢ^wᵢⱼ πⱼ^wⱼᵢ (ν√(πᵢπⱼ))^tᵢⱼ / (πᵢ + πⱼ + ν√(πᵢπⱼ))^nᵢⱼ has the
 * same sufficient statistic for each strength, Wᵢ = wins + ties / 2, so both models rank from the
 * same counts; the half-win fit drops only the tie parameter ν, which a few judgements per pair
 * cannot estimate well, and it keeps the MM update unchanged. A tie pulls two strengths together.
 *
 * Prior: each item also has `prior` virtual ties with a fixed reference of strength 1 (in effect a
 * weak shrinkage of θ toward 0, worth about prior/4 units of Fisher information), so an item that
 * always wins or always loses, or was never compared, keeps a finite strength. After each MM step
 * every component is shifted as a whole to where the prior puts it (to geometric mean 1 with
 * `prior: 0`): a shift leaves the real comparisons unchanged, and MM alone moves along it slowly. Log-strengths are reported
 * centred to mean 0 within each connected component (strengths in different components are not
 * comparable). Standard errors come from the Fisher information of the fit (observed = expected for
 * this logit model): with the prior, I⁻¹ transformed to the centred values; without it, the
 * Moore–Penrose inverse (I + J/m)⁻¹ − J/m of the rank-deficient information of each component.
 *
 * Cost: O(t · (n + p)) for t iterations, n items and p distinct compared pairs, plus O(Σ m³) for the
 * standard errors of components of m items. Deterministic: items are processed in sorted order.
 *
 * Errors:
 * - "fitBradleyTerry requires judgements of the form { winner, loser } or { a, b, tie: true } with
 *   non-empty ids (judgement 2 is not)";
 * - `fitBradleyTerry requires judgements between two different items (judgement 1 compares "a" with itself)`;
 * - "fitBradleyTerry requires a finite prior ≥ 0", "… a whole number of maxIterations ≥ 1",
 *   "… a positive tolerance", "… items to be non-empty strings";
 * - `fitBradleyTerry requires a positive prior when some items never lose or never win against the
 *   rest of their component ("a" …): their strength would be infinite`.
 *
 * @example
 * const fit = fitBradleyTerry(
 *   [
 *     { winner: 'a', loser: 'b' }, { winner: 'a', loser: 'b' }, { winner: 'a', loser: 'b' },
 *     { winner: 'b', loser: 'a' },
 *   ],
 *   { prior: 0 },
 * );
 * fit.items.map((item) => item.logStrength); // → [0.5493, -0.5493] (a/b strength ratio 3: ln 3 = 1.0986)
 * fit.items[0].standardError; // → 0.5774 (√(1/3))
 * // With the default prior (one virtual tie each with a reference): [0.4744, -0.4744], ratio e^0.9489 = 2.58
 */
export function fitBradleyTerry(
  judgements: readonly PairwiseJudgement[],
  options: Partial<BradleyTerryOptions> = {},
): BradleyTerryFit {
  const prior = options.prior ?? DEFAULTS.prior;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  if (typeof prior !== 'number' || !Number.isFinite(prior) || prior < 0) fail('a finite prior ≥ 0');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) fail('a whole number of maxIterations ≥ 1');
  if (typeof tolerance !== 'number' || !(tolerance > 0)) fail('a positive tolerance');
  if (!Array.isArray(judgements)) fail('an array of judgements');

  // Normalise the judgements to (first, second, share of a win for first).
  const ids = new Set<string>();
  for (const id of options.items ?? []) {
    if (!isId(id)) fail('items to be non-empty strings');
    ids.add(id);
  }
  const parsed = judgements.map((judgement, index) => {
    const j = judgement as Partial<{ winner: unknown; loser: unknown; a: unknown; b: unknown; tie: unknown }> | null;
    let first: string;
    let second: string;
    let score: number;
    if (j && j.tie === true && isId(j.a) && isId(j.b)) [first, second, score] = [j.a, j.b, 0.5];
    else if (j && j.tie === undefined && isId(j.winner) && isId(j.loser)) [first, second, score] = [j.winner, j.loser, 1];
    else fail(`judgements of the form { winner, loser } or { a, b, tie: true } with non-empty ids (judgement ${index + 1} is not)`);
    if (first === second) fail(`judgements between two different items (judgement ${index + 1} compares "${first}" with itself)`);
    ids.add(first);
    ids.add(second);
    return { first, second, score };
  });

  const names = [...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const count = names.length;
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const wins = new Array<number>(count).fill(0);
  const losses = new Array<number>(count).fill(0);
  const ties = new Array<number>(count).fill(0);
  const pairCounts = new Map<number, number>();
  const beats: number[][] = names.map(() => []);
  const beatenBy: number[][] = names.map(() => []);
  for (const { first, second, score } of parsed) {
    const i = indexOf.get(first)!;
    const j = indexOf.get(second)!;
    if (score === 1) {
      wins[i]!++;
      losses[j]!++;
    } else {
      ties[i]!++;
      ties[j]!++;
    }
    const key = Math.min(i, j) * count + Math.max(i, j);
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    // A tie is half a win both ways, so it links the two items in both directions.
    beats[i]!.push(j);
    beatenBy[j]!.push(i);
    if (score !== 1) {
      beats[j]!.push(i);
      beatenBy[i]!.push(j);
    }
  }
  const neighbours: { j: number; n: number }[][] = names.map(() => []);
  for (const [key, n] of [...pairCounts].sort((x, y) => x[0] - y[0])) {
    const i = Math.floor(key / count);
    const j = key % count;
    neighbours[i]!.push({ j, n });
    neighbours[j]!.push({ j: i, n });
  }

  // Connected components (undirected), numbered in order of their first id.
  const component = new Array<number>(count).fill(-1);
  const members: number[][] = [];
  const linked = neighbours.map((list) => list.map((edge) => edge.j));
  for (let start = 0; start < count; start++) {
    if (component[start] !== -1) continue;
    const group = [...reachable(start, linked)].sort((x, y) => x - y);
    for (const i of group) component[i] = members.length;
    members.push(group);
  }

  if (prior === 0) {
    // The likelihood has a finite maximum iff each component is strongly connected in the
    // "beats" graph (Hunter 2004, assumption 1; Ford 1957).
    for (const group of members) {
      if (group.length < 2) continue;
      const root = group[0]!;
      const forward = reachable(root, beats);
      const backward = reachable(root, beatenBy);
      const stuck = group.find((i) => !forward.has(i) || !backward.has(i));
      if (stuck !== undefined) {
        fail(
          `a positive prior when some items never lose or never win against the rest of their component ` +
            `("${names[stuck]}" and "${names[root]}" are not linked both ways): their strength would be infinite`,
        );
      }
    }
  }

  const scores = names.map((_, i) => wins[i]! + ties[i]! / 2 + prior / 2);
  let strength = new Array<number>(count).fill(1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const next = strength.map((own, i) => {
      let denominator = prior / (own + 1);
      for (const { j, n } of neighbours[i]!) denominator += n / (own + strength[j]!);
      return denominator > 0 ? scores[i]! / denominator : own;
    });
    for (const group of members) {
      // A common shift of a component leaves its real comparisons unchanged, so only the prior
      // places it; MM alone creeps along that direction. Move it straight to its optimum instead
      // (an exact coordinate step, so the likelihood still rises).
      const shift = prior === 0
        ? -group.reduce((sum, i) => sum + Math.log(next[i]!), 0) / group.length
        : priorShift(group.map((i) => Math.log(next[i]!)));
      for (const i of group) next[i] = next[i]! * Math.exp(shift);
    }
    let change = 0;
    for (let i = 0; i < count; i++) change = Math.max(change, Math.abs(Math.log(next[i]!) - Math.log(strength[i]!)));
    strength = next;
    if (change <= tolerance) {
      converged = true;
      break;
    }
  }

  const logStrength = strength.map(Math.log);
  const standardError = new Array<number | null>(count).fill(null);
  for (const group of members) {
    const size = group.length;
    const centre = group.reduce((sum, i) => sum + logStrength[i]!, 0) / size;
    for (const i of group) logStrength[i] = logStrength[i]! - centre;
    if (size < 2) continue;
    // Fisher information of the log-strengths in this component.
    const position = new Map(group.map((item, k) => [item, k]));
    const information = group.map(() => new Array<number>(size).fill(0));
    group.forEach((i, k) => {
      const own = strength[i]!;
      const p = own / (own + 1);
      information[k]![k]! += prior * p * (1 - p);
      for (const { j, n } of neighbours[i]!) {
        const other = strength[j]!;
        const pij = own / (own + other);
        const v = n * pij * (1 - pij);
        information[k]![k]! += v;
        information[k]![position.get(j)!]! -= v;
      }
    });
    let covariance: number[][];
    if (prior > 0) {
      const inverse = invert(information);
      // Covariance of θᵢ − mean(θ): Σᵢᵢ − 2·mean(Σᵢ·) + mean(Σ).
      const rowMeans = inverse.map((row) => row.reduce((sum, v) => sum + v, 0) / size);
      const grandMean = rowMeans.reduce((sum, v) => sum + v, 0) / size;
      covariance = inverse.map((row, k) => row.map((v, l) => (k === l ? v - 2 * rowMeans[k]! + grandMean : v)));
    } else {
      const shifted = information.map((row) => row.map((v) => v + 1 / size));
      covariance = invert(shifted).map((row) => row.map((v) => v - 1 / size));
    }
    group.forEach((i, k) => {
      standardError[i] = Math.sqrt(Math.max(0, covariance[k]![k]!));
    });
  }

  return {
    items: names.map((id, i) => ({
      id,
      logStrength: logStrength[i]!,
      standardError: standardError[i]!,
      component: component[i]!,
      wins: wins[i]!,
      losses: losses[i]!,
      ties: ties[i]!,
    })),
    components: members.length,
    iterations,
    converged,
    prior,
  };
}

/**
 * The fitted probability that `a` is preferred to `b`: 1 / (1 + e^(θ_b − θ_a)); a tie counts as half
 * a win, so this is also the expected share of "a" answers plus half the "can't tell" answers.
 * Null when either item is missing from the fit or they lie in different components (their
 * strengths share no scale).
 *
 * Cost: O(n) to find the items (O(1) with a prebuilt map).
 *
 * @example
 * winProbability(fit, 'a', 'b'); // → 0.75, with `fit` from the fitBradleyTerry example (3 wins of 4)
 */
export function winProbability(fit: BradleyTerryFit, a: string, b: string): number | null {
  const first = fit.items.find((item) => item.id === a);
  const second = fit.items.find((item) => item.id === b);
  if (!first || !second || first.component !== second.component) return null;
  return 1 / (1 + Math.exp(second.logStrength - first.logStrength));
}
