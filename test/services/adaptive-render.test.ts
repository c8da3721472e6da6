import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createExperiment } from '../../src/services/experiments.js';
import { pauseRenderJob, renderJobSettled, renderStatus, resumeInterruptedRenderJobs, startRenderJob } from '../../src/services/render-queue/render-jobs.js';
import { addRenderer } from '../../src/services/renderers.js';
import { updateRun } from '../../src/services/runs.js';
import { renderTaskRuns, setRenderJobState } from '../../src/store/render-jobs.js';
import { experimentInputSchema } from '../../src/validation/experiment-input.js';
import { startFakeA1111 } from '../helpers/fake-a1111.js';
import { fluxWorkflow, startFakeComfyUi } from '../helpers/fake-comfyui.js';
import { openTestDatabase } from '../helpers/test-app.js';

const FAST = { clientOptions: { pollMs: 3, requestTimeoutMs: 2000, renderTimeoutMs: 10_000 }, ratingPollMs: 5 };
const PROMPT = 'a red fox in fresh snow';
const SEEDS = ['1', '2', '3', '4', '5'];
/** The grid the adaptive runs are measured against: 10–50 (+5) × 5 seeds. */
const GRID_RENDERS = 9 * 5;

let db: Db;
let dataDir: string;
const fakes: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  ({ db } = await openTestDatabase());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-adaptive-'));
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function comfyRenderer(options: Parameters<typeof startFakeComfyUi>[0] = {}) {
  const fake = await startFakeComfyUi({ clock: { timeScale: 0.0002 }, ...options });
  fakes.push(fake);
  return { fake, id: (await addRenderer(db, { kind: 'comfyui', url: fake.url, workflow: fluxWorkflow() })).id };
}

/** FLUX.1 Dev planned at 10–50 (+5) × 5 seeds (45 cells; its guide's usable range is 20–50). */
async function plan(): Promise<number> {
  return (await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: '10-50 (+5)', seeds: SEEDS, prompts: [PROMPT], sampler: 'Euler a' }))).id;
}

async function experimentRunRows(experimentId: number) {
  return db.selectFrom('runs').select(['id', 'steps', 'seed', 'duration_ms', 'image_id', 'source']).where('experiment_id', '=', experimentId).orderBy('id').execute();
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached in 10 s');
}

