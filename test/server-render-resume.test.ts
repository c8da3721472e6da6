import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startServer } from '../src/server.js';
import { createExperiment } from '../src/services/experiments.js';
import { pauseRenderJob, startRenderJob } from '../src/services/render-queue/render-jobs.js';
import { addRenderer } from '../src/services/renderers.js';
import { setRenderJobState } from '../src/store/render-jobs.js';
import { experimentInputSchema } from '../src/validation/experiment-input.js';
import { fluxWorkflow, startFakeComfyUi, type FakeComfyUi } from './helpers/fake-comfyui.js';
import { TEST_BACKEND } from './helpers/test-app.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('server start-up', () => {
  it.skipIf(TEST_BACKEND !== 'sqlite')('picks up a render job that was running when sweetspot stopped and takes it to the end', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-server-resume-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fake: FakeComfyUi = await startFakeComfyUi({ clock: { timeScale: 0.01 } });
    cleanups.push(() => fake.close());
    const config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'sweetspot.db'), SWEETSPOT_DATA_DIR: dir, PORT: '0' });

    // A first "process": a grid job of 4 renders, stopped after the first one as a kill leaves it (running).
    const db = connectDatabase(config.database);
    await migrateToLatest(db);
    const experiment = await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: [20, 30], seeds: ['1', '2'], prompts: ['a lighthouse at dusk'] }));
    const renderer = (await addRenderer(db, { kind: 'comfyui', url: fake.url, workflow: fluxWorkflow() })).id;
    const { jobId } = await startRenderJob(db, config, experiment.id, { renderers: [renderer], mode: 'grid' }, { clientOptions: { pollMs: 3 } });
    await pauseRenderJob(db, experiment.id);
    await setRenderJobState(db, jobId, 'running', null, new Date().toISOString());
    await db.destroy();

    const server = await startServer(config);
    cleanups.push(() => server.close());
    let render: { state: string; done: number; total: number } = { state: 'running', done: 0, total: 0 };
    for (let i = 0; i < 400 && render.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      render = ((await (await fetch(`${server.url}/api/v1/experiments/${experiment.id}`)).json()) as { render: typeof render }).render;
    }
    expect(render).toMatchObject({ state: 'done', done: 4, total: 4 });
    expect(fake.rendered.map((r) => `${r.steps}/${r.seed}`).sort()).toEqual(['20/1', '20/2', '30/1', '30/2']);
  });
});
