import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

const HOSTILE = '</script><script>alert(1)</script>';

/** Runs of q(s) = plateau − drop·exp(−s/τ) with a ±0.2 spread per seed, timed at 0.670 s/step + 0.38 s. */
function sweep(model: string, steps: readonly number[], q: (s: number) => number, extra: Record<string, unknown> = {}) {
  const runs = [];
  for (const s of steps) {
    for (const [seed, offset] of [['1', -0.2], ['2', 0], ['3', 0.2]] as const) {
      runs.push({ model, steps: s, score: Number((q(s) + offset).toFixed(3)), durationMs: 380 + 670 * s, seed, prompt: 'a fox', hardware: 'RTX 4090', ...extra });
    }
  }
  return runs;
}

async function addModel(slug: string, name = slug, guide: Record<string, number> = {}) {
  await request(t.app).post('/api/v1/models').send({ slug, name, ...guide }).expect(201);
}

async function addRuns(runs: unknown[]) {
  await request(t.app).post('/api/v1/runs').send(runs).expect(201);
}

/** The parsed JSON of each embedded chart block, by canvas id. */
function chartData(html: string): Record<string, any> {
  const blocks: Record<string, any> = {};
  for (const m of html.matchAll(/<script type="application\/json" id="([\w-]+)-data">([\s\S]*?)<\/script>/g)) {
    blocks[m[1]!] = JSON.parse(m[2]!);
  }
  return blocks;
}

