import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { NewRunRow } from '../../src/db/schema.js';
import { durationSumsByHardware, metricBlockCells, metricLevelSums, type AnalysisFilter } from '../../src/store/analysis-sums.js';
import { insertRunsInTransaction } from '../../src/store/runs.js';
import { openTestDatabase } from '../helpers/test-app.js';

// Each filter is served by its own index (migration 2026-12-04T1600); whichever index a query reads,
// it must count exactly the runs the filter names — of the model asked for, not of another model.
let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

async function setUp() {
  ({ db } = await openTestDatabase());
  const models = await db.selectFrom('models').select(['id', 'slug']).where('slug', 'in', ['flux-dev', 'flux-pro']).execute();
  const dev = models.find((m) => m.slug === 'flux-dev')!.id;
  const pro = models.find((m) => m.slug === 'flux-pro')!.id;
  const experiment = async (modelId: number) =>
    Number((await db!.insertInto('experiments').values({ name: 'sweep', model_id: modelId, plan: '{}', created_at: '2026-12-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()).id);
  return { db, dev, pro, devSweep: await experiment(dev), proSweep: await experiment(pro) };
}

function run(modelId: number, steps: number, score: number, extra: Partial<NewRunRow> = {}): { row: NewRunRow; tags: string[] } {
  const at = '2026-12-02T10:00:00.000Z';
  return { row: { model_id: modelId, steps, score, duration_ms: 1000 * steps, seed: '7', prompt: 'p', source: 'api', created_at: at, updated_at: at, ...extra }, tags: [] };
}

describe('filtered analysis sums', () => {
  it('an experiment filter counts that experiment’s runs of that model only', async () => {
    const { db, dev, pro, devSweep, proSweep } = await setUp();
    await insertRunsInTransaction(db, [
      run(dev, 10, 4, { experiment_id: devSweep, hardware: 'A100' }),
      run(dev, 20, 6, { experiment_id: devSweep, hardware: 'A100' }),
      run(dev, 20, 8, { experiment_id: devSweep, hardware: 'A100' }),
      run(dev, 20, 1), // same model, outside the experiment
      run(pro, 20, 2, { experiment_id: proSweep }), // another model's experiment
      run(pro, 20, 3, { experiment_id: devSweep }), // another model's run in this experiment
    ]);
    const filter: AnalysisFilter = { experimentId: devSweep };
    expect(await metricLevelSums(db, dev, 'score', filter)).toEqual([
      { steps: 10, n: 1, sum: 4, sumSq: 16 },
      { steps: 20, n: 2, sum: 14, sumSq: 100 },
    ]);
    expect(await durationSumsByHardware(db, dev, filter)).toEqual(
      expect.arrayContaining([
        { hardware: 'A100', steps: 10, n: 1, sum: 10_000, sumSq: 1e8 },
        { hardware: 'A100', steps: 20, n: 2, sum: 40_000, sumSq: 8e8 },
      ]),
    );
    const blocks = await metricBlockCells(db, dev, 'score', filter);
    expect(blocks.windowRuns).toBe(3);
    expect(await metricLevelSums(db, pro, 'score', { experimentId: proSweep })).toEqual([{ steps: 20, n: 1, sum: 2, sumSq: 4 }]);
  });

  it('sampler and resolution filters count the matching runs of the model', async () => {
    const { db, dev, pro } = await setUp();
    await insertRunsInTransaction(db, [
      run(dev, 20, 5, { sampler: 'euler', width: 1024, height: 1024 }),
      run(dev, 20, 7, { sampler: 'dpmpp_2m', width: 832, height: 1216 }),
      run(dev, 30, 9, { sampler: 'dpmpp_2m', width: 1024, height: 1024 }),
      run(pro, 30, 1, { sampler: 'dpmpp_2m', width: 832, height: 1216 }),
    ]);
    expect(await metricLevelSums(db, dev, 'score', { sampler: 'dpmpp_2m' })).toEqual([
      { steps: 20, n: 1, sum: 7, sumSq: 49 },
      { steps: 30, n: 1, sum: 9, sumSq: 81 },
    ]);
    expect(await metricLevelSums(db, dev, 'score', { width: 832, height: 1216 })).toEqual([{ steps: 20, n: 1, sum: 7, sumSq: 49 }]);
  });
});
