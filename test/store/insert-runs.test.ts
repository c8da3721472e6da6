import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { NewRunRow } from '../../src/db/schema.js';
import { distinctHardware, insertRunsInTransaction } from '../../src/store/runs.js';
import { countRows, openTestDatabase } from '../helpers/test-app.js';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

async function setUp() {
  ({ db } = await openTestDatabase());
  const model = await db.selectFrom('models').select(['id', 'data_version']).where('slug', '=', 'flux-dev').executeTakeFirstOrThrow();
  return { db, model };
}

function row(modelId: number, steps: number, extra: Partial<NewRunRow> = {}): NewRunRow {
  const now = '2026-11-26T10:00:00.000Z';
  return { model_id: modelId, steps, score: 7.5, seed: '42', source: 'api', created_at: now, updated_at: now, ...extra };
}

describe('insertRunsInTransaction', () => {
  it('stores the runs with their tags, returns their ids in input order and raises the data version once', async () => {
    const { db, model } = await setUp();
    const ids = await insertRunsInTransaction(db, [
      { row: row(model.id, 30), tags: ['sweep', 'night'] },
      { row: row(model.id, 10, { notes: 'first' }), tags: [] },
      { row: row(model.id, 20), tags: ['sweep'] },
    ]);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const stored = await db.selectFrom('runs').select(['id', 'steps', 'notes', 'seed']).orderBy('id').execute();
    expect(stored.map((r) => [r.id, r.steps, r.notes, r.seed])).toEqual([
      [ids[0], 30, null, '42'],
      [ids[1], 10, 'first', '42'],
      [ids[2], 20, null, '42'],
    ]);
    const tags = await db.selectFrom('run_tags').select(['run_id', 'tag']).orderBy('run_id').orderBy('tag').execute();
    expect(tags).toEqual([
      { run_id: ids[0], tag: 'night' },
      { run_id: ids[0], tag: 'sweep' },
      { run_id: ids[2], tag: 'sweep' },
    ]);
    const after = await db.selectFrom('models').select('data_version').where('id', '=', model.id).executeTakeFirstOrThrow();
    expect(Number(after.data_version)).toBe(Number(model.data_version) + 1);
  });

  it('stores nothing and leaves the data version when one run of the batch is refused', async () => {
    const { db, model } = await setUp();
    const batch = [
      { row: row(model.id, 20), tags: ['kept?'] },
      { row: row(model.id, 0), tags: [] }, // steps >= 1 is a CHECK constraint
      { row: row(model.id, 40), tags: [] },
    ];
    await expect(insertRunsInTransaction(db, batch)).rejects.toThrow(/check|constraint/i);
    expect(await countRows(db, 'runs')).toBe(0);
    expect(await countRows(db, 'run_tags')).toBe(0);
    const after = await db.selectFrom('models').select('data_version').where('id', '=', model.id).executeTakeFirstOrThrow();
    expect(Number(after.data_version)).toBe(Number(model.data_version));
    // The connection is usable afterwards: the failed transaction was rolled back, not left open.
    await insertRunsInTransaction(db, [{ row: row(model.id, 20), tags: [] }]);
    expect(await countRows(db, 'runs')).toBe(1);
  });

  it('refuses a run of an unknown model (foreign key) without storing the others', async () => {
    const { db, model } = await setUp();
    await expect(
      insertRunsInTransaction(db, [{ row: row(model.id, 20), tags: [] }, { row: row(999_999, 20), tags: [] }]),
    ).rejects.toThrow(/foreign key/i);
    expect(await countRows(db, 'runs')).toBe(0);
  });

  it('waits for a transaction already open on the connection instead of joining it', async () => {
    const { db, model } = await setUp();
    let releaseOther!: () => void;
    let otherInserted!: () => void;
    const otherHolds = new Promise<void>((resolve) => (releaseOther = resolve));
    const otherIsOpen = new Promise<void>((resolve) => (otherInserted = resolve));
    // Another request's transaction is open and waiting on something (an await between statements).
    const other = db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(row(model.id, 15)).execute();
      otherInserted();
      await otherHolds;
      throw new Error('the other request fails and rolls back');
    });
    await otherIsOpen;
    const ours = insertRunsInTransaction(db, [{ row: row(model.id, 25), tags: [] }]);
    releaseOther();
    await expect(other).rejects.toThrow(/rolls back/);
    await ours;
    const steps = await db.selectFrom('runs').select('steps').execute();
    expect(steps.map((r) => r.steps)).toEqual([25]);
  });
});

describe('distinctHardware', () => {
  it('lists every hardware name once, across models, sorted, without blanks', async () => {
    const { db, model } = await setUp();
    const other = await db.selectFrom('models').select('id').where('slug', '!=', 'flux-dev').executeTakeFirstOrThrow();
    await insertRunsInTransaction(
      db,
      [
        [model.id, 'RTX 4090'], [model.id, 'A100'], [model.id, 'RTX 4090'], [model.id, null],
        [other.id, 'M3 Max'], [other.id, 'A100'], [other.id, 'api'],
      ].map(([modelId, hardware]) => ({ row: row(modelId as number, 20, { hardware: hardware as string | null }), tags: [] })),
    );
    expect(await distinctHardware(db)).toEqual(['A100', 'M3 Max', 'RTX 4090', 'api']);
  });
});
