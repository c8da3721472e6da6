/**
 * Seeded simulation tests of the sweet-spot engine: data drawn from known saturating curves
 * q(s) = a − b·exp(−s/τ) with rater noise (and, for paired designs, per-prompt offsets), analysed
 * as the service would (SQL-style sums → level statistics → analyzeCurve).
 */
import { describe, expect, it } from 'vitest';
import { analyzeCurve, type CurveAnalysis } from '../../src/analysis/analyze-curve.js';
import { levelStatsFromSums, type LevelSums } from '../../src/analysis/level-stats.js';
import { pairedLevels, type BlockCell } from '../../src/analysis/paired-levels.js';
import { createRandom } from '../../src/analysis/random.js';

interface Scenario {
  tau: number;
  steps: number[];
}

const A = 8;
const B = 5;
const DELTA = 0.25;
const SCENARIOS: Scenario[] = [
  { tau: 1, steps: [1, 2, 3, 4, 5, 6, 8] },
  { tau: 3, steps: [1, 2, 4, 6, 8, 10, 12, 15, 20] },
  { tau: 10, steps: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50] },
  { tau: 13, steps: [10, 20, 30, 40, 50, 60, 70, 80] },
];
const truthOf = (tau: number) => Math.ceil(tau * Math.log(B / DELTA));

interface Draw {
  /** Per-level sums, ignoring prompts (an unpaired analysis). */
  sums: LevelSums[];
  /** Per prompt+seed block × level sums (for a paired analysis). */
  cells: BlockCell[];
}

/** `blocks` prompt+seed blocks, each rendered `perBlock` times at every step level. */
function draw(scenario: Scenario, sigma: number, blocks: number, perBlock: number, blockSd: number, seed: number): Draw {
  const random = createRandom(seed);
  const offsets = Array.from({ length: blocks }, () => blockSd * random.normal());
  const cells: BlockCell[] = [];
  const sums = new Map<number, LevelSums>();
  for (const steps of scenario.steps) {
    const level = { steps, n: 0, sum: 0, sumSq: 0 };
    offsets.forEach((offset, b) => {
      const cell = { block: `prompt-${b}`, steps, n: 0, sum: 0, sumSq: 0 };
      for (let r = 0; r < perBlock; r++) {
        const y = A - B * Math.exp(-steps / scenario.tau) + offset + sigma * random.normal();
        cell.n++;
        cell.sum += y;
        cell.sumSq += y * y;
      }
      cells.push(cell);
      level.n += cell.n;
      level.sum += cell.sum;
      level.sumSq += cell.sumSq;
    });
    sums.set(steps, level);
  }
  return { sums: [...sums.values()], cells };
}

const OPTIONS = { bootstrapSamples: 200 };

function covers(result: CurveAnalysis, truth: number): boolean {
  if (result.status !== 'ok' || !result.sweetSpot || result.sweetSpot.lowerBound === null) return false;
  const high = result.sweetSpot.interval?.[1] ?? Infinity;
  return result.sweetSpot.lowerBound <= truth && truth <= high;
}

