import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';

// Item 7 of the everyday-workflow issue: every message a user meets, in the words and units they typed.

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

describe('forms name the field as the user sees it, in its units', () => {
  it('the log form: "Time (seconds) must be from 0 to 604,800"', async () => {
    const res = await request(t.app).post('/runs').type('form').send({ model: 'flux-dev', steps: '20', durationSeconds: '999999', score: '7' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Time (seconds) must be from 0 to 604,800');
    expect(res.text).not.toContain('604800000');
  });

  it('the experiment grid names the cell by steps, seed and prompt, not its form key', async () => {
    const plan = await request(t.app).post('/api/v1/experiments').send({ model: 'flux-dev', steps: '10,20', seeds: ['42'], prompts: ['a fox'] });
    const runId = plan.body.cells[0].runId as number;
    const res = await request(t.app).post(`/experiments/${plan.body.id}/cells`).type('form').send({ [`d_${runId}`]: '999999', [`s_${runId}`]: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Time at 10 steps, seed 42, “a fox”</a>: Time (seconds) must be from 0 to 604,800');
  });

  it('the import names the CSV column in its own unit (milliseconds)', async () => {
    const csv = 'model,steps,duration_ms,score\nflux-dev,20,999999999,7\n';
    const res = await request(t.app).post('/api/v1/import').set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ column: 'duration_ms', message: 'duration_ms (milliseconds) must be from 0 to 604,800,000' });
  });

  it('an unknown model lists the models there are', async () => {
    const res = await request(t.app).post('/api/v1/runs').send({ model: 'sdxl', steps: 20 });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].message).toBe("unknown model 'sdxl': use one of flux-dev, flux-pro, flux-schnell, recraft-v3 (or add it first)");
  });
});

describe('metric menus and empty states', () => {
  it('the report\'s metric menu shows labels, and an image metric with no images says "No images yet"', async () => {
    await request(t.app).post('/api/v1/runs').send({ model: 'flux-dev', steps: 20, score: 7 });
    const page = await request(t.app).get('/models/flux-dev?metric=ssim_to_reference');
    expect(page.status).toBe(200);
    expect(page.text).toContain('>Convergence (SSIM to the highest-step render)</option>');
    expect(page.text).toContain('>Score (0–10)</option>');
    expect(page.text).toContain('No images yet: upload the renders');
    expect(page.text).not.toContain('No rated runs yet');
  });
});

describe('the CLI', () => {
  const { cli, ctx } = useCliSandbox('sweetspot-cli-words-');

  it('--duration is in seconds and its message says so; an unknown model lists the valid names', async () => {
    const res = await cli('log', '--model', 'flux-dev', '--steps', '20', '--duration', '999999');
    expect(res.code).toBe(2);
    expect(res.err).toContain('--duration: Time (seconds) must be from 0 to 604,800');
    const unknown = await cli('log', '--model', 'sdxl', '--steps', '20');
    expect(unknown.err).toContain("unknown model 'sdxl': use one of flux-dev, flux-pro, flux-schnell, recraft-v3 (or add it first)");
  });

  it('says why a file cannot be read', async () => {
    const missing = await cli('import', path.join(ctx.dir, 'nope.csv'));
    expect(missing.err).toContain('nope.csv: not imported: cannot read it: no such file (ENOENT)');
    const folder = path.join(ctx.dir, 'folder.csv');
    fs.mkdirSync(folder);
    const dir = await cli('analyze', folder);
    expect(dir.err).toContain(`cannot read ${folder}: it is a folder, not a file (EISDIR)`);
    expect(os.tmpdir()).toBeTruthy();
  });
});
