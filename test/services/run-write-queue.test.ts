import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { RunWriteQueue } from '../../src/services/run-write-queue.js';
import type { RunInput } from '../../src/validation/run-input.js';

const run = (steps: number, model = 'flux-dev'): RunInput => ({ model, steps });

describe('RunWriteQueue', () => {
  it('writes runs logged at the same moment in one group, answering each with its own id', async () => {
    const calls: number[] = [];
    let next = 1;
    const queue = new RunWriteQueue({} as Db, async (_db, inputs) => {
      calls.push(inputs.length);
      return inputs.map(() => next++);
    });
    const ids = await Promise.all([1, 2, 3, 4].map((s) => queue.add(run(s), 'api')));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([4]);
  });

  it('retries a failed group one by one so only the faulty run fails', async () => {
    let next = 1;
    const queue = new RunWriteQueue({} as Db, async (_db, inputs) => {
      if (inputs.some((i) => i.model === 'bad')) throw new Error(`unknown model 'bad'`);
      return inputs.map(() => next++);
    });
    const results = await Promise.allSettled([queue.add(run(1), 'api'), queue.add(run(2, 'bad'), 'api'), queue.add(run(3), 'api')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe(`unknown model 'bad'`);
  });

  it('keeps runs of different sources in their own groups', async () => {
    const groups: string[] = [];
    const queue = new RunWriteQueue({} as Db, async (_db, inputs, source) => {
      groups.push(`${source}:${inputs.length}`);
      return inputs.map((_, i) => i + 1);
    });
    await Promise.all([queue.add(run(1), 'api'), queue.add(run(2), 'form'), queue.add(run(3), 'api')]);
    expect(groups.sort()).toEqual(['api:2', 'form:1']);
  });
});
