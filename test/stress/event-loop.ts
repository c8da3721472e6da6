import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The app on a SQLite file, listening on a loopback port in this process, so its event loop is ours to measure. */
export interface InProcessServer {
  base: string;
  db: Db;
  dir: string;
  close(): Promise<void>;
}

export async function startInProcess(): Promise<InProcessServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-loop-'));
  const config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'loop.db'), SWEETSPOT_DATA_DIR: dir });
  // As the server opens it: WAL checkpoints in their own thread, not inside a big import's commit.
  const db = connectDatabase(config.database, { checkpointInBackground: true });
  await migrateToLatest(db);
  const server = http.createServer(createApp({ db, config, logError: () => undefined }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    db,
    dir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoopFigures {
  /** The longest the event loop was held, in milliseconds (perf_hooks.monitorEventLoopDelay max). */
  maxDelayMs: number;
  /** Cheap requests answered while the attack ran, and the slowest of them. */
  cheapAnswered: number;
  cheapSlowestMs: number;
  cheapFailures: string[];
  /** How long the attack took. */
  attackMs: number;
}

/**
 * Runs `attack` while a client asks a cheap page (a static file) again and again, and measures the
 * event loop's delay all along. Prints the figures (they go in the README's "Limits").
 */
export async function measureWhile(label: string, base: string, attack: () => Promise<void>): Promise<LoopFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let attacking = true;
  const started = performance.now();
  const done = attack().finally(() => {
    attacking = false;
  });
  let cheapAnswered = 0;
  let cheapSlowestMs = 0;
  const cheapFailures: string[] = [];
  const cheap = (async () => {
    while (attacking) {
      const at = performance.now();
      try {
        const res = await fetch(`${base}/static/style.css`);
        await res.arrayBuffer();
        if (res.status === 200) cheapAnswered++;
        else cheapFailures.push(String(res.status));
      } catch (err) {
        cheapFailures.push(String(err));
      }
      cheapSlowestMs = Math.max(cheapSlowestMs, performance.now() - at);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await done;
  const attackMs = performance.now() - started;
  await cheap;
  histogram.disable();
  const figures = { maxDelayMs: histogram.max / 1e6, cheapAnswered, cheapSlowestMs, cheapFailures, attackMs };
  console.log(
    `${label}: attack ${(attackMs / 1000).toFixed(1)} s, event-loop delay max ${figures.maxDelayMs.toFixed(0)} ms, ` +
      `${cheapAnswered} cheap requests answered (slowest ${cheapSlowestMs.toFixed(0)} ms)`,
  );
  return figures;
}
