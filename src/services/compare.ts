import { planBudget, type BudgetPlan, type ModelOption } from '../analysis/budget-plan.js';
import { predictDurationMs } from '../analysis/duration-fit.js';
import { paretoFront, type TradeoffPoint } from '../analysis/pareto-front.js';
import type { Db } from '../db/connect.js';
import type { CompareQuery } from '../validation/compare-query.js';
import { analyzeModel, type ModelAnalysis } from './analysis.js';
import { InputError } from './errors.js';
import { listModels } from './models.js';

export interface ComparedModel {
  slug: string;
  name: string;
  status: ModelAnalysis['status'];
  message: string;
  sweetSpot: ModelAnalysis['sweetSpot'];
  recommendations: ModelAnalysis['recommendations'];
  /** Hardware the predicted times are for. */
  durationHardware: string | null;
  perStepMs: number | null;
  overheadMs: number | null;
  /** The fitted curve with each point's predicted render time (null without a duration fit). */
  curve: { steps: number; quality: number; timeMs: number | null }[];
}

export interface BudgetRequest {
  images: number;
  minutes: number;
  drafts: number;
}

export interface Comparison {
  /** Every model with rated runs, for the checkboxes. */
  available: { slug: string; name: string; runs: number }[];
  selected: string[];
  models: ComparedModel[];
  /** Chosen models that have no fitted curve, with the reason. */
  withoutCurve: { slug: string; name: string; message: string }[];
  /** The Pareto front of (predicted time, fitted quality) over every chosen model and step count. */
  front: (TradeoffPoint & { name: string })[];
  budget: { request: BudgetRequest; plan: BudgetPlan | null; error: string | null; options: string[] } | null;
}

/**
 * Compares models on the 0–10 score: their fitted curves (with predicted time from each model's
 * duration fit), the Pareto front of time against quality, and, when asked, the budget planner
 * with each model's draft / standard / final recommendations as the options.
 */
export async function loadComparison(db: Db, query: CompareQuery): Promise<Comparison> {
  const all = await listModels(db);
  const available = all.filter((m) => m.scoredRuns > 0).map((m) => ({ slug: m.slug, name: m.name, runs: m.runs }));
  const known = new Set(all.map((m) => m.slug));
  const unknown = (query.models ?? []).filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new InputError(`unknown model '${unknown[0]}'`, [{ field: 'models', message: `unknown model '${unknown[0]}'` }]);
  }
  const selected = query.models && query.models.length > 0 ? [...new Set(query.models)] : available.map((m) => m.slug);

  const models: ComparedModel[] = [];
  const withoutCurve: Comparison['withoutCurve'] = [];
  for (const slug of selected) {
    const analysis = await analyzeModel(db, slug, {});
    if (analysis.curve.length === 0) {
      withoutCurve.push({ slug, name: analysis.model.name, message: analysis.message });
      continue;
    }
    const fit = analysis.duration;
    models.push({
      slug,
      name: analysis.model.name,
      status: analysis.status,
      message: analysis.message,
      sweetSpot: analysis.sweetSpot,
      recommendations: analysis.recommendations,
      durationHardware: analysis.durationHardware,
      perStepMs: fit?.perStepMs ?? null,
      overheadMs: fit?.overheadMs ?? null,
      curve: analysis.curve.map((c) => ({
        steps: c.steps,
        quality: c.quality,
        timeMs: fit && fit.perStepMs > 0 ? predictDurationMs(fit, c.steps) : null,
      })),
    });
  }

  const names = new Map(models.map((m) => [m.slug, m.name]));
  const points: TradeoffPoint[] = models.flatMap((m) =>
    m.curve.flatMap((c) => (c.timeMs === null ? [] : [{ model: m.slug, steps: c.steps, timeMs: c.timeMs, quality: c.quality }])),
  );
  const front = paretoFront(points).map((p) => ({ ...p, name: names.get(p.model) ?? p.model }));

  let budget: Comparison['budget'] = null;
  if (query.images != null && query.minutes != null) {
    const request: BudgetRequest = { images: query.images, minutes: query.minutes, drafts: query.drafts ?? 0 };
    const options = budgetOptions(models);
    let plan: BudgetPlan | null = null;
    let error: string | null = null;
    if (options.length === 0) {
      error = 'None of the chosen models has both a sweet spot and logged render times at two or more step counts, so no plan can be timed.';
    } else {
      plan = planBudget({ images: request.images, minutes: request.minutes, draftsPerFinal: request.drafts, options });
    }
    budget = { request, plan, error, options: options.map((o) => o.name) };
  }

  return { available, selected, models, withoutCurve, front, budget };
}

/** Each model's three recommendations with predicted times, when it has them all. */
function budgetOptions(models: readonly ComparedModel[]): ModelOption[] {
  const options: ModelOption[] = [];
  for (const m of models) {
    const r = m.recommendations;
    if (!r) continue;
    const settings = [r.draft, r.standard, r.final];
    if (settings.some((s) => s.durationMs === null || !(s.durationMs > 0))) continue;
    const setting = (s: (typeof settings)[number]) => ({ steps: s.steps, quality: s.quality, durationMs: s.durationMs! });
    options.push({ model: m.slug, name: m.name, draft: setting(r.draft), standard: setting(r.standard), final: setting(r.final) });
  }
  return options;
}
