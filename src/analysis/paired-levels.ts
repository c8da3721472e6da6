import { levelStatsFromSums, type LevelStats, type LevelSums } from './level-stats.js';

/** SQL aggregates of one metric for one block (prompt + seed) at one step level. */
export interface BlockCell {
  /** Key of the block, e.g. prompt and seed joined; renders sharing it differ only in steps. */
  block: string;
  steps: number;
  n: number;
  sum: number;
  sumSq: number;
}

/** Result of {@link pairedLevels}. */
export interface PairedLevels {
  /** Whether block effects were removed. */
  paired: boolean;
  /** Why (or why not), in words. */
  reason: string;
  /**
   * Per-level statistics, sorted by steps. Paired: the additive-model level effects re-centred to
   * the grand mean, with residual variances; unpaired: plain means and sample variances.
   */
  levels: LevelStats[];
  /** Blocks that span at least two step levels (the ones a paired analysis uses). */
  blocks: number;
  /** Runs left out of the paired analysis because their block appears at one step level only. */
  unpairedRuns: number;
}

interface Cell {
  level: number;
  n: number;
  sum: number;
  sumSq: number;
}

/**
 * Solves (C + c·11ᵀ)·μ = q by conjugate gradients, applying C without forming it:
 * C·v = diag(nⱼ)·v − Σ_b n_b·(n_bᵀ·v)/N_b. Each iteration costs O(cells), so the cost does not
 * grow with the cube of the number of levels (a dense solve of 1,600 levels took seconds).
 * C + c·11ᵀ is symmetric positive definite for a connected design (Hestenes & Stiefel, 1952).
 */
