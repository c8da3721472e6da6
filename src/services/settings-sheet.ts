import { declineSentence, lackOfFitVerdict } from '../analysis/curves/describe-curve.js';
import { USE_CASES, type UseCase } from '../db/schema.js';
import type { Db } from '../db/connect.js';
import type { TimedRecommendation } from '../analysis/analyze-steps.js';
import type { AnalysisQuery } from '../validation/analysis-query.js';
import { analyzeModel, type ModelAnalysis } from './analysis.js';
import { listModels, type GuideRange } from './models.js';

/** One scope's documented settings: the whole model, or one use case of it. */
export interface ScopeSettings {
  status: ModelAnalysis['status'];
  message: string;
  runs: number;
  stepLevels: number;
  paired: boolean;
  sweetSpot: ModelAnalysis['sweetSpot'];
  recommendations: { draft: TimedRecommendation; standard: TimedRecommendation; final: TimedRecommendation } | null;
  duration: { overheadMs: number; perStepMs: number; r2: number; hardware: string | null } | null;
  /** The curve family used and its lack-of-fit verdict, in words (null without a fit). */
  curve: string | null;
  /** Quality falling after a peak: where, by how much, and in words. */
  decline: (NonNullable<ModelAnalysis['decline']> & { summary: string }) | null;
}

export interface ModelSettings extends ScopeSettings {
  slug: string;
  name: string;
  guide: GuideRange;
  guideLabel: string | null;
  nextSteps: string;
  warnings: string[];
  /** Per use case, where that use case alone has enough runs for an answer. */
  useCases: (ScopeSettings & { useCase: UseCase })[];
}

export interface SettingsSheet {
  generatedAt: string;
  metric: { name: string; lowerIsBetter: boolean; delta: number };
  rule: string;
  filters: ModelAnalysis['filters'];
  models: ModelSettings[];
}

function scopeOf(a: ModelAnalysis): ScopeSettings {
  return {
    status: a.status,
    message: a.message,
    runs: a.runs,
    stepLevels: a.levels.length,
    paired: a.paired,
    sweetSpot: a.sweetSpot,
    recommendations: a.recommendations,
    duration: a.duration ? { overheadMs: a.duration.overheadMs, perStepMs: a.duration.perStepMs, r2: a.duration.r2, hardware: a.durationHardware } : null,
    curve: a.fit ? `${a.fit.description}: ${lackOfFitVerdict(a.fit)}` : null,
    decline: a.decline ? { ...a.decline, summary: declineSentence(a.decline, a.levels[a.levels.length - 1]!.steps) } : null,
  };
}

/**
 * The documented settings of every model with rated runs (draft / standard / final with expected
 * quality and time, beside the guide's range), and per use case where the data allow — the numbers
 * come straight from the same analysis the API serves.
 */
export async function buildSettingsSheet(db: Db, query: AnalysisQuery): Promise<SettingsSheet> {
  const models = (await listModels(db)).filter((m) => m.runs > 0);
  const sheet: SettingsSheet = {
    generatedAt: new Date().toISOString(),
    metric: { name: query.metric ?? 'score', lowerIsBetter: false, delta: query.delta ?? 0.25 },
    rule: query.rule ?? 'plateau-gap',
    filters: {},
    models: [],
  };
  for (const model of models) {
    const a = await analyzeModel(db, model.slug, query);
    sheet.metric = a.metric;
    sheet.rule = a.settings.rule;
    sheet.filters = a.filters;
    if (a.runs === 0) continue;
    const useCases: ModelSettings['useCases'] = [];
    if (query.useCase == null) {
      for (const useCase of USE_CASES) {
        const u = await analyzeModel(db, model.slug, { ...query, useCase });
        if (u.status === 'ok' && u.sweetSpot) useCases.push({ useCase, ...scopeOf(u) });
      }
    }
    sheet.models.push({
      slug: model.slug,
      name: model.name,
      guide: model.guide,
      guideLabel: a.model.guideLabel,
      nextSteps: a.nextSteps.message,
      warnings: a.warnings.map((w) => w.message),
      useCases,
      ...scopeOf(a),
    });
  }
  return sheet;
}