describe('model report /models/:slug', () => {
  it('shows the sweet spot, recommendations, charts with their data and text equivalents', async () => {
    await addRuns(sweep('flux-dev', [10, 15, 20, 25, 30, 35, 40, 50, 60], (s) => 8.6 - 5 * Math.exp(-s / 10)));
    const res = await request(t.app).get('/models/flux-dev').expect(200);
    const html = res.text;
    expect(html).toContain('Sweet spot');
    expect(html).toMatch(/<span class="big">30<\/span> steps/);
    expect(html).toContain('Recommended steps');
    expect(html).toContain('What to test next');
    expect(html).toContain('Time past the sweet spot');
    expect(html).toContain('Kneedle knee');
    expect(html).toMatch(/Paired/);
    expect(html).toContain('Guide: 28–35, sweet spot 30');
    expect(html).toContain('src="/vendor/chart.js/chart.umd.js"');
    expect(html).toContain('src="/static/charts.js"');
    // No inline script: only JSON data blocks and external scripts.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/type="application\/json"|src="/);
    expect(html).not.toMatch(/ style="/);

    const data = chartData(html);
    expect(Object.keys(data).sort()).toEqual(['chart-duration', 'chart-marginal', 'chart-qps', 'chart-quality']);
    const quality = data['chart-quality'];
    expect(quality.means).toHaveLength(9);
    expect(quality.points).toHaveLength(27);
    expect(quality.curve.length).toBeGreaterThan(10);
    expect(quality.sweetSpot).toMatchObject({ x: 30 });
    expect(quality.guide).toEqual({ lo: 28, hi: 35, label: 'Guide: 28–35, sweet spot 30' });
    expect(data['chart-duration'].series[0].fitLabel).toMatch(/0\.67 s per step \+ 0\.38 s overhead/);
    // Each chart has a data table and a screen-reader description.
    expect(html.match(/<details class="chart-table">/g)).toHaveLength(4);
    expect(html).toMatch(/<canvas id="chart-quality"[^>]*role="img"[^>]*aria-describedby="chart-quality-desc"/);
  });

  it('explains insufficient data without drawing empty charts', async () => {
    await addModel('two-levels', 'Two Levels');
    await addRuns(sweep('two-levels', [10, 20], (s) => 6 + s / 10));
    const html = (await request(t.app).get('/models/two-levels').expect(200)).text;
    expect(html).toContain('Not enough data yet');
    expect(html).toContain('a curve needs at least 3 step levels');
    expect(html).toMatch(/Test more step levels, e\.g\. 15 and 30/);
    const data = chartData(html);
    // Level means and times can be drawn; the curve-based charts are listed as not drawn yet.
    expect(Object.keys(data).sort()).toEqual(['chart-duration', 'chart-quality']);
    expect(data['chart-quality'].curve).toEqual([]);
    expect(data['chart-quality'].means).toHaveLength(2);
    expect(html).toContain('Not drawn yet');
    expect(html).toContain('Gain from one more step:');
  });

  it('says what to log first for a model without runs, and loads no chart script', async () => {
    await addModel('empty-model', 'Empty Model');
    const html = (await request(t.app).get('/models/empty-model').expect(200)).text;
    expect(html).toContain('Not enough data yet');
    expect(html).toContain('No rated runs yet');
    expect(chartData(html)).toEqual({});
    expect(html).not.toContain('chart.umd.js');
  });

  it('reports no plateau with the curve but without a sweet spot', async () => {
    await addModel('still-rising', 'Still Rising');
    await addRuns(sweep('still-rising', [5, 10, 15, 20], (s) => 2 + 0.3 * s));
    const html = (await request(t.app).get('/models/still-rising').expect(200)).text;
    expect(html).toContain('No plateau yet');
    expect(html).toContain('test higher steps');
    const data = chartData(html);
    expect(data['chart-quality'].sweetSpot).toBeNull();
    expect(data['chart-quality'].curve.length).toBeGreaterThan(0);
    expect(html).toContain('None yet: the curve has not flattened');
  });

  it('reports a flat curve: the lowest tested steps do as well', async () => {
    await addModel('flat-model', 'Flat Model');
    await addRuns(sweep('flat-model', [10, 20, 30, 40], () => 7));
    const html = (await request(t.app).get('/models/flat-model').expect(200)).text;
    expect(html).toContain('Flat: fewer steps do as well');
    expect(html).toMatch(/<span class="big">10<\/span> steps/);
    expect(chartData(html)['chart-quality'].means).toHaveLength(4);
  });

  it('keeps user text escaped in the HTML and in the embedded JSON', async () => {
    await addModel('hostile', HOSTILE, { recommendedLow: 20, recommendedHigh: 30 });
    await addRuns(sweep('hostile', [10, 20, 30, 40, 50], (s) => 8 - 5 * Math.exp(-s / 8), { hardware: HOSTILE, sampler: '"><img src=x onerror=alert(1)>' }));
    const html = (await request(t.app).get('/models/hostile').expect(200)).text;
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // In the JSON blocks '<' is written \u003c, so no text can close the <script> element; the data
    // still parses back to the original text.
    const data = chartData(html);
    expect(data['chart-duration'].series[0].label).toBe(HOSTILE);
    for (const block of html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)) {
      expect(block[1]).not.toMatch(/[<>]/);
    }
  });

  it('keeps the filters in the URL: the form shows them and links carry them', async () => {
    await addRuns(sweep('flux-dev', [10, 15, 20, 25, 30, 35, 40, 50, 60], (s) => 8.6 - 5 * Math.exp(-s / 10), { useCase: 'portrait', width: 1024, height: 1024 }));
    await addRuns(sweep('flux-dev', [10, 20, 30], (s) => 7 - 5 * Math.exp(-s / 10), { hardware: 'RTX 3090', useCase: 'landscape' }));
    const url = '/models/flux-dev?hardware=RTX+4090&useCase=portrait&resolution=1024x1024&from=2000-01-01&to=2999-12-31&delta=0.2';
    const html = (await request(t.app).get(url).expect(200)).text;
    expect(html).toMatch(/<option value="RTX 4090" selected>/);
    expect(html).toMatch(/<option value="portrait" selected>/);
    expect(html).toMatch(/<option value="1024x1024" selected>/);
    expect(html).toMatch(/name="from" value="2000-01-01"/);
    expect(html).toMatch(/name="to" value="2999-12-31"/);
    expect(html).toMatch(/name="delta"[^>]*value="0.2"/);
    expect(html).toContain('Only runs with');
    // Only the 27 matching runs are analysed.
    expect(chartData(html)['chart-quality'].points).toHaveLength(27);
    // "Show all runs" keeps how (δ) but drops which runs.
    expect(html).toContain('href="/models/flux-dev?delta=0.2"');

    // A bare `to` date includes that whole day.
    const today = new Date().toISOString().slice(0, 10);
    const sameDay = (await request(t.app).get(`/models/flux-dev?from=${today}&to=${today}`).expect(200)).text;
    expect(chartData(sameDay)['chart-quality'].points).toHaveLength(36);
  });

  it('answers 422 naming the field for a bad filter, and 404 for an unknown model', async () => {
    const bad = await request(t.app).get('/models/flux-dev?resolution=big').expect(422);
    expect(bad.text).toContain('resolution must look like 1024x1024');
    await request(t.app).get('/models/no-such-model').expect(404);
  });

  it('shows the history of the sweet spot once it has changed', async () => {
    await addRuns(sweep('flux-dev', [10, 20, 30, 40, 60], (s) => 8.6 - 5 * Math.exp(-s / 10)));
    await request(t.app).get('/models/flux-dev').expect(200);
    await addRuns(sweep('flux-dev', [15, 25, 35, 50], (s) => 8.6 - 5 * Math.exp(-s / 10)));
    const html = (await request(t.app).get('/models/flux-dev').expect(200)).text;
    expect(html).toContain('Sweet spot over time');
    const history = chartData(html)['chart-history'];
    expect(history.points).toHaveLength(2);
    expect(history.points[1].runs).toBe(27);
  });
});

