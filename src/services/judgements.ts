import { randomInt } from 'node:crypto';
import { fitBradleyTerry, type PairwiseJudgement } from '../analysis/bradley-terry.js';
import { choosePair } from '../analysis/pair-chooser.js';
import { plateauEvidence, type PlateauEvidence } from '../analysis/plateau-evidence.js';
import { raterAgreement, type RaterAgreement } from '../analysis/rater-agreement.js';
import type { Db } from '../db/connect.js';
import type { Outcome } from '../db/schema.js';
import { findExperimentById } from '../store/experiments.js';
import {
  blockJudgements,
  blockRunIds,
  insertJudgement,
  listJudgements,
  rateableRuns,
  rateableRunsByIds,
  replaceRunMetric,
  runsForJudgement,
  type JudgementScope,
  type JudgementWithRuns,
} from '../store/judgements.js';
import { findModelBySlug } from '../store/models.js';
import type { JudgementInput } from '../validation/experiment-input.js';
import { analyzeModel } from './analysis.js';
import { InputError, NotFoundError } from './errors.js';

/** The run metric the Bradley–Terry strengths are stored under. */
export const PREFERENCE_METRIC = 'preference';
/** The most renders the pair chooser considers at once (the newest). */
const MAX_CANDIDATES = 5000;

export interface Judgement {
  id: number;
  runA: number;
  runB: number;
  outcome: Outcome;
  rater: string;
  createdAt: string;
}

export interface RecordedJudgement {
  judgement: Judgement;
  /** The refitted preference (Bradley–Terry log-strength) of every judged run in the pair's block. */
  preference: { runId: number; value: number }[];
}

function invalid(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, [{ field, message }]);
}

/**
 * Refits the Bradley–Terry model for one block (model + prompt + seed) and stores each judged run's
 * log-strength as its `preference` metric. Runs of different blocks are never compared, so each
 * block is a connected component of the model-wide fit, and the prior and the centring act per
 * component: this per-block fit gives exactly the strengths a fit over the whole model would.
 */
async function refitBlock(trx: Db, block: { modelId: number; prompt: string; seed: string }) {
  const rows = await blockJudgements(trx, block);
  const judgements: PairwiseJudgement[] = rows.map((j) => {
    const [a, b] = [String(j.run_a), String(j.run_b)];
    if (j.outcome === 'tie') return { a, b, tie: true };
    return j.outcome === 'a' ? { winner: a, loser: b } : { winner: b, loser: a };
  });
  const fit = fitBradleyTerry(judgements);
  const values = fit.items.map((item) => ({ runId: Number(item.id), value: item.logStrength }));
  await replaceRunMetric(trx, block.modelId, PREFERENCE_METRIC, await blockRunIds(trx, block), values);
  return values;
}

/**
 * Stores a blind judgement between two renders of the same model, prompt and seed at different
 * step counts, then refits the preference metric of their block (one transaction).
 */
export async function recordJudgement(db: Db, input: JudgementInput): Promise<RecordedJudgement> {
  if (input.runA === input.runB) throw invalid('runB', 'runB must be a different run from runA');
  const runs = new Map((await runsForJudgement(db, [input.runA, input.runB])).map((r) => [r.id, r]));
  const a = runs.get(input.runA);
  const b = runs.get(input.runB);
  if (!a || !b) {
    const details = [
      ...(a ? [] : [{ field: 'runA', message: `run ${input.runA} does not exist` }]),
      ...(b ? [] : [{ field: 'runB', message: `run ${input.runB} does not exist` }]),
    ];
    throw new InputError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  if (a.model_id !== b.model_id) throw invalid('runB', 'runs A and B must be renders of the same model');
  if (a.prompt === null || a.seed === null) throw invalid('runA', `run ${a.id} has no prompt or seed: only renders of the same prompt + seed can be compared`);
  if (a.prompt !== b.prompt || a.seed !== b.seed) throw invalid('runB', 'runs A and B must be renders of the same prompt and seed');
  if (a.steps === b.steps) throw invalid('runB', `runs A and B both have ${a.steps} steps: compare different step counts`);
  const block = { modelId: a.model_id, prompt: a.prompt, seed: a.seed };
  const createdAt = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const id = await insertJudgement(trx, { run_a: a.id, run_b: b.id, outcome: input.outcome, rater: input.rater, created_at: createdAt });
    const preference = await refitBlock(trx, block);
    return { judgement: { id, runA: a.id, runB: b.id, outcome: input.outcome, rater: input.rater, createdAt }, preference };
  });
}

/** Where ratings are drawn from: an experiment, a model, or everything. */
export interface RatingScope {
  experimentId?: number;
  modelSlug?: string;
}

interface ResolvedScope {
  store: JudgementScope;
  modelSlug: string | null;
  experimentId: number | null;
  label: string;
}

async function resolveScope(db: Db, scope: RatingScope): Promise<ResolvedScope> {
  if (scope.experimentId !== undefined) {
    const experiment = await findExperimentById(db, scope.experimentId);
    if (!experiment) throw new NotFoundError(`experiment ${scope.experimentId} not found`);
    return { store: { experimentId: experiment.id }, modelSlug: experiment.model_slug, experimentId: experiment.id, label: experiment.name };
  }
  if (scope.modelSlug !== undefined) {
    const model = await findModelBySlug(db, scope.modelSlug);
    if (!model) throw new NotFoundError(`model '${scope.modelSlug}' not found`);
    return { store: { modelId: model.id }, modelSlug: model.slug, experimentId: null, label: model.name };
  }
  return { store: {}, modelSlug: null, experimentId: null, label: 'all renders' };
}

