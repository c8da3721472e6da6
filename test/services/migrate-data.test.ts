import { describe, expect, it } from 'vitest';
import { connectDatabase, dialectOf } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createRuns } from '../../src/services/runs.js';
import { loadDemo } from '../../src/services/demo.js';
import { migrateData, runsChecksum } from '../../src/services/migrate-data.js';
import { DATA_TABLES, NON_DATA_TABLES } from '../../src/store/table-copy.js';
import { openTestDatabase, TEST_BACKEND } from '../helpers/test-app.js';

async function sqliteMemory() {
  const db = connectDatabase(':memory:');
  await migrateToLatest(db);
  return db;
}

describe(`migrate-data (SQLite → ${TEST_BACKEND} → SQLite)`, () => {
  it('copies every table, keeps ids, and verifies counts and the runs checksum both ways', async () => {
    const source = await sqliteMemory();
    await loadDemo(source);
    await createRuns(source, [{ model: 'flux-dev', steps: 30, seed: '18446744073709551615', prompt: 'ünïcode "quotes", commas\nand lines', tags: ['a', 'b'], score: 7.25, durationMs: 1234.5 }], 'api');
    const middle = (await openTestDatabase()).db;
    expect(dialectOf(middle)).toBe(TEST_BACKEND);
    const there = await migrateData(source, middle);
    expect(there.tables.find((t) => t.table === 'runs')?.to).toBeGreaterThan(1000);
    expect(there.tables.find((t) => t.table === 'run_tags')?.to).toBeGreaterThan(1000);
    expect(there.runsChecksum.from).toBe(there.runsChecksum.to);

    // New runs continue after the copied ids (the identity sequence was moved on).
    const [newId] = await createRuns(middle, [{ model: 'flux-pro', steps: 40 }], 'api');
    const maxSourceId = Number((await source.selectFrom('runs').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    expect(newId).toBe(maxSourceId + 1);
    await middle.deleteFrom('runs').where('id', '=', newId!).execute();

    const back = await sqliteMemory();
    await migrateData(middle, back);
    expect(await runsChecksum(back)).toBe(await runsChecksum(source));
    const seed = await back.selectFrom('runs').select('seed').where('seed', '=', '18446744073709551615').executeTakeFirst();
    expect(seed?.seed).toBe('18446744073709551615');
    for (const db of [source, middle, back]) await db.destroy();
  });

  it('refuses a target that already holds runs, and writes nothing', async () => {
    const source = await sqliteMemory();
    await loadDemo(source);
    const target = (await openTestDatabase()).db;
    await createRuns(target, [{ model: 'flux-dev', steps: 20 }], 'api');
    await expect(migrateData(source, target)).rejects.toThrow(/already holds 1 runs/);
    expect(Number((await target.selectFrom('runs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(1);
    await source.destroy();
    await target.destroy();
  });

  it('knows every table of the schema', async () => {
    const { db } = await openTestDatabase();
    const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
    const known = new Set([...DATA_TABLES.map((t) => t.name), ...NON_DATA_TABLES]);
    expect(tables.filter((t) => !known.has(t))).toEqual([]);
    await db.destroy();
  });
});
