import { describe, expect, it } from 'vitest';
import { withoutRepeats } from '../../src/services/model-report.js';
import type { SnapshotPoint } from '../../src/services/analysis.js';
import { viewHelpers as h } from '../../src/web/view-helpers.js';

const point = (at: string, steps: number, runs: number): SnapshotPoint => ({ at, steps, intervalLow: steps - 2, intervalHigh: steps + 3, confidence: 'medium', runs, rule: 'plateau-gap', delta: 0.25 });

describe('report wording and history', () => {
  it('an interval whose ends are equal reads as one number, never "3–3"', () => {
    expect(h.range(3, 3)).toBe('3');
    expect(h.range(28, 35)).toBe('28–35');
  });

  it('the sweet-spot history drops a snapshot identical to the one before it', () => {
    const points = [point('2026-12-01', 30, 100), point('2026-12-02', 30, 100), point('2026-12-03', 31, 120), point('2026-12-04', 30, 100)];
    expect(withoutRepeats(points).map((p) => p.at)).toEqual(['2026-12-01', '2026-12-03', '2026-12-04']);
  });
});
