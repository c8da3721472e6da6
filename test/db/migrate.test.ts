import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { dialectOf } from '../../src/db/connect.js';
import { openTestDatabase, TEST_BACKEND } from '../helpers/test-app.js';

describe(`migrations (${TEST_BACKEND})`, () => {
  it('migrate an empty database to the latest schema and seed the guide models', async () => {
    const { db } = await openTestDatabase();
    expect(dialectOf(db)).toBe(TEST_BACKEND);
    const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort();
    expect(tables).toEqual(expect.arrayContaining(['experiments', 'metrics', 'models', 'run_metrics', 'run_tags', 'runs', 'sweet_spot_snapshots', 'images', 'judgements']));
    const models = await db.selectFrom('models').selectAll().orderBy('slug').execute();
    expect(models.map((m) => [m.slug, m.min_steps, m.recommended_low, m.recommended_high, m.max_steps, m.sweet_spot])).toEqual([
      ['flux-dev', 20, 28, 35, 50, 30],
      ['flux-pro', 30, 35, 45, 50, 40],
      ['flux-schnell', 1, 2, 3, 4, 3],
      ['recraft-v3', 20, 25, 35, 50, 30],
    ]);
    await db.destroy();
  });

  it('is idempotent: a second run applies nothing', async () => {
    const { db } = await openTestDatabase();
    expect(await migrateToLatest(db)).toEqual([]);
    await db.destroy();
  });

  it('enforces the constraints on every engine', async () => {
    const { db } = await openTestDatabase();
    const now = new Date().toISOString();
    const run = { model_id: 1, steps: 0, source: 'api' as const, created_at: now, updated_at: now };
    await expect(db.insertInto('runs').values(run).execute()).rejects.toThrow();
    await expect(db.insertInto('runs').values({ ...run, steps: 10, score: 11 }).execute()).rejects.toThrow();
    await expect(db.insertInto('runs').values({ ...run, steps: 10, model_id: 999 }).execute()).rejects.toThrow();
    await db.destroy();
  });
});
