import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

describe('migrations', () => {
  it('migrate an empty database to the latest schema and seed the guide models', async () => {
    const db = connectDatabase(':memory:');
    const results = await migrateToLatest(db);
    expect(results.map((r) => r.status)).toEqual(['Success']);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(['experiments', 'metrics', 'models', 'run_metrics', 'run_tags', 'runs', 'sweet_spot_snapshots']);
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
    const db = connectDatabase(':memory:');
    await migrateToLatest(db);
    expect(await migrateToLatest(db)).toEqual([]);
    await db.destroy();
  });

  it('turns on foreign keys and indexes the analysis and list queries', async () => {
    const db = connectDatabase(':memory:');
    await migrateToLatest(db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    const plan = await sql<{ detail: string }>`explain query plan select steps, count(*), sum(score) from runs where model_id = 1 group by steps`.execute(db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/COVERING INDEX runs_model_steps/);
    await db.destroy();
  });
});
