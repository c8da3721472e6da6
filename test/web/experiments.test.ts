import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { fillPlannedRunFromImage } from '../../src/services/experiments.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

async function countExperiments(): Promise<number> {
  const row = await t.db.selectFrom('experiments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function plan(body: Record<string, unknown>) {
  const res = await request(t.app).post('/api/v1/experiments').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string; plan: { steps: number[]; seeds: string[]; prompts: string[]; stepList: string }; progress: { planned: number; filled: number }; cells: { runId: number; steps: number; seed: string; prompt: string }[] };
}

const base = { model: 'flux-dev', randomSeeds: 2, prompts: ['a red fox in snow'] };

describe('POST /api/v1/experiments', () => {
  it.each([
    ['10,20,30', [10, 20, 30]],
    ['10-50 (+5)', [10, 15, 20, 25, 30, 35, 40, 45, 50]],
    ['10-50 [9]', [10, 15, 20, 25, 30, 35, 40, 45, 50]],
    ['50-10 (-20)', [10, 30, 50]],
    ['4, 8, 10-30 (+10)', [4, 8, 10, 20, 30]],
    ['10 20 30', [10, 20, 30]],
    ['20–30 (+5)', [20, 25, 30]],
    [[30, 10, 20], [10, 20, 30]],
  ])('plans every steps × seed × prompt cell for steps %j', async (steps, expected) => {
    const experiment = await plan({ ...base, steps, prompts: ['a fox', 'a lighthouse'] });
    expect(experiment.plan.steps).toEqual(expected);
    expect(experiment.plan.seeds).toHaveLength(2);
    expect(experiment.progress).toMatchObject({ planned: expected.length * 2 * 2, filled: 0 });
    expect(experiment.cells).toHaveLength(expected.length * 4);
    // Each block (prompt + seed) at all its step counts, ascending, before the next block.
    expect(experiment.cells.slice(0, expected.length).map((c) => c.steps)).toEqual(expected);

    const runs = await request(t.app).get(`/api/v1/runs?experiment=${experiment.id}&limit=1000`);
    expect(runs.status).toBe(200);
    expect(runs.body.total).toBe(expected.length * 4);
    for (const run of runs.body.runs) {
      expect(run).toMatchObject({ model: 'flux-dev', score: null, durationMs: null, source: 'plan', experimentId: experiment.id });
    }
    expect(new Set(runs.body.runs.map((r: { prompt: string }) => r.prompt))).toEqual(new Set(['a fox', 'a lighthouse']));
  });

  it('keeps given seeds exact (also beyond 2^53) and takes the settings for every planned run', async () => {
    const experiment = await plan({
      ...base,
      randomSeeds: undefined,
      name: 'Dev portrait sweep',
      steps: '20,30',
      seeds: ['18446744073709551615', '0042', 7],
      hardware: 'RTX 4090',
      useCase: 'portrait',
      phase: 'refine',
      width: 1024,
      height: 1024,
      negativePrompt: 'blurry',
    });
    expect(experiment.name).toBe('Dev portrait sweep');
    expect(experiment.plan.seeds).toEqual(['18446744073709551615', '42', '7']);
    const runs = await request(t.app).get(`/api/v1/runs?experiment=${experiment.id}&limit=100`);
    expect(runs.body.runs.map((r: { seed: string }) => r.seed).sort()).toEqual(['18446744073709551615', '18446744073709551615', '42', '42', '7', '7']);
    expect(runs.body.runs[0]).toMatchObject({ hardware: 'RTX 4090', useCase: 'portrait', phase: 'refine', width: 1024, height: 1024, negativePrompt: 'blurry' });
  });

  it('names a default after the model and the step list', async () => {
    const experiment = await plan({ ...base, steps: '10-50 (+10)' });
    expect(experiment.name).toBe('FLUX.1 Dev, 10-50 (+10) steps');
  });

  it.each([
    [{ ...base, steps: 'abc' }, 'steps', /steps: the step list needs a number, range or list: "abc" is not one/],
    [{ ...base, steps: '10-' }, 'steps', /"10-" is incomplete/],
    [{ ...base, steps: '0-10' }, 'steps', /whole numbers from 1 to 10000 \(got 0 in "0-10"\)/],
    [{ ...base, steps: '10-50 (-5)' }, 'steps', /a positive increment to go up from 10 to 50/],
    [{ ...base, steps: '10-50 [0]' }, 'steps', /a count that is a whole number/],
    [{ ...base, steps: '' }, 'steps', /at least one step count/],
    [{ ...base, steps: 30 }, 'steps', /steps must be a step list/],
    [{ model: 'flux-dev', randomSeeds: 2, prompts: ['x'] }, 'steps', /steps must be a step list/],
    [{ ...base, steps: '1-200', randomSeeds: 60 }, 'steps', /the plan would hold 12000 renders \(200 step counts × 60 seeds × 1 prompts\); at most 10000/],
    [{ ...base, steps: '10,20', randomSeeds: 0 }, 'randomSeeds', /a whole number from 1 to 1000/],
    [{ ...base, steps: '10,20', randomSeeds: 1001 }, 'randomSeeds', /a whole number from 1 to 1000/],
    [{ model: 'flux-dev', prompts: ['x'], steps: '10,20', seeds: 3 }, 'seeds', /a bare number is not a seed list: send \["3"\] for the seed 3, or randomSeeds: 3 to draw 3 random seeds/],
    [{ model: 'flux-dev', prompts: ['x'], steps: '10,20' }, 'seeds', /give the seeds \(e\.g\. "42, 7"\) or a number of random seeds to draw \(randomSeeds\)/],
    [{ model: 'flux-dev', prompts: ['x'], steps: '10,20', seeds: ['42'], randomSeeds: 2 }, 'randomSeeds', /give either seeds or a number of random seeds, not both/],
    [{ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['1', '01'] }, 'seeds', /seed 1 appears twice/],
    [{ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['-1'] }, 'seeds', /seed 1 \("-1"\) is not a whole number/],
    [{ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: [2 ** 60] }, 'seeds', /send seeds above 9007199254740991 as strings/],
    [{ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['18446744073709551616'] }, 'seeds', /is not a whole number from 0 to 18446744073709551615/],
    [{ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: [] }, 'seeds', /at least one seed/],
    [{ ...base, steps: '10,20', prompts: [] }, 'prompts', /give at least one prompt/],
    [{ ...base, steps: '10,20', prompts: ['a fox', ' '] }, 'prompts', /prompt 2 is blank/],
    [{ ...base, steps: '10,20', prompts: ['a fox', 'a cat', 'a fox'] }, 'prompts', /prompt 3 repeats prompt 1/],
    [{ ...base, steps: '10,20', prompts: 7 }, 'prompts', /prompts must be a list of prompts/],
    [{ ...base, steps: '10,20', model: 'sdxl' }, 'model', /unknown model 'sdxl'/],
    [{ ...base, steps: '10,20', useCase: 'poster' }, 'useCase', /useCase must be one of/],
    [{ ...base, steps: '10,20', colour: 'red' }, 'colour', /unknown field 'colour'/],
  ])('rejects %j with 422 naming the field, and writes nothing', async (body, field, pattern) => {
    const res = await request(t.app).post('/api/v1/experiments').send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(pattern);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countExperiments()).toBe(0);
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('answers 400 to a body that is not an object', async () => {
    const res = await request(t.app).post('/api/v1/experiments').set('Content-Type', 'application/json').send('[1,2]');
    expect(res.status).toBe(400);
  });
});

describe('GET /api/v1/experiments', () => {
  it('lists experiments newest first with their progress', async () => {
    const first = await plan({ ...base, steps: '10,20,30' });
    const second = await plan({ ...base, steps: '20,30', randomSeeds: 1 });
    const runId = first.cells[0]!.runId;
    expect((await request(t.app).patch(`/api/v1/runs/${runId}`).send({ durationMs: 9000, score: 6 })).status).toBe(200);
    const res = await request(t.app).get('/api/v1/experiments');
    expect(res.status).toBe(200);
    expect(res.body.experiments.map((e: { id: number }) => e.id)).toEqual([second.id, first.id]);
    expect(res.body.experiments[1].progress).toMatchObject({ planned: 6, filled: 1, timed: 1, scored: 1, imaged: 0 });
    expect(res.body.experiments[0].progress).toMatchObject({ planned: 2, filled: 0 });
  });

  it('shows one experiment with its cells, and 404 for an unknown one', async () => {
    const experiment = await plan({ ...base, steps: '10,20' });
    const res = await request(t.app).get(`/api/v1/experiments/${experiment.id}`);
    expect(res.status).toBe(200);
    expect(res.body.cells).toHaveLength(4);
    expect(res.body.cells[0]).toMatchObject({ steps: 10, prompt: 'a red fox in snow', promptIndex: 0, seedIndex: 0, durationMs: null, score: null, image: null });
    expect((await request(t.app).get('/api/v1/experiments/999')).status).toBe(404);
    expect((await request(t.app).get('/api/v1/experiments/abc')).status).toBe(422);
  });
});

describe('plan export', () => {
  it('plan.json holds what a render loop needs and where to send the result', async () => {
    const experiment = await plan({ ...base, randomSeeds: undefined, steps: '10,20', seeds: ['7', '8'], width: 768, height: 1344, hardware: 'api', negativePrompt: 'text' });
    const res = await request(t.app).get(`/api/v1/experiments/${experiment.id}/plan.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?sweetspot-plan-\d+\.json"?/);
    const body = JSON.parse(res.text);
    expect(body.patchUrl).toBe('/api/v1/runs/{runId}');
    expect(body.experiment).toMatchObject({ id: experiment.id, model: 'flux-dev', stepList: '10, 20', seeds: ['7', '8'] });
    expect(body.runs).toHaveLength(4);
    expect(body.runs[0]).toEqual({
      runId: experiment.cells[0]!.runId,
      model: 'flux-dev',
      steps: 10,
      seed: '7',
      prompt: 'a red fox in snow',
      negativePrompt: 'text',
      sampler: null,
      guidance: null,
      width: 768,
      height: 1344,
      hardware: 'api',
      useCase: null,
      phase: null,
      durationMs: null,
      score: null,
      done: false,
    });
    // A script PATCHes each run, and the plan then shows it done.
    await request(t.app).patch(`/api/v1/runs/${body.runs[1].runId}`).send({ durationMs: 12000 }).expect(200);
    const again = JSON.parse((await request(t.app).get(`/api/v1/experiments/${experiment.id}/plan.json`)).text);
    expect(again.runs.map((r: { done: boolean }) => r.done)).toEqual([false, true, false, false]);
  });

  it('plan.csv has one row per planned render, with formula-like text neutralised', async () => {
    const experiment = await plan({ ...base, randomSeeds: undefined, steps: '10,20', seeds: ['7'], prompts: ['=HYPERLINK("x")', 'a, "quoted" fox'] });
    const res = await request(t.app).get(`/api/v1/experiments/${experiment.id}/plan.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('run_id,model,steps,seed,prompt,negative_prompt,sampler,guidance,width,height,hardware,use_case,phase,duration_ms,score,done');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`${experiment.cells[0]!.runId},flux-dev,10,7,"'=HYPERLINK(""x"")",,,,,,,,,,,0`);
    expect(lines[3]).toBe(`${experiment.cells[2]!.runId},flux-dev,10,7,"a, ""quoted"" fox",,,,,,,,,,,0`);
  });

  it('answers 404 for the plan of an unknown experiment', async () => {
    expect((await request(t.app).get('/api/v1/experiments/42/plan.csv')).status).toBe(404);
  });
});

describe('experiment pages', () => {
  it('the form plans a sweep (one prompt per line) and redirects to it', async () => {
    const res = await request(t.app)
      .post('/experiments')
      .type('form')
      .send({ model: 'flux-dev', steps: '10-30 (+10)', seeds: '', randomSeeds: '2', prompts: 'a fox\r\n\r\n  a lighthouse at dusk  \n', name: '', hardware: 'RTX 4090' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/experiments\/\d+$/);
    const page = await request(t.app).get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('FLUX.1 Dev, 10, 20, 30 steps');
    expect(page.text).toMatch(/<progress id="experiment-progress" max="12" value="0">/);
    expect(page.text).toContain('a lighthouse at dusk');
    expect(page.text).toContain('/plan.json');
    expect(page.text).toContain('/plan.csv');
    // 2 prompts × 2 seeds rows, 3 step columns, two inputs per cell.
    expect(page.text.match(/class="cell-input cell-time/g)).toHaveLength(12);
    expect(page.text.match(/class="cell-input cell-score/g)).toHaveLength(12);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.text).not.toMatch(/ style=/);
    const list = await request(t.app).get('/experiments');
    expect(list.status).toBe(200);
    expect(list.text).toContain('0 / 12');
  });

  it('a seed list typed in the form is kept as the seeds', async () => {
    const res = await request(t.app).post('/experiments').type('form').send({ model: 'flux-dev', steps: '10,20', seeds: '42, 1234', prompts: 'a fox' });
    expect(res.status).toBe(303);
    const body = (await request(t.app).get(`/api/v1${res.headers.location}`)).body;
    expect(body.plan.seeds).toEqual(['42', '1234']);
  });

  it('a bad form shows each error beside its field and writes nothing', async () => {
    const res = await request(t.app).post('/experiments').type('form').send({ model: 'flux-dev', steps: '10-50 (+0)', seeds: 'x', prompts: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('the step list needs an increment other than 0 (in &#34;10-50 (+0)&#34;)');
    expect(res.text).toContain('give at least one prompt');
    expect(res.text).toMatch(/seed 1 \(&#34;x&#34;\) is not a whole number/);
    expect(res.text).toContain('value="10-50 (+0)"');
    expect(await countExperiments()).toBe(0);
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('escapes what users wrote', async () => {
    const experiment = await plan({ ...base, steps: '10,20', name: '<img src=x onerror=alert(1)>', prompts: ['<script>alert("p")</script>'], notes: '<b>n</b>' });
    const page = await request(t.app).get(`/experiments/${experiment.id}`);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<b>n</b>');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain('&lt;script&gt;alert(&#34;p&#34;)&lt;/script&gt;');
    const list = await request(t.app).get('/experiments');
    expect(list.text).not.toContain('<img src=x');
  });

  it('the grid post saves every changed cell (time in seconds) in one go', async () => {
    const experiment = await plan({ ...base, randomSeeds: undefined, steps: '10,20,30', seeds: ['1'] });
    const [a, b, c] = experiment.cells.map((cell) => cell.runId) as [number, number, number];
    const res = await request(t.app)
      .post(`/experiments/${experiment.id}/cells`)
      .type('form')
      .send({ [`d_${a}`]: '7.5', [`s_${a}`]: '5', [`d_${b}`]: '13,25', [`s_${b}`]: '', [`d_${c}`]: '', [`s_${c}`]: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/experiments/${experiment.id}?saved=2`);
    const runs = (await request(t.app).get(`/api/v1/experiments/${experiment.id}`)).body.cells;
    expect(runs.map((r: { durationMs: number | null; score: number | null }) => [r.durationMs, r.score])).toEqual([[7500, 5], [13250, null], [null, null]]);
    // Posting the same values again changes nothing; clearing a cell sets it back to empty.
    const same = await request(t.app).post(`/experiments/${experiment.id}/cells`).type('form').send({ [`d_${a}`]: '7.5', [`s_${a}`]: '5' });
    expect(same.headers.location).toBe(`/experiments/${experiment.id}?saved=0`);
    await request(t.app).post(`/experiments/${experiment.id}/cells`).type('form').send({ [`d_${a}`]: '', [`s_${a}`]: '5' }).expect(303);
    const after = (await request(t.app).get(`/api/v1/runs/${a}`)).body;
    expect(after).toMatchObject({ durationMs: null, score: 5 });
    const page = await request(t.app).get(`/experiments/${experiment.id}?saved=1`);
    expect(page.text).toContain('Saved 1 cell.');
    expect(page.text).toContain(`name="d_${b}" value="13.25"`);
  });

  it('bad cells are named and nothing is written', async () => {
    const experiment = await plan({ ...base, randomSeeds: undefined, steps: '10,20,30', seeds: ['1'] });
    const [a, b, c] = experiment.cells.map((cell) => cell.runId) as [number, number, number];
    const before = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    const res = await request(t.app)
      .post(`/experiments/${experiment.id}/cells`)
      .type('form')
      .send({ [`d_${a}`]: '7.5', [`s_${a}`]: '11', [`d_${b}`]: 'fast', [`s_${b}`]: '6', [`d_${c}`]: '-1', [`s_${c}`]: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Nothing was saved');
    const [cellA, cellB, cellC] = experiment.cells;
    expect(res.text).toContain(`<a href="#s_${a}">Score at ${cellA!.steps} steps, seed ${cellA!.seed}, “${cellA!.prompt}”</a>: score must be a number from 0 to 10`);
    expect(res.text).toContain(`<a href="#d_${b}">Time at ${cellB!.steps} steps, seed ${cellB!.seed}, “${cellB!.prompt}”</a>: Time (seconds) must be from 0 to 604,800`);
    expect(res.text).toContain(`<a href="#d_${c}">Time at ${cellC!.steps} steps`);
    expect(res.text).not.toContain('<code>d_');
    // What was typed stays in the cells to be corrected.
    expect(res.text).toContain(`name="d_${b}" value="fast"`);
    const cells = (await request(t.app).get(`/api/v1/experiments/${experiment.id}`)).body.cells;
    expect(cells.every((cell: { durationMs: unknown; score: unknown }) => cell.durationMs === null && cell.score === null)).toBe(true);
    const after = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    expect(after.data_version).toBe(before.data_version);
  });

  it('a run of another experiment cannot be filled through this grid', async () => {
    const one = await plan({ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['1'] });
    const other = await plan({ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['2'] });
    const res = await request(t.app)
      .post(`/experiments/${one.id}/cells`)
      .type('form')
      .send({ [`s_${one.cells[0]!.runId}`]: '5', [`s_${other.cells[0]!.runId}`]: '6' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`run ${other.cells[0]!.runId} is not part of experiment ${one.id}`);
    expect((await request(t.app).get(`/api/v1/runs/${one.cells[0]!.runId}`)).body.score).toBeNull();
  });

  it('answers 404 for an unknown experiment page', async () => {
    expect((await request(t.app).get('/experiments/77')).status).toBe(404);
  });
});

describe('fillPlannedRunFromImage', () => {
  async function image(sha: string): Promise<number> {
    const row = await t.db
      .insertInto('images')
      .values({ sha256: sha.padEnd(64, '0'), mime: 'image/png', bytes: 100, width: 8, height: 8, metadata: null, original_name: 'x.png', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  it('attaches an uploaded render to the matching planned run, once', async () => {
    const experiment = await plan({ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['12345678901234567890'] });
    const target = experiment.cells.find((c) => c.steps === 20)!;
    const before = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    const first = await image('a1');
    expect(await fillPlannedRunFromImage(t.db, { model: 'flux-dev', steps: 20, seed: '12345678901234567890', prompt: 'a red fox in snow' }, first)).toEqual({
      runId: target.runId,
      experimentId: experiment.id,
    });
    const after = await t.db.selectFrom('models').select('data_version').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    expect(after.data_version).toBeGreaterThan(before.data_version);
    const detail = (await request(t.app).get(`/api/v1/experiments/${experiment.id}`)).body;
    expect(detail.cells.find((c: { runId: number }) => c.runId === target.runId).image).toEqual({ id: first, sha256: 'a1'.padEnd(64, '0') });
    expect(detail.progress).toMatchObject({ filled: 1, imaged: 1 });
    // The cell is taken: a second render of the same settings finds no planned run.
    expect(await fillPlannedRunFromImage(t.db, { model: 'flux-dev', steps: 20, seed: '12345678901234567890', prompt: 'a red fox in snow' }, await image('a2'))).toBeNull();
  });

  it('matches nothing on another model, steps, seed or prompt', async () => {
    await plan({ model: 'flux-dev', prompts: ['a red fox in snow'], steps: '10,20', seeds: ['7'] });
    const id = await image('b1');
    const render = { model: 'flux-dev', steps: 20, seed: '7', prompt: 'a red fox in snow' };
    expect(await fillPlannedRunFromImage(t.db, { ...render, model: 'flux-schnell' }, id)).toBeNull();
    expect(await fillPlannedRunFromImage(t.db, { ...render, model: 'no-such-model' }, id)).toBeNull();
    expect(await fillPlannedRunFromImage(t.db, { ...render, steps: 25 }, id)).toBeNull();
    expect(await fillPlannedRunFromImage(t.db, { ...render, seed: '8' }, id)).toBeNull();
    expect(await fillPlannedRunFromImage(t.db, { ...render, prompt: 'a red fox' }, id)).toBeNull();
    // A numeric seed and the model's id match as well, also inside the caller's transaction.
    const model = await t.db.selectFrom('models').select('id').where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
    const matched = await t.db.transaction().execute((trx) => fillPlannedRunFromImage(trx, { ...render, model: model.id, seed: 7 }, id));
    expect(matched).not.toBeNull();
  });
});
