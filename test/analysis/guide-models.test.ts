import { describe, expect, it } from 'vitest';
import { GUIDE_MODELS, GUIDE_PRESETS, GUIDE_USE_CASES, guideModel } from '../../src/analysis/guide-models.js';

describe('GUIDE_MODELS', () => {
  it("holds the guide's four models and their ranges", () => {
    const rows = GUIDE_MODELS.map((m) => [
      m.slug,
      m.name,
      m.minSteps,
      m.recommendedLow,
      m.recommendedHigh,
      m.maxSteps,
      m.sweetSpot,
    ]);
    expect(rows).toEqual([
      ['flux-dev', 'FLUX.1 Dev', 20, 28, 35, 50, 30],
      ['flux-schnell', 'FLUX.1 Schnell', 1, 2, 3, 4, 3],
      ['flux-pro', 'FLUX.1 Pro', 30, 35, 45, 50, 40],
      ['recraft-v3', 'Recraft v3', 20, 25, 35, 50, 30],
    ]);
  });

  it('keeps every range in order, with the sweet spot inside the recommended range', () => {
    for (const m of GUIDE_MODELS) {
      expect(m.minSteps).toBeLessThanOrEqual(m.recommendedLow);
      expect(m.recommendedLow).toBeLessThanOrEqual(m.sweetSpot);
      expect(m.sweetSpot).toBeLessThanOrEqual(m.recommendedHigh);
      expect(m.recommendedHigh).toBeLessThanOrEqual(m.maxSteps);
      expect(m.notes.length).toBeGreaterThan(0);
    }
  });

  it('is frozen, so no caller can change the reference', () => {
    expect(Object.isFrozen(GUIDE_MODELS)).toBe(true);
    expect(Object.isFrozen(GUIDE_MODELS[0])).toBe(true);
    expect(Object.isFrozen(GUIDE_USE_CASES[0]?.phases[0])).toBe(true);
    expect(Object.isFrozen(GUIDE_PRESETS[0]?.models)).toBe(true);
  });
});

describe('guideModel', () => {
  it('finds Schnell: the doc example', () => {
    expect(guideModel('flux-schnell')?.maxSteps).toBe(4);
  });

  it('answers undefined for a model the guide does not cover', () => {
    expect(guideModel('sdxl')).toBeUndefined();
  });
});

describe('GUIDE_USE_CASES', () => {
  it("holds the guide's steps per phase for concept art, portraits and landscapes", () => {
    const table = GUIDE_USE_CASES.map((u) => [u.useCase, u.phases.map((p) => `${p.phase}:${p.steps}${p.orMore ? '+' : ''}`)]);
    expect(table).toEqual([
      ['concept-art', ['draft:20', 'refine:30', 'final:40+']],
      ['portrait', ['draft:20', 'refine:35', 'final:45+']],
      ['landscape', ['draft:25', 'refine:35', 'final:40+']],
    ]);
  });
});

describe('GUIDE_PRESETS', () => {
  it("holds the guide's draft, standard and high-quality presets", () => {
    expect(GUIDE_PRESETS.map((p) => [p.preset, p.stepsLow, p.stepsHigh, p.models])).toEqual([
      ['draft', 20, 20, ['flux-dev', 'flux-schnell']],
      ['standard', 28, 35, ['flux-dev']],
      ['high-quality', 40, 50, ['flux-pro']],
    ]);
  });

  it('names only guide models', () => {
    const slugs = new Set(GUIDE_MODELS.map((m) => m.slug));
    for (const p of GUIDE_PRESETS) for (const m of p.models) expect(slugs.has(m)).toBe(true);
  });
});