function toJudgement(j: JudgementWithRuns): Judgement {
  return { id: j.id, runA: j.run_a, runB: j.run_b, outcome: j.outcome, rater: j.rater, createdAt: j.created_at };
}

export async function listJudgementsIn(db: Db, scope: RatingScope): Promise<Judgement[]> {
  const resolved = await resolveScope(db, scope);
  return (await listJudgements(db, resolved.store)).map(toJudgement);
}

/** The current sweet spot for choosing pairs: from the preferences, else the score, else the guide. */
async function currentSweetSpot(db: Db, slug: string, experimentId: number | null): Promise<number | null> {
  for (const metric of [PREFERENCE_METRIC, 'score']) {
    try {
      const analysis = await analyzeModel(db, slug, { metric, ...(experimentId !== null ? { experiment: experimentId } : {}) });
      if (analysis.sweetSpot) return analysis.sweetSpot.steps;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
    }
  }
  const model = await findModelBySlug(db, slug);
  return model?.sweet_spot ?? null;
}

/** A render shown on the rating page: its image and nothing that tells its step count. */
export interface ShownRender {
  runId: number;
  sha256: string;
}

export interface NextPair {
  left: ShownRender;
  right: ShownRender;
  /** Judgements this pair already has. */
  judgements: number;
}

export interface RatingState {
  scope: { experimentId: number | null; model: string | null; label: string };
  /** The pair to judge next, or null when no block has two renders at different steps. */
  pair: NextPair | null;
  /** Renders with an image in the scope. */
  renders: number;
  judgements: number;
  plateau: PlateauEvidence;
}

/** How many of the latest judged pairs are not offered again while another pair is open. */
const RECENT_PAIRS = 6;

/** The next pair to judge blind (choosePair: near the current sweet spot, few judgements), in random order. */
export async function nextPair(db: Db, scope: RatingScope, seed: number = randomInt(2 ** 31)): Promise<RatingState> {
  const resolved = await resolveScope(db, scope);
  const [renders, judgements] = await Promise.all([rateableRuns(db, resolved.store, MAX_CANDIDATES), listJudgements(db, resolved.store)]);
  const byId = new Map(renders.map((r) => [String(r.id), r]));
  const sweetSpot = resolved.modelSlug !== null ? await currentSweetSpot(db, resolved.modelSlug, resolved.experimentId) : null;
  const chosen = choosePair({
    renders: renders.map((r) => ({ id: String(r.id), block: `${r.model_id}\u001f${r.prompt}\u001f${r.seed}`, steps: r.steps })),
    judgements: judgements.map((j) => ({ a: String(j.run_a), b: String(j.run_b), outcome: j.outcome })),
    sweetSpot,
    seed,
    // The last few pairs judged wait their turn, so the same two renders do not come straight back.
    recent: judgements.slice(-RECENT_PAIRS).map((j) => [String(j.run_a), String(j.run_b)] as const),
  });
  const shown = (id: string): ShownRender => ({ runId: Number(id), sha256: byId.get(id)!.sha256 });
  return {
    scope: { experimentId: resolved.experimentId, model: resolved.modelSlug, label: resolved.label },
    pair: chosen ? { left: shown(chosen.left), right: shown(chosen.right), judgements: chosen.judgements } : null,
    renders: renders.length,
    judgements: judgements.length,
    plateau: plateauEvidence(judgements.map((j) => ({ stepsA: j.steps_a, stepsB: j.steps_b, outcome: j.outcome }))),
  };
}

/** The blind ratings of an experiment: how many, by whom, how well raters agree, and the plateau evidence. */
export interface RatingSummary {
  judgements: number;
  ties: number;
  raters: { name: string; judgements: number }[];
  agreement: RaterAgreement;
  plateau: PlateauEvidence;
}

export async function ratingSummary(db: Db, scope: RatingScope): Promise<RatingSummary> {
  const resolved = await resolveScope(db, scope);
  const judgements = await listJudgements(db, resolved.store);
  const perRater = new Map<string, number>();
  for (const j of judgements) perRater.set(j.rater, (perRater.get(j.rater) ?? 0) + 1);
  return {
    judgements: judgements.length,
    ties: judgements.filter((j) => j.outcome === 'tie').length,
    raters: [...perRater].map(([name, n]) => ({ name, judgements: n })).sort((x, y) => y.judgements - x.judgements || x.name.localeCompare(y.name)),
    agreement: raterAgreement(judgements.map((j) => ({ rater: j.rater, a: String(j.run_a), b: String(j.run_b), outcome: j.outcome }))),
    plateau: plateauEvidence(judgements.map((j) => ({ stepsA: j.steps_a, stepsB: j.steps_b, outcome: j.outcome }))),
  };
}

/** The same two renders again (after a form error), or null when either cannot be shown. */
export async function pairOf(db: Db, left: number, right: number): Promise<NextPair | null> {
  const runs = new Map((await rateableRunsByIds(db, [left, right])).map((r) => [r.id, r]));
  const l = runs.get(left);
  const r = runs.get(right);
  if (!l || !r || left === right) return null;
  return { left: { runId: l.id, sha256: l.sha256 }, right: { runId: r.id, sha256: r.sha256 }, judgements: 0 };
}
