import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { fitBradleyTerry } from '../../src/analysis/bradley-terry.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

interface Cell {
  runId: number;
  steps: number;
  seed: string;
  prompt: string;
}

/** Plans a sweep and gives every planned run an image row (the files themselves are not needed here). */
async function plannedWithImages(body: Record<string, unknown> = {}): Promise<{ id: number; cells: Cell[]; sha: Map<number, string> }> {
  const res = await request(t.app)
    .post('/api/v1/experiments')
    .send({ model: 'flux-dev', steps: '10-50 (+10)', seeds: ['1', '2'], prompts: ['a red fox in snow'], ...body });
  expect(res.status).toBe(201);
  const sha = new Map<number, string>();
  for (const cell of res.body.cells as Cell[]) {
    const hash = cell.runId.toString(16).padStart(64, 'c');
    const image = await t.db
      .insertInto('images')
      .values({ sha256: hash, mime: 'image/png', bytes: 100, width: 8, height: 8, metadata: null, original_name: null, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('runs').set({ image_id: Number(image.id) }).where('id', '=', cell.runId).execute();
    sha.set(cell.runId, hash);
  }
  return { id: res.body.id, cells: res.body.cells, sha };
}

async function countJudgements(): Promise<number> {
  const row = await t.db.selectFrom('judgements').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function judge(runA: number, runB: number, outcome: 'a' | 'b' | 'tie', rater = 'ann') {
  return request(t.app).post('/api/v1/judgements').send({ runA, runB, outcome, rater });
}

async function preferences(runIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await t.db.selectFrom('run_metrics').select(['run_id', 'value']).where('name', '=', 'preference').where('run_id', 'in', [...runIds]).execute();
  return new Map(rows.map((r) => [r.run_id, r.value]));
}

describe('POST /api/v1/judgements', () => {
  it('stores a judgement and refits the preference of its block', async () => {
    const { cells } = await plannedWithImages();
    const block = cells.filter((c) => c.seed === '1');
    const [r10, r20, r30] = block as [Cell, Cell, Cell];
    const res = await judge(r10.runId, r20.runId, 'b');
    expect(res.status).toBe(201);
    expect(res.body.judgement).toMatchObject({ runA: r10.runId, runB: r20.runId, outcome: 'b', rater: 'ann' });
    await judge(r20.runId, r30.runId, 'tie', 'bob').expect(201);
    await judge(r30.runId, r10.runId, 'a').expect(201);

    // The stored values are the Bradley–Terry log-strengths of a fit over the block's judgements.
    const fit = fitBradleyTerry([
      { winner: String(r20.runId), loser: String(r10.runId) },
      { a: String(r20.runId), b: String(r30.runId), tie: true },
      { winner: String(r30.runId), loser: String(r10.runId) },
    ]);
    const stored = await preferences(block.map((c) => c.runId));
    expect(stored.size).toBe(3);
    for (const item of fit.items) expect(stored.get(Number(item.id))).toBeCloseTo(item.logStrength, 10);
    expect(stored.get(r20.runId)!).toBeGreaterThan(stored.get(r10.runId)!);
    // Centred within the block; the other block has no preferences yet.
    expect([...stored.values()].reduce((s, v) => s + v, 0)).toBeCloseTo(0, 10);
    expect((await preferences(cells.filter((c) => c.seed === '2').map((c) => c.runId))).size).toBe(0);

    expect((await request(t.app).get('/api/v1/judgements?experiment=999')).status).toBe(404);
    const all = await request(t.app).get('/api/v1/judgements?model=flux-dev');
    expect(all.body.judgements).toHaveLength(3);
  });

  it('raises the model data version, so cached analyses see the new preferences', async () => {
    const { cells } = await plannedWithImages();
    const before = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    await judge(cells[0]!.runId, cells[1]!.runId, 'b').expect(201);
    const after = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    expect(after.data_version).toBeGreaterThan(before.data_version);
  });

  it('makes preference a metric the analysis reads like any other', async () => {
    const { id, cells } = await plannedWithImages({ seeds: ['1', '2', '3'] });
    // Known qualities: renders gain a lot up to ~30 steps, then raters can no longer tell.
    const quality = (steps: number) => 10 - 8 * Math.exp(-steps / 8);
    const blocks = new Map<string, Cell[]>();
    for (const c of cells) blocks.set(c.seed, [...(blocks.get(c.seed) ?? []), c]);
    for (const block of blocks.values()) {
      for (let i = 0; i < block.length; i++) {
        for (let k = i + 1; k < block.length; k++) {
          const [low, high] = [block[i]!, block[k]!];
          const outcome = quality(high.steps) - quality(low.steps) > 0.4 ? 'b' : 'tie';
          await judge(low.runId, high.runId, outcome).expect(201);
        }
      }
    }
    const res = await request(t.app).get(`/api/v1/models/flux-dev/analysis?metric=preference&experiment=${id}`);
    expect(res.status).toBe(200);
    expect(res.body.metric).toMatchObject({ name: 'preference', lowerIsBetter: false });
    expect(res.body.runs).toBe(15);
    expect(res.body.paired).toBe(true);
    const means = (res.body.levels as { steps: number; mean: number }[]).map((l) => l.mean);
    expect(res.body.levels.map((l: { steps: number }) => l.steps)).toEqual([10, 20, 30, 40, 50]);
    // The order of the known qualities is recovered: more steps never look worse.
    for (let i = 1; i < means.length; i++) expect(means[i]!).toBeGreaterThanOrEqual(means[i - 1]! - 1e-9);
    expect(means[1]! - means[0]!).toBeGreaterThan(means[4]! - means[3]!);

    const report = await request(t.app).get(`/api/v1/experiments/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.metrics.map((m: { metric: string }) => m.metric)).toEqual(['preference']);
    expect(report.body.ratings).toMatchObject({ judgements: 30 });
    expect(report.body.ratings.plateau.sentence).toMatch(/could not tell renders apart/);
  });

  it.each([
    [{}, ['runA', 'runB', 'outcome', 'rater']],
    [{ runA: 1, runB: 2, outcome: 'left', rater: 'ann' }, ['outcome']],
    [{ runA: 1, runB: 2, outcome: 'a', rater: '   ' }, ['rater']],
    [{ runA: 1, runB: 2, outcome: 'a', rater: 'x'.repeat(101) }, ['rater']],
    [{ runA: 0, runB: 2, outcome: 'a', rater: 'ann' }, ['runA']],
    [{ runA: 1, runB: 2, outcome: 'a', rater: 'ann', weight: 2 }, ['weight']],
  ])('rejects %j naming %j', async (body, fields) => {
    await plannedWithImages();
    const res = await request(t.app).post('/api/v1/judgements').send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(fields));
    expect(await countJudgements()).toBe(0);
  });

  it('accepts only two existing renders of the same model, prompt and seed at different steps', async () => {
    const { cells } = await plannedWithImages();
    const [a10, a20] = cells.filter((c) => c.seed === '1') as [Cell, Cell];
    const b20 = cells.find((c) => c.seed === '2' && c.steps === 20)!;
    const other = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: ['1'], prompts: ['a lighthouse'] });
    const lighthouse20 = other.body.cells[1].runId as number;
    const schnell = await request(t.app).post('/api/v1/runs').send({ model: 'flux-schnell', steps: 4, seed: '1', prompt: 'a red fox in snow' });
    const noSeed = await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 40, prompt: 'a red fox in snow' });
    const twin = await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 10, seed: '1', prompt: 'a red fox in snow' });

    const cases: [number, number, string, RegExp][] = [
      [a10.runId, a10.runId, 'runB', /must be a different run/],
      [a10.runId, 9999, 'runB', /run 9999 does not exist/],
      [9998, a10.runId, 'runA', /run 9998 does not exist/],
      [a10.runId, b20.runId, 'runB', /same prompt and seed/],
      [a10.runId, lighthouse20, 'runB', /same prompt and seed/],
      [a10.runId, schnell.body.id, 'runB', /same model/],
      [noSeed.body.id, a20.runId, 'runA', /no prompt or seed/],
      [a10.runId, twin.body.id, 'runB', /both have 10 steps: compare different step counts/],
    ];
    for (const [runA, runB, field, pattern] of cases) {
      const res = await judge(runA, runB, 'a');
      expect(res.status, `${runA} vs ${runB}`).toBe(422);
      expect(res.body.error.message).toMatch(pattern);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await countJudgements()).toBe(0);
    expect((await preferences(cells.map((c) => c.runId))).size).toBe(0);
  });
});

/** The HTML of the pair shown on the rating page. */
function pairSection(html: string): string {
  const start = html.indexOf('<form method="post" action="/rate"');
  const end = html.indexOf('</form>', start);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, end);
}

describe('the rating page', () => {
  it('shows two renders of the same prompt and seed at different steps, without labels', async () => {
    const { id, cells, sha } = await plannedWithImages();
    const page = await request(t.app).get(`/rate?experiment=${id}`);
    expect(page.status).toBe(200);
    const form = pairSection(page.text);
    const left = Number(/name="left" value="(\d+)"/.exec(form)![1]);
    const right = Number(/name="right" value="(\d+)"/.exec(form)![1]);
    const [l, r] = [cells.find((c) => c.runId === left)!, cells.find((c) => c.runId === right)!];
    expect(l.seed).toBe(r.seed);
    expect(l.prompt).toBe(r.prompt);
    expect(l.steps).not.toBe(r.steps);
    expect(form).toContain(`src="/images/${sha.get(left)}"`);
    expect(form).toContain(`src="/images/${sha.get(right)}"`);
    // Nothing on the page tells the step counts, the seed or the prompt of the pair.
    expect(form).not.toMatch(/\bsteps?\b/i);
    expect(page.text).not.toMatch(/\d+ steps?\b/i);
    expect(form).not.toContain(String(l.steps));
    expect(form).not.toContain(String(r.steps));
    expect(page.text).not.toContain('a red fox in snow');
    // Near the guide's sweet spot (30) with no judgements yet: the closest pair around it.
    expect([l.steps, r.steps].sort((x, y) => x - y)).toEqual([30, 40]);
    expect(page.text).not.toMatch(/ style=/);
    expect(page.text).toContain('src="/static/rate.js"');
  });

  it('stores the form post as a judgement, remembers the rater, and moves to another pair', async () => {
    const { id } = await plannedWithImages();
    const agent = request.agent(t.app);
    const form = pairSection((await agent.get(`/rate?experiment=${id}`)).text);
    const left = Number(/name="left" value="(\d+)"/.exec(form)![1]);
    const right = Number(/name="right" value="(\d+)"/.exec(form)![1]);
    const res = await agent.post('/rate').type('form').send({ left, right, experiment: id, choice: 'left', rater: ' Ann <b> ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/rate?experiment=${id}&rated=a`);
    const stored = await t.db.selectFrom('judgements').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ run_a: left, run_b: right, outcome: 'a', rater: 'Ann <b>' });
    const next = await agent.get(res.headers.location!);
    expect(next.text).toContain('Saved (the left one)');
    expect(next.text).toContain('value="Ann &lt;b&gt;"');
    const nextForm = pairSection(next.text);
    const pair = [/name="left" value="(\d+)"/.exec(nextForm)![1], /name="right" value="(\d+)"/.exec(nextForm)![1]].map(Number).sort();
    expect(pair).not.toEqual([left, right].sort());
  });

  it('asks for a name before storing, keeping the same pair', async () => {
    const { id } = await plannedWithImages();
    const form = pairSection((await request(t.app).get(`/rate?experiment=${id}`)).text);
    const left = /name="left" value="(\d+)"/.exec(form)![1]!;
    const right = /name="right" value="(\d+)"/.exec(form)![1]!;
    const res = await request(t.app).post('/rate').type('form').send({ left, right, experiment: String(id), choice: 'tie', rater: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('rater must be a name of 1 to 100 characters');
    expect(res.text).toContain(`name="left" value="${left}"`);
    expect(res.text).toContain(`name="right" value="${right}"`);
    expect(await countJudgements()).toBe(0);
  });

  it('says so when there is nothing to rate', async () => {
    const res = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', randomSeeds: 1, prompts: ['a fox'] });
    const page = await request(t.app).get(`/rate?experiment=${res.body.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nothing to rate here yet');
    expect((await request(t.app).get('/rate')).status).toBe(200);
    expect((await request(t.app).get('/rate?model=flux-dev')).status).toBe(200);
    expect((await request(t.app).get('/rate?experiment=99')).status).toBe(404);
  });

  it('rates a model across experiments', async () => {
    await plannedWithImages();
    const page = await request(t.app).get('/rate?model=flux-dev');
    expect(page.status).toBe(200);
    expect(pairSection(page.text)).toContain('name="model" value="flux-dev"');
  });
});

describe('the experiment report', () => {
  it('shows the sweet spot per metric side by side, rater agreement and plateau evidence', async () => {
    const { id, cells } = await plannedWithImages({ seeds: ['1', '2', '3'] });
    // Scores from a saturating curve (sweet spot near 3τ = 30) with a little block-to-block offset.
    const fields: Record<string, string> = {};
    for (const c of cells) {
      const offset = (Number(c.seed) - 2) * 0.3;
      fields[`s_${c.runId}`] = String(Math.round((9 - 5 * Math.exp(-c.steps / 10) + offset) * 100) / 100);
      fields[`d_${c.runId}`] = String(0.4 + 0.67 * c.steps);
    }
    await request(t.app).post(`/experiments/${id}/cells`).type('form').send(fields).expect(303);

    // Two raters judge the same pairs of one block; they agree on two of three.
    const block = cells.filter((c) => c.seed === '1');
    const pairs: [Cell, Cell][] = [[block[0]!, block[1]!], [block[1]!, block[2]!], [block[3]!, block[4]!]];
    const ann = ['b', 'b', 'tie'] as const;
    const bob = ['b', 'tie', 'tie'] as const;
    for (const [i, [low, high]] of pairs.entries()) {
      await judge(low.runId, high.runId, ann[i]!, 'ann').expect(201);
      await judge(high.runId, low.runId, bob[i] === 'b' ? 'a' : bob[i]!, '<i>bob</i>').expect(201);
    }

    const page = await request(t.app).get(`/experiments/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-metric="score"');
    expect(page.text).toContain('data-metric="preference"');
    expect(page.text).toMatch(/data-metric="score">[\s\S]*?<td class="num spot">\d+ steps<\/td>/);
    expect(page.text).toContain('6</strong> judgements');
    expect(page.text).toContain('Shared pairs</dt><dd>3</dd>');
    expect(page.text).toContain('Agreement</dt><dd>67%</dd>');
    expect(page.text).toMatch(/Cohen's κ<\/dt><dd>-?\d\.\d\d<\/dd>/);
    expect(page.text).toContain('&lt;i&gt;bob&lt;/i&gt;');
    expect(page.text).not.toContain('<i>bob</i>');
    expect(page.text).toMatch(/class="plateau-evidence">(At|Raters|No blind)/);

    const report = (await request(t.app).get(`/api/v1/experiments/${id}/report`)).body;
    expect(report.metrics[0]).toMatchObject({ metric: 'score', runs: 15 });
    expect(report.metrics[0].sweetSpot.steps).toBeGreaterThan(10);
    expect(report.ratings.agreement).toMatchObject({ raters: ['<i>bob</i>', 'ann'], sharedPairs: 3 });
    expect(report.ratings.agreement.agreementShare).toBeCloseTo(2 / 3, 10);
    if (report.metrics[1]?.sweetSpot && report.metrics[0].sweetSpot) {
      expect(report.agreements[0].sentence).toMatch(/^Score \(\d+ steps\) and blind preference/);
    }
  });

  it('tells a new experiment what to do first', async () => {
    const res = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', randomSeeds: 1, prompts: ['a fox'] });
    const page = await request(t.app).get(`/experiments/${res.body.id}`);
    expect(page.text).toContain('No values yet');
    expect(page.text).toContain('No pair has been judged by two raters yet');
    expect(page.text).toContain('No blind judgements between different step counts yet');
  });
});
