import fs from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { renderJobSettled } from '../../src/services/render-queue/render-jobs.js';
import { fluxWorkflow, startFakeComfyUi, type FakeComfyUi } from '../helpers/fake-comfyui.js';
import { createTestApp } from '../helpers/test-app.js';

const fakes: FakeComfyUi[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function setUp(env: Record<string, string> = {}, auth: Record<string, string> = {}) {
  const dataDir = `/tmp/sweetspot-render-runs-${process.pid}-${Math.random().toString(36).slice(2)}`;
  dataDirs.push(dataDir);
  const ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir, ...env });
  const fake = await startFakeComfyUi({ clock: { timeScale: 0.0005 } });
  fakes.push(fake);
  const experiment = await request(ctx.app).post('/api/v1/experiments').set(auth).send({ model: 'flux-dev', steps: [10, 20], seeds: ['42', '43'], prompts: ['a red fox in fresh snow'] });
  expect(experiment.status).toBe(201);
  const renderer = await request(ctx.app).post('/api/v1/renderers').set(auth).send({ kind: 'comfyui', url: fake.url, workflow: fluxWorkflow() });
  expect(renderer.status).toBe(201);
  return { ...ctx, fake, experimentId: experiment.body.id as number, rendererId: renderer.body.id as number };
}

describe('POST /api/v1/experiments/:id/run', () => {
  it('answers 202 at once, renders the plan in the background, and GET …/render follows it to the end', async () => {
    const { app, experimentId, rendererId, fake } = await setUp();
    const started = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId], mode: 'grid' });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/api/v1/experiments/${experimentId}/render`);
    expect(started.body.render).toMatchObject({ state: 'running', total: 4, failed: 0 });
    await renderJobSettled(started.body.jobId);
    const status = await request(app).get(`/api/v1/experiments/${experimentId}/render`);
    expect(status.body.render).toMatchObject({ state: 'done', done: 4, total: 4, failed: 0, secondsLeft: 0 });
    const runs = await request(app).get(`/api/v1/runs?experiment=${experimentId}&limit=10`);
    expect(runs.body.runs.map((r: { steps: number; durationMs: number; hardware: string }) => [r.durationMs, r.hardware])).toEqual(
      runs.body.runs.map((r: { steps: number }) => [380 + 670 * r.steps, 'NVIDIA GeForce RTX 4090']),
    );
    expect(fake.rendered).toHaveLength(4);
  });

  it('refuses what it cannot do with a message naming the field; nothing starts', async () => {
    const { app, experimentId, rendererId, fake } = await setUp();
    const noTarget = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId], mode: 'adaptive' });
    expect(noTarget.status).toBe(422);
    expect(noTarget.body.error.details).toEqual([{ field: 'target', message: 'give at least one of halfWidth, maxRenders, maxMinutes' }]);
    const badTarget = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId], mode: 'adaptive', target: { halfWidth: 0 } });
    expect(badTarget.status).toBe(422);
    expect(badTarget.body.error.details[0].field).toBe('target.halfWidth');
    const unknown = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [999] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([{ field: 'renderers', message: 'renderer 999 does not exist (see GET /api/v1/renderers)' }]);
    const empty = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [] });
    expect(empty.body.error.details[0]).toEqual({ field: 'renderers', message: 'renderers must name at least one renderer' });
    const badMetric = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId], metric: 'beauty' });
    expect(badMetric.body.error.details[0].field).toBe('metric');
    expect((await request(app).post('/api/v1/experiments/999/run').send({ renderers: [rendererId] })).status).toBe(404);
    expect((await request(app).post(`/api/v1/experiments/${experimentId}/pause`)).status).toBe(409);
    expect((await request(app).get(`/api/v1/experiments/${experimentId}/render`)).body.render.state).toBe('idle');
    expect(fake.server.requests).toEqual(['GET /system_stats']);
  });

  it('pauses, resumes and cancels through the API; a second run while one is going is a 409', async () => {
    const { app, experimentId, rendererId } = await setUp();
    const started = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId] });
    expect((await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId] })).status).toBe(409);
    const paused = await request(app).post(`/api/v1/experiments/${experimentId}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.render.state).toBe('paused');
    const resumed = await request(app).post(`/api/v1/experiments/${experimentId}/resume`);
    expect(resumed.status).toBe(202);
    expect(resumed.body.render.state).toBe('running');
    const cancelled = await request(app).post(`/api/v1/experiments/${experimentId}/cancel`);
    expect(cancelled.body.render.state).toBe('cancelled');
    await renderJobSettled(started.body.jobId);
    expect((await request(app).post(`/api/v1/experiments/${experimentId}/resume`)).status).toBe(409);
  });

  it('needs the token when one is set', async () => {
    const token = 'render-runs-token-123';
    const auth = { Authorization: `Bearer ${token}` };
    const { app, experimentId, rendererId } = await setUp({ SWEETSPOT_TOKEN: token }, auth);
    expect((await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId] })).status).toBe(401);
    expect((await request(app).get(`/api/v1/experiments/${experimentId}/render`)).body.render.state).toBe('idle');
    const started = await request(app).post(`/api/v1/experiments/${experimentId}/run`).set(auth).send({ renderers: [rendererId] });
    expect(started.status).toBe(202);
    await renderJobSettled(started.body.jobId);
  });
});

describe('adaptive runs and the experiment answer', () => {
  it('starts an adaptive run through the API; GET /experiments/:id carries its render progress and stop reason', async () => {
    const { app, experimentId, rendererId, fake } = await setUp();
    expect((await request(app).get(`/api/v1/experiments/${experimentId}`)).body.render).toEqual({
      state: 'idle', done: 0, total: 0, failed: 0, secondsSpent: 0, secondsLeft: null, stopReason: null, mode: null, round: 0, waitingForRatings: null,
    });
    const started = await request(app).post(`/api/v1/experiments/${experimentId}/run`).send({ renderers: [rendererId], mode: 'adaptive', target: { maxRenders: 6 }, metric: 'sharpness' });
    expect(started.status).toBe(202);
    // The plan's 10–20 lies below FLUX.1 Dev's usable 20–50, so the coarse round spans 20–50: 3 levels × 2 seeds.
    expect(started.body.render).toMatchObject({ state: 'running', total: 6, mode: 'adaptive', round: 1 });
    await renderJobSettled(started.body.jobId);
    const experiment = await request(app).get(`/api/v1/experiments/${experimentId}`);
    expect(experiment.status).toBe(200);
    expect(experiment.body.render).toMatchObject({ state: 'done', done: 6, total: 6, failed: 0, secondsLeft: 0, mode: 'adaptive' });
    expect(experiment.body.render.stopReason).toMatch(/^Render budget spent: 6 of 6 renders; /);
    // 2 × (3 × 380 + 670 × (20 + 35 + 50)) ms = 142.98 s, shown to a tenth of a second.
    expect(experiment.body.render.secondsSpent).toBe(143);
    expect(fake.rendered.map((r) => r.steps).sort((a, b) => a - b)).toEqual([20, 20, 35, 35, 50, 50]);
  });
});
