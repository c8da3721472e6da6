import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createExperiment } from '../../src/services/experiments.js';
import { cancelRenderJob, pauseRenderJob, renderJobSettled, renderStatus, resumeInterruptedRenderJobs, resumeRenderJob, startRenderJob } from '../../src/services/render-queue/render-jobs.js';
import { addRenderer } from '../../src/services/renderers.js';
import { renderTasksOf, setRenderJobState, updateRenderTask, latestRenderJob } from '../../src/store/render-jobs.js';
import { experimentInputSchema } from '../../src/validation/experiment-input.js';
import { startFakeA1111, type FakeA1111 } from '../helpers/fake-a1111.js';
import { fluxWorkflow, startFakeComfyUi, type FakeComfyUi } from '../helpers/fake-comfyui.js';
import { openTestDatabase } from '../helpers/test-app.js';

const FAST = { clientOptions: { pollMs: 3, requestTimeoutMs: 2000, renderTimeoutMs: 10_000 } };
const PROMPT = 'a red fox in fresh snow, golden hour';

let db: Db;
let dataDir: string;
const fakes: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  ({ db } = await openTestDatabase());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-render-queue-'));
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function comfy(options: Parameters<typeof startFakeComfyUi>[0] = {}): Promise<FakeComfyUi> {
  const fake = await startFakeComfyUi(options);
  fakes.push(fake);
  return fake;
}

async function a1111(): Promise<FakeA1111> {
  const fake = await startFakeA1111();
  fakes.push(fake);
  return fake;
}

/** A 3 step counts × 2 seeds sweep of FLUX.1 Dev: 6 planned runs. */
async function plan(extra: Record<string, unknown> = {}): Promise<number> {
  const experiment = await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: '10-30 (+10)', seeds: ['42', '18446744073709551615'], prompts: [PROMPT], ...extra }));
  return experiment.id;
}

async function addComfy(fake: FakeComfyUi): Promise<number> {
  return (await addRenderer(db, { kind: 'comfyui', url: fake.url, workflow: fluxWorkflow() })).id;
}

async function runsOf(experimentId: number) {
  return db.selectFrom('runs').select(['id', 'steps', 'seed', 'duration_ms', 'hardware', 'image_id', 'source']).where('experiment_id', '=', experimentId).orderBy('id').execute();
}

async function metricsOf(runIds: number[]) {
  return db.selectFrom('run_metrics').select(['run_id', 'name', 'value']).where('run_id', 'in', runIds).execute();
}

async function allRuns(): Promise<number> {
  const row = await db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached in 10 s');
}

