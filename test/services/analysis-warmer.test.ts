import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { planWarming, startAnalysisWarmer } from '../../src/services/analysis-warmer.js';
import { countRows, createTestApp } from '../helpers/test-app.js';

describe('startAnalysisWarmer', () => {
  it('recomputes stale default analyses off the request path, recording their snapshots', async () => {
    const t = await createTestApp();
    const warmer = startAnalysisWarmer(t.db, { intervalMs: 60_000 });
    try {
      await request(t.app).post('/demo').expect(303);
      const before = Number((await t.db.selectFrom('sweet_spot_snapshots').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(before).toBe(0);
      await warmer.refresh();
      const snapshots = () => t.db.selectFrom('sweet_spot_snapshots').select(['model_id', 'filters']).orderBy('id').execute();
      const after = await snapshots();
      // The default analysis of each of the four models, and nothing for the export page's
      // per-use-case variants (only default analyses are recorded).
      expect(new Set(after.filter((s) => s.filters === '{}').map((s) => s.model_id)).size).toBe(4);
      expect(after.every((s) => s.filters === '{}')).toBe(true);
      // Nothing changed: a second pass computes nothing new.
      await warmer.refresh();
      expect(await snapshots()).toEqual(after);
      expect(await countRows(t.db, 'runs')).toBeGreaterThan(0);
    } finally {
      warmer.stop();
    }
  });
});

describe('planWarming', () => {
  const MAX_WAIT = 30_000;
  const fresh = { seen: null, warmed: null, warmedAt: 0 };

  it('warms once the version has held still for one look, then not again while nothing changes', () => {
    const started = { seen: null, warmed: null, warmedAt: 50_000 };
    const first = planWarming(started, 'v1', 51_000, MAX_WAIT);
    expect(first.warm).toBe(false);
    const second = planWarming(first.state, 'v1', 52_000, MAX_WAIT);
    expect(second).toEqual({ warm: true, state: { seen: 'v1', warmed: 'v1', warmedAt: 52_000 } });
    expect(planWarming(second.state, 'v1', 53_000, MAX_WAIT).warm).toBe(false);
    expect(planWarming(second.state, 'v1', 500_000, MAX_WAIT).warm).toBe(false);
  });

  it('waits while writes continue and warms once the version holds still for one look', () => {
    let state = planWarming(fresh, 'v1', 100_000, MAX_WAIT).state; // long after the start: warms at once
    const during = planWarming(state, 'v2', 101_000, MAX_WAIT);
    expect(during.warm).toBe(false);
    state = during.state;
    const still = planWarming(state, 'v2', 102_000, MAX_WAIT);
    expect(still).toEqual({ warm: true, state: { seen: 'v2', warmed: 'v2', warmedAt: 102_000 } });
  });

  it('warms at least once every maxWaitMs when writes never pause', () => {
    let state = planWarming(fresh, 'v0', 0 + MAX_WAIT, MAX_WAIT).state;
    const warmedAt: number[] = [];
    for (let second = 1; second <= 70; second++) {
      const now = MAX_WAIT + second * 1000;
      const plan = planWarming(state, `v${second}`, now, MAX_WAIT);
      state = plan.state;
      if (plan.warm) warmedAt.push(now);
    }
    expect(warmedAt).toEqual([2 * MAX_WAIT, 3 * MAX_WAIT]);
  });
});
