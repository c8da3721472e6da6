import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

async function logRuns(n: number, extra: Record<string, unknown> = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 10 + i * 10, durationMs: 7000 + i * 6700, score: 5 + i, hardware: 'RTX 4090', ...extra });
    expect(res.status).toBe(201);
    ids.push(res.body.id as number);
  }
  return ids;
}

describe('GET /runs/:id, the run detail page', () => {
  it('shows every setting, the metrics with their labels, and the experiment', async () => {
    const plan = await request(t.app).post('/api/v1/experiments').send({ name: 'Dev sweep', model: 'flux-dev', steps: '10,20', seeds: ['42'], prompts: ['a fox'], sampler: 'euler', guidance: 3.5, width: 1024, height: 768 });
    const runId = plan.body.cells[0].runId as number;
    await t.db.insertInto('run_metrics').values({ run_id: runId, name: 'sharpness', value: 123.456 }).execute();
    const res = await request(t.app).get(`/runs/${runId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Run #${runId}: FLUX.1 Dev, 10 steps`);
    expect(res.text).toMatch(/<dt>Sampler<\/dt><dd>euler<\/dd>/);
    expect(res.text).toMatch(/<dt>Size<\/dt><dd>1024 × 768<\/dd>/);
    expect(res.text).toContain(`<a href="/experiments/${plan.body.id}">Dev sweep</a>`);
    expect(res.text).toMatch(/<dt>Sharpness \(Laplacian variance\)<\/dt><dd>123\.456<\/dd>/);
    expect(res.text).toContain('No image: this run was logged without its render.');
    expect((await request(t.app).get('/runs/99999')).status).toBe(404);
  });
});

describe('multi-select on the runs table', () => {
  it('delete asks first, stating the count, then deletes and keeps the filter', async () => {
    const ids = await logRuns(3);
    const back = '/runs?hardware=RTX%204090&sort=steps';
    const ask = await request(t.app).post('/runs/bulk').type('form').send(`action=delete&back=${encodeURIComponent(back)}&ids=${ids[0]}&ids=${ids[1]}`);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('2 selected runs will be deleted');
    expect(await countRows(t.db, 'runs')).toBe(3);
    const done = await request(t.app).post('/runs/bulk').type('form').send({ action: 'delete', confirm: 'yes', back, ids: `${ids[0]},${ids[1]}` });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/runs?hardware=RTX+4090&sort=steps&done=deleted&n=2');
    expect(await countRows(t.db, 'runs')).toBe(1);
    const page = await request(t.app).get(done.headers.location!);
    expect(page.text).toContain('Deleted 2 runs.');
    expect(page.text).toMatch(/<option value="RTX 4090" selected>/);
  });

  it('tag, then undo from the banner; move to another model and back', async () => {
    const ids = await logRuns(2);
    const tagged = await request(t.app).post('/runs/bulk').type('form').send(`action=tag&tag=Keep&back=%2Fruns&ids=${ids[0]}&ids=${ids[1]}`);
    expect(tagged.headers.location).toBe(`/runs?done=tagged&n=2&tag=keep&ids=${ids[0]}%2C${ids[1]}`);
    expect((await request(t.app).get(`/api/v1/runs/${ids[0]}`)).body.tags).toEqual(['keep']);
    const banner = await request(t.app).get(tagged.headers.location!);
    expect(banner.text).toContain('Tagged 2 runs “keep”.');
    expect(banner.text).toContain('name="action" value="untag"');
    await request(t.app).post('/runs/bulk').type('form').send({ action: 'untag', tag: 'keep', ids: ids.join(','), back: '/runs' });
    expect((await request(t.app).get(`/api/v1/runs/${ids[0]}`)).body.tags).toEqual([]);

    const moved = await request(t.app).post('/runs/bulk').type('form').send({ action: 'move', model: 'flux-pro', ids: ids.join(','), back: '/runs' });
    expect(moved.headers.location).toContain('done=moved&n=2&to=flux-pro&from=flux-dev');
    expect((await request(t.app).get(`/api/v1/runs/${ids[1]}`)).body.model).toBe('flux-pro');
    await request(t.app).post('/runs/bulk').type('form').send({ action: 'move', model: 'flux-dev', ids: ids.join(','), back: '/runs' });
    expect((await request(t.app).get(`/api/v1/runs/${ids[1]}`)).body.model).toBe('flux-dev');
  });

  it('a bad tag names the field and changes nothing; a foreign back address falls back to /runs', async () => {
    const ids = await logRuns(1);
    const bad = await request(t.app).post('/runs/bulk').type('form').send({ action: 'tag', tag: '!!', ids: String(ids[0]), back: '/runs' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('tag: a tag is 1–64 letters');
    const elsewhere = await request(t.app).post('/runs/bulk').type('form').send({ action: 'tag', tag: 'x', ids: String(ids[0]), back: 'https://evil.example/' });
    expect(elsewhere.headers.location).toMatch(/^\/runs\?done=tagged/);
  });
});

describe('confirmations and the filter kept after an edit or a delete', () => {
  it('a run delete is confirmed first and returns to the filtered list', async () => {
    const [id] = await logRuns(1);
    const back = '/runs?model=flux-dev';
    const confirm = await request(t.app).get(`/runs/${id}/delete?back=${encodeURIComponent(back)}`);
    expect(confirm.text).toContain(`Run #${id} (FLUX.1 Dev, 10 steps, score 5) will be deleted`);
    expect(await countRows(t.db, 'runs')).toBe(1);
    const done = await request(t.app).post(`/runs/${id}/delete`).type('form').send({ back });
    expect(done.headers.location).toBe('/runs?model=flux-dev&done=deleted&n=1');
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('an edit returns to the list with the filter it came from', async () => {
    const [id] = await logRuns(1);
    const back = '/runs?hardware=RTX%204090';
    const edit = await request(t.app).get(`/runs/${id}/edit?back=${encodeURIComponent(back)}`);
    expect(edit.text).toContain(`name="back" value="${back}"`);
    const saved = await request(t.app).post(`/runs/${id}`).type('form').send({ back, model: 'flux-dev', steps: '12', durationSeconds: '8', score: '6' });
    expect(saved.headers.location).toBe(`/runs?hardware=RTX+4090&done=updated&id=${id}`);
  });

  it('removing the demo and merging models ask first, with counts', async () => {
    await request(t.app).post('/demo').expect(303);
    const demo = await request(t.app).get('/demo/remove');
    expect(demo.text).toMatch(/\d+ demo runs \(tagged “demo”\) will be deleted/);
    const removed = await request(t.app).post('/demo/remove');
    expect(removed.headers.location).toMatch(/^\/\?demoRemoved=\d+$/);
    expect((await request(t.app).get(removed.headers.location!)).text).toContain('Undo: load the demo again');
    await logRuns(2, { model: 'flux-pro' });
    const merge = await request(t.app).get('/model-aliases/merge?from=flux-pro&into=flux-dev');
    expect(merge.text).toContain('2 runs of FLUX.1 Pro (flux-pro) will move to FLUX.1 Dev (flux-dev)');
  });
});
