import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_EXPERIMENT_NAME } from '../../src/services/demo-experiment.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let dataDir: string;
let t: TestContext;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-demo-'));
  t = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
});
afterEach(async () => {
  await t.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function count(table: 'images' | 'judgements' | 'experiments'): Promise<number> {
  const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the demo shows everything', () => {
  it('loads an experiment with renders, judgements and image metrics, all tagged and removable', async () => {
    expect((await request(t.app).post('/demo')).status).toBe(303);
    const experiments = (await request(t.app).get('/api/v1/experiments')).body.experiments as { id: number; name: string; progress: { planned: number; imaged: number; scored: number } }[];
    const demo = experiments.find((e) => e.name === DEMO_EXPERIMENT_NAME)!;
    expect(demo.progress).toMatchObject({ planned: 20, imaged: 20, scored: 20 });
    expect(await count('images')).toBe(20);
    expect(await count('judgements')).toBeGreaterThanOrEqual(20);
    const metrics = await t.db.selectFrom('run_metrics').select('name').distinct().execute();
    expect(metrics.map((m) => m.name).sort()).toEqual(['preference', 'sharpness', 'ssim_to_reference']);
    // Every run of the experiment carries the demo tag.
    const untagged = await t.db
      .selectFrom('runs')
      .where('experiment_id', '=', demo.id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('run_tags').select('run_id').whereRef('run_tags.run_id', '=', 'runs.id').where('tag', '=', 'demo'))))
      .select('id')
      .execute();
    expect(untagged).toEqual([]);

    // The pages that were empty after a demo now show something.
    const gallery = await request(t.app).get('/models/flux-dev/gallery');
    expect(gallery.text.match(/\/thumb"/g)?.length ?? 0).toBeGreaterThanOrEqual(10);
    const rate = await request(t.app).get(`/rate?experiment=${demo.id}`);
    expect(rate.text.match(/\/images\/[a-f0-9]{64}/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const report = (await request(t.app).get(`/api/v1/experiments/${demo.id}/report`)).body;
    expect(report.metrics.map((m: { metric: string }) => m.metric)).toEqual(['score', 'preference', 'ssim_to_reference', 'sharpness']);
    expect(report.ratings.judgements).toBeGreaterThanOrEqual(20);

    const removed = await request(t.app).post('/demo/remove');
    expect(removed.status).toBe(303);
    expect(await countRows(t.db, 'runs')).toBe(0);
    expect(await count('experiments')).toBe(0);
    expect(await count('images')).toBe(0);
    expect(fs.readdirSync(dataDir, { recursive: true }).filter((f) => String(f).endsWith('.png') || String(f).endsWith('.webp'))).toEqual([]);
  }, 60_000);
});
