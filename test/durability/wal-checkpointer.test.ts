import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, sqliteHandleOf } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { BACKSTOP_CHECKPOINT_PAGES } from '../../src/db/wal-checkpointer.js';
import { insertRunsInTransaction } from '../../src/store/runs.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-checkpoint-'));
  file = path.join(dir, 'db.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
}

/** 2,000 runs: a few hundred WAL pages, far below the writer's own (backstop) checkpoint. */
async function writeRuns(db: ReturnType<typeof connectDatabase>): Promise<void> {
  const now = '2026-11-26T10:00:00.000Z';
  const runs = Array.from({ length: 2000 }, (_, i) => ({
    row: { model_id: 1, steps: 10 + (i % 40), score: (i % 100) / 10, prompt: `prompt ${i} `.repeat(8), source: 'api' as const, created_at: now, updated_at: now },
    tags: [],
  }));
  await insertRunsInTransaction(db, runs);
}

describe('background WAL checkpoints', () => {
  it('copy committed pages into the database file while the writer keeps its connection open', async () => {
    const db = connectDatabase(file, { checkpointInBackground: true });
    try {
      await migrateToLatest(db);
      expect(sqliteHandleOf(db)!.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_CHECKPOINT_PAGES);
      const before = fs.statSync(file).size;
      await writeRuns(db);
      await until(() => fs.statSync(file).size > before + 200_000, 'the runs reached the database file');
    } finally {
      await db.destroy();
    }
    // The checkpointer closed its connection first, so the writer's close was the last: it
    // checkpointed everything and removed the WAL before destroy resolved.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('are not run without the option: the writer checkpoints by itself, at SQLite’s usual 1,000 pages', async () => {
    const db = connectDatabase(file);
    try {
      await migrateToLatest(db);
      expect(sqliteHandleOf(db)!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      const before = fs.statSync(file).size;
      await writeRuns(db);
      await new Promise((r) => setTimeout(r, 500));
      expect(fs.statSync(file).size).toBe(before);
    } finally {
      await db.destroy();
    }
  });
});
