import { wilsonInterval } from './wilson-interval.js';

/** A blind judgement between a render at `stepsA` and one at `stepsB` ('tie' = "can't tell"). */
export interface StepJudgement {
  stepsA: number;
  stepsB: number;
  outcome: 'a' | 'b' | 'tie';
}

/** Settings of {@link plateauEvidence}. */
export interface PlateauEvidenceOptions {
  /** The tie share the evidence must exceed (at the lower end of its 90% interval). Default 0.5. */
  minTieShare: number;
  /** The fewest judgements that can show a plateau. Default 10. */
  minJudgements: number;
}

/** Tie counts of a set of judgements. */
export interface TieShare {
  judgements: number;
  ties: number;
  /** ties / judgements. */
  tieShare: number;
  /** Wilson 90% interval of the tie share. */
  ci90: [number, number];
}

/** The judgements whose render with fewer steps had `steps` steps. */
export interface PlateauBucket extends TieShare {
  steps: number;
  /** Judgements the render with more steps won. */
  moreStepsWon: number;
  /** Judgements the render with fewer steps won. */
  fewerStepsWon: number;
}

/** The result of {@link plateauEvidence}: plain, JSON-serialisable data. */
export interface PlateauEvidence {
  /** One per distinct "fewer steps" count, ascending. */
  buckets: PlateauBucket[];
  /** All judgements between different step counts. */
  overall: TieShare | null;
  /** The lowest step count from which on the ties show a plateau (judgements with both renders at or above it). */
  plateau: (TieShare & { fromSteps: number }) | null;
  sentence: string;
}

const DEFAULTS: PlateauEvidenceOptions = { minTieShare: 0.5, minJudgements: 10 };

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function interval([low, high]: [number, number]): string {
  return `90% CI ${Math.round(low * 100)}–${Math.round(high * 100)}%`;
}

function tieShare(judgements: number, ties: number): TieShare {
  return { judgements, ties, tieShare: ties / judgements, ci90: wilsonInterval(ties, judgements) };
}

/**
 * Reads "can't tell" answers as evidence that the plateau has been reached: once more steps stop
 * paying off, raters can no longer tell two renders of the same prompt + seed apart.
 *
 * The judgements are grouped by the step count of the render with fewer steps (a tie between s and
 * s' > s says s already looks as good as s'), each group with its share of ties and a Wilson 90%
 * interval ({@link wilsonInterval}). The plateau starts at the lowest step count t (among those
 * groups) where
 * - the judgements with both renders at t steps or more number at least `minJudgements`,
 * - the lower end of the 90% interval of their tie share is at least `minTieShare` (so the share is
 *   above it with 95% one-sided confidence), and
 * - the group at t itself has a tie share of at least `minTieShare` (so plenty of ties higher up
 *   cannot carry a group where raters still saw a difference).
 * Judgements between equal step counts carry no evidence about steps and are left out.
 *
 * Cost: O(J + G²) for J judgements in G groups.
 *
 * Errors: "plateauEvidence requires judgements with whole steps ≥ 1 and an outcome of 'a', 'b' or
 * 'tie' (judgement 2 is not)", "plateauEvidence requires a minTieShare between 0 and 1",
 * "plateauEvidence requires a whole minJudgements ≥ 1".
 *
 * @example
 * // Renders at 30 and 40 steps: 17 "can't tell" of 25; 20 against 30: told apart 9 times of 10.
 * const judgements = [
 *   ...Array.from({ length: 17 }, () => ({ stepsA: 30, stepsB: 40, outcome: 'tie' as const })),
 *   ...Array.from({ length: 8 }, () => ({ stepsA: 30, stepsB: 40, outcome: 'b' as const })),
 *   ...Array.from({ length: 9 }, () => ({ stepsA: 20, stepsB: 30, outcome: 'b' as const })),
 *   { stepsA: 20, stepsB: 30, outcome: 'tie' as const },
 * ];
 * plateauEvidence(judgements).sentence;
 * // → "At 30 steps and above, raters could not tell renders apart in 68% of 25 judgements (90% CI 52–81%): the plateau has been reached"
 */
