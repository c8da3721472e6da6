import { fitBradleyTerry, winProbability, type PairwiseJudgement } from './bradley-terry.js';
import { createRandom } from './random.js';

/** A render that may be shown in a blind comparison. */
export interface CandidateRender {
  id: string;
  /** The block (prompt + seed): only renders of the same block are compared. */
  block: string;
  steps: number;
}

/** A stored blind judgement between renders `a` and `b` ('tie' = "can't tell"). */
export interface RenderJudgement {
  a: string;
  b: string;
  outcome: 'a' | 'b' | 'tie';
}

/** Input of {@link choosePair}. */
export interface PairChooserInput {
  renders: readonly CandidateRender[];
  judgements: readonly RenderJudgement[];
  /** The current sweet spot estimate in steps, or null when there is none yet. */
  sweetSpot: number | null;
  /** A pair judged this many times is set aside while any other pair is left. Default 2. */
  maxJudgements?: number;
  /** Seed of the left/right coin. Default: the number of judgements so far (a new order each time). */
  seed?: number;
  /**
   * Pairs (render ids) judged just now: set aside while any other pair is left, so a rater does not
   * see the same two renders again within a few judgements. Default none.
   */
  recent?: readonly (readonly [string, string])[];
}

/** The pair to show next. */
export interface ChosenPair {
  /** The render with fewer steps. */
  a: string;
  /** The render with more steps. */
  b: string;
  /** The same two renders in random order, for display. */
  left: string;
  right: string;
  block: string;
  /** Steps of `a` and `b`. */
  steps: [number, number];
  /** Judgements this pair already has. */
  judgements: number;
  /** The information score that chose it (closeness × uncertainty × freshness, 0–1). */
  score: number;
}

const DEFAULT_MAX_JUDGEMENTS = 2;
const OUTCOMES = new Set(['a', 'b', 'tie']);

function fail(requirement: string): never {
  throw new Error(`choosePair requires ${requirement}`);
}

function pairKey(x: string, y: string): string {
  return x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
}

interface Candidate {
  low: CandidateRender;
  high: CandidateRender;
  count: number;
  blockCount: number;
  score: number;
}

function compareCandidates(x: Candidate, y: Candidate): number {
  return (
    y.score - x.score ||
    x.blockCount - y.blockCount ||
    (x.low.block < y.low.block ? -1 : x.low.block > y.low.block ? 1 : 0) ||
    x.low.steps - y.low.steps ||
    x.high.steps - y.high.steps ||
    (x.low.id < y.low.id ? -1 : x.low.id > y.low.id ? 1 : 0) ||
    (x.high.id < y.high.id ? -1 : x.high.id > y.high.id ? 1 : 0)
  );
}

/**
 * Chooses the next pair to judge blind: two renders of the same block (prompt + seed) at different
 * step counts, the pair whose answer is expected to tell the most about the sweet spot.
 *
 * Every candidate pair (steps s₁ < s₂) gets the score closeness × uncertainty × freshness:
 * - closeness, with a sweet spot S: 1 / (1 + (|ln(s₁/S)| + |ln(s₂/S)|) / ln 2), 1 for a pair at S,
 *   ½ for S/2 against S (log scale, as step effects are); without one: 1 / (levels between them in
 *   the block + 1), so neighbours in the block's step list come first;
 * - uncertainty: 4p(1 − p), where p is the chance that s₂ beats s₁ under a Bradley–Terry fit of all
 *   same-block judgements pooled by step count (default prior; p = ½ for untested levels). Pooling by
 *   steps lets what was learnt in one block guide the next (the block effect cancels inside a pair),
 *   which a per-render fit could not; active sampling at p ≈ ½ follows Glickman & Jensen ("Adaptive
 *   paired comparison design", J. Statist. Plann. Inference 127, 2005): the Fisher information of
 *   one comparison is p(1 − p), largest at ½;
 * - freshness: 1 / (1 + judgements of this pair), which also spreads work across blocks.
 * Pairs judged `maxJudgements` times or more are set aside while any other pair is left. Ties in
 * score go to the block with fewer judgements, then by block, steps and id, so the choice is
 * deterministic; only the left/right order is random (a seeded coin, {@link createRandom}).
 * Judgements of unknown renders or across blocks count toward their pair but not the fit.
 *
 * Cost: O(P + J + fit) for P candidate pairs (Σ k² over blocks of k renders) and J judgements, where
 * the fit is a Bradley–Terry fit over the distinct step counts.
 *
 * Errors: "choosePair requires renders with a non-empty id, a block and whole steps ≥ 1 (render 2 is
 * not)", `choosePair requires distinct render ids ("r1" appears twice)`, "choosePair requires judgements
 * with ids a and b and an outcome of 'a', 'b' or 'tie' (judgement 1 is not)", "choosePair requires a
 * sweet spot that is null or a positive number", "choosePair requires a whole maxJudgements ≥ 1",
 * "choosePair requires a finite seed".
 *
 * @example
 * const renders = [10, 20, 30, 40, 50].map((steps) => ({ id: `r${steps}`, block: 'fox#1', steps }));
 * const pair = choosePair({ renders, judgements: [], sweetSpot: 30, seed: 0 });
 * [pair.a, pair.b]; // → ["r30", "r40"] (the closest pair around 30 steps)
 * [pair.left, pair.right]; // → ["r40", "r30"] (random order: seed 0 swaps them)
 */
