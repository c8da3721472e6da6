import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planBudget, type ModelOption, type Setting } from '../../src/analysis/budget-plan.js';

const dev: ModelOption = {
  model: 'flux-dev',
  name: 'FLUX.1 Dev',
  draft: { steps: 20, quality: 7.9, durationMs: 13_780 },
  standard: { steps: 30, quality: 8.6, durationMs: 20_480 },
  final: { steps: 40, quality: 8.8, durationMs: 27_180 },
};
const schnell: ModelOption = {
  model: 'flux-schnell',
  name: 'FLUX.1 Schnell',
  draft: { steps: 1, quality: 6, durationMs: 1_200 },
  standard: { steps: 3, quality: 7, durationMs: 2_400 },
  final: { steps: 4, quality: 7.2, durationMs: 3_000 },
};
const pro: ModelOption = {
  model: 'flux-pro',
  name: 'FLUX.1 Pro',
  draft: { steps: 30, quality: 8, durationMs: 30_000 },
  standard: { steps: 40, quality: 8.9, durationMs: 40_000 },
  final: { steps: 50, quality: 9.1, durationMs: 50_000 },
};
const all = [dev, schnell, pro];

describe('planBudget', () => {
  it('plans the doc example: 2 drafts at 20 steps, a final at 30 steps', () => {
    const plan = planBudget({ images: 10, minutes: 9, draftsPerFinal: 2, options: [dev] });
    expect(plan.summary).toBe(
      'FLUX.1 Dev: per concept 2 drafts at 20 steps, then a final at 30 steps. ' +
        '10 concepts take 8 min of the 9 min budget (1 min left).',
    );
    expect(plan).toMatchObject({
      feasible: true,
      model: 'flux-dev',
      drafts: { setting: 'draft', steps: 20, renders: 20, totalMs: 275_600 },
      finals: { setting: 'standard', steps: 30, quality: 8.6, renders: 10, totalMs: 204_800 },
      totalMs: 480_400,
      budgetMs: 540_000,
      leftMs: 59_600,
      extraMsNeeded: 0,
      imagesThatFit: 11,
    });
  });

  it('gives the best quality when time is plentiful, without drafts', () => {
    const plan = planBudget({ images: 10, minutes: 10, options: all });
    expect(plan.model).toBe('flux-pro');
    expect(plan.drafts).toBeNull();
    expect(plan.finals).toMatchObject({ setting: 'final', steps: 50, renders: 10, totalMs: 500_000 });
    expect(plan.summary).toBe('FLUX.1 Pro at 50 steps. 10 images take 8.3 min of the 10 min budget (1.7 min left).');
  });

  it('falls back to a faster model when time is short', () => {
    const plan = planBudget({ images: 100, minutes: 10, options: all });
    expect(plan.model).toBe('flux-schnell');
    expect(plan.finals.steps).toBe(4);
    expect(plan.totalMs).toBe(300_000);
  });

  it('lets the drafts eat into the final quality', () => {
    const noDrafts = planBudget({ images: 10, minutes: 9, options: [dev] });
    const withDrafts = planBudget({ images: 10, minutes: 9, draftsPerFinal: 2, options: [dev] });
    expect(noDrafts.finals.steps).toBe(40);
    expect(withDrafts.finals.steps).toBe(30);
  });

  it('drafts at the cheaper of the draft and standard settings', () => {
    const odd: ModelOption = { ...dev, standard: { steps: 25, quality: 8, durationMs: 10_000 } };
    const plan = planBudget({ images: 1, minutes: 60, draftsPerFinal: 3, options: [odd] });
    expect(plan.drafts).toMatchObject({ setting: 'standard', steps: 25, renders: 3 });
  });

  it('breaks a tie in final quality by the quicker plan, then by input order', () => {
    const slowTwin: ModelOption = {
      ...schnell,
      model: 'slow',
      name: 'Slow',
      final: { ...schnell.final, durationMs: 9_000 },
    };
    expect(planBudget({ images: 1, minutes: 1, options: [slowTwin, schnell] }).model).toBe('flux-schnell');
    const twin: ModelOption = { ...schnell, model: 'twin', name: 'Twin' };
    expect(planBudget({ images: 1, minutes: 1, options: [twin, schnell] }).model).toBe('twin');
  });

  it('answers an impossible budget with the quickest plan, the extra time and the images that fit', () => {
    const plan = planBudget({ images: 1000, minutes: 10, options: all });
    expect(plan).toMatchObject({
      feasible: false,
      model: 'flux-schnell',
      finals: { setting: 'draft', steps: 1 },
      totalMs: 1_200_000,
      leftMs: -600_000,
      extraMsNeeded: 600_000,
      imagesThatFit: 500,
    });
    expect(plan.summary).toBe(
      'Nothing fits in 10 min: the quickest plan, FLUX.1 Schnell at 1 step, needs 20 min for 1000 images: ' +
        '10 min more, or 500 images in 10 min.',
    );
  });

  it('says so when not even one concept fits', () => {
    const plan = planBudget({ images: 2, minutes: 0.4, draftsPerFinal: 1, options: [dev] });
    expect(plan.feasible).toBe(false);
    expect(plan.imagesThatFit).toBe(0);
    expect(plan.summary).toBe(
      'Nothing fits in 24 s: the quickest plan, FLUX.1 Dev: per concept 1 draft at 20 steps, then a final ' +
        'at 20 steps, needs 55 s for 2 concepts: 31 s more; not even one concept fits in 24 s.',
    );
  });

  it('fits a plan that uses the budget exactly', () => {
    const plan = planBudget({ images: 20, minutes: 1, options: [schnell] });
    expect(plan.feasible).toBe(true);
    expect(plan.finals.steps).toBe(4);
    expect(plan.leftMs).toBe(0);
  });

  it('throws on bad input', () => {
    const base = { images: 1, minutes: 1, options: all };
    expect(() => planBudget({ ...base, images: 0 })).toThrow('planBudget requires a positive whole number of images');
    expect(() => planBudget({ ...base, images: 1.5 })).toThrow('planBudget requires a positive whole number of images');
    expect(() => planBudget({ ...base, minutes: 0 })).toThrow('planBudget requires a positive, finite number of minutes');
    expect(() => planBudget({ ...base, minutes: -3 })).toThrow('planBudget requires a positive, finite number of minutes');
    expect(() => planBudget({ ...base, minutes: Number.POSITIVE_INFINITY })).toThrow(
      'planBudget requires a positive, finite number of minutes',
    );
    expect(() => planBudget({ ...base, draftsPerFinal: -1 })).toThrow(
      'planBudget requires draftsPerFinal to be a whole number ≥ 0',
    );
    expect(() => planBudget({ ...base, options: [] })).toThrow('planBudget requires at least one model option');
    const broken = { ...dev, final: { steps: 40, quality: 8.8, durationMs: 0 } };
    expect(() => planBudget({ ...base, options: [broken] })).toThrow(
      'planBudget requires finite steps and quality and a positive, finite durationMs in every setting',
    );
  });

  const setting = fc.record({
    steps: fc.integer({ min: 1, max: 60 }),
    quality: fc.integer({ min: 0, max: 20 }).map((q) => q / 2),
    durationMs: fc.integer({ min: 100, max: 60_000 }),
  });
  const option = fc
    .record({ model: fc.string({ minLength: 1, maxLength: 8 }), draft: setting, standard: setting, final: setting })
    .map((o): ModelOption => ({ ...o, name: o.model }));
  const input = fc.record({
    images: fc.integer({ min: 1, max: 50 }),
    minutes: fc.integer({ min: 1, max: 600 }).map((m) => m / 10),
    draftsPerFinal: fc.integer({ min: 0, max: 4 }),
    options: fc.array(option, { minLength: 1, maxLength: 5 }),
  });
  const names = ['draft', 'standard', 'final'] as const;

  it('fits the budget, and no same-model plan with cheapest drafts has a better final (property)', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const plan = planBudget(inp);
        const budgetMs = inp.minutes * 60_000;
        let bestQuality = Number.NEGATIVE_INFINITY;
        for (const o of inp.options) {
          const draft: Setting = o.draft.durationMs <= o.standard.durationMs ? o.draft : o.standard;
          const draftsMs = inp.draftsPerFinal > 0 ? inp.images * inp.draftsPerFinal * draft.durationMs : 0;
          for (const n of names) {
            if (draftsMs + inp.images * o[n].durationMs <= budgetMs + 1e-3) {
              bestQuality = Math.max(bestQuality, o[n].quality);
            }
          }
        }
        expect(plan.feasible).toBe(bestQuality > Number.NEGATIVE_INFINITY);
        if (plan.feasible) {
          expect(plan.totalMs).toBeLessThanOrEqual(budgetMs + 1e-3);
          expect(plan.finals.quality).toBe(bestQuality);
          expect(plan.imagesThatFit).toBeGreaterThanOrEqual(inp.images);
        } else {
          expect(plan.extraMsNeeded).toBeGreaterThan(0);
          expect(plan.imagesThatFit).toBeLessThan(inp.images);
        }
        expect(plan.drafts === null).toBe(inp.draftsPerFinal === 0);
        expect(plan.totalMs).toBeCloseTo((plan.drafts?.totalMs ?? 0) + plan.finals.totalMs, 6);
      }),
    );
  });

  it('never lowers the final quality when given more time (property)', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 600 }), (inp, extra) => {
        const plan = planBudget(inp);
        const more = planBudget({ ...inp, minutes: inp.minutes + extra / 10 });
        if (plan.feasible) {
          expect(more.feasible).toBe(true);
          expect(more.finals.quality).toBeGreaterThanOrEqual(plan.finals.quality);
        }
      }),
    );
  });
});
