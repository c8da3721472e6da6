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

function solveLinearSystem(matrix: number[][], rhs: number[]): number[] {
  // Gaussian elimination with partial pivoting on a small dense system (one row per step level).
  const size = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] ?? 0]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) {
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    }
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const pivotRow = a[col]!;
    for (let row = col + 1; row < size; row++) {
      const current = a[row]!;
      const factor = current[col]! / pivotRow[col]!;
      for (let k = col; k <= size; k++) current[k]! -= factor * pivotRow[k]!;
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    const current = a[row]!;
    let value = current[size]!;
    for (let k = row + 1; k < size; k++) value -= current[k]! * solution[k]!;
    solution[row] = value / current[row]!;
  }
  return solution;
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
 * 1971, §7.2; the same estimates backfitting converges to). Level means are μ re-centred so that
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
 * Cost: O(C + Σ_b k_b² + L³) for C cells, k_b levels in block b and L levels.
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

  // Reduced normal equations for the level effects.
  const runsAt = new Array<number>(levelCount).fill(0);
  const sumAt = new Array<number>(levelCount).fill(0);
  const normal = stepList.map(() => new Array<number>(levelCount).fill(0));
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
      const row = normal[cell.level]!;
      row[cell.level]! += cell.n;
      for (const other of block) row[other.level]! -= (cell.n * other.n) / blockRuns;
    }
  }
  // C is singular along the all-ones vector; adding c·11ᵀ fixes Σμ = 0 without changing C·μ = q.
  const ridge = runsAt.reduce((t, n) => t + n, 0) / levelCount / levelCount;
  const effects = solveLinearSystem(
    normal.map((row) => row.map((value) => value + ridge)),
    rhs,
  );
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
