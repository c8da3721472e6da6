// `npx tsx test/bench/render-overhead.ts`: what sweetspot adds to each render of a grid run, in ms,
// against the fake generator's own busy time measured in the same run (the target: under
// 50 ms per render). Each fake records how long it was busy per render (waiting its scaled render
// time and drawing the PNG); everything above that — HTTP, polling ComfyUI's history, decoding,
// thumbnails, metrics, the database — is sweetspot's overhead. The store step (storeImage) is timed
// apart, since it is the upload path's cost. Also: the renders the adaptive mode needs for a ±2-step
// interval against the full 10–50 (+5) × 5-seed grid. Part of `npm run bench -- --part=render`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { A1111Client } from '../../src/renderers/a1111-client.js';
import { ComfyUiClient } from '../../src/renderers/comfyui-client.js';
import { parseApiWorkflow } from '../../src/renderers/comfyui-workflow-mapping.js';
import { createExperiment } from '../../src/services/experiments.js';
import { renderJobSettled, renderStatus, startRenderJob } from '../../src/services/render-queue/render-jobs.js';
import { addRenderer } from '../../src/services/renderers.js';
import { experimentInputSchema } from '../../src/validation/experiment-input.js';
import { startFakeA1111 } from '../helpers/fake-a1111.js';
import { fluxWorkflow, startFakeComfyUi } from '../helpers/fake-comfyui.js';

const TIME_SCALE = 0.005;
const CLOCK = { overheadMs: 380, msPerStep: 670, timeScale: TIME_SCALE };

async function measure(kind: 'comfyui' | 'a1111'): Promise<{ renders: number; wallMs: number; generatorMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-bench-render-'));
  const db = connectDatabase(path.join(dir, 'bench.db'));
  const fake = kind === 'comfyui' ? await startFakeComfyUi({ clock: CLOCK }) : await startFakeA1111({ clock: CLOCK });
  try {
    await migrateToLatest(db);
    const experiment = await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: '10-50 (+5)', seeds: 3, prompts: ['a red fox in fresh snow'], sampler: 'Euler a' }));
    const renderer = await addRenderer(db, kind === 'comfyui' ? { kind, url: fake.url, workflow: fluxWorkflow() } : { kind, url: fake.url });
    const started = performance.now();
    const { jobId } = await startRenderJob(db, { dataDir: dir }, experiment.id, { renderers: [renderer.id], mode: 'grid' });
    await renderJobSettled(jobId);
    const wallMs = performance.now() - started;
    const generatorMs = fake.rendered.reduce((sum, r) => sum + r.realMs, 0);
    return { renders: fake.rendered.length, wallMs, generatorMs };
  } finally {
    await fake.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same 27 renders through the client alone (no storing): the HTTP side of the overhead. */
async function measureClient(kind: 'comfyui' | 'a1111'): Promise<number> {
  const fake = kind === 'comfyui' ? await startFakeComfyUi({ clock: CLOCK }) : await startFakeA1111({ clock: CLOCK });
  try {
    const client = kind === 'comfyui' ? new ComfyUiClient(fake.url, parseApiWorkflow(fluxWorkflow())) : new A1111Client(fake.url);
    const started = performance.now();
    for (let steps = 10; steps <= 50; steps += 5) {
      for (const seed of ['1', '2', '3']) {
        await client.render({ steps, seed, prompt: 'a red fox in fresh snow', negativePrompt: null, sampler: 'Euler a', guidance: null, width: null, height: null, checkpoint: null });
      }
    }
    const wallMs = performance.now() - started;
    return (wallMs - fake.rendered.reduce((sum, r) => sum + r.realMs, 0)) / fake.rendered.length;
  } finally {
    await fake.close();
  }
}

/** Renders an adaptive run needs to reach a ±2-step interval on the convergence metric, against the full 10–50 (+5) × 5-seed grid (45). */
async function measureAdaptive(kind: 'comfyui' | 'a1111'): Promise<{ renders: number; grid: number; stopReason: string | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-bench-adaptive-'));
  const db = connectDatabase(path.join(dir, 'bench.db'));
  const fake = kind === 'comfyui' ? await startFakeComfyUi({ clock: { ...CLOCK, timeScale: 0.0002 } }) : await startFakeA1111({ clock: { ...CLOCK, timeScale: 0.0002 } });
  try {
    await migrateToLatest(db);
    const experiment = await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: '10-50 (+5)', seeds: 5, prompts: ['a red fox in fresh snow'], sampler: 'Euler a' }));
    const renderer = await addRenderer(db, kind === 'comfyui' ? { kind, url: fake.url, workflow: fluxWorkflow() } : { kind, url: fake.url });
    const { jobId } = await startRenderJob(db, { dataDir: dir }, experiment.id, { renderers: [renderer.id], mode: 'adaptive', target: { halfWidth: 2 } });
    await renderJobSettled(jobId);
    const status = await renderStatus(db, experiment.id);
    return { renders: status.done, grid: experiment.cells.length, stopReason: status.stopReason };
  } finally {
    await fake.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The render figures in the shape of test/bench/run.ts's `record`. */
export async function renderBenchFigures(log: (line: string) => void = console.log) {
  const figures: { name: string; value: number; unit: string; reference: number | null; referenceName: string | null; target: string | null; limit?: number }[] = [];
  for (const kind of ['comfyui', 'a1111'] as const) {
    const { renders, wallMs, generatorMs } = await measure(kind);
    const overhead = (wallMs - generatorMs) / renders;
    const client = await measureClient(kind);
    log(
      `${kind.padEnd(8)} ${renders} renders: wall ${wallMs.toFixed(0)} ms, the fake busy ${generatorMs.toFixed(0)} ms → ` +
        `overhead ${overhead.toFixed(1)} ms per render (target < 50 ms: ${overhead < 50 ? 'met' : 'NOT met'}), of which the client alone ${client.toFixed(1)} ms`,
    );
    figures.push({ name: `${kind} overhead per render (fake's own time per render as reference)`, value: overhead, unit: 'ms', reference: generatorMs / renders, referenceName: 'the fake busy', target: '< 50 ms' });
    const adaptive = await measureAdaptive(kind);
    log(`${kind.padEnd(8)} adaptive to ±2 steps: ${adaptive.renders} renders against the ${adaptive.grid}-render grid (${Math.round((1 - adaptive.renders / adaptive.grid) * 100)}% fewer). ${adaptive.stopReason ?? ''}`);
    figures.push({ name: `${kind} adaptive renders to a ±2-step interval`, value: adaptive.renders, unit: 'renders', reference: adaptive.grid, referenceName: '10–50 (+5) × 5-seed grid', target: '≤ 0.6× (≥ 40% fewer)', limit: 0.6 });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) await renderBenchFigures();
