import { levelStatsFromSums, pooledVariance, type LevelStats, type LevelSums } from '../level-stats.js';
import type { BlockCell, PairedLevels } from '../paired-levels.js';

/** The result of {@link joinUnpairedRuns}. */
export interface JoinedLevels {
  levels: LevelStats[];
  /** Runs from prompt+seed blocks seen at two or more step levels. */
  pairedRuns: number;
  /** Runs without prompt + seed, or from a block seen at one step level only, that joined in. */
  unpairedRuns: number;
  /** How the runs were used, in words. */
  reason: string;
}

function subtract(all: readonly LevelSums[], cells: readonly BlockCell[]): LevelSums[] {
  const paired = new Map<number, LevelSums>();
  for (const cell of cells) {
    const level = paired.get(cell.steps) ?? { steps: cell.steps, n: 0, sum: 0, sumSq: 0 };
    level.n += cell.n;
    level.sum += cell.sum;
    level.sumSq += cell.sumSq;
    paired.set(cell.steps, level);
  }
  return all
    .map((level) => {
      const p = paired.get(level.steps);
      return p ? { steps: level.steps, n: level.n - p.n, sum: level.sum - p.sum, sumSq: Math.max(0, level.sumSq - p.sumSq) } : { ...level };
    })
    .filter((level) => level.n > 0);
}

/**
 * Lets every rated run count in a paired analysis: the runs outside the paired blocks (no prompt +
 * seed, or a block seen at one step level) form one more block of their own with its own offset γ
 * and a shared level effect. Per level, the paired effect mⱼ (variance σ²/nⱼ from the block
 * residuals) and the unpaired mean ūⱼ − γ (variance s²ᵤ/uⱼ, where s²ᵤ also holds the prompt-to-prompt
 * spread) are combined by inverse-variance weights; γ is the weighted mean of ūⱼ − mⱼ over the
 * levels that have both. A level tested only by unpaired runs gets ūⱼ − γ, with the variance of γ
 * added. Each level then reports all its runs with variance = n·(combined standard error)², so the
 * curve engine weighs it by what it knows.
 *
 * Reference: inter-block recovery of information in incomplete block designs (Yates, 1940), here
 * with one pooled unpaired block. Cost: O(L + C) for L levels and C cells.
 *
 * Errors: those of `levelStatsFromSums`.
 *
 * @example
 * // Paired effects 5 and 7 (σ² 0.04 from 2 blocks), plus 2 unpaired runs at 10 steps scoring 6.
 * // γ = 1, so the unpaired runs say 5 at 10 steps: the level keeps 5 and counts 4 runs.
 */
export function joinUnpairedRuns(pairing: PairedLevels, all: readonly LevelSums[], cells: readonly BlockCell[]): JoinedLevels {
  const informative = new Map<string, Set<number>>();
  for (const cell of cells) if (cell.n > 0) informative.set(cell.block, (informative.get(cell.block) ?? new Set()).add(cell.steps));
  const pairedCells = cells.filter((cell) => cell.n > 0 && (informative.get(cell.block)?.size ?? 0) >= 2);
  const pairedRuns = pairing.levels.reduce((t, level) => t + level.n, 0);
  const rest = levelStatsFromSums(subtract(all, pairedCells));
  const restRuns = rest.reduce((t, level) => t + level.n, 0);
  if (restRuns === 0) return { levels: pairing.levels, pairedRuns, unpairedRuns: 0, reason: pairing.reason };

  // The spread of one unpaired run: its own replicates where there are any, else the raw spread of
  // the paired runs (which holds the prompt-to-prompt differences the blocks removed).
  const own = pooledVariance(rest);
  const raw = pooledVariance(levelStatsFromSums(subtract(all, []).map((level) => ({ ...level }))));
  const unpairedVariance = own.df >= 2 ? own.variance : raw.variance;
  const byStep = new Map(pairing.levels.map((level) => [level.steps, level]));
  const pairedSe2 = (level: LevelStats) => (Number.isFinite(level.variance) ? level.variance / level.n : Number.NaN);
  let offsetWeight = 0;
  let offsetSum = 0;
  for (const level of rest) {
    const p = byStep.get(level.steps);
    if (!p) continue;
    const weight = 1 / (pairedSe2(p) + unpairedVariance / level.n);
    if (!Number.isFinite(weight)) continue;
    offsetWeight += weight;
    offsetSum += weight * (level.mean - p.mean);
  }
  if (!(offsetWeight > 0) || !(unpairedVariance > 0)) {
    return {
      levels: pairing.levels,
      pairedRuns,
      unpairedRuns: 0,
      reason: `${pairing.reason}; ${restRuns} unpaired run${restRuns === 1 ? '' : 's'} left out: they share no step level with the paired runs or their spread is unknown`,
    };
  }
  const offset = offsetSum / offsetWeight;
  const offsetVariance = 1 / offsetWeight;
  const restByStep = new Map(rest.map((level) => [level.steps, level]));
  const steps = [...new Set([...byStep.keys(), ...restByStep.keys()])].sort((x, y) => x - y);
  const levels: LevelStats[] = steps.map((s) => {
    const p = byStep.get(s);
    const u = restByStep.get(s);
    if (p && !u) return p;
    const uVariance = unpairedVariance / u!.n + (p ? 0 : offsetVariance);
    if (!p) return { steps: s, n: u!.n, mean: u!.mean - offset, variance: uVariance * u!.n };
    const pVariance = pairedSe2(p);
    // Paired effects known exactly (blocks that differ by pure offsets) need nothing added.
    if (pVariance === 0) return { steps: s, n: p.n + u!.n, mean: p.mean, variance: 0 };
    const combinedVariance = 1 / (1 / pVariance + 1 / uVariance);
    const mean = combinedVariance * (p.mean / pVariance + (u!.mean - offset) / uVariance);
    const n = p.n + u!.n;
    return { steps: s, n, mean, variance: combinedVariance * n };
  });
  return {
    levels,
    pairedRuns,
    unpairedRuns: restRuns,
    reason: `${pairing.reason}; ${restRuns} unpaired run${restRuns === 1 ? '' : 's'} (no prompt + seed, or a seed at one step level) joined as their own block with a shared level effect`,
  };
}
