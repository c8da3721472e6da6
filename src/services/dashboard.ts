import type { Db } from '../db/connect.js';
import { stepSummaries } from '../store/summaries.js';
import { countDemoRuns } from './demo.js';
import { listModels, describeGuideRange, type Model } from './models.js';

export interface StepSummary {
  steps: number;
  runs: number;
  scored: number;
  meanScore: number | null;
  meanDurationMs: number | null;
}

export interface ModelCard {
  model: Model;
  guideLabel: string | null;
  levels: StepSummary[];
}

export interface Dashboard {
  cards: ModelCard[];
  totalRuns: number;
  demoRuns: number;
}

/** A card per model: runs logged, steps tested, and mean score and duration per step level. */
export async function loadDashboard(db: Db): Promise<Dashboard> {
  const [models, summaries, demoRuns] = await Promise.all([listModels(db), stepSummaries(db), countDemoRuns(db)]);
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
  const cards = models
    .map((model) => ({ model, guideLabel: describeGuideRange(model.guide), levels: levelsByModel.get(model.id) ?? [] }))
    .sort((a, b) => b.model.runs - a.model.runs || a.model.name.localeCompare(b.model.name));
  return { cards, totalRuns: models.reduce((sum, m) => sum + m.runs, 0), demoRuns };
}
