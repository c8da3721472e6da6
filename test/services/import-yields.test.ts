import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { importRuns } from '../../src/services/import-runs.js';
import { countRows, openTestDatabase } from '../helpers/test-app.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await openTestDatabase());
});
afterEach(async () => {
  await db.destroy();
});

/** Counts event-loop turns (setImmediate callbacks) until stopped. */
function turnCounter(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

// Finding 5 of issue #14: once its body was read, a 200,000-row import held the event loop for 15 s:
// a body that is already in memory parses and stages without ever waiting for I/O.
describe('a large import yields to the event loop', () => {
  it('gives other work a turn between batches while it reads, stages and moves 12,000 rows that arrived whole', async () => {
    const rows = 12_000;
    const csv = `model,steps,score\n${Array.from({ length: rows }, (_, i) => `flux-dev,${(i % 40) + 1},${(i % 10) + 0.5}`).join('\n')}\n`;
    const counter = turnCounter();
    const result = await importRuns(db, Readable.from([Buffer.from(csv)]), { format: 'csv' });
    const turns = counter.stop();
    expect(result.created).toBe(rows);
    expect(await countRows(db, 'runs')).toBe(rows);
    // One turn after every 1,000 rows read (12) and after every 5,000-row slice moved (3), at least.
    expect(turns).toBeGreaterThanOrEqual(15);
  });
});