function width(result: CurveAnalysis): number {
  const interval = result.sweetSpot?.interval;
  return interval ? interval[1] - interval[0] : Infinity;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('analyzeCurve on simulated saturating curves', () => {
  it('lands near the true sweet spot and its 90% interval covers it in roughly 90% of trials', () => {
    const sigmas = [0.3, 0.6, 1.0];
    const runCounts = [3, 5, 8];
    let trials = 0;
    let answered = 0;
    let covered = 0;
    const relativeErrors: number[] = [];
    let close = 0;
    let inRange = 0;
    for (const scenario of SCENARIOS) {
      const truth = truthOf(scenario.tau);
      for (let k = 0; k < 30; k++) {
        const sigma = sigmas[k % 3]!;
        const n = runCounts[Math.floor(k / 3) % 3]!;
        const paired = k % 2 === 1;
        // Paired trials: n prompts with their own offsets, each once per level; unpaired: n runs.
        const data = draw(scenario, sigma, paired ? n : 1, paired ? 1 : n, paired ? 1.5 : 0, 1000 * scenario.tau + k);
        const levels = paired ? pairedLevels(data.cells).levels : levelStatsFromSums(data.sums);
        const result = analyzeCurve(levels, { ...OPTIONS, seed: k });
        trials++;
        if (result.status === 'ok') answered++;
        if (covers(result, truth)) covered++;
        const error = result.sweetSpot ? Math.abs(result.sweetSpot.steps - truth) : Infinity;
        relativeErrors.push(error / truth);
        if (result.status === 'ok' && !result.sweetSpot!.extrapolated) {
          inRange++;
          if (error <= Math.max(2, 0.5 * truth)) close++;
        }
      }
    }
    expect(trials).toBe(120);
    // Nearly every trial gets an answer (a few small samples are honestly 'inconclusive' now)...
    expect(answered / trials).toBeGreaterThanOrEqual(0.95);
    // ...and the answers' intervals cover the truth: nominal 90%, the issue's floor for the design
    // case is 0.85 (raised from 0.75; counted over the trials that give an interval).
    expect(covered / answered).toBeGreaterThanOrEqual(0.85);
    // Half the estimates lie within 20% of the truth (the bar is 0.3; this was 0.15 when only
    // the exponential was fitted — choosing among families by AICc costs a little precision on
    // exponential data, the price of not being confidently wrong on power-law and S-shaped curves),
    // and nine in ten within 50% (or 2 steps).
    expect(median(relativeErrors)).toBeLessThanOrEqual(0.2);
    // Nine in ten of the answers inside the tested range lie within 50% (or 2 steps); answers the
    // engine flags as extrapolations (confidence low, open interval) are not held to it any more:
    // a power law that fits as well as the exponential honestly puts them far out.
    expect(inRange / trials).toBeGreaterThanOrEqual(0.85);
    expect(close / inRange).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the guide’s sweet spots (≈ 3τ) from plentiful data', () => {
    for (const scenario of SCENARIOS) {
      const truth = truthOf(scenario.tau);
      const result = analyzeCurve(levelStatsFromSums(draw(scenario, 0.6, 1, 40, 0, scenario.tau).sums), OPTIONS);
      expect(result.status).toBe('ok');
      expect(Math.abs(result.sweetSpot!.steps - truth)).toBeLessThanOrEqual(Math.max(1, 0.15 * truth));
      expect(result.fit?.model).toBe('exponential');
    }
  });

  it('narrows the interval as runs are added', () => {
    const scenario = SCENARIOS[2]!;
    const widths = [3, 12, 48].map((n) => {
      const trialWidths = Array.from({ length: 12 }, (_, k) =>
        width(analyzeCurve(levelStatsFromSums(draw(scenario, 0.6, 1, n, 0, 500 + k).sums), { ...OPTIONS, seed: k })),
      );
      return median(trialWidths);
    });
    expect(widths[1]!).toBeLessThan(widths[0]!);
    expect(widths[2]!).toBeLessThan(widths[1]!);
    // Four times the runs roughly halves the width (standard error ∝ 1/√n).
    expect(widths[2]!).toBeLessThan(0.75 * widths[1]!);
  });

  it('paired designs with large per-prompt offsets give a much narrower interval than unpaired', () => {
    const scenario = SCENARIOS[2]!;
    const pairedWidths: number[] = [];
    const unpairedWidths: number[] = [];
    let pairedCovered = 0;
    const trials = 16;
    for (let k = 0; k < trials; k++) {
      // 12 prompts with offsets of SD 2 points, each rendered once per level, rater noise 0.4.
      const data = draw(scenario, 0.4, 12, 1, 2, 9000 + k);
      const paired = pairedLevels(data.cells);
      expect(paired.paired).toBe(true);
      expect(paired.reason).toMatch(/^paired on 12 prompt\+seed blocks/);
      const pairedResult = analyzeCurve(paired.levels, { ...OPTIONS, seed: k });
      const unpairedResult = analyzeCurve(levelStatsFromSums(data.sums), { ...OPTIONS, seed: k });
      pairedWidths.push(width(pairedResult));
      unpairedWidths.push(width(unpairedResult));
      if (covers(pairedResult, truthOf(scenario.tau))) pairedCovered++;
    }
    expect(median(pairedWidths)).toBeLessThan(0.5 * median(unpairedWidths));
    expect(pairedCovered / trials).toBeGreaterThanOrEqual(0.75);
  });
});
