import { formatDuration } from './waste.js';

/** One recommended setting of a model: steps, expected quality and predicted time per render (ms). */
export interface Setting {
  steps: number;
  quality: number;
  durationMs: number;
}

/** A model with its three recommended settings (from its sweet-spot report). */
export interface ModelOption {
  /** The model's slug. */
  model: string;
  /** The model's display name. */
  name: string;
  draft: Setting;
  standard: Setting;
  final: Setting;
}

export interface BudgetInput {
  /** Finished images (concepts) wanted. */
  images: number;
  /** The time available, in minutes. */
  minutes: number;
  /** k: drafts rendered per concept before its final (default 0). */
  draftsPerFinal?: number;
  options: readonly ModelOption[];
}

export type SettingName = 'draft' | 'standard' | 'final';

/** One phase of a plan: which setting, how many renders and how long they take together. */
export interface PhasePlan {
  setting: SettingName;
  steps: number;
  quality: number;
  /** Per render, in ms. */
  durationMs: number;
  renders: number;
  /** renders × durationMs. */
  totalMs: number;
}

/** The planner's answer, plain JSON. When `feasible` is false it describes the closest option. */
export interface BudgetPlan {
  feasible: boolean;
  model: string;
  name: string;
  /** Null when no drafts were asked for. */
  drafts: PhasePlan | null;
  finals: PhasePlan;
  /** All renders of the plan, in ms. */
  totalMs: number;
  budgetMs: number;
  /** budgetMs − totalMs (negative when the plan does not fit). */
  leftMs: number;
  /** How much more time the plan needs; 0 when it fits. */
  extraMsNeeded: number;
  /** How many concepts this plan fits into the budget (≥ images when it fits). */
  imagesThatFit: number;
  /** The plan in one or two sentences. */
  summary: string;
}

const SETTING_NAMES: readonly SettingName[] = ['draft', 'standard', 'final'];

/**
 * The budget planner: "N images in T minutes", optionally "k drafts then one final per concept".
 *
 * Objective (simple on purpose, so the answer can be explained in a sentence):
 * - each concept is drafted and finished on one model, so a draft's prompt and seed carry over to
 *   its final;
 * - drafts use the model's cheapest quick setting (its draft or standard setting, whichever takes
 *   less time; normally the draft setting);
 * - the final is the model's setting (draft, standard or final) with the best expected quality whose
 *   N renders fit into the time the drafts leave;
 * - across models: the highest final quality wins; ties go to the plan that takes less time, then
 *   to the earlier option in the input.
 * When no model fits, the answer is the quickest plan (cheapest setting for drafts and finals), with
 * the extra time it needs and how many concepts would fit instead. Qualities of different models
 * are compared as given, so pass them on one scale (the fitted 0–10 score).
 *
 * Units: minutes in, ms out. Cost: O(m) for m model options.
 *
 * @throws Error "planBudget requires a positive whole number of images".
 * @throws Error "planBudget requires a positive, finite number of minutes".
 * @throws Error "planBudget requires draftsPerFinal to be a whole number ≥ 0".
 * @throws Error "planBudget requires at least one model option".
 * @throws Error "planBudget requires finite steps and quality and a positive, finite durationMs in every setting".
 *
 * @example
 * const dev = {
 *   model: 'flux-dev', name: 'FLUX.1 Dev',
 *   draft: { steps: 20, quality: 7.9, durationMs: 13_780 },
 *   standard: { steps: 30, quality: 8.6, durationMs: 20_480 },
 *   final: { steps: 40, quality: 8.8, durationMs: 27_180 },
 * };
 * planBudget({ images: 10, minutes: 9, draftsPerFinal: 2, options: [dev] }).summary;
 * // → "FLUX.1 Dev: per concept 2 drafts at 20 steps, then a final at 30 steps. 10 concepts take
 * //    8 min of the 9 min budget (1 min left)."
 * // (20 drafts × 13.78 s = 4.6 min leave 4.4 min: 10 finals at 40 steps need 4.5 min, at 30 steps 3.4)
 */
