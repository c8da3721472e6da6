import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

/** Plans 2 step counts × 2 seeds × 1 prompt = 4 runs and renders (times / rates) `filled` of them. */
async function planWithRenders(filled: { durationMs?: number; score?: number }[] = []) {
  const res = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: ['42', '7'], prompts: ['a fox'] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const cells = res.body.cells as { runId: number }[];
  for (const [i, values] of filled.entries()) {
    const patch = await request(t.app).patch(`/api/v1/runs/${cells[i]!.runId}`).send(values);
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
  }
  return { id: res.body.id as number, runIds: cells.map((c) => c.runId) };
}

async function experimentCount(): Promise<number> {
  const row = await t.db.selectFrom('experiments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('DELETE /api/v1/experiments/:id', () => {
  it('removes the never-rendered runs and keeps the rendered ones as runs of their own', async () => {
    const { id, runIds } = await planWithRenders([{ durationMs: 7000, score: 6 }, { score: 7.5 }]);
    const res = await request(t.app).delete(`/api/v1/experiments/${id}`);
    expect(res.status).toBe(204);
    expect(await experimentCount()).toBe(0);
    expect(await countRows(t.db, 'runs')).toBe(2);
    const kept = await request(t.app).get(`/api/v1/runs/${runIds[0]}`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ score: 6, durationMs: 7000, experimentId: null });
    expect((await request(t.app).get(`/api/v1/runs/${runIds[3]}`)).status).toBe(404);
    expect((await request(t.app).get(`/api/v1/experiments/${id}`)).status).toBe(404);
  });

  it('?keepRendered=false deletes the rendered runs too', async () => {
    const { id } = await planWithRenders([{ score: 6 }]);
    expect((await request(t.app).delete(`/api/v1/experiments/${id}?keepRendered=false`)).status).toBe(204);
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('answers 404 for an unknown experiment and 400 for a bad keepRendered, deleting nothing', async () => {
    const { id } = await planWithRenders();
    expect((await request(t.app).delete('/api/v1/experiments/999')).status).toBe(404);
    const bad = await request(t.app).delete(`/api/v1/experiments/${id}?keepRendered=maybe`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/keepRendered must be true or false/);
    expect(await countRows(t.db, 'runs')).toBe(4);
  });
});

describe('archive', () => {
  it('POST /:id/archive hides it from the current list and /unarchive brings it back; runs stay', async () => {
    const { id } = await planWithRenders();
    const res = await request(t.app).post(`/api/v1/experiments/${id}/archive`);
    expect(res.status).toBe(200);
    expect(res.body.archivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await request(t.app).get('/api/v1/experiments')).body.experiments).toHaveLength(0);
    const archived = (await request(t.app).get('/api/v1/experiments?archived=true')).body.experiments;
    expect(archived.map((e: { id: number }) => e.id)).toEqual([id]);
    expect(await countRows(t.db, 'runs')).toBe(4);
    expect((await request(t.app).post(`/api/v1/experiments/${id}/unarchive`)).body.archivedAt).toBeNull();
    expect((await request(t.app).get('/api/v1/experiments')).body.experiments).toHaveLength(1);
  });
});

describe('seeds and randomSeeds', () => {
  it('"42" is one seed, a list is the seeds, randomSeeds draws that many', async () => {
    const one = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: '42', prompts: ['a fox'] });
    expect(one.body.plan.seeds).toEqual(['42']);
    const two = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: ['42', '7'], prompts: ['a fox'] });
    expect(two.body.plan.seeds).toEqual(['42', '7']);
    const drawn = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', randomSeeds: 3, prompts: ['a fox'] });
    expect(drawn.body.plan.seeds).toHaveLength(3);
    expect(drawn.body.plan.seeds).not.toContain('3');
  });

  it('a bare number in seeds is refused with a message that points to randomSeeds', async () => {
    const res = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: 3, prompts: ['a fox'] });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ field: 'seeds' });
    expect(res.body.error.details[0].message).toContain('randomSeeds: 3 to draw 3 random seeds');
    expect(await experimentCount()).toBe(0);
  });

  it('the form reads "42, 7" as two seeds and "42" as one, and draws random seeds only when none are typed', async () => {
    const typed = await request(t.app).post('/experiments').type('form').send({ model: 'flux-dev', steps: '10,20', seeds: '42, 7', randomSeeds: '3', prompts: 'a fox' });
    expect(typed.status).toBe(303);
    expect((await request(t.app).get(`/api/v1${typed.headers.location}`)).body.plan.seeds).toEqual(['42', '7']);
    const single = await request(t.app).post('/experiments').type('form').send({ model: 'flux-dev', steps: '10,20', seeds: '42', randomSeeds: '3', prompts: 'a cat' });
    expect((await request(t.app).get(`/api/v1${single.headers.location}`)).body.plan.seeds).toEqual(['42']);
    const random = await request(t.app).post('/experiments').type('form').send({ model: 'flux-dev', steps: '10,20', seeds: '', randomSeeds: '2', prompts: 'a dog' });
    expect((await request(t.app).get(`/api/v1${random.headers.location}`)).body.plan.seeds).toHaveLength(2);
  });
});

