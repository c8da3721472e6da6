import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { useCliSandbox } from '../helpers/cli.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const { ctx, cli } = useCliSandbox('sweetspot-cli-plan-');

describe('sweetspot plan', () => {
  it('plans a sweep with the same service as the API, and the server lists its planned runs', async () => {
    const res = await cli('plan', '--model', 'flux-dev', '--steps', '10-50 (+10)', '--random-seeds', '2', '--prompt', 'a red fox', '--prompt', 'a lighthouse', '--hardware', 'RTX 4090');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^Planned experiment #1 "FLUX\.1 Dev, 10-50 \(\+10\) steps": 5 step counts \(10-50 \(\+10\)\) × 2 seeds × 2 prompts = 20 renders\n/);
    expect(res.out).toMatch(/Seeds: \d+, \d+\n/);
    expect(res.out).toContain('/api/v1/experiments/1/plan.json');

    const config = loadConfig(ctx.env);
    const db = connectDatabase(config.database);
    try {
      await migrateToLatest(db);
      const app = createApp({ db, config });
      const runs = await request(app).get('/api/v1/runs?experiment=1&limit=100');
      expect(runs.body.total).toBe(20);
      expect(runs.body.runs[0]).toMatchObject({ source: 'plan', hardware: 'RTX 4090', score: null, durationMs: null });
    } finally {
      await db.destroy();
    }
  });

  it('--json prints the experiment; --seeds takes a list; --name names it', async () => {
    const res = await cli('plan', '--model', 'flux-schnell', '--steps', '1-4', '--seeds', '42,18446744073709551615', '--prompt', 'a fox', '--name', 'Schnell check', '--json');
    expect(res.code, res.err).toBe(0);
    const experiment = JSON.parse(res.out);
    expect(experiment).toMatchObject({ id: 1, name: 'Schnell check', model: 'flux-schnell', progress: { planned: 8, filled: 0 } });
    expect(experiment.plan.seeds).toEqual(['42', '18446744073709551615']);
    expect(experiment.plan.steps).toEqual([1, 2, 3, 4]);
  });

  it('names every bad option and stores nothing', async () => {
    const res = await cli('plan', '--model', 'flux-dev', '--steps', '10-50 (-5)', '--random-seeds', '0', '--use-case', 'poster');
    expect(res.code).toBe(2);
    expect(res.err).toContain('The sweep was not planned:');
    expect(res.err).toContain('--steps: the step list needs a positive increment to go up from 10 to 50');
    expect(res.err).toContain('--random-seeds: a number of random seeds must be a whole number from 1 to 1000');
    expect(res.err).toContain('--prompt: give at least one prompt');
    expect(res.err).toContain('--use-case: useCase must be one of');
    const unknown = await cli('plan', '--model', 'sdxl', '--steps', '20,30', '--prompt', 'a fox');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown model 'sdxl'/);
    const listed = await cli('runs');
    expect(listed.out).toBe('No runs match.\n');
  });

  it('explains a missing --steps', async () => {
    const res = await cli('plan', '--model', 'flux-dev', '--prompt', 'a fox');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/required option '--steps <list>' not specified/);
  });
});