export function choosePair(input: PairChooserInput): ChosenPair | null {
  const { renders, judgements, sweetSpot } = input;
  const maxJudgements = input.maxJudgements ?? DEFAULT_MAX_JUDGEMENTS;
  const seed = input.seed ?? (Array.isArray(judgements) ? judgements.length : 0);
  if (!Array.isArray(renders)) fail('an array of renders');
  if (!Array.isArray(judgements)) fail('an array of judgements');
  if (sweetSpot !== null && !(typeof sweetSpot === 'number' && sweetSpot > 0 && Number.isFinite(sweetSpot))) {
    fail('a sweet spot that is null or a positive number');
  }
  if (!Number.isInteger(maxJudgements) || maxJudgements < 1) fail('a whole maxJudgements ≥ 1');
  if (typeof seed !== 'number' || !Number.isFinite(seed)) fail('a finite seed');

  const byId = new Map<string, CandidateRender>();
  renders.forEach((render, i) => {
    const r = render as Partial<CandidateRender> | null;
    if (!r || typeof r.id !== 'string' || r.id === '' || typeof r.block !== 'string' || !Number.isInteger(r.steps) || r.steps! < 1) {
      fail(`renders with a non-empty id, a block and whole steps ≥ 1 (render ${i + 1} is not)`);
    }
    if (byId.has(r.id)) fail(`distinct render ids ("${r.id}" appears twice)`);
    byId.set(r.id, render);
  });

  const pairCounts = new Map<string, number>();
  const blockCounts = new Map<string, number>();
  const stepJudgements: PairwiseJudgement[] = [];
  judgements.forEach((judgement, i) => {
    const j = judgement as Partial<RenderJudgement> | null;
    if (!j || typeof j.a !== 'string' || typeof j.b !== 'string' || !OUTCOMES.has(j.outcome as string)) {
      fail(`judgements with ids a and b and an outcome of 'a', 'b' or 'tie' (judgement ${i + 1} is not)`);
    }
    const key = pairKey(j.a, j.b);
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    const first = byId.get(j.a);
    const second = byId.get(j.b);
    if (!first || !second || first.block !== second.block || first.steps === second.steps) return;
    blockCounts.set(first.block, (blockCounts.get(first.block) ?? 0) + 1);
    const [x, y] = [String(first.steps), String(second.steps)];
    if (j.outcome === 'tie') stepJudgements.push({ a: x, b: y, tie: true });
    else if (j.outcome === 'a') stepJudgements.push({ winner: x, loser: y });
    else stepJudgements.push({ winner: y, loser: x });
  });
  const stepFit = fitBradleyTerry(stepJudgements);

  const blocks = new Map<string, CandidateRender[]>();
  for (const render of renders) {
    const list = blocks.get(render.block);
    if (list) list.push(render);
    else blocks.set(render.block, [render]);
  }

  const recent = new Set((input.recent ?? []).map(([x, y]) => pairKey(x, y)));
  let best: Candidate | null = null;
  let bestFresh: Candidate | null = null;
  let bestNotRecent: Candidate | null = null;
  for (const [block, members] of blocks) {
    const sorted = [...members].sort((x, y) => x.steps - y.steps || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const levels = [...new Set(sorted.map((render) => render.steps))];
    const rank = new Map(levels.map((steps, i) => [steps, i]));
    const blockCount = blockCounts.get(block) ?? 0;
    for (let i = 0; i < sorted.length; i++) {
      for (let k = i + 1; k < sorted.length; k++) {
        const low = sorted[i]!;
        const high = sorted[k]!;
        if (low.steps === high.steps) continue;
        const closeness =
          sweetSpot === null
            ? 1 / (rank.get(high.steps)! - rank.get(low.steps)!)
            : 1 / (1 + (Math.abs(Math.log(low.steps / sweetSpot)) + Math.abs(Math.log(high.steps / sweetSpot))) / Math.LN2);
        const p = winProbability(stepFit, String(high.steps), String(low.steps)) ?? 0.5;
        const count = pairCounts.get(pairKey(low.id, high.id)) ?? 0;
        const candidate: Candidate = { low, high, count, blockCount, score: (closeness * 4 * p * (1 - p)) / (1 + count) };
        const isRecent = recent.has(pairKey(low.id, high.id));
        if (best === null || compareCandidates(candidate, best) < 0) best = candidate;
        if (!isRecent && (bestNotRecent === null || compareCandidates(candidate, bestNotRecent) < 0)) bestNotRecent = candidate;
        if (!isRecent && count < maxJudgements && (bestFresh === null || compareCandidates(candidate, bestFresh) < 0)) bestFresh = candidate;
      }
    }
  }
  const chosen = bestFresh ?? bestNotRecent ?? best;
  if (chosen === null) return null;
  const swap = createRandom(seed).next() < 0.5;
  return {
    a: chosen.low.id,
    b: chosen.high.id,
    left: swap ? chosen.high.id : chosen.low.id,
    right: swap ? chosen.low.id : chosen.high.id,
    block: chosen.low.block,
    steps: [chosen.low.steps, chosen.high.steps],
    judgements: chosen.count,
    score: chosen.score,
  };
}