describe('grid render job', () => {
  it('renders a whole plan on ComfyUI: each planned run filled with its image, ComfyUI time, hardware, sharpness and convergence', async () => {
    const fake = await comfy();
    const experimentId = await plan();
    const renderer = await addComfy(fake);
    const { status } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    expect(status).toMatchObject({ state: 'running', total: 6 });
    await renderJobSettled((await latestRenderJob(db, experimentId))!.id);

    expect(await renderStatus(db, experimentId)).toEqual({
      state: 'done',
      done: 6,
      total: 6,
      failed: 0,
      // 2 × (380 + 670·10) + 2 × (380 + 670·20) + 2 × (380 + 670·30) = 82,680 ms, shown to a tenth of a second.
      secondsSpent: 82.7,
      secondsLeft: 0,
      stopReason: 'All 6 planned renders are rendered and stored',
      mode: 'grid',
      round: 1,
      waitingForRatings: null,
    });
    const runs = await runsOf(experimentId);
    // Each planned run got its image, ComfyUI's own time for its steps (380 ms + 670 ms per step on the fake) and the GPU.
    expect(runs).toHaveLength(6);
    for (const run of runs) {
      expect([run.duration_ms, run.hardware, run.image_id !== null, run.source]).toEqual([380 + 670 * run.steps, 'NVIDIA GeForce RTX 4090', true, 'plan']);
    }
    expect(runs.map((r) => `${r.steps}/${r.seed}`).sort()).toEqual(['10/18446744073709551615', '10/42', '20/18446744073709551615', '20/42', '30/18446744073709551615', '30/42']);
    expect(await allRuns()).toBe(6);
    expect(fake.rendered.map((r) => [r.steps, r.seed, r.prompt])).toEqual(runs.map((r) => [r.steps, r.seed, PROMPT]));
    const metrics = await metricsOf(runs.map((r) => r.id));
    expect(metrics.filter((m) => m.name === 'sharpness')).toHaveLength(6);
    // Convergence to the 30-step render of the same prompt + seed rises with steps: the fake's pictures converge.
    const ssim = (runId: number) => metrics.find((m) => m.run_id === runId && m.name === 'ssim_to_reference')!.value;
    for (const seed of ['42', '18446744073709551615']) {
      const [s10, s20, s30] = [10, 20, 30].map((steps) => ssim(runs.find((r) => r.steps === steps && r.seed === seed)!.id));
      expect(s10!).toBeLessThan(s20!);
      expect(s20!).toBeLessThan(s30!);
      expect(s30!).toBeCloseTo(1, 6);
    }
    const tasks = await renderTasksOf(db, (await latestRenderJob(db, experimentId))!.id);
    expect(tasks.every((t) => t.state === 'done' && t.attempts === 1 && t.timing_source === 'generator' && t.renderer_id === renderer)).toBe(true);
  });

  it('renders a whole plan on A1111: durations from X-Process-Time, the planned sampler and CFG sent', async () => {
    const fake = await a1111();
    const experimentId = await plan({ sampler: 'Euler a', guidance: 6, width: 1024, height: 1024 });
    const renderer = (await addRenderer(db, { kind: 'a1111', url: fake.url })).id;
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await renderJobSettled(jobId);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'done', done: 6, failed: 0 });
    const runs = await runsOf(experimentId);
    expect(runs.every((r) => r.duration_ms === 380 + 670 * r.steps && r.image_id !== null)).toBe(true);
    expect(fake.rendered.every((r) => r.sampler === 'Euler a' && r.prompt === PROMPT)).toBe(true);
    expect(await allRuns()).toBe(6);
  });

  it('fans out over two renderers at once, each run keeping the hardware of the renderer that drew it', async () => {
    const comfyFake = await comfy();
    const a1111Fake = await a1111();
    const experimentId = await plan({ sampler: 'Euler a' });
    const renderers = [await addComfy(comfyFake), (await addRenderer(db, { kind: 'a1111', url: a1111Fake.url })).id];
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers, mode: 'grid' }, FAST);
    await renderJobSettled(jobId);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'done', done: 6 });
    expect(comfyFake.rendered.length).toBeGreaterThan(0);
    expect(a1111Fake.rendered.length).toBeGreaterThan(0);
    expect(comfyFake.rendered.length + a1111Fake.rendered.length).toBe(6);
    const tasks = await renderTasksOf(db, jobId);
    const runs = await runsOf(experimentId);
    for (const task of tasks) {
      const run = runs.find((r) => r.id === task.run_id)!;
      expect(run.hardware).toBe(task.renderer_id === renderers[0] ? 'NVIDIA GeForce RTX 4090' : null);
      expect(run.image_id).not.toBeNull();
    }
  });

  it('retries an execution error a bounded number of times, then marks the renders failed; nothing is stored; resume renders them', async () => {
    const fake = await comfy();
    const experimentId = await plan();
    const renderer = await addComfy(fake);
    fake.faults.executionError = 'out-of-memory';
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, { ...FAST, maxAttempts: 2 });
    await renderJobSettled(jobId);
    const failed = await renderStatus(db, experimentId);
    expect(failed).toMatchObject({ state: 'failed', done: 0, failed: 6, stopReason: '6 of 6 renders failed after retries; the others are stored. Resume to try the failed ones again.' });
    const tasks = await renderTasksOf(db, jobId);
    expect(tasks.every((t) => t.state === 'failed' && t.attempts === 2 && t.error_code === 'out-of-memory')).toBe(true);
    expect(tasks[0]!.error_message).toContain('ran out of GPU memory in node 13 (SamplerCustomAdvanced)');
    expect((await runsOf(experimentId)).every((r) => r.image_id === null && r.duration_ms === null)).toBe(true);

    fake.faults.executionError = null;
    await resumeRenderJob(db, { dataDir }, experimentId, FAST);
    await renderJobSettled(jobId);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'done', done: 6, failed: 0 });
  });

  it('does not retry a workflow ComfyUI rejects: one attempt each, with node_errors in the message', async () => {
    const fake = await comfy();
    const experimentId = await plan();
    const renderer = await addComfy(fake);
    fake.faults.rejectWorkflow = true;
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await renderJobSettled(jobId);
    const tasks = await renderTasksOf(db, jobId);
    expect(tasks.every((t) => t.state === 'failed' && t.attempts === 1 && t.error_code === 'rejected')).toBe(true);
    expect(tasks[0]!.error_message).toContain('Value not in list');
  });

  it('survives a renderer that dies mid-sweep: what was rendered stays, resume renders only the rest', async () => {
    const first = await comfy();
    first.faults.dieAfterRenders = 2;
    const experimentId = await plan();
    const renderer = await addComfy(first);
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await renderJobSettled(jobId);
    const stopped = await renderStatus(db, experimentId);
    expect(stopped).toMatchObject({ state: 'failed', done: 2, failed: 0, total: 6 });
    expect(stopped.stopReason).toMatch(new RegExp(`^No renderer left to render 4 planned renders: ${first.url}/prompt .*Start it again and resume\\.$`));
    const before = await runsOf(experimentId);
    expect(before.filter((r) => r.image_id !== null)).toHaveLength(2);
    const missing = before.filter((r) => r.image_id === null).map((r) => `${r.steps}/${r.seed}`);

    // ComfyUI comes back at the same address.
    const second = await comfy({ port: first.server.port });
    await resumeRenderJob(db, { dataDir }, experimentId, FAST);
    await renderJobSettled(jobId);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'done', done: 6, failed: 0 });
    expect(second.rendered).toHaveLength(4);
    expect(second.rendered.map((r) => `${r.steps}/${r.seed}`)).toEqual(missing);
    expect(await allRuns()).toBe(6);
  });

  it('picks up a job that was running when sweetspot stopped, without rendering again a run that already has its image', async () => {
    const first = await comfy();
    first.faults.dieAfterRenders = 2;
    const experimentId = await plan();
    const renderer = await addComfy(first);
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await renderJobSettled(jobId);
    // As if the process stopped between storing the second image and marking its render done.
    const tasks = await renderTasksOf(db, jobId);
    await updateRenderTask(db, tasks[1]!.id, { state: 'pending', updated_at: new Date().toISOString() });
    await setRenderJobState(db, jobId, 'running', null, new Date().toISOString());

    const second = await comfy({ port: first.server.port });
    expect(await resumeInterruptedRenderJobs(db, { dataDir }, FAST)).toEqual([jobId]);
    await renderJobSettled(jobId);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'done', done: 6 });
    expect(second.rendered).toHaveLength(4);
  });

  it('pauses (a render in flight is cancelled and stays to do), resumes, and cancels; what was stored stays', async () => {
    const fake = await comfy({ clock: { timeScale: 0.01 } });
    const experimentId = await plan();
    const renderer = await addComfy(fake);
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await until(async () => (await renderStatus(db, experimentId)).done >= 1);
    const paused = await pauseRenderJob(db, experimentId);
    expect(paused.state).toBe('paused');
    expect(paused.done).toBeLessThan(6);
    const doneWhenPaused = paused.done;
    const imaged = (await runsOf(experimentId)).filter((r) => r.image_id !== null).length;
    expect(imaged).toBe(doneWhenPaused);

    await resumeRenderJob(db, { dataDir }, experimentId, FAST);
    await until(async () => (await renderStatus(db, experimentId)).done > doneWhenPaused);
    const cancelled = await cancelRenderJob(db, experimentId);
    expect(cancelled.state).toBe('cancelled');
    await renderJobSettled(jobId);
    const after = await runsOf(experimentId);
    expect(after.filter((r) => r.image_id !== null).length).toBe(cancelled.done);
    await expect(resumeRenderJob(db, { dataDir }, experimentId, FAST)).rejects.toThrow(/is cancelled; start a new run instead/);
  });

  it('refuses a second job while one is running, unknown renderers, and a plan with nothing left to render', async () => {
    const fake = await comfy({ clock: { timeScale: 0.01 } });
    const experimentId = await plan();
    const renderer = await addComfy(fake);
    await expect(startRenderJob(db, { dataDir }, experimentId, { renderers: [99], mode: 'grid' }, FAST)).rejects.toThrow('There is no renderer 99');
    await expect(startRenderJob(db, { dataDir }, 999, { renderers: [renderer], mode: 'grid' }, FAST)).rejects.toThrow('There is no experiment 999');
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST);
    await expect(startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST)).rejects.toThrow(/already being rendered \(job \d+ is running\)/);
    await renderJobSettled(jobId);
    await expect(startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'grid' }, FAST)).rejects.toThrow(/already has its image; there is nothing to render/);
  });
});
