import { describe, expect, it } from 'vitest';
import { confidenceLabel, type ConfidenceInput } from '../../src/analysis/confidence.js';

const good: ConfidenceInput = {
  estimate: 30,
  interval: [27, 34],
  runs: 240,
  levels: 9,
  minRunsPerLevel: 20,
  r2: 0.97,
  extrapolated: false,
};

describe('confidenceLabel', () => {
  it('matches the documented example', () => {
    expect(confidenceLabel(good)).toEqual({
      label: 'high',
      reason: '90% interval 27–34 steps spans 7 steps (23% of the estimate) from 240 runs over 9 step levels',
    });
  });

  it('never labels an extrapolation high', () => {
    const result = confidenceLabel({ ...good, estimate: 60, interval: [58, 62], extrapolated: true });
    expect(result.label).toBe('medium');
    expect(result.reason).toContain('not high: the sweet spot lies outside the tested steps (an extrapolation)');
  });

  it('steps down with width, levels, runs and fit', () => {
    expect(confidenceLabel({ ...good, interval: [24, 38] }).label).toBe('medium');
    expect(confidenceLabel({ ...good, interval: [15, 50] }).label).toBe('low');
    expect(confidenceLabel({ ...good, levels: 4 }).label).toBe('medium');
    expect(confidenceLabel({ ...good, levels: 3 }).label).toBe('low');
    expect(confidenceLabel({ ...good, minRunsPerLevel: 2 }).label).toBe('medium');
    expect(confidenceLabel({ ...good, minRunsPerLevel: 1 }).label).toBe('low');
    expect(confidenceLabel({ ...good, r2: 0.8 }).label).toBe('medium');
    const low = confidenceLabel({ ...good, r2: 0.5 });
    expect(low.label).toBe('low');
    expect(low.reason).toContain('not medium: fit R² 0.50 is below 0.75');
  });

  it('allows 2 steps of width at small step counts', () => {
    expect(confidenceLabel({ ...good, estimate: 3, interval: [2, 4] }).label).toBe('high');
  });

  it('is insufficient without a bounded interval or with too few levels', () => {
    expect(confidenceLabel({ ...good, interval: null }).label).toBe('insufficient');
    const open = confidenceLabel({ ...good, interval: [27, Infinity] });
    expect(open).toEqual({
      label: 'insufficient',
      reason: 'the 90% interval from 27 steps has no upper end: too many resamples show no plateau (240 runs over 9 step levels)',
    });
    expect(confidenceLabel({ ...good, levels: 2 }).label).toBe('insufficient');
  });

  it('rejects a non-finite estimate', () => {
    expect(() => confidenceLabel({ ...good, estimate: Infinity })).toThrow('confidenceLabel requires a finite estimate');
  });
});
