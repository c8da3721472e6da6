import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plateauEvidence, type StepJudgement } from '../../src/analysis/plateau-evidence.js';

const times = (count: number, judgement: StepJudgement): StepJudgement[] => Array.from({ length: count }, () => judgement);

const example: StepJudgement[] = [
  ...times(17, { stepsA: 30, stepsB: 40, outcome: 'tie' }),
  ...times(8, { stepsA: 30, stepsB: 40, outcome: 'b' }),
  ...times(9, { stepsA: 20, stepsB: 30, outcome: 'b' }),
  { stepsA: 20, stepsB: 30, outcome: 'tie' },
];

describe('plateauEvidence', () => {
  it('matches the documented example', () => {
    const evidence = plateauEvidence(example);
    expect(evidence.sentence).toBe(
      'At 30 steps and above, raters could not tell renders apart in 68% of 25 judgements (90% CI 52–81%): the plateau has been reached',
    );
    expect(evidence.plateau).toMatchObject({ fromSteps: 30, judgements: 25, ties: 17, tieShare: 0.68 });
    expect(evidence.plateau!.ci90[0]).toBeCloseTo(0.5156, 4);
    expect(evidence.plateau!.ci90[1]).toBeCloseTo(0.8093, 4);
  });

  it('groups by the fewer steps of each pair and counts who won', () => {
    const evidence = plateauEvidence([
      { stepsA: 30, stepsB: 20, outcome: 'a' }, // more steps won
      { stepsA: 20, stepsB: 30, outcome: 'a' }, // fewer steps won
      { stepsA: 20, stepsB: 50, outcome: 'tie' },
      { stepsA: 40, stepsB: 30, outcome: 'b' }, // fewer steps won
      { stepsA: 30, stepsB: 30, outcome: 'tie' }, // same steps: left out
    ]);
    expect(evidence.buckets.map(({ steps, judgements, ties, moreStepsWon, fewerStepsWon }) => [steps, judgements, ties, moreStepsWon, fewerStepsWon])).toEqual([
      [20, 3, 1, 1, 1],
      [30, 1, 0, 0, 1],
    ]);
    expect(evidence.overall).toMatchObject({ judgements: 4, ties: 1, tieShare: 0.25 });
  });

  it('says "not yet enough" when ties are frequent but too few', () => {
    // 5 of 6: Wilson centre (0.8333 + 0.2255) / 1.4509 = 0.7298, half-width 1.1337 · 0.2048 = 0.2322.
    const evidence = plateauEvidence([...times(5, { stepsA: 40, stepsB: 50, outcome: 'tie' }), { stepsA: 40, stepsB: 50, outcome: 'b' }]);
    expect(evidence.plateau).toBeNull();
    expect(evidence.sentence).toBe(
      'At 40 steps and above, raters could not tell renders apart in 83% of 6 judgements (90% CI 50–96%): not yet enough to say the plateau has been reached',
    );
  });

  it('gives a neutral sentence when raters tell renders apart', () => {
    const evidence = plateauEvidence([...times(9, { stepsA: 20, stepsB: 30, outcome: 'b' }), { stepsA: 20, stepsB: 30, outcome: 'tie' }]);
    expect(evidence.plateau).toBeNull();
    expect(evidence.sentence).toBe(
      'Raters told renders apart in 90% of 10 judgements ("can\'t tell" 10%, 90% CI 2–35%): no sign of a plateau among the compared step counts yet',
    );
  });

  it('does not let ties higher up carry a step count where raters still saw a difference', () => {
    // 20 vs more: never a tie; 30 vs more: nearly always. Pooled from 20 on, 30 of 40 are ties.
    const evidence = plateauEvidence([
      ...times(10, { stepsA: 20, stepsB: 40, outcome: 'b' }),
      ...times(28, { stepsA: 30, stepsB: 40, outcome: 'tie' }),
      ...times(2, { stepsA: 30, stepsB: 40, outcome: 'b' }),
    ]);
    expect(evidence.plateau!.fromSteps).toBe(30);
  });

  it('answers no judgements, and only equal-step judgements, with a prompt to rate', () => {
    const none = plateauEvidence([]);
    expect(none).toEqual({
      buckets: [],
      overall: null,
      plateau: null,
      sentence: 'No blind judgements between different step counts yet: rate a few pairs to see where renders stop being told apart',
    });
    expect(plateauEvidence([{ stepsA: 20, stepsB: 20, outcome: 'tie' }]).plateau).toBeNull();
  });

  it('follows its options', () => {
    expect(plateauEvidence(example, { minJudgements: 30 }).plateau).toBeNull();
    expect(plateauEvidence(example, { minTieShare: 0.6 }).plateau).toBeNull();
    expect(plateauEvidence(example, { minTieShare: 0.05 }).plateau!.fromSteps).toBe(20);
  });

  it('rejects bad judgements and options', () => {
    expect(() => plateauEvidence([{ stepsA: 0, stepsB: 20, outcome: 'a' }])).toThrow(
      "plateauEvidence requires judgements with whole steps ≥ 1 and an outcome of 'a', 'b' or 'tie' (judgement 1 is not)",
    );
    expect(() => plateauEvidence([{ stepsA: 10, stepsB: 20, outcome: 'x' as 'a' }])).toThrow('(judgement 1 is not)');
    expect(() => plateauEvidence([], { minTieShare: 1 })).toThrow('plateauEvidence requires a minTieShare between 0 and 1');
    expect(() => plateauEvidence([], { minJudgements: 0 })).toThrow('plateauEvidence requires a whole minJudgements ≥ 1');
  });

  it('keeps counts consistent and a found plateau backed by its evidence (property)', () => {
    const judgement = fc.record({
      stepsA: fc.constantFrom(10, 20, 30, 40, 50),
      stepsB: fc.constantFrom(10, 20, 30, 40, 50),
      outcome: fc.constantFrom('a' as const, 'b' as const, 'tie' as const, 'tie' as const),
    });
    fc.assert(
      fc.property(fc.array(judgement, { maxLength: 80 }), (judgements) => {
        const evidence = plateauEvidence(judgements);
        const counted = judgements.filter((j) => j.stepsA !== j.stepsB);
        expect(evidence.buckets.reduce((sum, b) => sum + b.judgements, 0)).toBe(counted.length);
        for (const bucket of evidence.buckets) {
          expect(bucket.ties + bucket.moreStepsWon + bucket.fewerStepsWon).toBe(bucket.judgements);
          expect(bucket.ci90[0]).toBeLessThanOrEqual(bucket.tieShare);
          expect(bucket.ci90[1]).toBeGreaterThanOrEqual(bucket.tieShare);
        }
        if (evidence.plateau) {
          expect(evidence.plateau.judgements).toBeGreaterThanOrEqual(10);
          expect(evidence.plateau.ci90[0]).toBeGreaterThanOrEqual(0.5);
          const inside = counted.filter((j) => Math.min(j.stepsA, j.stepsB) >= evidence.plateau!.fromSteps);
          expect(inside.length).toBe(evidence.plateau.judgements);
          expect(inside.filter((j) => j.outcome === 'tie').length).toBe(evidence.plateau.ties);
          expect(evidence.sentence).toMatch(/judgements \(90% CI \d+–\d+%\): the plateau has been reached$/);
        } else {
          expect(evidence.sentence).not.toMatch(/: the plateau has been reached$/);
        }
      }),
    );
  });
});
