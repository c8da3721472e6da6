import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

/** A paired sweep of q(s) = 8.6 − 5·exp(−s/10) with a ±0.2 spread per seed, 0.670 s/step + 0.38 s. */
function sweep(model = 'flux-dev', hardware = 'RTX 4090') {
  const runs = [];
  for (const steps of [10, 15, 20, 25, 30, 35, 40, 50, 60]) {
    for (const [seed, offset] of [['1', -0.2], ['2', 0], ['3', 0.2]] as const) {
      runs.push({ model, steps, score: Number((8.6 - 5 * Math.exp(-steps / 10) + offset).toFixed(4)), durationMs: 380 + 670 * steps, seed, prompt: 'a fox', hardware });
    }
  }
  return runs;
}

describe('GET /api/v1/models/:slug/analysis', () => {
  it('answers with the sweet spot, fit, recommendations, durations and next steps', async () => {
    await request(t.app).post('/api/v1/runs').send(sweep()).expect(201);
    const res = await request(t.app).get('/api/v1/models/flux-dev/analysis');
    expect(res.status).toBe(200);
    const a = res.body;
    expect(a.status).toBe('ok');
    expect(a.paired).toBe(true);
    expect(a.sweetSpot).toMatchObject({ steps: 30, extrapolated: false });
    expect(a.sweetSpot.interval[0]).toBeLessThanOrEqual(30);
    expect(a.sweetSpot.interval[1]).toBeGreaterThanOrEqual(30);
    expect(['high', 'medium', 'low']).toContain(a.sweetSpot.confidence);
    expect(a.sweetSpot.reason).toMatch(/interval/);
    expect(a.kneedle.steps).toBeTypeOf('number');
    expect(a.fit).toMatchObject({ model: 'exponential', lackOfFit: { df: expect.any(Number), p: expect.any(Number) } });
    expect(a.fit.r2).toBeGreaterThan(0.99);
    expect(a.recommendations.standard).toEqual({ steps: 30, quality: expect.any(Number), durationMs: 380 + 670 * 30, extrapolated: false });
    expect(a.duration.perStepMs).toBeCloseTo(670, 6);
    expect(a.duration.overheadMs).toBeCloseTo(380, 6);
    expect(a.durationHardware).toBe('RTX 4090');
    expect(a.nextSteps.message).toBeTypeOf('string');
    expect(a.model).toMatchObject({ slug: 'flux-dev', guideLabel: 'Guide: 28–35, sweet spot 30 (20–50 possible)' });
    expect(a.metric).toEqual({ name: 'score', lowerIsBetter: false, delta: 0.25, unit: 'points on the 0–10 score', range: { min: 0, max: 10 } });
  });

  it('fits durations per hardware and predicts for the one with most runs', async () => {
    const slow = sweep('flux-dev', 'RTX 3090').slice(0, 9).map((r) => ({ ...r, durationMs: 500 + 1150 * r.steps, seed: `9${r.seed}` }));
    await request(t.app).post('/api/v1/runs').send([...sweep(), ...slow]).expect(201);
    const a = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    expect(a.durationHardware).toBe('RTX 4090');
    expect(a.duration.perStepMs).toBeCloseTo(670, 6);
    const byHw = Object.fromEntries(a.durationByHardware.map((d: { hardware: string; fit: { perStepMs: number } }) => [d.hardware, d.fit.perStepMs]));
    expect(byHw['RTX 3090']).toBeCloseTo(1150, 6);
    const only3090 = (await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ hardware: 'RTX 3090' })).body;
    expect(only3090.duration.perStepMs).toBeCloseTo(1150, 6);
  });

  it('reports too little data as a status, not an error', async () => {
    await request(t.app).post('/api/v1/runs').send([{ model: 'flux-dev', steps: 20, score: 7 }]).expect(201);
    const a = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    expect(a.status).toBe('insufficient-data');
    expect(a.sweetSpot).toBeNull();
    expect(a.message).toMatch(/step level/);
    const empty = (await request(t.app).get('/api/v1/models/flux-pro/analysis')).body;
    expect(empty.status).toBe('insufficient-data');
  });

  it('takes the rule and its settings from the query', async () => {
    await request(t.app).post('/api/v1/runs').send(sweep()).expect(201);
    const loose = (await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ delta: 1 })).body;
    // within 1 point of the plateau: 10·ln 5 = 16.1 → 17
    expect(loose.sweetSpot.steps).toBe(17);
    const share = (await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ rule: 'gain-share', share: 0.9 })).body;
    // 90% of the gain: 10·ln 10 = 23.03 → 24
    expect(share.sweetSpot.steps).toBe(24);
    expect(share.settings.rule).toBe('gain-share');
  });

  it('rejects bad settings naming them, and unknown models and metrics', async () => {
    const bad = await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ rule: 'elbow', delta: -1, share: 2 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['delta', 'rule', 'share']);
    expect((await request(t.app).get('/api/v1/models/nope/analysis')).status).toBe(404);
    const metric = await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ metric: 'loudness' });
    expect(metric.status).toBe(422);
    expect(metric.body.error.message).toMatch(/unknown metric 'loudness'/);
  });

  it('records a snapshot when the inputs change, and only then', async () => {
    await request(t.app).post('/api/v1/runs').send(sweep()).expect(201);
    await request(t.app).get('/api/v1/models/flux-dev/analysis').expect(200);
    await request(t.app).get('/api/v1/models/flux-dev/analysis').expect(200);
    let history = (await request(t.app).get('/api/v1/models/flux-dev/history')).body.history;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ steps: 30, runs: 27, rule: 'plateau-gap', delta: 0.25 });
    await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 70, score: 8.6, seed: '1', prompt: 'a fox' }).expect(201);
    await request(t.app).get('/api/v1/models/flux-dev/analysis').expect(200);
    history = (await request(t.app).get('/api/v1/models/flux-dev/history')).body.history;
    expect(history).toHaveLength(2);
    expect(history[1].runs).toBe(28);
  });
});

