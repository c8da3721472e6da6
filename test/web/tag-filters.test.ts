import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

/** Scores of q(s) = 9 − 5·e^(−s/τ) at 5…60 steps, tagged, timed as 0.38 s + `perStep` s per step on `hardware`. */
async function logCurve(tau: number, tags: string[], hardware = 'RTX 4090', perStepMs = 670) {
  const runs = [];
  for (const steps of [5, 10, 15, 20, 30, 40, 50, 60]) {
    for (const offset of [-0.1, 0.1]) {
      runs.push({ model: 'flux-dev', steps, score: Number((9 - 5 * Math.exp(-steps / tau) + offset).toFixed(3)), durationMs: 380 + perStepMs * steps, hardware, tags, sampler: 'euler', guidance: 3.5, width: 1024, height: 1024 });
    }
  }
  const res = await request(t.app).post('/api/v1/runs').send(runs);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('tag and excludeTag on the analysis, the reports and the exports', () => {
  beforeEach(async () => {
    await logCurve(4, ['demo']);
    await logCurve(10, ['mine']);
  });

  it('the analysis counts only the runs the tags let through', async () => {
    const all = await request(t.app).get('/api/v1/models/flux-dev/analysis');
    expect(all.body.runs).toBe(32);
    const mine = await request(t.app).get('/api/v1/models/flux-dev/analysis?excludeTag=demo');
    expect(mine.status).toBe(200);
    expect(mine.body.runs).toBe(16);
    expect(mine.body.filters).toEqual({ excludeTags: ['demo'] });
    const demo = await request(t.app).get('/api/v1/models/flux-dev/analysis?tag=demo');
    expect(demo.body.runs).toBe(16);
    // Repeated: either tag lets a run through.
    expect((await request(t.app).get('/api/v1/models/flux-dev/analysis?tag=demo&tag=mine')).body.runs).toBe(32);
    // τ = 4 (demo) against τ = 10 (mine): the sweet spots differ, so the filter reaches the curve.
    expect(demo.body.sweetSpot.steps).toBeLessThan(mine.body.sweetSpot.steps);
  });

  it('a bad tag names its field and answers 422', async () => {
    const res = await request(t.app).get('/api/v1/models/flux-dev/analysis?excludeTag=%21%21');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('excludeTag: each tag is 1–64 letters');
  });

  it('the settings export states its filters, and calls out the demo runs it holds', async () => {
    const withDemo = await request(t.app).get('/api/v1/export/settings.md');
    expect(withDemo.text).toContain('filters: none');
    expect(withDemo.text).toContain('Includes 16 demo runs (made-up renders tagged "demo"): export with excludeTag=demo to leave them out.');
    const without = await request(t.app).get('/api/v1/export/settings.md?excludeTag=demo');
    expect(without.text).toContain('filters: excludeTag = demo');
    expect(without.text).not.toContain('demo runs (made-up');
    const json = (await request(t.app).get('/api/v1/export/settings.json?excludeTag=demo')).body;
    expect(json.filters).toEqual({ excludeTags: ['demo'] });
    expect(json.demoRuns).toBe(0);
    const csv = (await request(t.app).get('/api/v1/export/settings.csv?tag=demo')).text;
    expect(csv.split('\n')[0]).toContain('filters,demo_runs,outside_guide');
    expect(csv.split('\n')[1]).toContain('tag = demo,16');
  });

  it('the runs export leaves out excluded tags and names its filters in a header', async () => {
    const res = await request(t.app).get('/api/v1/export/runs.json?excludeTag=demo');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(16);
    expect(res.body.every((r: { tags: string[] }) => r.tags.includes('mine'))).toBe(true);
    expect(res.headers['x-sweetspot-filters']).toBe('excludeTag=demo');
  });

  it('the model report says how many demo runs it holds and links to leaving them out', async () => {
    const page = await request(t.app).get('/models/flux-dev');
    expect(page.text).toContain('16 of the runs behind this report are made-up demo renders');
    expect(page.text).toContain('href="/models/flux-dev?excludeTag=demo"');
    const filtered = await request(t.app).get('/models/flux-dev?excludeTag=demo');
    expect(filtered.text).not.toContain('made-up demo renders');
    expect(filtered.text).toContain('Without tag: demo');
  });
});

describe('the settings sheet a team lead can hand out', () => {
  beforeEach(async () => {
    await logCurve(10, [], 'RTX 4090', 670);
    await logCurve(10, [], 'RTX 3060', 1500);
  });

  it('hardware= picks the GPU the times are for, without narrowing the runs behind the quality', async () => {
    const on4090 = (await request(t.app).get('/api/v1/export/settings.json?hardware=RTX%204090')).body;
    const on3060 = (await request(t.app).get('/api/v1/export/settings.json?hardware=RTX%203060')).body;
    expect(on4090.hardware).toBe('RTX 4090');
    const dev4090 = on4090.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    const dev3060 = on3060.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    expect(dev4090.runs).toBe(32);
    expect(dev3060.runs).toBe(32);
    const steps = dev4090.recommendations.standard.steps as number;
    expect(dev3060.recommendations.standard.steps).toBe(steps);
    expect(dev4090.recommendations.standard.durationMs).toBeCloseTo(380 + 670 * steps, 0);
    expect(dev3060.recommendations.standard.durationMs).toBeCloseTo(380 + 1500 * steps, 0);
    // The per-GPU table has both, whichever was chosen.
    expect(dev4090.timesByHardware.map((h: { hardware: string }) => h.hardware).sort()).toEqual(['RTX 3060', 'RTX 4090']);
    const md = (await request(t.app).get('/api/v1/export/settings.md?hardware=RTX%203060')).text;
    expect(md).toContain('Times predicted for: RTX 3060 (chosen with hardware=).');
    expect(md).toContain('| GPU | Draft | Standard | Final | Timed runs |');
    expect(md).toMatch(/\| RTX 4090 \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \| 16 \|/);
  });

  it('states the sampler, guidance and resolution behind the numbers, flags out-of-guide steps and explains δ', async () => {
    const md = (await request(t.app).get('/api/v1/export/settings.md')).text;
    expect(md).toMatch(/^Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC by sweetspot/m);
    expect(md).toContain('Measured with: euler, guidance 3.5, 1024 × 1024 (32 runs).');
    expect(md).toContain('δ = 0.25 points on the 0–10 score: the smallest difference in quality worth paying for.');
    const json = (await request(t.app).get('/api/v1/export/settings.json')).body;
    const dev = json.models.find((m: { slug: string }) => m.slug === 'flux-dev');
    // FLUX.1 Dev's guide: 20–50 usable, 28–35 recommended; whatever falls outside is named.
    // τ = 10, b = 5: draft (within 4δ = 1 point) is at 5·e^(−s/10) ≤ 1, s ≈ 17 — below the guide's 20.
    const draft = dev.recommendations.draft.steps as number;
    expect(draft).toBeLessThan(20);
    expect(dev.outsideGuide).toContain(`draft (${draft} steps) is below the guide's minimum of 20 for FLUX.1 Dev`);
    expect(md).toContain(`> Outside the guide: draft (${draft} steps) is below the guide's minimum of 20 for FLUX.1 Dev.`);
  });
});

describe('the CLI and the export page take the same filters', () => {
  const { cli } = useCliSandbox('sweetspot-cli-tags-');

  it('sweetspot export settings --exclude-tag demo --hardware states both', async () => {
    expect((await cli('demo')).code).toBe(0);
    const withDemo = await cli('export', 'settings');
    expect(withDemo.out).toMatch(/Includes \d+ demo runs/);
    const res = await cli('export', 'settings', '--exclude-tag', 'demo', '--hardware', 'RTX 4090');
    expect(res.code).toBe(0);
    expect(res.out).toContain('filters: excludeTag = demo');
    expect(res.out).toContain('Times predicted for: RTX 4090 (chosen with hardware=).');
    expect(res.out).toContain('No model has rated runs yet.');
    const bad = await cli('export', 'settings', '--exclude-tag', '!!');
    expect(bad.err).toContain('--exclude-tag: excludeTag: each tag is 1–64 letters');
  }, 60_000);

  it('the export page offers the tag filters and calls out demo runs', async () => {
    await logCurve(10, ['demo']);
    const page = await request(t.app).get('/export');
    expect(page.text).toContain('this sheet includes 16 demo runs');
    expect(page.text).toContain('name="excludeTag"');
    const without = await request(t.app).get('/export?excludeTag=demo');
    expect(without.text).not.toContain('this sheet includes');
    expect(without.text).toContain('/api/v1/export/settings.md?excludeTag=demo');
  });
});
