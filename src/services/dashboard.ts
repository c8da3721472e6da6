import { declineSentence } from '../analysis/curves/describe-curve.js';
import type { Db } from '../db/connect.js';
import { stepSummaries } from '../store/summaries.js';
import { analyzeModel, type ModelAnalysis } from './analysis.js';
import { countDemoRuns } from './demo.js';
import { cachedUntilRunsChange } from './runs-version-cache.js';
import { InputError } from './errors.js';
import { listModels, describeGuideRange, type Model } from './models.js';

export interface StepSummary {
  steps: number;
  runs: number;
  scored: number;
  meanScore: number | null;
  meanDurationMs: number | null;
}

/** The card's digest of the model's analysis (on the 0–10 score, no filters). */
export interface CardAnalysis {
  status: ModelAnalysis['status'];
  message: string;
  sweetSpot: ModelAnalysis['sweetSpot'];
  /** What to log next, in words. */
  nextSteps: string;
  /** The fitted curve, thinned to at most {@link SPARK_POINTS} points for a sparkline. */
  curve: { steps: number; quality: number }[];
  /** Level means (block-adjusted when paired). */
  means: { steps: number; mean: number }[];
  waste: string | null;
  /** "quality falls past N steps (…)" when quality falls after a peak; null otherwise. */
  decline: string | null;
}

export interface ModelCard {
  model: Model;
  guideLabel: string | null;
  levels: StepSummary[];
  /** Null when the model has no rated runs. */
  analysis: CardAnalysis | null;
}

const SPARK_POINTS = 60;

function cardAnalysis(analysis: ModelAnalysis): CardAnalysis {
  const stride = Math.max(1, Math.ceil(analysis.curve.length / SPARK_POINTS));
  const curve = analysis.curve.filter((_, i) => i % stride === 0 || i === analysis.curve.length - 1);
  return {
    status: analysis.status,
    message: analysis.message,
    sweetSpot: analysis.sweetSpot,
    nextSteps: analysis.nextSteps.message,
    curve,
    means: analysis.levels.map((l) => ({ steps: l.steps, mean: l.mean })),
    waste: analysis.waste && analysis.waste.wastedMs > 0 ? analysis.waste.summary : null,
    decline: analysis.decline ? declineSentence(analysis.decline, analysis.levels[analysis.levels.length - 1]!.steps) : null,
  };
}

/** The analysis of one card, or its input problem in words (a card never breaks the dashboard). */
async function analyzeForCard(db: Db, model: Model): Promise<CardAnalysis | null> {
  if (model.scoredRuns === 0) return null;
  try {
    return cardAnalysis(await analyzeModel(db, model.slug, {}));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { status: 'insufficient-data', message: err.message, sweetSpot: null, nextSteps: '', curve: [], means: [], waste: null, decline: null };
  }
}

export interface Dashboard {
  cards: ModelCard[];
  totalRuns: number;
  demoRuns: number;
}

/**
 * A card per model: runs logged, steps tested, mean score and duration per step level, and the
 * digest of its analysis (sweet spot, interval, confidence, curve, what to log next).
 */
export async function loadDashboard(db: Db): Promise<Dashboard> {
  const [models, summaries, demoRuns] = await Promise.all([
    listModels(db),
    cachedUntilRunsChange(db, 'step-summaries', () => stepSummaries(db)),
    countDemoRuns(db),
  ]);
  const levelsByModel = new Map<number, StepSummary[]>();
  for (const s of summaries) {
    const list = levelsByModel.get(s.model_id) ?? [];
    list.push({
      steps: s.steps,
      runs: Number(s.runs),
      scored: Number(s.scored),
      meanScore: s.mean_score === null ? null : Number(s.mean_score),
      meanDurationMs: s.mean_duration_ms === null ? null : Number(s.mean_duration_ms),
    });
    levelsByModel.set(s.model_id, list);
  }
  const analyses = new Map<number, CardAnalysis | null>();
  for (const model of models) analyses.set(model.id, await analyzeForCard(db, model));
  const cards = models
    .map((model) => ({
      model,
      guideLabel: describeGuideRange(model.guide),
      levels: levelsByModel.get(model.id) ?? [],
      analysis: analyses.get(model.id) ?? null,
    }))
    .sort((a, b) => b.model.runs - a.model.runs || a.model.name.localeCompare(b.model.name));
  return { cards, totalRuns: models.reduce((sum, m) => sum + m.runs, 0), demoRuns };
}