describe('adaptive render job', () => {
  it('on ComfyUI reaches a ±2-step interval on the convergence metric with fewer renders than the 10–50 (+5) × 5-seed grid', async () => {
    const { fake, id } = await comfyRenderer();
    const experimentId = await plan();
    const { jobId, status } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: { halfWidth: 2 } }, FAST);
    // The coarse round: the plan's 10–50 clipped to FLUX.1 Dev's usable 20–50, at 3 levels × 5 seeds.
    expect(status).toMatchObject({ state: 'running', total: 15, mode: 'adaptive', round: 1 });
    await renderJobSettled(jobId);

    const final = await renderStatus(db, experimentId);
    expect(final.state).toBe('done');
    expect(final.stopReason).toMatch(/^Target met: the sweet spot is \d+ steps, 90% interval \d+–\d+ \(±[\d.]+ ≤ ±2 steps\) on ssim_to_reference, after \d+ renders in \d+ rounds$/);
    expect(final.done).toBe(final.total);
    expect(final.done).toBeLessThan(GRID_RENDERS);
    const tasks = await renderTaskRuns(db, jobId);
    expect(tasks.filter((t) => t.round === 1).map((t) => t.steps)).toEqual([20, 20, 20, 20, 20, 35, 35, 35, 35, 35, 50, 50, 50, 50, 50]);
    expect(Math.max(...tasks.map((t) => t.round))).toBeGreaterThan(1);
    // Later rounds stay inside the usable range; step counts the plan did not have became planned runs of the experiment.
    expect(tasks.every((t) => t.steps >= 20 && t.steps <= 50 && t.state === 'done' && t.image_id !== null)).toBe(true);
    const runs = await experimentRunRows(experimentId);
    const offPlan = tasks.filter((t) => t.steps % 5 !== 0).length;
    expect(runs).toHaveLength(GRID_RENDERS + offPlan);
    const rendered = runs.filter((r) => r.image_id !== null);
    expect(rendered).toHaveLength(final.done);
    expect(rendered.every((r) => r.duration_ms === 380 + 670 * r.steps && r.source === 'plan')).toBe(true);
    // Nothing was rendered twice.
    expect(new Set(fake.rendered.map((r) => `${r.steps}/${r.seed}`)).size).toBe(fake.rendered.length);
    expect(fake.rendered).toHaveLength(final.done);
  });

  it('on A1111 reaches the same target with fewer renders than the grid', async () => {
    const fake = await startFakeA1111({ clock: { timeScale: 0.0002 } });
    fakes.push(fake);
    const renderer = (await addRenderer(db, { kind: 'a1111', url: fake.url })).id;
    const experimentId = await plan();
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [renderer], mode: 'adaptive', target: { halfWidth: 2 }, metric: 'ssim_to_reference' }, FAST);
    await renderJobSettled(jobId);
    const final = await renderStatus(db, experimentId);
    expect(final).toMatchObject({ state: 'done', failed: 0 });
    expect(final.stopReason).toMatch(/^Target met: /);
    expect(final.done).toBeLessThan(GRID_RENDERS);
    expect(fake.rendered).toHaveLength(final.done);
    expect((await experimentRunRows(experimentId)).filter((r) => r.image_id !== null && r.duration_ms === 380 + 670 * r.steps)).toHaveLength(final.done);
  });

  it('stops when the render budget is spent, the last round cut to what is left, and says so', async () => {
    const { fake, id } = await comfyRenderer();
    const experimentId = await plan();
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: { maxRenders: 18 } }, FAST);
    await renderJobSettled(jobId);
    const final = await renderStatus(db, experimentId);
    expect(final).toMatchObject({ state: 'done', done: 18, total: 18, round: 2 });
    expect(final.stopReason).toMatch(/^Render budget spent: 18 of 18 renders; the sweet spot is \d+ steps/);
    expect(fake.rendered).toHaveLength(18);
    expect((await experimentRunRows(experimentId)).filter((r) => r.image_id !== null)).toHaveLength(18);
  });

  it('stops taking renders once the time budget is spent, mid-round, and drops the renders it did not take', async () => {
    const { fake, id } = await comfyRenderer();
    const experimentId = await plan();
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: { maxMinutes: 1 } }, FAST);
    await renderJobSettled(jobId);
    const final = await renderStatus(db, experimentId);
    // Five 20-step renders take 5 × (380 + 670·20) ms = 68.9 s of ComfyUI time: past the minute, so the sixth is not taken.
    expect(final).toMatchObject({ state: 'done', done: 5, total: 5, secondsSpent: 68.9 });
    expect(final.stopReason).toMatch(/^Time budget spent: 1\.1 of 1 minutes of render time; /);
    expect(fake.rendered).toHaveLength(5);
  });

  it('is picked up after a restart mid-run and goes on from its rounds in the database, rendering nothing twice', async () => {
    const { fake, id } = await comfyRenderer({ clock: { timeScale: 0.002 } });
    const experimentId = await plan();
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: { halfWidth: 2 } }, FAST);
    // Stop it in the second round, then leave the job as a killed process leaves it: running.
    await until(async () => (await renderStatus(db, experimentId)).done >= 17);
    await pauseRenderJob(db, experimentId);
    await setRenderJobState(db, jobId, 'running', null, new Date().toISOString());
    const before = (await renderTaskRuns(db, jobId)).filter((t) => t.state === 'done').length;
    expect(before).toBeGreaterThanOrEqual(17);

    expect(await resumeInterruptedRenderJobs(db, { dataDir }, FAST)).toEqual([jobId]);
    await renderJobSettled(jobId);
    const final = await renderStatus(db, experimentId);
    expect(final.state).toBe('done');
    expect(final.stopReason).toMatch(/^Target met: /);
    expect(final.done).toBeLessThan(GRID_RENDERS);
    // The render interrupted by the pause was cancelled on the fake before it finished; every cell was stored once.
    const cells = fake.rendered.map((r) => `${r.steps}/${r.seed}`);
    expect(new Set(cells).size).toBe(final.done);
    expect((await experimentRunRows(experimentId)).filter((r) => r.image_id !== null)).toHaveLength(final.done);
  });

  it('on human scores waits for each round to be rated, then goes on', async () => {
    const { id } = await comfyRenderer();
    const experimentId = await plan();
    const { jobId } = await startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: { maxRenders: 20 }, metric: 'score' }, FAST);
    const rateAll = async () => {
      for (const task of await renderTaskRuns(db, jobId)) {
        if (task.state !== 'done' || task.score !== null) continue;
        // The guide's FLUX.1 Dev curve, 10 − 5·e^(−s/10), with a fixed offset per seed (whole tenths).
        const score = Math.round((10 - 5 * Math.exp(-task.steps / 10) - 0.2 * Number(task.seed)) * 10) / 10;
        await updateRun(db, task.run_id, { score });
      }
    };
    await until(async () => (await renderStatus(db, experimentId)).waitingForRatings !== null);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'paused', done: 15, round: 1, waitingForRatings: 15 });
    expect((await renderStatus(db, experimentId)).stopReason).toMatch(/^Waiting for ratings: 15 renders of round 1 have no score yet/);
    await rateAll();
    await until(async () => (await renderStatus(db, experimentId)).round === 2 && (await renderStatus(db, experimentId)).waitingForRatings !== null);
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'paused', done: 20, waitingForRatings: 5 });
    await rateAll();
    await renderJobSettled(jobId);
    const final = await renderStatus(db, experimentId);
    expect(final).toMatchObject({ state: 'done', done: 20, waitingForRatings: null });
    expect(final.stopReason).toMatch(/^Render budget spent: 20 of 20 renders; /);
  });

  it('refuses an adaptive run without a target, naming the field; nothing starts', async () => {
    const { fake, id } = await comfyRenderer();
    const experimentId = await plan();
    await expect(startRenderJob(db, { dataDir }, experimentId, { renderers: [id], mode: 'adaptive', target: {} }, FAST)).rejects.toMatchObject({
      details: [{ field: 'target', message: 'give at least one of halfWidth, maxRenders, maxMinutes' }],
    });
    expect(await renderStatus(db, experimentId)).toMatchObject({ state: 'idle' });
    expect(fake.rendered).toHaveLength(0);
  });
});
