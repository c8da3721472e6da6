import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;

/**
 * The writer's own automatic checkpoint, in pages, while a checkpointer runs: large enough that the
 * checkpointer normally gets there first (SQLite's default is 1,000 pages), small enough to bound
 * the WAL should the checkpointer fall behind.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/**
 * Starts a worker thread that checkpoints a SQLite database's WAL in the background.
 *
 * SQLite in WAL mode runs a checkpoint inside whichever commit pushes the WAL past 1,000 pages: the
 * committing request then waits while pages are copied and the file synced. With one transaction
 * per request and ten indexes on runs, that was a third of the time of a 1,000-run POST. On its own
 * connection in its own thread the checkpoint runs on the other core instead. Returns `stop`.
 */
export function startWalCheckpointer(file: string): () => void {
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), {
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  worker.on('error', (err) => console.error(`WAL checkpointer stopped (SQLite checkpoints in the writer again): ${err.message}`));
  return () => worker.postMessage('stop');
}