function solveReducedNormalEquations(
  blocks: readonly Cell[][],
  runsAt: readonly number[],
  ridge: number,
  rhs: readonly number[],
): number[] {
  const size = rhs.length;
  const blockRuns = blocks.map((block) => block.reduce((t, cell) => t + cell.n, 0));
  const apply = (v: readonly number[]): number[] => {
    const out = new Array<number>(size);
    let sum = 0;
    for (let j = 0; j < size; j++) {
      out[j] = runsAt[j]! * v[j]!;
      sum += v[j]!;
    }
    for (let j = 0; j < size; j++) out[j]! += ridge * sum;
    blocks.forEach((block, b) => {
      let projection = 0;
      for (const cell of block) projection += cell.n * v[cell.level]!;
      const scale = projection / blockRuns[b]!;
      for (const cell of block) out[cell.level]! -= cell.n * scale;
    });
    return out;
  };
  const x = new Array<number>(size).fill(0);
  const r = [...rhs];
  const p = [...rhs];
  let rr = r.reduce((t, value) => t + value * value, 0);
  const stop = 1e-26 * Math.max(rr, 1e-300);
  for (let iteration = 0; iteration < 4 * size + 20 && rr > stop; iteration++) {
    const ap = apply(p);
    const pap = p.reduce((t, value, j) => t + value * ap[j]!, 0);
    if (!(pap > 0)) break;
    const alpha = rr / pap;
    for (let j = 0; j < size; j++) {
      x[j]! += alpha * p[j]!;
      r[j]! -= alpha * ap[j]!;
    }
    const next = r.reduce((t, value) => t + value * value, 0);
    const beta = next / rr;
    rr = next;
    for (let j = 0; j < size; j++) p[j] = r[j]! + beta * p[j]!;
  }
  return x;
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * Removes prompt difficulty from per-level statistics when the same prompt + seed (a block) was
 * rendered at several step counts: fits the additive two-way model y = μ_steps + β_block + ε by
 * least squares on the block × level aggregates, which handles unbalanced and incomplete designs.
 *
 * The block effects are eliminated exactly: the level effects solve the reduced normal equations
 * C·μ = q with C = diag(nⱼ) − Σ_b n_b·n_bᵀ / n_b and qⱼ = Sⱼ − Σ_b n_bj·ȳ_b (Searle, "Linear Models",
 * 1971, §7.2; the same estimates backfitting converges to), by conjugate gradients. Level means are μ re-centred so that
 * their run-weighted mean equals the grand mean of the paired data (in a complete balanced grid they
 * equal the raw level means). Level variances are the residual variance per run, including
 * replicate spread inside cells, with the residual degrees of freedom N − L − B + 1 shared among
 * levels in proportion to their runs (NaN when none are left). With B complete blocks, the standard
 * error √(variance / n) then gives the right variance for differences between levels.
 *
 * Blocks seen at a single step level carry no information on step effects (their own block effect
 * absorbs them) and are left out of a paired analysis. The analysis is unpaired (plain per-level
 * statistics over all runs) when fewer than 2 blocks span two or more levels, when some level shares
 * no block with another level, or when the levels split into groups that share no blocks.
 *
 * Cost: O(C·I) for C cells and I ≤ 4L conjugate-gradient iterations (a handful for a well-connected
 * grid), plus O(C log C) to group the cells.
 *
 * Errors: "pairedLevels requires positive integer steps", "... requires a non-negative integer n",
 * "... requires finite sums".
 *
 * @example
 * // Two prompts, one 2 points harder, each rendered once at 10 and 20 steps:
 * pairedLevels([
 *   { block: 'p1', steps: 10, n: 1, sum: 5, sumSq: 25 },
 *   { block: 'p1', steps: 20, n: 1, sum: 7, sumSq: 49 },
 *   { block: 'p2', steps: 10, n: 1, sum: 3, sumSq: 9 },
 *   { block: 'p2', steps: 20, n: 1, sum: 5, sumSq: 25 },
 * ]);
 * // { paired: true, levels: [{ steps: 10, n: 2, mean: 4, variance: 0 },
 * //                          { steps: 20, n: 2, mean: 6, variance: 0 }], blocks: 2, ... }
 */
export function pairedLevels(cells: readonly BlockCell[]): PairedLevels {
  const name = 'pairedLevels';
  for (const cell of cells) {
    if (!Number.isInteger(cell.steps) || cell.steps < 1) throw new Error(`${name} requires positive integer steps`);
    if (!Number.isInteger(cell.n) || cell.n < 0) throw new Error(`${name} requires a non-negative integer n`);
    if (!Number.isFinite(cell.sum) || !Number.isFinite(cell.sumSq)) throw new Error(`${name} requires finite sums`);
  }
  const rated = cells.filter((cell) => cell.n > 0);

  const perLevel = new Map<number, LevelSums>();
  for (const cell of rated) {
    const level = perLevel.get(cell.steps) ?? { steps: cell.steps, n: 0, sum: 0, sumSq: 0 };
    level.n += cell.n;
    level.sum += cell.sum;
    level.sumSq += cell.sumSq;
    perLevel.set(cell.steps, level);
  }
  const unpairedLevels = levelStatsFromSums([...perLevel.values()]);
  const stepList = unpairedLevels.map((level) => level.steps);
  const levelIndex = new Map(stepList.map((steps, index) => [steps, index]));

  // Group cells by block, merging repeated (block, steps) cells.
  const blockCells = new Map<string, Map<number, Cell>>();
  for (const cell of rated) {
    const levels = blockCells.get(cell.block) ?? new Map<number, Cell>();
    const index = levelIndex.get(cell.steps)!;
    const merged = levels.get(index) ?? { level: index, n: 0, sum: 0, sumSq: 0 };
    merged.n += cell.n;
    merged.sum += cell.sum;
    merged.sumSq += cell.sumSq;
    levels.set(index, merged);
    blockCells.set(cell.block, levels);
  }
  const informative = [...blockCells.values()].filter((levels) => levels.size >= 2).map((levels) => [...levels.values()]);
  const totalRuns = unpairedLevels.reduce((total, level) => total + level.n, 0);
  const pairedRuns = informative.reduce((total, block) => total + block.reduce((t, cell) => t + cell.n, 0), 0);
  const unpaired = (reason: string): PairedLevels => ({
    paired: false,
    reason,
    levels: unpairedLevels,
    blocks: informative.length,
    unpairedRuns: totalRuns,
  });

  if (informative.length < 2) {
    return unpaired(
      `unpaired: ${informative.length} prompt+seed block${informative.length === 1 ? '' : 's'} appear at two or more step levels; pairing needs at least 2`,
    );
  }
  const levelCount = stepList.length;
  const parent = stepList.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root]!;
    return root;
  };
  const covered = new Array<boolean>(levelCount).fill(false);
  for (const block of informative) {
    const first = find(block[0]!.level);
    for (const cell of block) {
      covered[cell.level] = true;
      parent[find(cell.level)] = first;
    }
  }
  const uncovered = stepList.filter((_, index) => !covered[index]);
  if (uncovered.length > 0) {
    return unpaired(
      `unpaired: step level${uncovered.length === 1 ? '' : 's'} ${uncovered.join(', ')} share${uncovered.length === 1 ? 's' : ''} no prompt+seed with another level`,
    );
  }
  const roots = new Set(stepList.map((_, index) => find(index)));
  if (roots.size > 1) {
    return unpaired(`unpaired: the step levels split into ${roots.size} groups that share no prompt+seed`);
  }

  // Reduced normal equations for the level effects (solved iteratively, never formed densely).
  const runsAt = new Array<number>(levelCount).fill(0);
  const sumAt = new Array<number>(levelCount).fill(0);
  const rhs = new Array<number>(levelCount).fill(0);
  const blockMeans: number[] = [];
  for (const block of informative) {
    const blockRuns = block.reduce((t, cell) => t + cell.n, 0);
    const blockMean = block.reduce((t, cell) => t + cell.sum, 0) / blockRuns;
    blockMeans.push(blockMean);
    for (const cell of block) {
      runsAt[cell.level]! += cell.n;
      sumAt[cell.level]! += cell.sum;
      rhs[cell.level]! += cell.sum - cell.n * blockMean;
    }
  }
  // C is singular along the all-ones vector; adding c·11ᵀ fixes Σμ = 0 without changing C·μ = q.
  const ridge = runsAt.reduce((t, n) => t + n, 0) / levelCount / levelCount;
  const effects = solveReducedNormalEquations(informative, runsAt, ridge, rhs);
  const grandMean = sumAt.reduce((t, s) => t + s, 0) / pairedRuns;
  const weightedEffect = effects.reduce((t, effect, index) => t + effect * runsAt[index]!, 0) / pairedRuns;
  const means = effects.map((effect) => effect - weightedEffect + grandMean);

  const residualSum = new Array<number>(levelCount).fill(0);
  let blockEffectSumSq = 0;
  informative.forEach((block, blockIndex) => {
    const blockRuns = block.reduce((t, cell) => t + cell.n, 0);
    const blockEffect = blockMeans[blockIndex]! - block.reduce((t, cell) => t + cell.n * means[cell.level]!, 0) / blockRuns;
    blockEffectSumSq += blockEffect * blockEffect;
    for (const cell of block) {
      const cellMean = cell.sum / cell.n;
      const within = Math.max(0, cell.sumSq - cell.sum * cellMean);
      const residual = cellMean - means[cell.level]! - blockEffect;
      residualSum[cell.level]! += within + cell.n * residual * residual;
    }
  });
  const residualDf = pairedRuns - levelCount - informative.length + 1;
  const levels: LevelStats[] = stepList.map((steps, index) => ({
    steps,
    n: runsAt[index]!,
    mean: means[index]!,
    variance: residualDf > 0 ? residualSum[index]! / ((residualDf * runsAt[index]!) / pairedRuns) : Number.NaN,
  }));
  const blockSd = Math.sqrt(blockEffectSumSq / informative.length);
  const leftOut = totalRuns - pairedRuns;
  return {
    paired: true,
    reason:
      `paired on ${informative.length} prompt+seed blocks across ${levelCount} step levels; ` +
      `block effects (SD ${formatNumber(blockSd)}) removed` +
      (leftOut > 0 ? `; ${leftOut} run${leftOut === 1 ? '' : 's'} from blocks seen at one step level left out` : ''),
    levels,
    blocks: informative.length,
    unpairedRuns: leftOut,
  };
}