describe('plan preview', () => {
  it('counts the renders and predicts their time from the model\'s timed runs, writing nothing', async () => {
    // Two timed levels on the RTX 4090: 0.38 s + 0.67 s per step.
    for (const steps of [10, 20, 30]) {
      const res = await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps, durationMs: 380 + 670 * steps, score: 7, hardware: 'RTX 4090' });
      expect(res.status).toBe(201);
    }
    const body = { model: 'flux-dev', steps: '10,20', seeds: ['1', '2'], prompts: ['a fox', 'a cat'], hardware: 'RTX 4090' };
    const res = await request(t.app).post('/api/v1/experiments/preview').send(body);
    expect(res.status).toBe(200);
    // 2 steps × 2 seeds × 2 prompts = 8 renders; 4 blocks × (7.08 s + 13.78 s) = 83.44 s.
    expect(res.body).toMatchObject({ renders: 8, stepCounts: 2, seeds: 2, prompts: 2, totalSteps: 120, randomSeeds: false });
    expect(res.body.time.totalMs).toBeCloseTo(83_440, 0);
    expect(res.body.time.total).toBe('1.4 min');
    expect(res.body.time.hardware).toBe('RTX 4090');
    expect(await experimentCount()).toBe(0);
    expect(await countRows(t.db, 'runs')).toBe(3);
  });

  it('says why the time is unknown when the model has no timed runs', async () => {
    const res = await request(t.app).post('/api/v1/experiments/preview').send({ model: 'flux-pro', steps: '10-50 (+10)', randomSeeds: 3, prompts: ['a fox'] });
    expect(res.body).toMatchObject({ renders: 15, time: null, randomSeeds: true });
    expect(res.body.timeMissing).toMatch(/no FLUX\.1 Pro runs with a time/);
  });

  it('the form\'s preview button shows the count and keeps what was typed', async () => {
    const res = await request(t.app).post('/experiments').type('form').send({ action: 'preview', model: 'flux-dev', steps: '10-30 (+10)', seeds: '42, 7', randomSeeds: '3', prompts: 'a fox' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('This plan makes 6 renders');
    expect(res.text).toContain('value="42, 7"');
    expect(res.text).toContain('Time: unknown');
    expect(await experimentCount()).toBe(0);
  });
});

describe('experiment pages: delete with confirmation, archive with undo', () => {
  it('the confirmation states both counts, and the delete leaves a banner with them', async () => {
    const { id } = await planWithRenders([{ score: 6 }]);
    const confirm = await request(t.app).get(`/experiments/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toMatch(/<strong>3<\/strong> planned runs never rendered will be removed/);
    expect(confirm.text).toMatch(/<strong>1<\/strong> rendered run \(with a time, a score or an image\) will be kept/);
    expect(await experimentCount()).toBe(1);
    const done = await request(t.app).post(`/experiments/${id}/delete`).type('form').send({});
    expect(done.status).toBe(303);
    const list = await request(t.app).get(done.headers.location!);
    expect(list.text).toMatch(/Deleted “FLUX\.1 Dev, 10, 20 steps”: 3 planned runs removed, 1 rendered run kept/);
    expect(await countRows(t.db, 'runs')).toBe(1);
  });

  it('archive from the page, then undo from the banner', async () => {
    const { id } = await planWithRenders();
    const archived = await request(t.app).post(`/experiments/${id}/archive`);
    expect(archived.headers.location).toBe(`/experiments?archivedId=${id}`);
    const list = await request(t.app).get(archived.headers.location!);
    expect(list.text).toContain(`Archived experiment #${id}`);
    expect(list.text).toContain(`action="/experiments/${id}/unarchive"`);
    expect(list.text).not.toContain(`href="/experiments/${id}"`);
    const undo = await request(t.app).post(`/experiments/${id}/unarchive`);
    expect(undo.headers.location).toBe(`/experiments/${id}?restored=1`);
    expect((await request(t.app).get('/experiments')).text).toContain(`href="/experiments/${id}"`);
  });
});
