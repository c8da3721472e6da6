import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createRuns } from '../../src/services/runs.js';
import { cachedUntilRunsChange } from '../../src/services/runs-version-cache.js';
import { openTestDatabase } from '../helpers/test-app.js';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('cachedUntilRunsChange', () => {
  it('computes once while the runs stay the same, again after a write, and shares one computation', async () => {
    ({ db } = await openTestDatabase());
    let computed = 0;
    const compute = async () => ++computed;
    const [a, b] = await Promise.all([cachedUntilRunsChange(db, 'k', compute), cachedUntilRunsChange(db, 'k', compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    expect(await cachedUntilRunsChange(db, 'k', compute)).toBe(1);
    expect(await cachedUntilRunsChange(db, 'other key', compute)).toBe(2);
    await createRuns(db, [{ model: 'flux-dev', steps: 20, score: 7 }], 'api');
    expect(await cachedUntilRunsChange(db, 'k', compute)).toBe(3);
  });

  it('does not keep a failed computation', async () => {
    ({ db } = await openTestDatabase());
    await expect(cachedUntilRunsChange(db, 'k', () => Promise.reject(new Error('database went away')))).rejects.toThrow(/went away/);
    expect(await cachedUntilRunsChange(db, 'k', async () => 'fine')).toBe('fine');
  });
});
