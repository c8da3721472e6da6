// `npm run bench:postgres -- postgres://user:pass@host/db` (or TEST_DATABASE_URL): the same latency and
// ingest figures as `npm run bench`, on PostgreSQL, each against its reference in the same run — the
// reference for ingest is raw multi-row inserts through `pg` in one transaction. Each data set lives in
// a schema of its own, dropped at the end.
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { startAnalysisWarmer } from '../../src/services/analysis-warmer.js';
import { analyzeModel } from '../../src/services/analysis.js';
import { encodeCursor } from '../../src/services/runs.js';
import { BENCH_COLUMNS, benchRows } from './dataset.js';
import { latencies, listen, percentile, timed } from './measure.js';

const base = process.argv.slice(2).find((a) => a.startsWith('postgres')) ?? process.env.TEST_DATABASE_URL;
if (!base) throw new Error('give a postgres:// URL (argument or TEST_DATABASE_URL)');
const quick = process.argv.includes('--quick');
const SIZES = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const INGEST_ROWS = 50_000;
const schemas: string[] = [];
const figures: Record<string, unknown>[] = [];

function record(name: string, value: number, unit: string, reference: number | null, referenceName: string | null, target: string | null, limit?: number, higherIsBetter = false) {
  const ratio = reference === null ? null : value / reference;
  const pass = ratio === null || limit === undefined ? null : higherIsBetter ? ratio >= limit : ratio <= limit;
  figures.push({ name, value: Number(value.toFixed(3)), unit, reference: reference === null ? null : Number(reference.toFixed(3)), referenceName, ratio: ratio === null ? null : Number(ratio.toFixed(3)), target, pass });
  console.log(`  ${name}: ${value.toFixed(2)} ${unit}${reference === null ? '' : ` vs ${reference.toFixed(2)} (${referenceName})  ratio ${ratio!.toFixed(3)}${pass === null ? '' : pass ? ' ✓' : ' ✗'}`}`);
}

async function freshSchema(name: string): Promise<string> {
  const schema = `bench_${name}_${process.pid}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  await client.end();
  schemas.push(schema);
  const url = new URL(base!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Raw multi-row inserts through pg in one transaction: PostgreSQL's own limit for these rows. */
async function rawInsert(url: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = [...benchRows(count)];
  const per = 1000;
  const start = performance.now();
  await client.query('begin');
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map((_, r) => `(${BENCH_COLUMNS.map((__, c) => `$${r * BENCH_COLUMNS.length + c + 1}`).join(',')})`).join(',');
    await client.query(`insert into runs (${BENCH_COLUMNS.join(',')}) values ${values}`, chunk.flat());
  }
  await client.query('update models set data_version = data_version + 1');
  await client.query('commit');
  const ms = performance.now() - start;
  await client.end();
  return ms;
}

async function main() {
  console.log(`sweetspot benchmark on PostgreSQL (${new URL(base!).host}) — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  let baseP99: { analysis: number; report: number } | null = null;
  for (const size of SIZES) {
    console.log(`\n${size.toLocaleString('en-US')} runs`);
    const url = await freshSchema(`s${size}`);
    const db = connectDatabase(url);
    await migrateToLatest(db);
    const build = await rawInsert(url, size);
    console.log(`  (data set built in ${(build / 1000).toFixed(1)} s)`);
    const cold = await timed(() => analyzeModel(connectDatabase(url), 'flux-dev', {}));
    record(`analysis, cold (uncached) at ${size}`, cold.ms, 'ms', null, null, null);
    await startAnalysisWarmer(db, { intervalMs: 3_600_000 }).refresh();
    const server = await listen(createApp({ db, config: loadConfig({ SWEETSPOT_DB: url, SWEETSPOT_DATA_DIR: os.tmpdir() }) }));
    const analysis = await latencies(`${server.url}/api/v1/models/flux-dev/analysis`, 200);
    const report = await latencies(`${server.url}/models/flux-dev`, 60);
    const page1 = await latencies(`${server.url}/api/v1/runs?limit=50`, 60);
    const deepPage = Math.min(10_000, Math.floor((size - 1) / 50));
    const row = await db.selectFrom('runs').select(['created_at', 'id']).orderBy('created_at', 'desc').orderBy('id', 'desc').offset(deepPage * 50 - 1).limit(1).executeTakeFirstOrThrow();
    const deep = await latencies(`${server.url}/api/v1/runs?limit=50&cursor=${encodeCursor({ value: row.created_at, id: row.id })}`, 60);
    await server.close();
    await db.destroy();
    const p99 = { analysis: percentile(analysis, 99), report: percentile(report, 99) };
    baseP99 ??= p99;
    const first = size === SIZES[0];
    record(`analysis API p99 at ${size}`, p99.analysis, 'ms', baseP99.analysis, `p99 at ${SIZES[0]}`, '< 100 ms and ≤ 1.5× of 10⁴', first ? undefined : 1.5);
    record(`report page p99 at ${size}`, p99.report, 'ms', baseP99.report, `p99 at ${SIZES[0]}`, '< 100 ms and ≤ 1.5× of 10⁴', first ? undefined : 1.5);
    record(`runs page ${deepPage} vs page 1 at ${size} (p50)`, percentile(deep, 50), 'ms', percentile(page1, 50), 'page 1 p50', 'same cost (≤ 1.5×)', 1.5);
  }

  console.log('\ningest');
  const rawUrl = await freshSchema('raw');
  const rawDb = connectDatabase(rawUrl);
  await migrateToLatest(rawDb);
  await rawDb.destroy();
  const raw = await rawInsert(rawUrl, INGEST_ROWS);
  const apiUrl = await freshSchema('api');
  const apiDb = connectDatabase(apiUrl);
  await migrateToLatest(apiDb);
  const server = await listen(createApp({ db: apiDb, config: loadConfig({ SWEETSPOT_DB: apiUrl, SWEETSPOT_DATA_DIR: os.tmpdir() }) }));
  const rows = [...benchRows(INGEST_ROWS)].map((r) => {
    const [, steps, durationMs, score, seed, prompt, sampler, width, height, hardware, useCase, phase] = r as [number, number, number, number, string, string, string, number, number, string, string, string];
    return { model: 'flux-dev', steps, durationMs, score, seed, prompt, sampler, width, height, hardware, useCase, phase };
  });
  const api = await timed(async () => {
    for (let i = 0; i < rows.length; i += 1000) {
      const res = await fetch(`${server.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rows.slice(i, i + 1000)) });
      if (res.status !== 201) throw new Error(await res.text());
    }
  });
  await server.close();
  await apiDb.destroy();
  record(`POST /runs batches of 1,000 (${INGEST_ROWS} runs)`, INGEST_ROWS / (api.ms / 1000), 'runs/s', INGEST_ROWS / (raw / 1000), 'raw multi-row pg inserts, one transaction', '≥ 50% of raw', 0.5, true);

  const client = new pg.Client({ connectionString: base });
  await client.connect();
  for (const s of schemas) await client.query(`drop schema if exists ${s} cascade`);
  await client.end();
  fs.writeFileSync('bench-results-postgres.json', `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
  console.log('\nWrote bench-results-postgres.json');
}

await main();
