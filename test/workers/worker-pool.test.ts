import { afterEach, describe, expect, it } from 'vitest';
import { PoolBusyError, TaskError, WorkerPool } from '../../src/workers/worker-pool.js';
import { buildPng, tEXt } from '../images/image-builders.js';

let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('worker pool', () => {
  it('reads image metadata in a thread (the TypeScript entry loads under vitest)', async () => {
    pool = new WorkerPool({ size: 1 });
    const png = buildPng({ before: [tEXt('parameters', 'a duck\nSteps: 15, Sampler: UniPC, Seed: 1')] });
    const result = await pool.run('readMetadata', { bytes: png });
    expect(result).toMatchObject({ ok: true, format: 'png', metadata: { tool: 'a1111', steps: 15 } });
  });

  it('runs an analysis and passes its error back by name and message', async () => {
    pool = new WorkerPool({ size: 2 });
    const levels = [1, 2, 3].map((steps) => ({ steps, n: 1, sum: Infinity, sumSq: Infinity }));
    const failure = pool.run('analyzeSteps', { input: { levels, blocks: [], durations: [], guide: null, modelName: 'm' }, options: {} });
    await expect(failure).rejects.toBeInstanceOf(TaskError);
    await expect(failure).rejects.toThrow(/requires/);
  });

  it('refuses work past its queue limit with PoolBusyError, and finishes what it accepted', async () => {
    pool = new WorkerPool({ size: 1, maxQueue: 2 });
    const bytes = () => ({ bytes: new Uint8Array([1, 2, 3]) });
    const accepted = [pool.run('readMetadata', bytes()), pool.run('readMetadata', bytes())];
    // The first went to the thread at once only if the thread already existed: fill the queue either way.
    const extra = [pool.run('readMetadata', bytes()), pool.run('readMetadata', bytes())];
    const settled = await Promise.allSettled([...accepted, ...extra]);
    expect(settled.filter((s) => s.status === 'rejected' && s.reason instanceof PoolBusyError).length).toBeGreaterThanOrEqual(1);
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
  });

  it('stops a task that runs past its time limit, with a message naming the limit', async () => {
    pool = new WorkerPool({ size: 1, taskTimeoutMs: 1 });
    const slow = pool.run('readMetadata', { bytes: buildPng({ before: Array.from({ length: 900 }, () => tEXt('a', 'b'.repeat(1000))) }) });
    await expect(slow).rejects.toThrow(/took longer than/);
  });
});