export function planBudget(input: BudgetInput): BudgetPlan {
  const { images, minutes, options } = input;
  const k = input.draftsPerFinal ?? 0;
  if (!Number.isInteger(images) || images < 1) {
    throw new Error('planBudget requires a positive whole number of images');
  }
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new Error('planBudget requires a positive, finite number of minutes');
  }
  if (!Number.isInteger(k) || k < 0) {
    throw new Error('planBudget requires draftsPerFinal to be a whole number ≥ 0');
  }
  if (options.length === 0) throw new Error('planBudget requires at least one model option');
  for (const option of options) {
    for (const name of SETTING_NAMES) validateSetting(option[name]);
  }

  const budgetMs = minutes * 60_000;
  // Slack for floating-point sums: a plan that fits to a microsecond fits.
  const fits = (totalMs: number) => totalMs <= budgetMs + 1e-3;

  let best: BudgetPlan | undefined;
  let quickest: BudgetPlan | undefined;
  for (const option of options) {
    const draftName = k > 0 ? cheapestOf(option, ['draft', 'standard']) : null;
    const draftsMs = draftName ? images * k * option[draftName].durationMs : 0;

    const quickestPlan = buildPlan(option, draftName, cheapestOf(option, SETTING_NAMES), images, k, budgetMs);
    if (!quickest || quickestPlan.totalMs < quickest.totalMs) quickest = quickestPlan;

    let finalName: SettingName | null = null;
    for (const name of SETTING_NAMES) {
      const setting = option[name];
      if (!fits(draftsMs + images * setting.durationMs)) continue;
      const current = finalName ? option[finalName] : null;
      if (
        !current ||
        setting.quality > current.quality ||
        (setting.quality === current.quality && setting.durationMs < current.durationMs)
      ) {
        finalName = name;
      }
    }
    if (!finalName) continue;
    const plan = buildPlan(option, draftName, finalName, images, k, budgetMs);
    if (
      !best ||
      plan.finals.quality > best.finals.quality ||
      (plan.finals.quality === best.finals.quality && plan.totalMs < best.totalMs)
    ) {
      best = plan;
    }
  }

  if (best) return { ...best, feasible: true, extraMsNeeded: 0, summary: describeFeasible(best, images, k) };
  // options is non-empty, so the loop set `quickest`.
  const closest = quickest as BudgetPlan;
  return {
    ...closest,
    feasible: false,
    extraMsNeeded: closest.totalMs - budgetMs,
    summary: describeInfeasible(closest, images, k, minutes),
  };
}

function validateSetting(setting: Setting): void {
  const valid =
    Number.isFinite(setting.steps) &&
    Number.isFinite(setting.quality) &&
    Number.isFinite(setting.durationMs) &&
    setting.durationMs > 0;
  if (!valid) {
    throw new Error(
      'planBudget requires finite steps and quality and a positive, finite durationMs in every setting',
    );
  }
}

function cheapestOf(option: ModelOption, names: readonly SettingName[]): SettingName {
  let cheapest: SettingName | undefined;
  for (const name of names) {
    if (!cheapest || option[name].durationMs < option[cheapest].durationMs) cheapest = name;
  }
  return cheapest as SettingName;
}

function buildPlan(
  option: ModelOption,
  draftName: SettingName | null,
  finalName: SettingName,
  images: number,
  k: number,
  budgetMs: number,
): BudgetPlan {
  const drafts = draftName ? phase(option[draftName], draftName, images * k) : null;
  const finals = phase(option[finalName], finalName, images);
  const totalMs = (drafts?.totalMs ?? 0) + finals.totalMs;
  const perConceptMs = totalMs / images;
  return {
    feasible: false,
    model: option.model,
    name: option.name,
    drafts,
    finals,
    totalMs,
    budgetMs,
    leftMs: budgetMs - totalMs,
    extraMsNeeded: 0,
    imagesThatFit: Math.floor((budgetMs + 1e-3) / perConceptMs),
    summary: '',
  };
}

function phase(setting: Setting, name: SettingName, renders: number): PhasePlan {
  return {
    setting: name,
    steps: setting.steps,
    quality: setting.quality,
    durationMs: setting.durationMs,
    renders,
    totalMs: renders * setting.durationMs,
  };
}

function stepsText(steps: number): string {
  return `${steps} ${steps === 1 ? 'step' : 'steps'}`;
}

function countText(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function recipe(plan: BudgetPlan, k: number): string {
  if (!plan.drafts) return `${plan.name} at ${stepsText(plan.finals.steps)}`;
  return (
    `${plan.name}: per concept ${countText(k, 'draft', 'drafts')} at ${stepsText(plan.drafts.steps)}, ` +
    `then a final at ${stepsText(plan.finals.steps)}`
  );
}

function describeFeasible(plan: BudgetPlan, images: number, k: number): string {
  const what = k > 0 ? countText(images, 'concept takes', 'concepts take') : countText(images, 'image takes', 'images take');
  return (
    `${recipe(plan, k)}. ${what} ${formatDuration(plan.totalMs)} of the ` +
    `${formatDuration(plan.budgetMs)} budget (${formatDuration(Math.max(0, plan.leftMs))} left).`
  );
}

function describeInfeasible(plan: BudgetPlan, images: number, k: number, minutes: number): string {
  const unit = k > 0 ? ['concept', 'concepts'] as const : ['image', 'images'] as const;
  const budget = formatDuration(minutes * 60_000);
  const instead =
    plan.imagesThatFit > 0
      ? `, or ${countText(plan.imagesThatFit, unit[0], unit[1])} in ${budget}`
      : `; not even one ${unit[0]} fits in ${budget}`;
  return (
    `Nothing fits in ${budget}: the quickest plan, ${recipe(plan, k)}, needs ` +
    `${formatDuration(plan.totalMs)} for ${countText(images, unit[0], unit[1])}: ` +
    `${formatDuration(plan.totalMs - plan.budgetMs)} more${instead}.`
  );
}
