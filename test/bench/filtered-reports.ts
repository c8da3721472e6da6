// Filtered reports for `npm run bench`: the analysis API and the model report page narrowed by each
// filter they take, cold (the first request for that analysis, which computes it) and warm (asked
// again, answered from the analysis cache), and the SQL aggregates of the cold case on their own, so
// the figures show which part of a cold report each filter costs.
import SQLite from 'better-sqlite3';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { durationSumsByHardware, metricBlockCells, metricLevelSums, type AnalysisFilter } from '../../src/store/analysis-sums.js';
import { latencies, listen, percentile } from './measure.js';
import type { StartupFigure as Figure } from './startup.js';

/** Cold requests per filter and page: each asks a δ not asked before, so each computes its analysis. */
const COLD_ROUNDS = 3;
const WARM_ROUNDS = 30;

interface ReportFilter {
  name: string;
  /** The query string the API and the page take. */
  query: string;
  /** The same filter as the store takes it. */
  filter: AnalysisFilter;
}

/** One filter of each kind, each matching a share of the bench data set (test/bench/dataset.ts). */
function reportFilters(experimentId: number, midpoint: string): ReportFilter[] {
  return [
    { name: 'none', query: '', filter: {} },
    { name: 'hardware', query: 'hardware=RTX%204090', filter: { hardware: 'RTX 4090' } },
    { name: 'use case', query: 'useCase=concept-art', filter: { useCase: 'concept-art' } },
    { name: 'phase', query: 'phase=final', filter: { phase: 'final' } },
    { name: 'sampler', query: 'sampler=dpmpp_2m', filter: { sampler: 'dpmpp_2m' } },
    { name: 'resolution', query: 'resolution=832x1216', filter: { width: 832, height: 1216 } },
    { name: 'experiment', query: `experiment=${experimentId}`, filter: { experimentId } },
    { name: 'date', query: `from=${encodeURIComponent(midpoint)}`, filter: { from: midpoint } },
  ];
}

/**
 * Adds an experiment holding the newest 1,080 runs (9 step counts × 40 prompts × 3 seeds, a usual
 * sweep) and returns its id with the creation time of the middle run (a date filter's bound).
 */
function prepareData(file: string): { experimentId: number; midpoint: string } {
  const sqlite = new SQLite(file);
  const existing = sqlite.prepare("select id from experiments where name = 'bench sweep'").get() as { id: number } | undefined;
  let experimentId = existing?.id;
  if (experimentId === undefined) {
    experimentId = Number(sqlite.prepare("insert into experiments (name, model_id, plan, created_at) values ('bench sweep', 1, '{}', '2026-01-01T00:00:00.000Z')").run().lastInsertRowid);
    sqlite.prepare('update runs set experiment_id = ? where id > (select max(id) - 1080 from runs)').run(experimentId);
    sqlite.prepare('update models set data_version = data_version + 1').run();
  }
  const count = (sqlite.prepare('select count(*) as n from runs').get() as { n: number }).n;
  const midpoint = (sqlite.prepare('select created_at from runs order by id limit 1 offset ?').get(Math.floor(count / 2)) as { created_at: string }).created_at;
  sqlite.close();
  return { experimentId, midpoint };
}

/**
 * Why a cold (first) analysis of a filter cannot answer inside 100 ms: what it had to read. A cold
 * analysis aggregates every rated run the filter matches from the covering index, and the paired
 * analysis reads the newest rated runs with their prompt and seed (up to the pairing window); the
 * maths on the sums is a few ms. The warmer computes the unfiltered analyses ahead, never a filter's.
 */
function whyCold(matchedRuns: number, pairedRuns: number, sqlMs: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `its SQL alone took ${Math.round(sqlMs)} ms: it aggregates the ${n(matchedRuns)} rated runs the filter matches and reads ${n(pairedRuns)} of them with prompt and seed for the pairing; only the unfiltered analysis is computed ahead by the warmer`;
}

export async function benchFilteredReports(file: string, size: number, dir: string, record: (figure: Figure) => unknown): Promise<void> {
  console.log(`  filtered reports at ${size} (cold: slowest of ${COLD_ROUNDS} first requests; warm: p99 of ${WARM_ROUNDS})`);
  const { experimentId, midpoint } = prepareData(file);
  const db = connectDatabase(file);
  const server = await listen(createApp({ db, config: loadConfig({ SWEETSPOT_DB: file, SWEETSPOT_DATA_DIR: dir }) }));
  let delta = 0.25;
  const coldMs = async (url: string): Promise<number> => {
    const times: number[] = [];
    for (let round = 0; round < COLD_ROUNDS; round++) {
      delta += 0.001; // a δ not asked before: a new analysis, computed on this request
      times.push(...(await latencies(`${url}delta=${delta.toFixed(3)}`, 1, 0)));
    }
    return Math.max(...times);
  };
  try {
    for (const { name, query, filter } of reportFilters(experimentId, midpoint)) {
      const sqlDb = connectDatabase(file);
      const start = performance.now();
      const [levels, blocks] = await Promise.all([metricLevelSums(sqlDb, 1, 'score', filter), metricBlockCells(sqlDb, 1, 'score', filter), durationSumsByHardware(sqlDb, 1, filter)]);
      const sqlMs = performance.now() - start;
      await sqlDb.destroy();
      const matched = levels.reduce((n, level) => n + level.n, 0);
      const api = `${server.url}/api/v1/models/flux-dev/analysis?${query}&`;
      const page = `${server.url}/models/flux-dev?${query}&`;
      const apiCold = await coldMs(api);
      const pageCold = await coldMs(page);
      const apiWarm = percentile(await latencies(`${api}delta=0.25`, WARM_ROUNDS), 99);
      const pageWarm = percentile(await latencies(`${page}delta=0.25`, WARM_ROUNDS), 99);
      const target = { reference: 100, referenceName: 'the 100 ms target', target: '< 100 ms', limit: size >= 1_000_000 ? 1 : undefined };
      record({ name: `filter ${name} at ${size}: SQL aggregates of one analysis`, value: sqlMs, unit: 'ms', reference: null, referenceName: null, target: null });
      record({ name: `filter ${name} at ${size}: analysis API cold`, value: apiCold, unit: 'ms', ...target });
      record({ name: `filter ${name} at ${size}: analysis API warm p99`, value: apiWarm, unit: 'ms', ...target });
      record({ name: `filter ${name} at ${size}: report page cold`, value: pageCold, unit: 'ms', ...target });
      record({ name: `filter ${name} at ${size}: report page warm p99`, value: pageWarm, unit: 'ms', ...target });
      if (Math.max(apiCold, pageCold) >= 100) console.log(`    why cold misses 100 ms: ${whyCold(matched, blocks.windowRuns, sqlMs)}`);
    }
  } finally {
    await server.close();
    await db.destroy();
  }
}
