import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

describe('/api/v1/models', () => {
  it('lists the guide models with their reference numbers', async () => {
    const res = await request(t.app).get('/api/v1/models');
    expect(res.status).toBe(200);
    const schnell = res.body.models.find((m: { slug: string }) => m.slug === 'flux-schnell');
    expect(schnell).toMatchObject({
      name: 'FLUX.1 Schnell',
      guide: { minSteps: 1, recommendedLow: 2, recommendedHigh: 3, maxSteps: 4, sweetSpot: 3 },
      runs: 0,
    });
  });

  it('adds a model and counts its runs', async () => {
    const res = await request(t.app).post('/api/v1/models').send({ slug: 'sdxl', name: 'SDXL 1.0', minSteps: 20, maxSteps: 60 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: 'sdxl', name: 'SDXL 1.0', guide: { minSteps: 20, maxSteps: 60, sweetSpot: null } });
    await request(t.app).post('/api/v1/runs').send({ model: 'sdxl', steps: 30 }).expect(201);
    expect((await request(t.app).get('/api/v1/models/sdxl')).body.runs).toBe(1);
  });

  it('rejects a taken slug with 409', async () => {
    const res = await request(t.app).post('/api/v1/models').send({ slug: 'flux-dev', name: 'Again' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/already exists/);
  });

  it('rejects bad models naming each field, writing nothing', async () => {
    const res = await request(t.app).post('/api/v1/models').send({ slug: 'Bad Slug', minSteps: 0, recommendedLow: 30, recommendedHigh: 20 });
    expect(res.status).toBe(422);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'name', 'minSteps']));
    expect(await countRows(t.db, 'models')).toBe(4);
    const order = await request(t.app).post('/api/v1/models').send({ slug: 'x1', name: 'X', recommendedLow: 30, recommendedHigh: 20 });
    expect(order.status).toBe(422);
    expect(order.body.error.details[0]).toMatchObject({ field: 'recommendedHigh', message: expect.stringMatching(/must not be below recommendedLow/) });
  });

  it('patches a model and checks the merged range', async () => {
    const ok = await request(t.app).patch('/api/v1/models/flux-dev').send({ notes: 'our studio default', sweetSpot: 32 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ notes: 'our studio default', guide: { sweetSpot: 32, recommendedLow: 28 } });
    const bad = await request(t.app).patch('/api/v1/models/flux-dev').send({ maxSteps: 10 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('maxSteps');
    expect((await request(t.app).get('/api/v1/models/flux-dev')).body.guide.maxSteps).toBe(50);
  });

  it('answers 404 for an unknown slug', async () => {
    expect((await request(t.app).patch('/api/v1/models/nope').send({ name: 'x' })).status).toBe(404);
    expect((await request(t.app).get('/api/v1/models/nope')).status).toBe(404);
  });
});