export function plateauEvidence(
  judgements: readonly StepJudgement[],
  options: Partial<PlateauEvidenceOptions> = {},
): PlateauEvidence {
  const minTieShare = options.minTieShare ?? DEFAULTS.minTieShare;
  const minJudgements = options.minJudgements ?? DEFAULTS.minJudgements;
  if (!(typeof minTieShare === 'number' && minTieShare > 0 && minTieShare < 1)) {
    throw new Error('plateauEvidence requires a minTieShare between 0 and 1');
  }
  if (!Number.isInteger(minJudgements) || minJudgements < 1) throw new Error('plateauEvidence requires a whole minJudgements ≥ 1');
  if (!Array.isArray(judgements)) throw new Error('plateauEvidence requires an array of judgements');

  const groups = new Map<number, { judgements: number; ties: number; moreStepsWon: number; fewerStepsWon: number }>();
  judgements.forEach((judgement, index) => {
    const j = judgement as Partial<StepJudgement> | null;
    if (
      !j ||
      !Number.isInteger(j.stepsA) ||
      !Number.isInteger(j.stepsB) ||
      j.stepsA! < 1 ||
      j.stepsB! < 1 ||
      !(j.outcome === 'a' || j.outcome === 'b' || j.outcome === 'tie')
    ) {
      throw new Error(
        `plateauEvidence requires judgements with whole steps ≥ 1 and an outcome of 'a', 'b' or 'tie' (judgement ${index + 1} is not)`,
      );
    }
    const { stepsA, stepsB, outcome } = j as StepJudgement;
    if (stepsA === stepsB) return;
    const fewer = Math.min(stepsA, stepsB);
    let group = groups.get(fewer);
    if (!group) groups.set(fewer, (group = { judgements: 0, ties: 0, moreStepsWon: 0, fewerStepsWon: 0 }));
    group.judgements++;
    if (outcome === 'tie') group.ties++;
    else if ((outcome === 'a') === stepsA > stepsB) group.moreStepsWon++;
    else group.fewerStepsWon++;
  });

  const buckets: PlateauBucket[] = [...groups]
    .sort(([x], [y]) => x - y)
    .map(([steps, g]) => ({ steps, ...tieShare(g.judgements, g.ties), moreStepsWon: g.moreStepsWon, fewerStepsWon: g.fewerStepsWon }));
  if (buckets.length === 0) {
    return {
      buckets,
      overall: null,
      plateau: null,
      sentence: 'No blind judgements between different step counts yet: rate a few pairs to see where renders stop being told apart',
    };
  }

  const total = buckets.reduce((sum, b) => sum + b.judgements, 0);
  const totalTies = buckets.reduce((sum, b) => sum + b.ties, 0);
  const overall = tieShare(total, totalTies);
  let plateau: (TieShare & { fromSteps: number }) | null = null;
  let hint: (TieShare & { fromSteps: number }) | null = null;
  for (let i = 0; i < buckets.length && plateau === null; i++) {
    const above = buckets.slice(i);
    const pooled = tieShare(
      above.reduce((sum, b) => sum + b.judgements, 0),
      above.reduce((sum, b) => sum + b.ties, 0),
    );
    if (buckets[i]!.tieShare < minTieShare || pooled.tieShare < minTieShare) continue;
    const candidate = { fromSteps: buckets[i]!.steps, ...pooled };
    if (pooled.judgements >= minJudgements && pooled.ci90[0] >= minTieShare) plateau = candidate;
    else hint ??= candidate;
  }

  let sentence: string;
  if (plateau) {
    sentence =
      `At ${plateau.fromSteps} steps and above, raters could not tell renders apart in ${percent(plateau.tieShare)} of ` +
      `${plateau.judgements} judgements (${interval(plateau.ci90)}): the plateau has been reached`;
  } else if (hint) {
    sentence =
      `At ${hint.fromSteps} steps and above, raters could not tell renders apart in ${percent(hint.tieShare)} of ` +
      `${hint.judgements} judgements (${interval(hint.ci90)}): not yet enough to say the plateau has been reached`;
  } else {
    sentence =
      `Raters told renders apart in ${percent(1 - overall.tieShare)} of ${overall.judgements} judgements ` +
      `("can't tell" ${percent(overall.tieShare)}, ${interval(overall.ci90)}): no sign of a plateau among the compared step counts yet`;
  }
  return { buckets, overall, plateau, sentence };
}
