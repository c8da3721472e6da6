import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { normaliseAnalysisQuery } from '../../src/services/analysis.js';
import { UNCACHED_ANALYSES_PER_WINDOW } from '../../src/services/analysis-budget.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
  const runs = [10, 20, 30, 40, 60].flatMap((steps) =>
    ['1', '2', '3'].map((seed) => ({ model: 'flux-dev', steps, score: 8.6 - 5 * Math.exp(-steps / 10) + Number(seed) / 10, durationMs: 400 + 670 * steps, seed, prompt: 'a fox' })),
  );
  await request(t.app).post('/api/v1/runs').send(runs).expect(201);
});

async function snapshotCount(): Promise<number> {
  const row = await t.db.selectFrom('sweet_spot_snapshots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

// Finding 4 of issue #14: each analysis with a new delta, from or filter value missed the cache,
// computed on the event loop and inserted a snapshot row: 300 requests added 300 snapshots, without
// credentials (in loopback mode any web page could send them through <img> tags).
describe('reads that cost', () => {
  it('300 analyses with new δ values write no snapshot, and past the per-client budget answer 429 naming it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ delta: (0.3 + i / 1000).toFixed(3) });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error.message).toContain(`at most ${UNCACHED_ANALYSES_PER_WINDOW} per minute`);
    }
    expect(statuses.slice(0, UNCACHED_ANALYSES_PER_WINDOW).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(UNCACHED_ANALYSES_PER_WINDOW).every((s) => s === 429)).toBe(true);
    expect(await snapshotCount()).toBe(0);
    // Past the budget, what is cached still answers, and so does the default analysis however it is spelt.
    await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ delta: '0.300' }).expect(200);
    await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ metric: 'score', rule: 'plateau-gap', delta: '0.25' }).expect(200);
    await request(t.app).get('/models/flux-dev').expect(200);
    expect(await snapshotCount()).toBe(0);
  });

  it('keys the cache on the normalised query: defaults and blanks dropped, keys in one order', () => {
    expect(normaliseAnalysisQuery({ metric: 'score', rule: 'plateau-gap', delta: 0.25, hardware: null })).toEqual({});
    expect(JSON.stringify(normaliseAnalysisQuery({ phase: 'final', hardware: 'api', delta: 0.5 }))).toBe(
      JSON.stringify(normaliseAnalysisQuery({ delta: 0.5, hardware: 'api', phase: 'final' })),
    );
    expect(normaliseAnalysisQuery({ metric: 'sharpness', delta: 0.25 })).toEqual({ delta: 0.25, metric: 'sharpness' });
  });
});