describe('compare /compare', () => {
  beforeEach(async () => {
    await addRuns(sweep('flux-dev', [10, 15, 20, 25, 30, 35, 40, 50, 60], (s) => 8.6 - 5 * Math.exp(-s / 10)));
    await addRuns(sweep('flux-schnell', [1, 2, 3, 4, 6, 8], (s) => 7 - 5 * Math.exp(-s / 1)).map((r) => ({ ...r, durationMs: 300 + 250 * r.steps })));
  });

  it('overlays the chosen models, draws the Pareto front and keeps the choice in the form', async () => {
    const html = (await request(t.app).get('/compare?models=flux-dev&models=flux-schnell').expect(200)).text;
    expect(html).toContain('aria-current="page">Compare');
    const data = chartData(html);
    expect(data['chart-curves'].models.map((m: { slug: string }) => m.slug)).toEqual(['flux-dev', 'flux-schnell']);
    expect(data['chart-pareto'].front.length).toBeGreaterThan(2);
    expect(new Set(data['chart-pareto'].front.map((p: { name: string }) => p.name))).toEqual(new Set(['FLUX.1 Schnell', 'FLUX.1 Dev']));
    expect(html).toMatch(/value="flux-dev" checked/);
    expect(html).toContain('Best quality for the time, from quickest to best: FLUX.1 Schnell');

    const one = (await request(t.app).get('/compare?models=flux-dev&x=time').expect(200)).text;
    expect(chartData(one)['chart-curves'].models).toHaveLength(1);
    expect(one).toMatch(/value="flux-schnell">/);
    expect(one).toMatch(/data-x="time"/);
  });

  it('answers the budget planner in words', async () => {
    const html = (await request(t.app).get('/compare?images=10&minutes=5&drafts=2').expect(200)).text;
    expect(html).toMatch(/<p class="answer fits">[^<]*per concept 2 drafts at \d+ steps, then a final at \d+ steps\. 10 concepts take/);
    const tight = (await request(t.app).get('/compare?images=1000&minutes=1').expect(200)).text;
    expect(tight).toMatch(/<p class="answer does-not-fit">Nothing fits in 1 min/);
  });

  it('rejects unknown models and bad budgets with a clear message', async () => {
    expect((await request(t.app).get('/compare?models=nope').expect(422)).text).toContain('unknown model');
    expect((await request(t.app).get('/compare?images=0&minutes=5').expect(422)).text).toContain('images must be a whole number');
  });
});

