import { declineSentence, lackOfFitVerdict } from '../analysis/curves/describe-curve.js';
import { USE_CASES, type UseCase } from '../db/schema.js';
import type { Db } from '../db/connect.js';
import type { TimedRecommendation } from '../analysis/analyze-steps.js';
import type { AnalysisQuery } from '../validation/analysis-query.js';
import { predictDurationMs } from '../analysis/duration-fit.js';
import { countTaggedRuns } from '../store/analysis-sums.js';
import { findModelBySlug } from '../store/models.js';
import { runSettingsMix } from '../store/run-settings-mix.js';
import { analysisFilterFromQuery, analyzeModel, type ModelAnalysis } from './analysis.js';
import { DEMO_TAG } from './demo.js';
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
  /** Predicted time of draft / standard / final on every GPU with timed runs (ms). */
  timesByHardware: { hardware: string; runs: number; draftMs: number; standardMs: number; finalMs: number }[];
  /** The sampler / guidance / size combinations of the rated runs behind the numbers, most used first. */
  settingsUsed: { sampler: string | null; guidance: number | null; resolution: string | null; runs: number }[];
  /** A sentence per recommendation that falls outside the guide's range for this model. */
  outsideGuide: string[];
  /** Demo runs (tagged "demo") among the runs behind the numbers. */
  demoRuns: number;
}

export interface SettingsSheet {
  generatedAt: string;
  metric: { name: string; lowerIsBetter: boolean; delta: number };
  /** δ in plain words, for a reader who never saw the report. */
  deltaInWords: string;
  rule: string;
  filters: ModelAnalysis['filters'];
  /** The GPU the times are predicted for when the reader chose one (`hardware=`); null: each model's most-timed GPU. */
  hardware: string | null;
  /** Demo runs (tagged "demo") among the runs behind the sheet, over all models. */
  demoRuns: number;
  models: ModelSettings[];
}

/** δ explained for the sheet's reader. */
export function deltaInWords(metric: { name: string; delta: number; lowerIsBetter: boolean }): string {
  const unit = metric.name === 'score' ? `${metric.delta} points on the 0–10 score` : `${metric.delta} on ${metric.name}`;
  return (
    `δ = ${unit}: the smallest difference in quality worth paying for. Standard is the fewest steps within δ of the best ` +
    `this model does; draft is within 4δ (good enough to judge a composition), final within δ/4 (as close to the best as it gets).`
  );
}

/** Sentences for the recommendations that leave the guide's range for the model. */
function outsideGuideFlags(name: string, guide: GuideRange, recs: ScopeSettings['recommendations']): string[] {
  if (!recs) return [];
  const flags: string[] = [];
  for (const key of ['draft', 'standard', 'final'] as const) {
    const steps = recs[key].steps;
    if (guide.minSteps !== null && steps < guide.minSteps) flags.push(`${key} (${steps} steps) is below the guide's minimum of ${guide.minSteps} for ${name}`);
    else if (guide.maxSteps !== null && steps > guide.maxSteps) flags.push(`${key} (${steps} steps) is above the guide's maximum of ${guide.maxSteps} for ${name}`);
    else if (key === 'standard' && guide.recommendedLow !== null && guide.recommendedHigh !== null && (steps < guide.recommendedLow || steps > guide.recommendedHigh)) {
      flags.push(`standard (${steps} steps) is outside the guide's recommended ${guide.recommendedLow}–${guide.recommendedHigh} for ${name}`);
    }
  }
  return flags;
}

/** The recommendations with their times predicted on `hardware`'s fit (null times when it has none). */
function timedOn(a: ModelAnalysis, hardware: string): ModelAnalysis['recommendations'] {
  if (!a.recommendations) return null;
  const fit = a.durationByHardware.find((h) => h.hardware === hardware)?.fit ?? null;
  const at = (r: NonNullable<ModelAnalysis['recommendations']>['draft']) => ({ ...r, durationMs: fit ? predictDurationMs(fit, r.steps) : null });
  return { draft: at(a.recommendations.draft), standard: at(a.recommendations.standard), final: at(a.recommendations.final) };
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
export async function buildSettingsSheet(db: Db, sheetQuery: AnalysisQuery): Promise<SettingsSheet> {
  // On the sheet, `hardware` picks the GPU the times are predicted for; quality does not depend on
  // the GPU, so the runs behind the numbers are not narrowed by it.
  const { hardware = null, ...query } = sheetQuery;
  const models = (await listModels(db)).filter((m) => m.runs > 0);
  const metric = { name: query.metric ?? 'score', lowerIsBetter: false, delta: query.delta ?? 0.25 };
  const sheet: SettingsSheet = {
    generatedAt: new Date().toISOString(),
    metric,
    deltaInWords: deltaInWords(metric),
    rule: query.rule ?? 'plateau-gap',
    filters: analysisFilterFromQuery(query),
    hardware,
    demoRuns: 0,
    models: [],
  };
  for (const model of models) {
    const a = await analyzeModel(db, model.slug, query);
    sheet.metric = a.metric;
    sheet.deltaInWords = deltaInWords(a.metric);
    sheet.rule = a.settings.rule;
    sheet.filters = a.filters;
    if (a.runs === 0) continue;
    const row = (await findModelBySlug(db, model.slug))!;
    const [mix, demoRuns] = await Promise.all([runSettingsMix(db, row.id, a.filters), countTaggedRuns(db, row.id, a.filters, DEMO_TAG)]);
    sheet.demoRuns += demoRuns;
    const scope = scopeOf(a);
    if (hardware !== null) {
      scope.recommendations = timedOn(a, hardware);
      const fit = a.durationByHardware.find((h) => h.hardware === hardware)?.fit;
      scope.duration = fit ? { overheadMs: fit.overheadMs, perStepMs: fit.perStepMs, r2: fit.r2, hardware } : null;
    }
    const recs = a.recommendations;
    const timesByHardware = recs
      ? a.durationByHardware.map((h) => ({
          hardware: h.hardware,
          runs: h.runs,
          draftMs: predictDurationMs(h.fit, recs.draft.steps),
          standardMs: predictDurationMs(h.fit, recs.standard.steps),
          finalMs: predictDurationMs(h.fit, recs.final.steps),
        }))
      : [];
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
      timesByHardware,
      settingsUsed: mix.map((m) => ({ sampler: m.sampler, guidance: m.guidance, resolution: m.width !== null && m.height !== null ? `${m.width}x${m.height}` : null, runs: m.n })),
      outsideGuide: outsideGuideFlags(model.name, model.guide, a.recommendations),
      demoRuns,
      ...scope,
    });
  }
  return sheet;
}
