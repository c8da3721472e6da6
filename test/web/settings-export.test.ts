import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
  await request(t.app).post('/demo').expect(303);
  await request(t.app).post('/api/v1/models').send({ slug: 'evil', name: '=HYPERLINK("http://x") | *bold*' }).expect(201);
  await request(t.app).post('/api/v1/runs').send([10, 20, 30].map((steps) => ({ model: 'evil', steps, score: 5 }))).expect(201);
});

describe('settings export', () => {
  it('JSON, Markdown and CSV carry the same numbers as the analysis API', async () => {
    const analysis = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    const json = await request(t.app).get('/api/v1/export/settings.json');
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/attachment; filename="?sweetspot-settings-\d{4}-\d\d-\d\d\.json"?/);
    const dev = json.body.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    expect(dev.sweetSpot).toEqual(analysis.sweetSpot);
    expect(dev.recommendations).toEqual(analysis.recommendations);
    expect(dev.runs).toBe(analysis.runs);

    const md = (await request(t.app).get('/api/v1/export/settings.md')).text;
    const r = analysis.recommendations;
    expect(md).toContain(`## FLUX.1 Dev (\`flux-dev\`)`);
    expect(md).toContain(`**Sweet spot: ${analysis.sweetSpot.steps} steps**`);
    expect(md).toContain(`90% interval ${analysis.sweetSpot.interval[0]}–${analysis.sweetSpot.interval[1]}, confidence ${analysis.sweetSpot.confidence}`);
    expect(md).toContain(`| Standard | ${r.standard.steps} | ${Number(r.standard.quality.toFixed(2))} | ${Number((r.standard.durationMs / 1000).toFixed(1))} s | 28–35 (sweet spot 30) |`);
    expect(md).toContain(`| Draft | ${r.draft.steps} |`);
    expect(md).toContain(`| Final | ${r.final.steps} |`);

    const csv = parse((await request(t.app).get('/api/v1/export/settings.csv')).text, { columns: true }) as Record<string, string>[];
    const row = csv.find((c) => c.model === 'flux-dev' && c.scope === 'all')!;
    expect(Number(row.sweet_spot)).toBe(analysis.sweetSpot.steps);
    expect(Number(row.interval_low)).toBe(analysis.sweetSpot.interval[0]);
    expect(Number(row.interval_high)).toBe(analysis.sweetSpot.interval[1]);
    expect(row.confidence).toBe(analysis.sweetSpot.confidence);
    expect(Number(row.draft_steps)).toBe(r.draft.steps);
    expect(Number(row.standard_steps)).toBe(r.standard.steps);
    expect(Number(row.final_steps)).toBe(r.final.steps);
    expect(Number(row.final_time_s)).toBe(Number((r.final.durationMs / 1000).toFixed(1)));
    expect(Number(row.guide_low)).toBe(28);
  });

  it('includes per-use-case settings where the data allow, like the guide tables', async () => {
    const sheet = (await request(t.app).get('/api/v1/export/settings.json')).body;
    const dev = sheet.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    expect(dev.useCases.map((u: { useCase: string }) => u.useCase)).toContain('concept-art');
    const portrait = (await request(t.app).get('/api/v1/models/flux-dev/analysis').query({ useCase: 'concept-art' })).body;
    expect(dev.useCases.find((u: { useCase: string }) => u.useCase === 'concept-art').sweetSpot).toEqual(portrait.sweetSpot);
    expect((await request(t.app).get('/api/v1/export/settings.md')).text).toContain('### By use case');
  });

  it('neutralises formula cells in CSV and escapes markup in Markdown', async () => {
    const csvText = (await request(t.app).get('/api/v1/export/settings.csv')).text;
    const rows = parse(csvText, { columns: true }) as Record<string, string>[];
    const evil = rows.find((c) => c.model === 'evil')!;
    expect(evil.model_name).toMatch(/^'=HYPERLINK/);
    // One run per level: the noise is unknown, so equal scores cannot be called flat (was 'flat').
    expect(evil.status).toBe('inconclusive');
    const md = (await request(t.app).get('/api/v1/export/settings.md')).text;
    expect(md).toContain('\\| \\*bold\\*');
  });

  it('passes the analysis settings through and rejects bad ones', async () => {
    const loose = (await request(t.app).get('/api/v1/export/settings.json').query({ delta: 1 })).body;
    expect(loose.metric.delta).toBe(1);
    const bad = await request(t.app).get('/api/v1/export/settings.csv').query({ rule: 'nope' });
    expect(bad.status).toBe(422);
  });
});

describe('export page', () => {
  it('shows the settings sheet with the same numbers and links every download', async () => {
    const analysis = (await request(t.app).get('/api/v1/models/flux-dev/analysis')).body;
    const page = await request(t.app).get('/export');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Sweet spot ${analysis.sweetSpot.steps} steps`);
    for (const href of ['/api/v1/export/settings.md', '/api/v1/export/settings.json', '/api/v1/export/settings.csv', '/api/v1/export/runs.csv', '/api/v1/export/runs.json', '/api/v1/export/runs.ndjson']) {
      expect(page.text).toContain(`href="${href}`);
    }
    expect(page.text).not.toContain('<script>alert');
    const filtered = await request(t.app).get('/export').query({ delta: 1 });
    expect(filtered.text).toContain('href="/api/v1/export/settings.md?delta=1"');
    expect((await request(t.app).get('/export').query({ delta: 'x' })).status).toBe(422);
  });
});
