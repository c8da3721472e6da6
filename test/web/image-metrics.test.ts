import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spreadLevels } from '../../src/services/gallery.js';
import { convergingRender } from '../helpers/converging-renders.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

const STEPS = [4, 8, 12, 16, 20, 25, 30, 40, 50];
const SEEDS = [11, 12];
const PROMPT = 'a <b>test</b> chart & "friends"';
const MODEL = 'converge-test.safetensors';

let dataDir: string;
let ctx: TestContext;
let slug: string;

/** One model, two seeds of one prompt, nine step levels: renders that get sharper and closer to the last with steps. */
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-metrics-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
  // Shuffled on purpose: the reference (most steps) arrives in the middle, and the group is recomputed.
  const order = SEEDS.flatMap((seed) => [25, 4, 50, 12, 8, 40, 16, 30, 20].map((steps) => ({ seed, steps })));
  let req = request(ctx.app).post('/api/v1/images');
  for (const { seed, steps } of order) {
    req = req.attach('files', await convergingRender({ steps, seed, prompt: PROMPT, model: MODEL }), { filename: `s${seed}-${steps}.png` });
  }
  const res = await req;
  expect(res.status).toBe(200);
  expect(res.body.runs).toBe(order.length);
  slug = res.body.results[0].model;
});
afterAll(async () => {
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function metricBySeedAndSteps(name: string): Promise<Map<string, Map<number, number>>> {
  const rows = await ctx.db
    .selectFrom('run_metrics')
    .innerJoin('runs', 'runs.id', 'run_metrics.run_id')
    .select(['runs.seed', 'runs.steps', 'run_metrics.value'])
    .where('run_metrics.name', '=', name)
    .execute();
  const bySeed = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const m = bySeed.get(r.seed!) ?? new Map<number, number>();
    m.set(r.steps, r.value);
    bySeed.set(r.seed!, m);
  }
  return bySeed;
}

describe('image metrics on renders that converge', () => {
  it('stores a sharpness for every render, rising with steps', async () => {
    const bySeed = await metricBySeedAndSteps('sharpness');
    expect([...bySeed.keys()].sort()).toEqual(SEEDS.map(String));
    for (const values of bySeed.values()) {
      const series = STEPS.map((s) => values.get(s)!);
      for (let i = 1; i < series.length; i++) expect(series[i]!, `steps ${STEPS[i]}`).toBeGreaterThan(series[i - 1]!);
      // The documented scale: log10 of the Laplacian's variance on 0–255 values, typical renders 1–4.
      expect(series[0]!).toBeGreaterThan(0.5);
      expect(series.at(-1)!).toBeLessThan(5);
    }
  });

  it('stores ssim_to_reference against the render with the most steps, rising to 1', async () => {
    const bySeed = await metricBySeedAndSteps('ssim_to_reference');
    for (const values of bySeed.values()) {
      expect(values.size).toBe(STEPS.length);
      const series = STEPS.map((s) => values.get(s)!);
      expect(series.at(-1)).toBe(1);
      for (let i = 1; i < series.length; i++) expect(series[i]!, `steps ${STEPS[i]}`).toBeGreaterThan(series[i - 1]!);
      expect(series[0]!).toBeLessThan(0.9);
    }
  });

  it('lets the analysis find a sweet spot on the convergence metric and on sharpness', async () => {
    const res = await request(ctx.app).get(`/api/v1/models/${slug}/analysis?metric=ssim_to_reference`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.paired).toBe(true);
    const steps = res.body.sweetSpot.steps as number;
    expect(steps).toBeGreaterThanOrEqual(20);
    expect(steps).toBeLessThanOrEqual(45);
    const sharp = await request(ctx.app).get(`/api/v1/models/${slug}/analysis?metric=sharpness`);
    expect(sharp.status).toBe(200);
    expect(sharp.body.sweetSpot?.steps ?? null).not.toBeNull();
  });

  it('raises the model data version with the metric writes (cached analyses are invalidated)', async () => {
    const before = (await ctx.db.selectFrom('models').select('data_version').where('slug', '=', slug).executeTakeFirstOrThrow()).data_version;
    const res = await request(ctx.app)
      .post('/api/v1/images')
      .attach('files', await convergingRender({ steps: 60, seed: 11, prompt: PROMPT, model: MODEL }), { filename: 'more.png' });
    expect(res.body.results[0].status).toBe('created');
    const after = (await ctx.db.selectFrom('models').select('data_version').where('slug', '=', slug).executeTakeFirstOrThrow()).data_version;
    expect(after).toBeGreaterThan(before);
    // The new render is the group's reference now.
    const values = (await metricBySeedAndSteps('ssim_to_reference')).get('11')!;
    expect(values.get(60)).toBe(1);
    expect(values.get(50)!).toBeLessThan(1);
  });
});

describe('gallery', () => {
  it('renders the X/Y grid: step levels across, prompt + seed down, text escaped', async () => {
    const res = await request(ctx.app).get(`/models/${slug}/gallery`);
    expect(res.status).toBe(200);
    for (const steps of STEPS) expect(res.text).toContain(`>${steps} steps</th>`);
    expect(res.text).toContain('seed 11');
    expect(res.text).toContain('seed 12');
    expect(res.text).toContain('a &lt;b&gt;test&lt;/b&gt; chart &amp; &#34;friends&#34;');
    expect(res.text).not.toContain('<b>test</b>');
    expect((res.text.match(/\/thumb"/g) ?? []).length).toBeGreaterThanOrEqual(STEPS.length * SEEDS.length);
  });

  it('shows on the model report as a grid of thumbnails, linked to the whole gallery', async () => {
    const report = await request(ctx.app).get(`/models/${slug}`);
    expect(report.status).toBe(200);
    expect(report.text).toContain(`href="/models/${slug}/gallery"`);
    expect(report.text).toContain('Renders by step count');
    for (const steps of STEPS) expect(report.text).toContain(`>${steps} steps</th>`);
    expect((report.text.match(/\/thumb"/g) ?? []).length).toBeGreaterThanOrEqual(STEPS.length * SEEDS.length);
    expect(report.text).toMatch(new RegExp(`href="/models/${slug}/gallery\\?a=\\d+#compare"`));
    expect(report.text).not.toContain('<b>test</b>');
  });

  it('compares two renders side by side at full size', async () => {
    const runs = await ctx.db.selectFrom('runs').innerJoin('images', 'images.id', 'runs.image_id').select(['runs.id', 'runs.steps', 'images.sha256']).where('runs.seed', '=', '11').orderBy('runs.steps').execute();
    const [low, high] = [runs[0]!, runs.at(-1)!];
    const one = await request(ctx.app).get(`/models/${slug}/gallery?a=${low.id}`);
    expect(one.text).toContain('Now click a second render');
    expect(one.text).toContain(`href="?a=${low.id}&amp;b=${high.id}#compare"`);
    const both = await request(ctx.app).get(`/models/${slug}/gallery?a=${low.id}&b=${high.id}`);
    expect(both.status).toBe(200);
    expect(both.text).toContain(`<img src="/images/${low.sha256}" alt="Render at ${low.steps} steps"`);
    expect(both.text).toContain(`<img src="/images/${high.sha256}" alt="Render at ${high.steps} steps"`);
    expect((await request(ctx.app).get(`/models/${slug}/gallery?a=abc`)).status).toBe(422);
    expect((await request(ctx.app).get('/models/no-such-model/gallery')).status).toBe(404);
  });

  it('shows an empty gallery with a way to upload, and spreads many levels over at most 12 columns', async () => {
    const res = await request(ctx.app).get('/models/flux-pro/gallery');
    expect(res.status).toBe(200);
    expect(res.text).toContain('No renders with images for this model yet');
    expect(spreadLevels([1, 2, 3, 4, 5], 3)).toEqual([1, 3, 5]);
    const many = Array.from({ length: 30 }, (_, i) => i + 1);
    const picked = spreadLevels(many, 12);
    expect(picked).toHaveLength(12);
    expect(picked[0]).toBe(1);
    expect(picked.at(-1)).toBe(30);
  });
});
