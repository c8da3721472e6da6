import SQLite from 'better-sqlite3';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createRandom } from '../../src/analysis/random.js';

/** The columns a benchmark run fills, in insert order. */
export const BENCH_COLUMNS = [
  'model_id', 'steps', 'duration_ms', 'score', 'seed', 'prompt', 'sampler', 'width', 'height', 'hardware', 'use_case', 'phase', 'source', 'created_at', 'updated_at',
] as const;

const STEPS = [10, 15, 20, 25, 30, 35, 40, 50, 60];
const PROMPTS = Array.from({ length: 40 }, (_, i) => `benchmark prompt ${i}: a lighthouse on a cliff, variation ${i}`);
const HARDWARE = ['RTX 4090', 'RTX 3090', 'api'];
// Samplers and sizes vary by block too, so that filtered reports have something to narrow to.
const SAMPLERS = ['euler', 'dpmpp_2m', 'euler_a'];
const SIZES = [[1024, 1024], [832, 1216]] as const;

/**
 * Deterministic benchmark rows: FLUX.1 Dev-like curves (τ = 10) with noise, a paired design (each
 * prompt + seed at every step level), three hardware types. Row i is the same whatever the total.
 */
export function* benchRows(count: number, seed = 42): Generator<unknown[]> {
  const random = createRandom(seed);
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const steps = STEPS[i % STEPS.length]!;
    const block = Math.floor(i / STEPS.length);
    const prompt = PROMPTS[block % PROMPTS.length]!;
    const hardware = HARDWARE[block % HARDWARE.length]!;
    const score = Math.min(10, Math.max(0, 8.6 - 5 * Math.exp(-steps / 10) + 0.6 * random.normal()));
    const created = new Date(start + i * 1000).toISOString();
    const sampler = SAMPLERS[Math.floor(block / 3) % SAMPLERS.length]!;
    const [width, height] = SIZES[Math.floor(block / 9) % SIZES.length]!;
    yield [
      1, steps, Math.round(380 + 670 * steps * (1 + 0.03 * random.normal())), Math.round(score * 10) / 10,
      String(1_000_000 + block), prompt, sampler, width, height, hardware, 'concept-art', steps < 28 ? 'draft' : 'final',
      'api', created, created,
    ];
  }
}

/** Creates a migrated database file holding `count` runs of flux-dev, inserted raw for speed. */
export async function buildBenchDatabase(file: string, count: number): Promise<void> {
  const db = connectDatabase(file);
  await migrateToLatest(db);
  await db.destroy();
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  const insert = sqlite.prepare(`insert into runs (${BENCH_COLUMNS.join(', ')}) values (${BENCH_COLUMNS.map(() => '?').join(', ')})`);
  const batch = sqlite.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });
  let rows: unknown[][] = [];
  for (const row of benchRows(count)) {
    rows.push(row);
    if (rows.length === 50_000) {
      batch(rows);
      rows = [];
    }
  }
  batch(rows);
  sqlite.prepare('update models set data_version = data_version + 1').run();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}
