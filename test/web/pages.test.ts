import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();

describe('dashboard', () => {
  it('offers demo data when empty, then shows a card per model with per-step summaries', async () => {
    const empty = await request(t.app).get('/');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Load demo data');
    expect(empty.text).toContain('action="/demo"');

    const load = await request(t.app).post('/demo');
    expect(load.status).toBe(303);
    const full = await request(t.app).get('/');
    expect(full.text).toContain('Demo data');
    expect(full.text).toContain('Remove demo data');
    for (const name of ['FLUX.1 Dev', 'FLUX.1 Schnell', 'FLUX.1 Pro', 'Recraft v3']) expect(full.text).toContain(name);
    expect(full.text).toMatch(/<td>30<\/td>/);
    expect(full.text).toContain('Guide: 28–35, sweet spot 30');

    await request(t.app).post('/demo/remove').expect(303);
    expect(await countRows(t.db, 'runs')).toBe(0);
    expect((await request(t.app).get('/')).text).toContain('Load demo data');
  });

  it('serves its stylesheet, the form script and Chart.js from this server', async () => {
    await request(t.app).get('/static/style.css').expect(200).expect('content-type', /css/);
    await request(t.app).get('/static/log-form.js').expect(200);
    await request(t.app).get('/vendor/chart.js/chart.umd.js').expect(200);
  });
});

describe('log a run (form)', () => {
  it('stores the run, redirects back with a confirmation and remembers the settings', async () => {
    const agent = request.agent(t.app);
    const res = await agent
      .post('/runs')
      .type('form')
      .send(form({ model: 'flux-pro', steps: '40', durationSeconds: '14.9', score: '8.5', hardware: 'api', phase: 'final', tags: 'client-x' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/runs\/new\?logged=\d+$/);
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Logged run');
    expect(page.text).toContain('FLUX.1 Pro, 40 steps, score 8.5, 14.9 s');
    // The next form starts from the same model and settings.
    expect(page.text).toMatch(/<option value="flux-pro" selected>/);
    expect(page.text).toMatch(/name="hardware"[^>]*value="api"/);
    const stored = await request(t.app).get('/api/v1/runs').query({ model: 'flux-pro' });
    expect(stored.body.runs[0]).toMatchObject({ steps: 40, durationMs: 14900, score: 8.5, source: 'form', tags: ['client-x'] });
  });

  it('warns when the steps are outside the model guide range', async () => {
    const agent = request.agent(t.app);
    const res = await agent.post('/runs').type('form').send(form({ model: 'flux-schnell', steps: '8' }));
    const page = await agent.get(res.headers.location!);
    expect(page.text).toMatch(/class="banner warning"[^>]*>[^<]*above its maximum of 4/);
  });

  it('shows each error next to its field, keeps the values, and writes nothing', async () => {
    const res = await request(t.app)
      .post('/runs')
      .type('form')
      .send(form({ model: 'flux-dev', steps: '3.5', durationSeconds: '-2', score: '11', prompt: 'keep me' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('steps must be a whole number from 1 to 10000');
    expect(res.text).toContain('Time (seconds) must be from 0 to 604,800');
    expect(res.text).toContain('score must be a number from 0 to 10');
    expect(res.text).toContain('keep me');
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('renders user text escaped everywhere', async () => {
    const evil = '<script>alert("x")</script>';
    await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 30, prompt: evil, notes: evil, hardware: '<img src=x onerror=alert(1)>' });
    for (const url of ['/runs', '/runs/1/edit', '/runs/new']) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).not.toContain('<script>alert');
      expect(res.text, url).not.toContain('<img src=x');
    }
    expect((await request(t.app).get('/runs')).text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
  });

  it('keeps JSON embedded in a page from closing its script tag', async () => {
    await request(t.app).post('/api/v1/models').send({ slug: 'evil', name: '</script><script>alert(1)</script>' }).expect(201);
    const res = await request(t.app).get('/runs/new');
    expect(res.text).not.toContain('</script><script>alert(1)');
    expect(res.text).toContain('\\u003c/script\\u003e');
  });
});

describe('runs table', () => {
  beforeEach(async () => {
    const runs = Array.from({ length: 60 }, (_, i) => ({ model: i < 40 ? 'flux-dev' : 'recraft-v3', steps: 10 + (i % 6) * 5, score: 5 + (i % 5), phase: i % 2 ? 'draft' : 'final' }));
    await request(t.app).post('/api/v1/runs').send(runs).expect(201);
  });

  it('filters, sorts and pages with a next link', async () => {
    const first = await request(t.app).get('/runs').query({ model: 'flux-dev', sort: 'steps', order: 'asc', limit: 15 });
    expect(first.status).toBe(200);
    expect(first.text).toContain('40 runs match');
    const next = first.text.match(/href="(\/runs\?[^"]*cursor=[^"]+)"/);
    expect(next).not.toBeNull();
    const second = await request(t.app).get(next![1]!.replace(/&amp;/g, '&'));
    expect(second.status).toBe(200);
    expect(second.text).toContain('First page');
    const third = await request(t.app).get(second.text.match(/href="(\/runs\?[^"]*cursor=[^"]+)"/)![1]!.replace(/&amp;/g, '&'));
    expect(third.text).not.toMatch(/rel="next"/);
  });

  it('rejects a bad filter with a page naming it', async () => {
    const res = await request(t.app).get('/runs').query({ stepsMin: 'lots' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('stepsMin');
  });

  it('edits and deletes a run through the forms', async () => {
    const edit = await request(t.app).get('/runs/1/edit');
    expect(edit.status).toBe(200);
    const saved = await request(t.app).post('/runs/1').type('form').send(form({ model: 'flux-dev', steps: '33', score: '9', durationSeconds: '', tags: 'best' }));
    expect(saved.status).toBe(303);
    expect((await request(t.app).get('/api/v1/runs/1')).body).toMatchObject({ steps: 33, score: 9, tags: ['best'] });
    const bad = await request(t.app).post('/runs/1').type('form').send(form({ model: 'flux-dev', steps: '0' }));
    expect(bad.status).toBe(422);
    expect((await request(t.app).get('/api/v1/runs/1')).body.steps).toBe(33);
    await request(t.app).post('/runs/1/delete').expect(303);
    await request(t.app).get('/api/v1/runs/1').expect(404);
    expect((await request(t.app).get('/runs/999/edit')).status).toBe(404);
  });
});

describe('models pages', () => {
  it('adds and edits a model', async () => {
    const add = await request(t.app).post('/models').type('form').send(form({ slug: 'sdxl', name: 'SDXL', minSteps: '20', maxSteps: '60' }));
    expect(add.status).toBe(303);
    expect((await request(t.app).get('/models')).text).toContain('SDXL');
    const edit = await request(t.app).post('/models/sdxl').type('form').send(form({ name: 'SDXL base', minSteps: '20', maxSteps: '60', sweetSpot: '35' }));
    expect(edit.status).toBe(303);
    expect((await request(t.app).get('/api/v1/models/sdxl')).body).toMatchObject({ name: 'SDXL base', guide: { sweetSpot: 35 } });
  });

  it('shows errors for a bad or duplicate model', async () => {
    const dup = await request(t.app).post('/models').type('form').send(form({ slug: 'flux-dev', name: 'x' }));
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('already exists');
    const bad = await request(t.app).post('/models').type('form').send(form({ slug: 'Bad!', name: '' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('name is required');
    expect(await countRows(t.db, 'models')).toBe(4);
  });

  it('answers an unknown page with a 404 page that reveals nothing', async () => {
    const res = await request(t.app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Not found');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