describe('dashboard cards', () => {
  it('show the sweet spot, interval, confidence and a server-drawn curve; thin data says what to log next', async () => {
    await addRuns(sweep('flux-dev', [10, 15, 20, 25, 30, 35, 40, 50, 60], (s) => 8.6 - 5 * Math.exp(-s / 10)));
    await addRuns(sweep('flux-pro', [40], () => 8));
    const html = (await request(t.app).get('/').expect(200)).text;
    expect(html).toMatch(/<span class="big">30<\/span> steps/);
    expect(html).toMatch(/90% interval \d+–\d+/);
    expect(html).toMatch(/class="badge conf-(high|medium|low)"/);
    expect(html).toMatch(/<svg class="spark"[^>]*role="img"/);
    expect(html).toMatch(/<path class="spark-curve" d="M[\d.]+ [\d.]+ L/);
    expect(html).toContain('Not enough data yet');
    expect(html).toMatch(/Only one step level \(40 steps, 3 runs\)[^<]*<strong>Next:<\/strong> Test more step levels, e\.g\. 20 and 80/);
    expect(html).not.toContain('chart.umd.js');
  });
});

describe('model report: how sure it is (issue #13)', () => {
  it('reports a decline in words, with the chosen family and the lack-of-fit verdict', async () => {
    await addModel('overcooked', 'Over-cooked');
    // Over-cooking past ~15 steps; three seeds with their own offsets and a fixed ±0.1 rating wobble.
    const runs = [4, 8, 12, 16, 20, 25, 30, 40, 50, 60].flatMap((s) =>
      [1, 2, 3].map((seed) => ({
        model: 'overcooked',
        steps: s,
        seed: String(seed),
        prompt: 'a fox',
        score: Number((8 - 5 * Math.exp(-s / 5) - 0.03 * s + 0.2 * (seed - 2) + 0.1 * Math.sin(7 * s + 3 * seed)).toFixed(3)),
        durationMs: 380 + 670 * s,
      })),
    );
    await addRuns(runs);
    const html = (await request(t.app).get('/models/overcooked').expect(200)).text;
    expect(html).toMatch(/<strong>Quality falls past \d+ steps<\/strong> — by [\d.]+ at 60 steps: more steps make it worse/);
    expect(html).toContain('rise then fall: a − b·e^(−s/τ) − d·s');
    expect(html).toMatch(/<dt>Lack of fit<\/dt><dd>fits the level means within their noise|<dt>Lack of fit<\/dt><dd>/);
    expect(html).toContain('Also tried: exponential');
    expect(html).toMatch(/<dt>Runs used<\/dt><dd>30 in paired prompt \+ seed blocks, 0 unpaired<\/dd>/);
    const dashboard = (await request(t.app).get('/').expect(200)).text;
    expect(dashboard).toMatch(/<strong>Quality falls past \d+ steps \(by [\d.]+ at 60 steps\)<\/strong>: more steps make it worse/);
    const md = (await request(t.app).get('/api/v1/export/settings.md')).text;
    expect(md).toMatch(/\*\*Quality falls past \d+ steps \(by [\d.]+ at 60 steps\)\*\* — more steps make it worse/);
  });

  it('reports an inconclusive answer, with what to test next, its cost and a "Plan this" link', async () => {
    await addModel('unsure', 'Unsure');
    await addRuns([10, 20, 30, 40].map((steps) => ({ model: 'unsure', steps, score: 7, durationMs: 400 + 600 * steps })));
    const html = (await request(t.app).get('/models/unsure').expect(200)).text;
    expect(html).toContain('Inconclusive: the data cannot tell yet');
    expect(html).toContain('The data cannot tell a flat curve from one still rising');
    expect(html).toMatch(/<li><strong>60 steps<\/strong>, 3 runs: [^<]+ · costs 3 renders, about [\d.]+ min<\/li>/);
    expect(html).toContain('href="/experiments?model=unsure&amp;steps=60,80#plan">Plan this</a>');
    const plan = (await request(t.app).get('/experiments').query({ model: 'unsure', steps: '60,80' }).expect(200)).text;
    expect(plan).toContain('value="60,80"');
    expect(plan).toMatch(/<option value="unsure" selected/);
  });
});
