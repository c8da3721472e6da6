/**
 * The analysis of a very wide sweep: 1,600 step levels × 2 seeds (one prompt), the case whose
 * pairing used to grow with the cube of the levels (a dense solve took 6.4 s). Measured warm and
 * cold, next to the pairing alone, against the 2,000-level cap that bounds every analysis.
 */
import { analyzeSteps, MAX_ANALYSIS_LEVELS } from '../../src/analysis/analyze-steps.js';
import { pairedLevels } from '../../src/analysis/paired-levels.js';
import { createRandom } from '../../src/analysis/random.js';
import { summarizePoints } from '../../src/analysis/summarize-points.js';

export interface WideSweepFigures {
  levels: number;
  /** The first analysis in this process (includes compiling the fitting code). */
  coldMs: number;
  /** The median of three more analyses. */
  warmMs: number;
  /** The paired-design solve alone (median of three). */
  pairingMs: number;
}

/** Times the analysis of `levels` step levels × 2 seeds of a saturating curve with rater noise. */
export function benchWideSweep(levels = 1600): WideSweepFigures {
  if (levels > MAX_ANALYSIS_LEVELS) throw new Error(`benchWideSweep requires at most ${MAX_ANALYSIS_LEVELS} levels`);
  const random = createRandom(1600);
  const points = [];
  for (let steps = 1; steps <= levels; steps++) {
    for (const seed of [1, 2]) {
      const score = 8 - 5 * Math.exp(-steps / 200) + (seed === 1 ? 0.3 : -0.3) + 0.4 * random.normal();
      points.push({ steps, value: Math.min(10, Math.max(0, score)), seed, prompt: 'a fox', durationMs: 380 + 670 * steps });
    }
  }
  const sums = summarizePoints(points);
  const time = (work: () => unknown): number => {
    const start = performance.now();
    work();
    return performance.now() - start;
  };
  const analyse = () => analyzeSteps({ ...sums, guide: null, modelName: 'wide sweep' });
  const coldMs = time(analyse);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const warmMs = median([time(analyse), time(analyse), time(analyse)]);
  const pairingMs = median([0, 1, 2].map(() => time(() => pairedLevels(sums.blocks))));
  return { levels, coldMs, warmMs, pairingMs };
}