describe('analysis cache', () => {
  it('serves a cached analysis until a write changes its inputs', async () => {
    const ids = (await request(t.app).post('/api/v1/runs').send(sweep()).expect(201)).body.ids as number[];
    const first = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    expect((await request(t.app).get('/api/v1/models/flux-dev/analysis')).body).toEqual(first);
    // Rate the 60-step renders far higher: the plateau moves, so the answer must change.
    for (const id of ids.slice(-3)) await request(t.app).patch(`/api/v1/runs/${id}`).send({ score: 10 }).expect(200);
    const afterPatch = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    expect(afterPatch.levels.at(-1).mean).toBeCloseTo(10, 6);
    await request(t.app).delete(`/api/v1/runs/${ids[0]}`).expect(204);
    expect((await request(t.app).get('/api/v1/models/flux-dev/analysis')).body.runs).toBe(26);
    await request(t.app).patch('/api/v1/models/flux-dev').send({ maxSteps: 40 }).expect(200);
    expect((await request(t.app).get('/api/v1/models/flux-dev/analysis')).body.model.guide.maxSteps).toBe(40);
  });
});

describe('POST /api/v1/analyze', () => {
  const points = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50].flatMap((steps) =>
    [-0.1, 0, 0.1].map((e) => ({ steps, score: 9.8 - 5 * Math.exp(-steps / 10) + e, durationMs: 380 + 670 * steps })),
  );

  it('analyses the points and stores nothing', async () => {
    const res = await request(t.app).post('/api/v1/analyze').send({ points });
    expect(res.status).toBe(200);
    expect(res.body.sweetSpot.steps).toBe(30);
    expect(res.body.paired).toBe(false);
    expect(res.body.recommendations.final).toMatchObject({ steps: 44, durationMs: 380 + 670 * 44 });
    expect((await request(t.app).get('/api/v1/runs')).body.total).toBe(0);
  });

  it('mirrors a lower-is-better metric', async () => {
    const mirrored = points.map((p) => ({ ...p, score: -p.score }));
    const res = await request(t.app).post('/api/v1/analyze').send({ points: mirrored, lowerIsBetter: true, delta: 0.25 });
    expect(res.body.sweetSpot.steps).toBe(30);
  });

  it('asks for delta when a score lies outside 0–10 instead of silently using 0.25', async () => {
    const fid = points.map((p) => ({ ...p, score: 40 * p.score }));
    const res = await request(t.app).post('/api/v1/analyze').send({ points: fid, lowerIsBetter: true });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^delta is required: the scores are not on the 0–10 scale/);
    expect(res.body.error.details).toEqual([{ field: 'delta', message: 'required when a score lies outside 0–10' }]);
    const withDelta = await request(t.app).post('/api/v1/analyze').send({ points: fid, lowerIsBetter: true, delta: 10 });
    expect(withDelta.status).toBe(200);
    expect(withDelta.body.settings.delta).toBe(10);
  });

  it('refuses 10,000 step levels with a 422 naming the limit, before any curve is fitted', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ steps: i + 1, score: 5 }));
    const res = await request(t.app).post('/api/v1/analyze').send({ points: many });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('analyzeSteps requires at most 2,000 distinct step levels (these runs have 10,000)');
  });

  it('counts runs without prompt + seed next to paired ones and says how they were used', async () => {
    const paired = [10, 20, 30, 40, 50].flatMap((steps) => ['1', '2', '3'].map((seed, i) => ({ steps, seed, prompt: 'fox', score: 9 - 5 * Math.exp(-steps / 10) + (i - 1) * 0.3 })));
    const loose = [10, 30, 50].map((steps) => ({ steps, score: 8.5 - 5 * Math.exp(-steps / 10) }));
    const res = await request(t.app).post('/api/v1/analyze').send({ points: [...paired, ...loose] });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.runs).toBe(18);
    expect(res.body.runUse).toEqual({ pairedRuns: 15, unpairedRuns: 3 });
    expect(res.body.pairedReason).toMatch(/3 unpaired runs .* joined as their own block/);
  });

  it('clips fitted curves and plateaus to the 0–10 score', async () => {
    // A power law whose fitted limit lies above 10 is read on the score's own range.
    const high = [2, 4, 8, 16, 32, 64].flatMap((steps) => [-0.1, 0, 0.1].map((e) => ({ steps, score: Math.min(10, 11 - 6 * steps ** -0.5 + e) })));
    const res = await request(t.app).post('/api/v1/analyze').send({ points: high });
    expect(res.status).toBe(200);
    for (const point of res.body.curve) expect(point.quality).toBeLessThanOrEqual(10);
    if (res.body.plateau !== null) expect(res.body.plateau).toBeLessThanOrEqual(10);
  });

  it('rejects a bad body naming the point and field', async () => {
    const res = await request(t.app).post('/api/v1/analyze').send({ points: [{ steps: 10, score: 5 }, { steps: 0, score: 'x' }] });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['points[1].score', 'points[1].steps']);
    expect((await request(t.app).post('/api/v1/analyze').send({})).status).toBe(422);
    expect((await request(t.app).post('/api/v1/analyze').send({ points: [], extra: 1 })).body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['points', 'extra']));
  });

  it('gives a clear status for degenerate points', async () => {
    // Changed from 'flat': four single whole-number ratings carry a rounding error each and leave one
    // residual degree of freedom, so a rise of δ could hide in them.
    const single = await request(t.app).post('/api/v1/analyze').send({ points: [10, 20, 30, 40].map((steps) => ({ steps, score: 7 })) });
    expect(single.status).toBe(200);
    expect(single.body.status).toBe('inconclusive');
    const flat = await request(t.app).post('/api/v1/analyze').send({ points: [10, 20, 30, 40].flatMap((steps) => Array.from({ length: 20 }, (_, i) => ({ steps, score: 7 + (i % 2 === 0 ? 0.1 : -0.1) }))) });
    expect(flat.body.status).toBe('flat');
    const rising = await request(t.app)
      .post('/api/v1/analyze')
      .send({ points: [10, 20, 30, 40, 50].flatMap((steps) => [-0.1, 0, 0.1].map((e) => ({ steps, score: steps / 10 + e }))) });
    expect(rising.body.status).toBe('no-plateau');
    expect(rising.body.nextSteps.message).toMatch(/higher/);
  });
});
