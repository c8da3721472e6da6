import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

// Finding 6 of issue #14: a 100 KB `steps` of "(" × 100000 + ")x" froze the server for 9.9 s, and the
// 422 echoed 200 KB back.
describe('POST /api/v1/experiments with a hostile step list', () => {
  it('answers 422 naming the steps field and the length limit, in a short answer, and stores nothing', async () => {
    const t = await createTestApp();
    const steps = `${'('.repeat(100_000)})x`;
    const res = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', seeds: 2, prompts: ['a fox'], steps });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'steps', message: expect.stringContaining('at most 2,000 characters') }));
    expect(res.text.length).toBeLessThan(2_000);
    const row = await t.db.selectFrom('experiments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(0);
  });
});
