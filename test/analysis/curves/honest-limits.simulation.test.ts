/**
 * "Never confidently wrong" where the data cannot carry a number (issue #13): flat curves, one run
 * per level, a sweep that misses the sweet spot on either side, and identical whole-number ratings.
 * Confidently wrong = status ok, confidence medium or high, a bounded interval, the truth outside
 * it; at most 10% of 60 seeded trials (a true rate of 20% would pass with probability about 2%).
 */
import { describe, expect, it } from 'vitest';
import { runScenario, trueSweetSpot, type SweepScenario } from './simulate-sweeps.js';

const TRIALS = 60;
const exponential = (a: number, b: number, tau: number) => (s: number) => a - b * Math.exp(-s / tau);

const SCENARIOS: SweepScenario[] = [
  { name: 'flat with noise', truth: () => 7, steps: [5, 10, 15, 20, 25, 30, 40, 50], runs: 3, sigma: 0.6 },
  { name: 'one run per level on 5 levels', truth: exponential(8, 5, 10), steps: [10, 20, 30, 40, 50], runs: 1, sigma: 0.6 },
  { name: 'truth above the sweep', truth: exponential(8, 5, 20), steps: [5, 10, 15, 20, 25, 30], runs: 3, sigma: 0.6 },
  { name: 'truth below the sweep', truth: exponential(8, 5, 2), steps: [20, 30, 40, 50, 60], runs: 3, sigma: 0.6 },
  // Coarse raters: the same whole number three times per level (a true quality ± 0.15, rounded).
  { name: 'identical integer replicates', truth: exponential(8, 5, 5), steps: [2, 4, 6, 8, 10, 12, 15, 20, 25, 30], runs: 3, sigma: 0.15, identicalIntegers: true },
];

describe('honest answers where the data cannot carry a number', () => {
  for (const [index, scenario] of SCENARIOS.entries()) {
    it(`${scenario.name}: confidently wrong in at most 10% of ${TRIALS} trials`, () => {
      const tally = runScenario(scenario, TRIALS, 9000 + 100 * index);
      expect(tally.confidentlyWrong / TRIALS).toBeLessThanOrEqual(0.1);
      if (scenario.name === 'flat with noise') {
        const flatOrInconclusive = (tally.statuses.flat ?? 0) + (tally.statuses.inconclusive ?? 0);
        expect(flatOrInconclusive / TRIALS).toBeGreaterThanOrEqual(0.8);
      }
    });
  }

  it('the truths are what the scenarios claim', () => {
    expect(SCENARIOS.map((s) => trueSweetSpot(s.truth))).toEqual([1, 30, 60, 6, 15]);
  });
});
