import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripCheckpointVariant } from '../../src/services/model-matching/checkpoint-variant.js';
import { a1111Parameters } from '../helpers/converging-renders.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';
import { buildPng, tEXt } from '../images/image-builders.js';

let dataDir: string;
let ctx: TestContext;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-model-match-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
});
afterEach(async () => {
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A tiny PNG whose A1111 parameters name `model`; `seed` varies the bytes. */
function render(model: string, options: { steps?: number; seed?: number; prompt?: string } = {}): Buffer {
  const text = a1111Parameters({ prompt: options.prompt ?? 'a lighthouse at dusk', steps: options.steps ?? 20, seed: options.seed ?? 42, model, width: 8, height: 8 });
  return buildPng({ width: 8, height: 8, before: [tEXt('parameters', text)] });
}

function upload(name: string, bytes: Buffer) {
  return request(ctx.app).post('/api/v1/images').attach('files', bytes, { filename: name, contentType: 'image/png' });
}

describe('checkpoint file names find the guide\'s models', () => {
  // The file names as ComfyUI, Forge, A1111 and hosted APIs write them; exact = no confirmation needed.
  it.each([
    ['flux1-dev-fp8', 'flux-dev', false],
    ['flux1-dev-Q8_0.gguf', 'flux-dev', false],
    ['flux1-schnell-fp8.safetensors', 'flux-schnell', false],
    ['FLUX.1-dev', 'flux-dev', true],
    ['flux_dev', 'flux-dev', true],
    ['recraftv3', 'recraft-v3', true],
    ['models/unet/flux1-dev.safetensors', 'flux-dev', true],
  ])('%s → %s (exact: %s), no new model', async (fileModel, slug, exact) => {
    const modelsBefore = await countRows(ctx.db, 'models');
    const res = await upload('render.png', render(fileModel));
    expect(res.status).toBe(200);
    const result = res.body.results[0];
    expect(result).toMatchObject({ status: 'created', model: slug, modelCreated: false });
    expect(result.modelMatch).toMatchObject({ fileModel, model: slug, exact });
    if (exact) expect(result.modelMatch.note).toBeNull();
    else expect(result.modelMatch.note).toMatch(/was matched to FLUX\.1 (Dev|Schnell) as its .+ build: check it/);
    expect(await countRows(ctx.db, 'models')).toBe(modelsBefore);
  });

  it('a name that matches nothing makes a new model and says so', async () => {
    const res = await upload('render.png', render('sd_xl_base_1.0'));
    expect(res.body.results[0]).toMatchObject({ modelCreated: true, modelMatch: { exact: false } });
    expect(res.body.results[0].modelMatch.note).toContain('matched no known model');
  });

  it('drops packing words only from the end of the name', () => {
    expect(stripCheckpointVariant('flux1-dev-Q4_K_S')).toEqual({ base: 'flux1 dev', variant: 'q4ks' });
    expect(stripCheckpointVariant('flux1-dev-fp8_e4m3fn')).toEqual({ base: 'flux1 dev', variant: 'fp8e4m3fn' });
    expect(stripCheckpointVariant('full-moon-xl')).toEqual({ base: 'full moon xl', variant: null });
    expect(stripCheckpointVariant('fp8')).toEqual({ base: 'fp8', variant: null });
  });
});

describe('duplicates and planned runs', () => {
  it('a render refused as a duplicate can be linked to a planned run instead', async () => {
    const first = await upload('early.png', render('flux1-dev-fp8', { steps: 20, seed: 42 }));
    const earlyRun = first.body.results[0].runId as number;
    await request(ctx.app).patch(`/api/v1/runs/${earlyRun}`).send({ score: 7.5 });
    const plan = await request(ctx.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: ['42'], prompts: ['a lighthouse at dusk'] });
    const planned = plan.body.cells.find((c: { steps: number }) => c.steps === 20).runId as number;

    const again = await upload('early.png', render('flux1-dev-fp8', { steps: 20, seed: 42 }));
    const dup = again.body.results[0];
    expect(dup.status).toBe('duplicate');
    expect(dup.linkPlannedRun).toEqual({ runId: planned, experimentId: plan.body.id });
    expect(dup.message).toContain(`It matches planned run #${planned} of experiment #${plan.body.id}: link it there`);

    const link = await request(ctx.app).post(`/api/v1/images/${dup.sha256}/link`);
    expect(link.status).toBe(200);
    expect(link.body).toEqual({ runId: planned, experimentId: plan.body.id, removedRunId: earlyRun });
    const run = (await request(ctx.app).get(`/api/v1/runs/${planned}`)).body;
    expect(run).toMatchObject({ score: 7.5, experimentId: plan.body.id });
    const metrics = await ctx.db.selectFrom('run_metrics').select(['run_id', 'name']).where('name', '=', 'sharpness').execute();
    expect(metrics).toEqual([{ run_id: planned, name: 'sharpness' }]);
    expect((await request(ctx.app).get(`/api/v1/runs/${earlyRun}`)).status).toBe(404);
    // Linking twice is a conflict, not a second move.
    expect((await request(ctx.app).post(`/api/v1/images/${dup.sha256}/link`)).status).toBe(409);
  });

  it('re-uploading a render whose run was deleted (e.g. after a merge) makes its run again', async () => {
    const first = await upload('r.png', render('my-flux-merge', { steps: 24 }));
    const created = first.body.results[0];
    expect(created.modelCreated).toBe(true);
    const merge = await request(ctx.app).post('/model-aliases/merge').type('form').send({ from: created.model, into: 'flux-dev' });
    expect(merge.status).toBe(200);
    await request(ctx.app).delete(`/api/v1/runs/${created.runId}`);
    const again = await upload('r.png', render('my-flux-merge', { steps: 24 }));
    const result = again.body.results[0];
    expect(result).toMatchObject({ status: 'duplicate', model: 'flux-dev' });
    expect(result.runId).toEqual(expect.any(Number));
    expect(result.message).toContain('was made from its settings again');
    const run = (await request(ctx.app).get(`/api/v1/runs/${result.runId}`)).body;
    expect(run).toMatchObject({ model: 'flux-dev', steps: 24 });
  });
});
