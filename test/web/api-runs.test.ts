import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

const valid = { model: 'flux-dev', steps: 30, durationMs: 20480, score: 7.5 };

async function expectRejected(body: unknown, field: string, pattern: RegExp, status = 422) {
  const before = await countRows(t.db, 'runs');
  const res = await request(t.app).post('/api/v1/runs').send(body as object);
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBeTypeOf('string');
  expect(res.body.error.message).toMatch(pattern);
  if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  expect(await countRows(t.db, 'runs')).toBe(before);
  return res;
}

describe('POST /api/v1/runs', () => {
  it('answers each run exactly as reading it back does (every field, plain and coerced input)', async () => {
    const full = {
      model: 'flux-dev', steps: 28, durationMs: 19_140.5, score: 8.25, seed: 1234567, prompt: 'a lighthouse',
      negativePrompt: 'blurry', sampler: 'euler', guidance: 3.5, width: 1024, height: 768, hardware: 'RTX 4090',
      useCase: 'landscape', phase: 'final', tags: ['zeta', 'alpha'], notes: 'second pass', createdAt: '2026-11-20T08:00:00.000Z',
    };
    for (const body of [full, { ...full, steps: '28', prompt: '  ', tags: 'Zeta, alpha' }, { model: 'flux-schnell', steps: 4 }]) {
      const posted = await request(t.app).post('/api/v1/runs').send(body).expect(201);
      const read = await request(t.app).get(`/api/v1/runs/${posted.body.id}`).expect(200);
      expect(posted.body).toEqual(read.body);
    }
  });

  it('stores one run and answers 201 with it', async () => {
    const res = await request(t.app)
      .post('/api/v1/runs')
      .send({ ...valid, seed: '18446744073709551615', prompt: 'a fox', tags: 'Portrait, test', useCase: 'portrait', phase: 'refine', hardware: 'RTX 4090' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/runs/${res.body.id}`);
    expect(res.body).toMatchObject({
      model: 'flux-dev',
      modelName: 'FLUX.1 Dev',
      steps: 30,
      durationMs: 20480,
      score: 7.5,
      seed: '18446744073709551615',
      tags: ['portrait', 'test'],
      useCase: 'portrait',
      phase: 'refine',
      source: 'api',
    });
    const again = await request(t.app).get(`/api/v1/runs/${res.body.id}`);
    expect(again.body).toEqual(res.body);
  });

  it('stores a batch in one transaction and answers with the ids', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => ({ ...valid, steps: 10 + i }));
    const res = await request(t.app).post('/api/v1/runs').send(batch);
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(25);
    expect(res.body.ids).toHaveLength(25);
    expect(await countRows(t.db, 'runs')).toBe(25);
  });

  it('writes none of a batch when one run is bad, and names it', async () => {
    const batch = [valid, valid, { ...valid, score: 11 }, valid];
    const res = await expectRejected(batch, '[2].score', /\[2\]\.score: score must be a number from 0 to 10/);
    expect(res.body.error.details).toHaveLength(1);
  });

  it('writes none of a batch when a model slug is unknown', async () => {
    await expectRejected([valid, { ...valid, model: 'sdxl' }], '[1].model', /unknown model 'sdxl'/);
  });

  it('rejects a batch of 10,001 runs', async () => {
    const batch = Array.from({ length: 10_001 }, () => valid);
    await expectRejected(batch, '(body)', /at most 10000 runs/);
  });

  it('accepts a batch of exactly 10,000 runs', async () => {
    const batch = Array.from({ length: 10_000 }, (_, i) => ({ ...valid, steps: 1 + (i % 50) }));
    const res = await request(t.app).post('/api/v1/runs').send(batch);
    expect(res.status).toBe(201);
    expect(await countRows(t.db, 'runs')).toBe(10_000);
  });

  it.each([
    [{ steps: 30 }, 'model', /model is required/],
    [{ ...valid, steps: 0 }, 'steps', /steps must be a whole number from 1 to 10000/],
    [{ ...valid, steps: 3.5 }, 'steps', /steps must be a whole number/],
    [{ ...valid, steps: 'abc' }, 'steps', /steps must be a whole number/],
    [{ ...valid, durationMs: -5 }, 'durationMs', /durationMs must be a number from 0/],
    [{ ...valid, score: 11 }, 'score', /score must be a number from 0 to 10/],
    [{ ...valid, model: 'no-such-model' }, 'model', /unknown model 'no-such-model'/],
    [{ ...valid, model: 'Not A Slug' }, 'model', /lower-case letters/],
    [{ ...valid, phase: 'final-final' }, 'phase', /phase must be one of: draft, refine, final/],
    [{ ...valid, useCase: 'selfie' }, 'useCase', /useCase must be one of/],
    [{ ...valid, seed: 2 ** 60 }, 'seed', /send seeds above 9007199254740991 as a string/],
    [{ ...valid, duration: 12 }, 'duration', /unknown field 'duration'/],
    [{ ...valid, tags: ['ok', '<b>'] }, 'tags[1]', /each tag is/],
  ])('rejects %j naming %s', async (body, field, pattern) => {
    await expectRejected(body, field, pattern);
  });

  it('answers malformed JSON with 400 and a clear message', async () => {
    const res = await request(t.app).post('/api/v1/runs').set('content-type', 'application/json').send('{"model": "flux-dev", steps: }');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'malformed_json' });
    expect(res.body.error.message).toMatch(/not valid JSON/);
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('answers a non-object body with 400', async () => {
    const res = await request(t.app).post('/api/v1/runs').set('content-type', 'application/json').send('42');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
  });

  it('keeps <script> in a prompt as text in JSON', async () => {
    const res = await request(t.app).post('/api/v1/runs').send({ ...valid, prompt: '<script>alert(1)</script>' });
    expect(res.status).toBe(201);
    expect(res.body.prompt).toBe('<script>alert(1)</script>');
  });
});

describe('GET /api/v1/runs', () => {
  beforeEach(async () => {
    const runs = [];
    for (let i = 0; i < 30; i++) {
      runs.push({
        model: i % 3 === 0 ? 'flux-schnell' : 'flux-dev',
        steps: 10 + (i % 5) * 5,
        score: i % 4 === 0 ? null : (i % 10) + 0.5 - (i % 10 === 9 ? 0.5 : 0),
        durationMs: 1000 * (i % 7),
        phase: i % 2 === 0 ? 'draft' : 'final',
        hardware: i % 2 === 0 ? 'RTX 4090' : 'api',
        prompt: i === 7 ? 'A Lighthouse at dusk' : `prompt ${i}`,
        tags: i % 5 === 0 ? ['keeper'] : [],
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i % 10)).toISOString(),
      });
    }
    await request(t.app).post('/api/v1/runs').send(runs).expect(201);
  });

  async function allPages(query: Record<string, string | number>) {
    const seen: { id: number; [k: string]: unknown }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await request(t.app)
        .get('/api/v1/runs')
        .query({ ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.runs);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { seen, pages };
  }

  it('pages through every run exactly once, newest first, with ties broken by id', async () => {
    const { seen, pages } = await allPages({ limit: 7 });
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((r) => r.id)).size).toBe(30);
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]!;
      const b = seen[i]!;
      const order = (a.createdAt as string).localeCompare(b.createdAt as string);
      expect(order > 0 || (order === 0 && a.id > b.id)).toBe(true);
    }
  });

  it('sorts by a nullable column with NULLs last in both directions, across pages', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const { seen } = await allPages({ sort: 'score', order, limit: 4 });
      expect(seen).toHaveLength(30);
      expect(new Set(seen.map((r) => r.id)).size).toBe(30);
      const scores = seen.map((r) => r.score as number | null);
      const firstNull = scores.indexOf(null);
      expect(scores.slice(firstNull).every((s) => s === null)).toBe(true);
      const rated = scores.slice(0, firstNull) as number[];
      const sorted = [...rated].sort((x, y) => (order === 'asc' ? x - y : y - x));
      expect(rated).toEqual(sorted);
    }
  });

  it('gives the same pages when asked twice (stable order)', async () => {
    const first = await allPages({ sort: 'steps', order: 'asc', limit: 6 });
    const second = await allPages({ sort: 'steps', order: 'asc', limit: 6 });
    expect(second.seen.map((r) => r.id)).toEqual(first.seen.map((r) => r.id));
  });

  it('filters by model, steps range, phase, hardware, tag and text', async () => {
    const get = (q: Record<string, string | number>) => request(t.app).get('/api/v1/runs').query({ ...q, limit: 100 });
    expect((await get({ model: 'flux-schnell' })).body.total).toBe(10);
    const ranged = (await get({ stepsMin: 15, stepsMax: 20 })).body.runs as { steps: number }[];
    expect(ranged.length).toBe(12);
    expect(ranged.every((r) => r.steps >= 15 && r.steps <= 20)).toBe(true);
    expect((await get({ phase: 'draft' })).body.total).toBe(15);
    expect((await get({ hardware: 'api' })).body.total).toBe(15);
    expect((await get({ tag: 'keeper' })).body.total).toBe(6);
    const text = await get({ q: 'lighthouse' });
    expect(text.body.runs.map((r: { prompt: string }) => r.prompt)).toEqual(['A Lighthouse at dusk']);
    expect((await get({ q: '100%' })).body.total).toBe(0);
    expect((await get({ model: 'flux-dev', phase: 'final', hardware: 'api' })).body.total).toBe(10);
  });

  it('rejects bad query values naming the field', async () => {
    const res = await request(t.app).get('/api/v1/runs').query({ limit: 0, sort: 'colour' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'sort']);
    const cursor = await request(t.app).get('/api/v1/runs').query({ cursor: 'garbage' });
    expect(cursor.status).toBe(422);
    expect(cursor.body.error.details[0].field).toBe('cursor');
  });

  it('answers 404 for an unknown model filter', async () => {
    const res = await request(t.app).get('/api/v1/runs').query({ model: 'nope' });
    expect(res.status).toBe(404);
  });
});

describe('GET/PATCH/DELETE /api/v1/runs/:id', () => {
  it('updates some fields and keeps the rest', async () => {
    const created = (await request(t.app).post('/api/v1/runs').send({ ...valid, tags: ['a'] })).body;
    const res = await request(t.app).patch(`/api/v1/runs/${created.id}`).send({ score: 8, tags: ['b', 'c'], notes: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, score: 8, steps: 30, durationMs: 20480, tags: ['b', 'c'], notes: null });
    expect(res.body.updatedAt >= created.updatedAt).toBe(true);
  });

  it('rejects a bad patch and changes nothing', async () => {
    const created = (await request(t.app).post('/api/v1/runs').send(valid)).body;
    const res = await request(t.app).patch(`/api/v1/runs/${created.id}`).send({ score: 11, steps: 40 });
    expect(res.status).toBe(422);
    expect((await request(t.app).get(`/api/v1/runs/${created.id}`)).body).toEqual(created);
    const empty = await request(t.app).patch(`/api/v1/runs/${created.id}`).send({});
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/at least one field/);
  });

  it('deletes a run', async () => {
    const created = (await request(t.app).post('/api/v1/runs').send({ ...valid, tags: ['x'] })).body;
    await request(t.app).delete(`/api/v1/runs/${created.id}`).expect(204);
    await request(t.app).get(`/api/v1/runs/${created.id}`).expect(404);
    expect(await countRows(t.db, 'run_tags')).toBe(0);
  });

  it.each([
    ['get', '/api/v1/runs/999'],
    ['patch', '/api/v1/runs/999'],
    ['delete', '/api/v1/runs/999'],
  ] as const)('answers 404 for %s of an unknown id', async (method, url) => {
    const res = await request(t.app)[method](url).send({ score: 1 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers 422 for an id that is not a number', async () => {
    const res = await request(t.app).get('/api/v1/runs/abc');
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('id');
  });

  it('answers 404 with JSON for an unknown API route', async () => {
    const res = await request(t.app).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
